"""Latency under concurrency and upload throughput of the running service (issue 11 "Measure").

    .venv/bin/python -m bench.service_load [--clients 50] [--requests 40] [--queue-size 200]
                                           [--uploads 24] [--upload-mb 5] [--upload-clients 4]

One real ``paoyici serve`` (a subprocess, one uvicorn process) on PostgreSQL with local objects
and the Celery backend with no worker consuming, so that no OCR runs during the measurement
(the jobs wait in a Redis queue of the run's own, dropped at the end); the figures are those of
the HTTP layer, the database and the store. ``--embedded`` uses ``make run``'s defaults instead
(SQLite, in-process jobs: the uploads' OCR then competes for the same two cores).

1. ``GET /api/applications/{id}``: ``--clients`` citizens (each registered, signed in, owning
   one application) request their own application ``--requests`` times each, all at once from
   an asyncio ``httpx`` client (closed loop); p50 / p99 / max and requests/s.
2. ``GET /api/review/queue``: the same with as many signed-in reviewers of the matter, against
   a queue of ``--queue-size`` submitted applications (seeded straight into the database: the
   queue's query is what is measured, not how the cases got there).
3. Upload throughput: ``--uploads`` distinct ``--upload-mb`` MB PNG files, ``--upload-clients``
   at a time, through ``POST /api/applications/{id}/files`` and through the bare FastAPI
   endpoint of ``bench.bare_upload`` (the same multipart streaming into the same kind of store,
   nothing else) started beside it in the same run; rounds alternate which goes first.
   Ratio service / bare (goal: >= 0.8).

Prints a table and writes ``bench/results/service_load.json``. The load generator runs on the
same two cores as the server, so the latencies include its competition.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import httpx
import numpy as np

from bench.harness import (
    MATTER,
    ROOT,
    ApiClient,
    Deployment,
    Proc,
    create_pg_database,
    drop_pg_database,
    free_port,
    redis_purge,
    spawn,
    start_service,
)

RESULTS = Path(__file__).parent / "results"
MB = 1024 * 1024
UPLOAD_SLOT = "sale_contract"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


async def closed_loop(
    base_url: str, requests: list[tuple[str, dict[str, str]]], per_client: int
) -> tuple[list[float], float, int]:
    """Each (path, headers) is one client sending ``per_client`` requests back to back, all
    clients at once. Returns the latencies (s), the wall time and the count of non-200s."""
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=len(requests))
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        # one warm-up round: connections open, caches warm
        await asyncio.gather(*(client.get(p, headers=h) for p, h in requests))

        async def one_client(path: str, headers: dict[str, str]) -> None:
            nonlocal errors
            for _ in range(per_client):
                t0 = time.perf_counter()
                r = await client.get(path, headers=headers)
                latencies.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(one_client(p, h) for p, h in requests))
        wall = time.perf_counter() - start
    return latencies, wall, errors


def latency_row(name: str, latencies: list[float], wall: float, errors: int) -> dict[str, Any]:
    return {
        "what": name,
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
        "rps": round(len(latencies) / wall, 1),
    }


def noise_png(seed: int, size_mb: float) -> bytes:
    """A PNG of random pixels (incompressible: its size is about its raw size)."""
    side = int((size_mb * MB / 3) ** 0.5)
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(side, side, 3), dtype=np.uint8)
    ok, buf = cv2.imencode(".png", pixels, [cv2.IMWRITE_PNG_COMPRESSION, 0])
    assert ok
    return buf.tobytes()


async def upload_all(
    targets: list[tuple[str, dict[str, str]]],
    files: list[bytes],
    base_url: str,
    concurrency: int,
) -> tuple[float, int]:
    """POST each file (multipart ``slot`` + ``file``) to the target paths, ``concurrency`` at a
    time; returns the wall time and the count of answers other than 202."""
    sem = asyncio.Semaphore(concurrency)
    bad = 0
    async with httpx.AsyncClient(base_url=base_url, timeout=300) as client:

        async def one(i: int, data: bytes) -> None:
            nonlocal bad
            path, headers = targets[i % len(targets)]
            async with sem:
                try:
                    r = await client.post(
                        path,
                        data={"slot": UPLOAD_SLOT},
                        files={"file": (f"page-{i}.png", data, "image/png")},
                        headers=headers,
                    )
                except httpx.HTTPError as e:
                    bad += 1
                    print(f"  upload failed: {e!r}", file=sys.stderr)
                    return
            if r.status_code != 202:
                bad += 1
                if bad == 1:
                    print(f"  upload answered {r.status_code}: {r.text[:300]}", file=sys.stderr)

        start = time.perf_counter()
        await asyncio.gather(*(one(i, d) for i, d in enumerate(files)))
        return time.perf_counter() - start, bad


def seed_review_queue(dep: Deployment, owner_ids: list[str], count: int) -> None:
    """``count`` submitted applications of the matter, straight into the database."""
    import cases
    from cases.models import Application

    engine = cases.make_engine(cases.DatabaseSettings(url=dep.database_url), data_dir=dep.data_dir)
    sessions = cases.make_sessionmaker(engine)
    now = datetime.now(UTC)
    with cases.transaction(sessions) as s:
        for i in range(count):
            s.add(
                Application(
                    matter_id=MATTER,
                    answers={},
                    state="needs_review" if i % 3 else "ready",
                    verdict="needs_review" if i % 3 else "ready",
                    owner_id=owner_ids[i % len(owner_ids)],
                    submitted_at=now - timedelta(hours=i),
                    due_at=now + timedelta(days=1 + i % 20),
                )
            )
    engine.dispose()


def user_id(api: ApiClient, headers: dict[str, str]) -> str:
    r = api.http.get("/api/auth/me", headers=headers)
    r.raise_for_status()
    return str(r.json()["id"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="per client")
    parser.add_argument("--queue-size", type=int, default=200)
    parser.add_argument("--uploads", type=int, default=24)
    parser.add_argument("--upload-mb", type=float, default=5.0)
    parser.add_argument("--upload-clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2, help="upload rounds (alternating)")
    parser.add_argument("--embedded", action="store_true", help="SQLite + in-process jobs")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="paoyici-load-"))
    db_url = None if args.embedded else create_pg_database("paoyici_load")
    if db_url is None:
        dep = Deployment.embedded(tmp / "service")
    else:
        dep = Deployment.production(tmp / "service", database_url=db_url)
    dep.data_dir.mkdir(parents=True)
    bare_dir = tmp / "bare"
    bare_port = free_port()
    bare: Proc | None = None
    svc = None
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "deployment": "embedded" if args.embedded else "postgresql + local objects + celery",
        "args": vars(args),
    }
    try:
        dep.cli("db", "upgrade")
        dep.add_staff(
            "bench-reviewer",
            "bench-reviewer-pass",
            role="reviewer",
            name="审核员",
            matters=(MATTER,),
        )
        svc = start_service(dep)
        bare = spawn(
            "bare",
            [
                sys.executable,
                "-m",
                "bench.bare_upload",
                "--data-dir",
                str(bare_dir),
                "--port",
                str(bare_port),
            ],
            Deployment.embedded(bare_dir),
            PYTHONPATH=str(ROOT),
        )
        api = ApiClient(svc.base_url)
        print(f"service {svc.base_url}, bare {bare_port}; {args.clients} citizens …", flush=True)
        citizens: list[tuple[dict[str, str], str]] = []
        for _ in range(args.clients):
            headers = api.citizen()
            app = api.create_application(headers)
            citizens.append((headers, app["id"]))
        reviewer = api.token("bench-reviewer", "bench-reviewer-pass")
        owners = [user_id(api, h) for h, _ in citizens[:10]]
        seed_review_queue(dep, owners, args.queue_size)
        q = api.http.get("/api/review/queue", headers=reviewer)
        print(f"review queue: {q.status_code}, {len(q.json()) if q.is_success else q.text[:200]}")

        rows = []
        lat, wall, err = asyncio.run(
            closed_loop(
                svc.base_url,
                [(f"/api/applications/{a}", h) for h, a in citizens],
                args.requests,
            )
        )
        rows.append(latency_row("GET /api/applications/{id}", lat, wall, err))
        lat, wall, err = asyncio.run(
            closed_loop(
                svc.base_url, [("/api/review/queue", reviewer)] * args.clients, args.requests
            )
        )
        rows.append(latency_row(f"GET /api/review/queue ({args.queue_size} cases)", lat, wall, err))
        results["latency"] = rows
        for row in rows:
            print(
                f"{row['what']:<42} n={row['requests']:>5} err={row['errors']:<3} "
                f"p50={row['p50_ms']:>7.1f} ms  p99={row['p99_ms']:>7.1f} ms  "
                f"max={row['max_ms']:>7.1f} ms  {row['rps']:>6.1f} req/s"
            )

        # --- uploads ---------------------------------------------------------------------
        _wait_bare(bare_port, bare)
        total_mb = 0.0
        times = {"service": 0.0, "bare": 0.0}
        bad = {"service": 0, "bare": 0}
        targets_service = [(f"/api/applications/{a}/files", h) for h, a in citizens]
        targets_bare = [("/upload", {})]
        for rnd in range(args.rounds):
            files = [noise_png(rnd * 10_000 + i, args.upload_mb) for i in range(args.uploads)]
            # the bare endpoint gets other bytes than the service (neither may dedupe the other)
            files_bare = [
                noise_png(rnd * 10_000 + 5_000 + i, args.upload_mb) for i in range(args.uploads)
            ]
            size_mb = sum(len(f) for f in files) / MB
            total_mb += size_mb
            order = ["service", "bare"] if rnd % 2 == 0 else ["bare", "service"]
            for which in order:
                if which == "service":
                    t, b = asyncio.run(
                        upload_all(targets_service, files, svc.base_url, args.upload_clients)
                    )
                else:
                    t, b = asyncio.run(
                        upload_all(
                            targets_bare,
                            files_bare,
                            f"http://127.0.0.1:{bare_port}",
                            args.upload_clients,
                        )
                    )
                times[which] += t
                bad[which] += b
                print(f"  round {rnd} {which:<7} {size_mb / t:7.1f} MB/s ({b} refused)", flush=True)
        service_mbps = total_mb / times["service"]
        bare_mbps = total_mb / times["bare"]
        results["upload"] = {
            "files": args.uploads * args.rounds,
            "file_mb": round(total_mb / (args.uploads * args.rounds), 2),
            "concurrency": args.upload_clients,
            "service_mb_s": round(service_mbps, 1),
            "bare_mb_s": round(bare_mbps, 1),
            "ratio": round(service_mbps / bare_mbps, 3),
            "refused": bad,
        }
        print(
            f"upload {args.upload_mb:g} MB × {args.uploads * args.rounds}, "
            f"{args.upload_clients} at a time: service {service_mbps:.1f} MB/s, "
            f"bare FastAPI {bare_mbps:.1f} MB/s, ratio {service_mbps / bare_mbps:.2f} "
            f"(goal >= 0.80)"
        )
        api.close()
    finally:
        if svc is not None:
            svc.stop()
        if bare is not None:
            bare.stop()
        if dep.queue and dep.broker_url:
            redis_purge(dep.broker_url, dep.queue)
        if db_url is not None:
            drop_pg_database(db_url)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "service_load.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    bad_total = sum(r["errors"] for r in results["latency"]) + sum(
        results["upload"]["refused"].values()
    )
    return 1 if bad_total else 0


def _wait_bare(port: int, proc: Proc, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"bare endpoint exited:\n{proc.tail()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError("bare endpoint did not start")


if __name__ == "__main__":
    raise SystemExit(main())
