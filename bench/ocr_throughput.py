"""OCR pages per second through the service with 1 and 2 Celery workers (issue 11 "Measure").

    .venv/bin/python -m bench.ocr_throughput [--workers 1 2] [--applications 3] [--pool 1]
                                             [--ocr-threads 2] [--style scan|photo]

A real deployment: ``paoyici serve`` on PostgreSQL + local objects + Celery on Redis, and for
each worker count ``k`` in ``--workers``, ``k`` separate ``paoyici worker --pool N`` processes
(each loads the OCR pipeline once). Every file of ``--applications`` generated applications
(``synthdocs``; new seeds for every ``k``, so the document cache never answers) is uploaded
through ``POST /api/applications/{id}/files`` as fast as the API takes them; the clock runs from
the first upload to the moment every file of every application is read and pre-checked.
pages/s = pages read (a PDF counts its pages) / that time. ``--ocr-threads`` sets ONNX Runtime's
threads per worker (``PAOYICI_OCR_THREADS``).

The scaling model of the README ("Reliability and scaling") starts from these figures.
Prints a table and writes ``bench/results/ocr_throughput.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.harness import (
    ApiClient,
    Deployment,
    Proc,
    create_pg_database,
    drop_pg_database,
    files_settled,
    redis_purge,
    start_service,
    start_worker,
)
from synthdocs.applications import Application, build_application

RESULTS = Path(__file__).parent / "results"


def page_count(data: bytes) -> int:
    if data.startswith(b"%PDF-"):
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(data)).pages)
    return 1


def applications(first_seed: int, count: int, style: str) -> list[Application]:
    variants = [
        {},
        {"seller_married": True},
        {"via_agent": True},
        {"first_home_tax_relief": True},
    ]
    return [
        build_application(seed=first_seed + i, style=style, **variants[i % len(variants)])  # type: ignore[arg-type]
        for i in range(count)
    ]


def upload_applications(
    api: ApiClient, apps: list[Application], parallel: int = 4
) -> tuple[list[tuple[dict[str, str], str]], float]:
    """Create one citizen + application per generated application and upload all its files
    (``parallel`` uploads at a time); returns (headers, id) pairs and the clock at the first
    upload."""
    created = []
    for app in apps:
        headers = api.citizen()
        created.append((headers, api.create_application(headers, dict(app.answers))["id"], app))
    jobs = [(h, a, slot, name, data) for h, a, app in created for slot, name, data in app.uploads]
    start = time.perf_counter()

    def one(job: tuple[dict[str, str], str, str, str, bytes]) -> None:
        h, a, slot, name, data = job
        r = api.upload(h, a, slot, name, data)
        if r.status_code != 202:
            raise RuntimeError(f"upload {name} → {r.status_code}: {r.text[:300]}")

    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(one, jobs))
    return [(h, a) for h, a, _ in created], start


def wait_all(api: ApiClient, created: list[tuple[dict[str, str], str]], timeout: float) -> float:
    deadline = time.monotonic() + timeout
    pending = list(created)
    while pending:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(pending)} applications not read within {timeout}s")
        pending = [(h, a) for h, a in pending if not files_settled(api.application(h, a))]
        if pending:
            time.sleep(0.2)
    return time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--applications", type=int, default=3)
    parser.add_argument("--pool", type=int, default=1, help="threads per worker process")
    parser.add_argument("--ocr-threads", type=int, default=2)
    parser.add_argument("--style", choices=["scan", "photo"], default="scan")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="paoyici-ocrtp-"))
    db_url = create_pg_database("paoyici_ocrtp")
    dep = Deployment.production(
        tmp / "data", database_url=db_url, PAOYICI_OCR_THREADS=str(args.ocr_threads)
    )
    dep.data_dir.mkdir(parents=True)
    rows: list[dict[str, Any]] = []
    svc = None
    try:
        dep.cli("db", "upgrade")
        svc = start_service(dep)
        api = ApiClient(svc.base_url, timeout=120)
        for n, k in enumerate(args.workers):
            apps = applications(1000 * (n + 1), args.applications, args.style)
            pages = sum(page_count(data) for app in apps for _, _, data in app.uploads)
            files = sum(len(app.uploads) for app in apps)
            workers: list[Proc] = []
            try:
                for _ in range(k):
                    workers.append(start_worker(dep, pool=args.pool))
                created, start = upload_applications(api, apps)
                end = wait_all(api, created, args.timeout)
            finally:
                for w in workers:
                    w.stop()
            wall = end - start
            row = {
                "workers": k,
                "pool": args.pool,
                "ocr_threads": args.ocr_threads,
                "applications": len(apps),
                "files": files,
                "pages": pages,
                "wall_s": round(wall, 2),
                "pages_per_s": round(pages / wall, 3),
            }
            rows.append(row)
            print(
                f"{k} worker(s) × pool {args.pool}, {args.ocr_threads} OCR threads: "
                f"{pages} pages ({files} files) in {wall:.1f} s → {pages / wall:.2f} pages/s",
                flush=True,
            )
        api.close()
    finally:
        if svc is not None:
            svc.stop()
        if dep.queue and dep.broker_url:
            redis_purge(dep.broker_url, dep.queue)
        drop_pg_database(db_url)
    if len(rows) >= 2:
        print(
            f"speed-up {rows[-1]['workers']} vs {rows[0]['workers']} workers: "
            f"{rows[-1]['pages_per_s'] / rows[0]['pages_per_s']:.2f}×"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ocr_throughput.json").write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {platform.python_version()}",
                "args": vars(args),
                "rows": rows,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
