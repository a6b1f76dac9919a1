"""Time from the last upload to the verdict ÷ raw OCR of the same files (issue 11 "Measure").

    .venv/bin/python -m bench.service_verdict [--modes embedded celery] [--applications 2]
                                              [--celery-workers 2] [--style scan|photo]

For each mode a real deployment serves over HTTP: ``embedded`` (``make run``'s defaults: SQLite,
local objects, the in-process pool) and ``celery`` (PostgreSQL, local objects, ``paoyici worker``
× ``--celery-workers`` on Redis). For each generated application (``synthdocs``, new seeds per
mode so the document cache never answers):

1. raw OCR: this process reads each distinct file once with the OCR pipeline (loaded once,
   before anything is timed; the service is idle meanwhile) — ``ocr_s``;
2. service: a citizen uploads every file (``POST /api/applications/{id}/files``, back to back);
   the clock starts when the last upload is accepted (202) and stops when the application shows
   every file read and a verdict (polling ``GET /api/applications/{id}`` every 50 ms) — ``wait_s``.

``ratio`` = wait_s / ocr_s (goal ≤ 1.1). Reads that overlap the uploads are a gift to the
service, so the uploads go first and fast; with two workers the ratio can fall below 1.
Prints a table and writes ``bench/results/service_verdict.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import statistics
import tempfile
import time
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
from bench.ocr_throughput import applications
from ocr.errors import UnreadableFileError
from precheck import slot_files
from precheck.catalogue import load_catalogue
from synthdocs.applications import Application
from synthdocs.evaluate import PipelineReader

RESULTS = Path(__file__).parent / "results"


def raw_ocr_seconds(app: Application, reader: PipelineReader) -> float:
    """Each distinct file of ``app`` read once by the pipeline, with its slot's expected type
    (what the service's read_upload does), timed."""
    matter = load_catalogue().get(app.matter)
    total = 0.0
    seen: set[bytes] = set()
    for sf in slot_files(matter, [(s, data, n) for s, n, data in app.uploads]):
        if sf.data in seen:
            continue
        seen.add(sf.data)
        t0 = time.perf_counter()
        with contextlib.suppress(UnreadableFileError):
            reader(sf.data, expected_type=sf.expected_type)
        total += time.perf_counter() - t0
    return total


def through_service(api: ApiClient, app: Application, timeout: float) -> tuple[float, str]:
    headers = api.citizen()
    app_id = api.create_application(headers, dict(app.answers))["id"]
    for slot, name, data in app.uploads:
        r = api.upload(headers, app_id, slot, name, data)
        if r.status_code != 202:
            raise RuntimeError(f"upload {name} → {r.status_code}: {r.text[:300]}")
    start = time.perf_counter()
    done = api.wait_until(headers, app_id, files_settled, timeout=timeout, interval=0.05)
    wait = time.perf_counter() - start
    return wait, str((done.get("report") or {}).get("verdict"))


def deployment_for(mode: str, tmp: Path) -> tuple[Deployment, str | None]:
    if mode == "embedded":
        return Deployment.embedded(tmp / mode), None
    url = create_pg_database("paoyici_verdict")
    return Deployment.production(tmp / mode, database_url=url), url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--modes", nargs="+", choices=["embedded", "celery"], default=["embedded", "celery"]
    )
    parser.add_argument("--applications", type=int, default=2)
    parser.add_argument("--celery-workers", type=int, default=2)
    parser.add_argument("--style", choices=["scan", "photo"], default="scan")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="paoyici-verdict-"))
    reader = PipelineReader(data_dir=tmp / "raw")
    rows: list[dict[str, Any]] = []
    for m, mode in enumerate(args.modes):
        dep, db_url = deployment_for(mode, tmp)
        dep.data_dir.mkdir(parents=True)
        svc = None
        workers: list[Proc] = []
        try:
            dep.cli("db", "upgrade")
            svc = start_service(dep)
            for _ in range(args.celery_workers if mode == "celery" else 0):
                workers.append(start_worker(dep, pool=1))
            api = ApiClient(svc.base_url, timeout=120)
            apps = applications(5000 + 100 * m, args.applications, args.style)
            reader(apps[0].uploads[0][2])  # warm the pipeline (first-call allocations)
            for app in apps:
                ocr_s = raw_ocr_seconds(app, reader)
                wait_s, verdict = through_service(api, app, args.timeout)
                row = {
                    "mode": mode if mode == "embedded" else f"celery × {args.celery_workers}",
                    "seed": app.seed,
                    "files": len(app.uploads),
                    "ocr_s": round(ocr_s, 2),
                    "wait_s": round(wait_s, 2),
                    "ratio": round(wait_s / ocr_s, 3),
                    "verdict": verdict,
                    "expected": app.expected_verdict,
                }
                rows.append(row)
                print(
                    f"{row['mode']:<12} seed {app.seed}: {row['files']} files, raw OCR "
                    f"{ocr_s:6.1f} s, last upload → verdict {wait_s:6.1f} s, ratio "
                    f"{wait_s / ocr_s:.2f} ({verdict})",
                    flush=True,
                )
            api.close()
        finally:
            for w in workers:
                w.stop()
            if svc is not None:
                svc.stop()
            if dep.queue and dep.broker_url:
                redis_purge(dep.broker_url, dep.queue)
            if db_url is not None:
                drop_pg_database(db_url)
    summary = {}
    for mode in sorted({r["mode"] for r in rows}):
        ratios = [r["ratio"] for r in rows if r["mode"] == mode]
        summary[mode] = {"median_ratio": round(statistics.median(ratios), 3), "n": len(ratios)}
        print(f"{mode:<12} median ratio {statistics.median(ratios):.2f} (goal <= 1.10)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "service_verdict.json").write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {platform.python_version()}",
                "args": vars(args),
                "rows": rows,
                "summary": summary,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
