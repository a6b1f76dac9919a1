"""Presigned URLs of the local store: ``GET``/``PUT /objects/{kind}/{key}?expires=…&signature=…``.

The S3 store's presigned URLs point at the S3 server itself; the local store's point here and are
checked by the store (HMAC-SHA256 over method, kind, key and deadline). Only the holder of a URL
the service handed out can read or write that one object, until the deadline.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from typing import Annotated, BinaryIO, cast

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep
from storage import (
    Bucket,
    InvalidRangeError,
    ObjectNotFoundError,
    ObjectReader,
    ObjectStore,
    ObjectTooLargeError,
    PresignVerifier,
)

router = APIRouter(tags=["文件"])

_RANGE = re.compile(r"bytes=(\d+)-(\d*)")
_SPOOL_IN_MEMORY = 8 * 1024 * 1024


Expires = Annotated[int, Query(description="截止时间（Unix 秒）")]
Signature = Annotated[str, Query(min_length=64, max_length=64, description="签名")]


def _verifier(store: ObjectStore) -> PresignVerifier:
    if not isinstance(store, PresignVerifier):
        # This store's presigned URLs are served by the storage server, never here.
        raise ObjectNotFoundError("presigned URLs are not served by the API for this store")
    return store


def _held_back(reader: ObjectReader) -> Iterator[bytes]:
    """Yield the reader's chunks one behind, so the integrity check at the end runs before the
    last chunk leaves: a corrupted object ends as a short (failed) transfer, never as a
    complete-looking one."""
    previous: bytes | None = None
    with reader:
        for chunk in reader:
            if previous is not None:
                yield previous
            previous = chunk
    if previous is not None:
        yield previous


@router.get("/objects/{kind}/{key:path}", summary="通过临时链接下载文件")
def download(
    kind: Bucket,
    key: str,
    store: StoreDep,
    expires: Expires,
    signature: Signature,
    request: Request,
) -> Response:
    _verifier(store).verify_presigned(
        method="GET", kind=kind, key=key, expires=expires, signature=signature
    )
    offset, length, status = 0, None, 200
    wanted = request.headers.get("range")
    if wanted:
        match = _RANGE.fullmatch(wanted.strip())
        if match is None:
            raise InvalidRangeError(f"unsupported Range {wanted!r}")
        offset = int(match.group(1))
        if match.group(2):
            end = int(match.group(2))
            if end < offset:
                raise InvalidRangeError(f"Range {wanted!r}")
            length = end - offset + 1
        status = 206
    reader = store.open(kind=kind, key=key, offset=offset, length=length)
    info = reader.info
    headers = {
        "Content-Length": str(reader.length),
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        # Uploaded files are citizens' data: never rendered inline by the browser.
        "Content-Disposition": "attachment",
    }
    if info.sha256:
        headers["ETag"] = f'"{info.sha256}"'
    if status == 206:
        end = reader.offset + reader.length - 1
        headers["Content-Range"] = f"bytes {reader.offset}-{end}/{info.size}"
    return StreamingResponse(
        _held_back(reader), status_code=status, media_type=info.content_type, headers=headers
    )


@router.put("/objects/{kind}/{key:path}", summary="通过临时链接上传文件")
async def upload(
    kind: Bucket,
    key: str,
    store: StoreDep,
    expires: Expires,
    signature: Signature,
    request: Request,
) -> dict[str, object]:
    _verifier(store).verify_presigned(
        method="PUT", kind=kind, key=key, expires=expires, signature=signature
    )
    limit = store.max_object_size
    content_type = request.headers.get("content-type") or "application/octet-stream"
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise ObjectTooLargeError(limit=limit, kind=kind, key=key)
            await run_in_threadpool(spool.write, chunk)
        spool.seek(0)
        info = await run_in_threadpool(
            lambda: store.put(
                kind=kind,
                key=key,
                data=cast(BinaryIO, spool),
                content_type=content_type,
                max_size=limit,
            )
        )
    return {"kind": info.kind.value, "key": info.key, "size": info.size, "sha256": info.sha256}
