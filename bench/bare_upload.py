"""The yardstick of ``bench.service_load``'s upload figure: a bare FastAPI endpoint doing the
same streaming as the service's upload route, and nothing else.

``POST /upload`` takes the same multipart form (``slot``, ``file``), looks at the first bytes
(PNG, JPEG or PDF), and streams the body into the same kind of object store under the same size
limit with a content-addressed key (SHA-256), answering 202 with the size and hash. No accounts,
no database, no job: what the service adds on top of this is what the benchmark measures.

    .venv/bin/python -m bench.bare_upload --data-dir /tmp/bare --port 8765
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, HTTPException, UploadFile

from storage import Bucket, StorageSettings, build_store

#: The magic numbers the bare endpoint accepts (the service sniffs more types, as cheaply).
MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"%PDF-")


def create_bare_app(data_dir: Path, *, max_upload_mb: int = 20) -> FastAPI:
    store = build_store(StorageSettings(), data_dir=data_dir)
    limit = max_upload_mb * 1024 * 1024
    app = FastAPI(title="bare upload")

    @app.post("/upload", status_code=202)
    def upload(slot: Annotated[str, Form()], file: Annotated[UploadFile, File()]) -> dict[str, Any]:
        head = file.file.read(16)
        if not head.startswith(MAGIC):
            raise HTTPException(415, "unsupported_type")
        file.file.seek(0)
        info = store.put_content(
            kind=Bucket.UPLOADS,
            prefix=f"bare-{slot}",
            data=file.file,
            content_type="application/octet-stream",
            max_size=limit,
        )
        return {"size": info.size, "sha256": info.sha256}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    uvicorn.run(create_bare_app(args.data_dir), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
