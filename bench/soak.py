"""Load and soak (issue 16): citizens uploading and reviewers deciding at once for a bounded
time, then the read routes' sustainable rate, then an account of everything.

    .venv/bin/python -m bench.soak [--minutes 2] [--citizens 4] [--reviewers 2] [--queue 40]
                                   [--rates 25,50,75,100,150,200,400] [--rate-s 8]

One real ``paoyici serve`` (a subprocess: uvicorn, in-process job runner, so the uploads' OCR
runs in the same process on the same two cores) on a fresh PostgreSQL database with local
objects, certificates signed at B-B (no loopback TSA round trips in the measure). Loopback only.

1. Soak, ``--minutes``: ``--citizens`` threads each loop create an application → upload two
   distinct small PNGs (two slots) → read it back until both are read and pre-checked (the
   citizen looks at the report before the next one, so uploads are paced by the OCR);
   ``--reviewers`` threads work a queue of ``--queue`` submitted cases (seeded straight into
   the database: the reviewers' side is what is loaded, not how cases got there): claim,
   then approve every third (a certificate is rendered, signed and stored) and return the
   rest with a reason. Every answer is counted;
   anything but the expected 2xx is an error.
2. Read rate: ``GET /api/applications/{id}`` sent open-loop at each of ``--rates`` requests/s for
   ``--rate-s`` seconds (asyncio httpx); p50/p99 per rate; the figure is the highest rate whose
   p99 stays below 500 ms with no errors.
3. Account, once every job has run: upload rows == uploads answered 202, every upload read to
   an end, issued certificates == approvals, returned cases == returns, no job unfinished,
   ``paoyici fsck`` clean (objects, certificate hashes, the audit hash chain).

Prints a table and writes ``bench/results/soak.json``; exit 1 when anything is unaccounted for.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from bench.harness import (
    MATTER,
    PAOYICI,
    ApiClient,
    Deployment,
    create_pg_database,
    drop_pg_database,
    files_settled,
    start_service,
)
from bench.service_load import percentile, seed_review_queue, user_id

RESULTS = Path(__file__).parent / "results"
P99_BUDGET_S = 0.5


def _png(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (n % 251, (n // 251) % 251, 128)).save(out, format="PNG")
    return out.getvalue()


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.errors: list[str] = []
        self.uploads: list[tuple[str, int]] = []

    def add(self, what: str, r: httpx.Response, ok: int) -> bool:
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1
            if r.status_code != ok:
                self.errors.append(f"{what}: {r.status_code} {r.text[:160]}")
                return False
            return True


def citizen_loop(base: str, headers: dict[str, str], seed: int, until: float, t: Tally) -> None:
    n = 0
    with httpx.Client(base_url=base, timeout=60) as http:
        while time.monotonic() < until:
            r = http.post(
                "/api/applications", json={"matter": MATTER, "answers": {}}, headers=headers
            )
            if not t.add("create", r, 201):
                continue
            app_id = r.json()["id"]
            for slot in ("seller_id_card", "property_certificate"):
                n += 1
                r = http.post(
                    f"/api/applications/{app_id}/files",
                    data={"slot": slot},
                    files={"file": (f"{slot}.png", _png(seed * 100_000 + n), "image/png")},
                    headers=headers,
                )
                if t.add("upload", r, 202):
                    with t.lock:
                        t.uploads.append((app_id, int(r.json()["id"])))
            # the citizen looks at the report before the next application: the uploads are
            # then paced by the reading, as they are for real (no backlog grows unbounded)
            settle_by = time.monotonic() + 120
            while time.monotonic() < settle_by:
                r = http.get(f"/api/applications/{app_id}", headers=headers)
                if not t.add("read", r, 200) or files_settled(r.json()):
                    break
                time.sleep(0.5)


def reviewer_loop(base: str, headers: dict[str, str], until: float, t: Tally) -> None:
    with httpx.Client(base_url=base, timeout=120) as http:
        while time.monotonic() < until:
            r = http.get("/api/review/queue", headers=headers)
            if not t.add("queue", r, 200):
                continue
            free = [c for c in r.json() if not c.get("assignee")]
            if not free:
                time.sleep(0.5)
                continue
            case = free[0]["id"]
            claim = http.post(f"/api/review/applications/{case}/claim", headers=headers)
            if claim.status_code == 409:  # the other reviewer was quicker: not an error
                continue
            if not t.add("claim", claim, 200):
                continue
            with t.lock:
                approve = t.counts.get("decide", 0) % 3 == 0
            body = (
                {"decision": "approve"}
                if approve
                else {"decision": "return", "reason": "材料照片不清晰，请重新拍摄后上传"}
            )
            r = http.post(f"/api/review/applications/{case}/decision", json=body, headers=headers)
            if t.add("decide", r, 200):
                with t.lock:
                    key = "approved" if approve else "returned"
                    t.counts[key] = t.counts.get(key, 0) + 1


async def open_loop(
    base: str, paths: list[tuple[str, dict[str, str]]], rate: float, seconds: float
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def one(i: int) -> None:
            nonlocal errors
            path, headers = paths[i % len(paths)]
            t0 = time.perf_counter()
            try:
                r = await client.get(path, headers=headers)
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - t0)
            errors += 0 if ok else 1

        tasks = []
        start = time.perf_counter()
        for i in range(int(rate * seconds)):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    return latencies, errors


def account(dep: Deployment, t: Tally) -> dict[str, Any]:
    from sqlalchemy import func, select

    import cases
    from cases.models import Application, Certificate, Job, Upload

    engine = cases.make_engine(cases.DatabaseSettings(url=dep.database_url), data_dir=dep.data_dir)
    sessions = cases.make_sessionmaker(engine)
    deadline = time.monotonic() + 600
    with sessions() as s:
        while True:
            pending = s.scalar(
                select(func.count()).select_from(Job).where(Job.state.notin_(("done", "failed")))
            )
            if not pending or time.monotonic() > deadline:
                break
            s.rollback()
            time.sleep(1)
        ids = [u for _, u in t.uploads]
        rows = list(s.scalars(select(Upload).where(Upload.id.in_(ids))))
        out = {
            "uploads_answered_202": len(ids),
            "upload_rows": len(rows),
            "uploads_read_to_an_end": sum(r.status in ("done", "failed") for r in rows),
            "approvals": t.counts.get("approved", 0),
            "certificates": s.scalar(select(func.count()).select_from(Certificate)),
            "issued": s.scalar(
                select(func.count()).select_from(Application).where(Application.state == "issued")
            ),
            "returns": t.counts.get("returned", 0),
            "returned": s.scalar(
                select(func.count()).select_from(Application).where(Application.state == "returned")
            ),
            "jobs_unfinished": pending,
        }
    engine.dispose()
    proc = subprocess.run(
        [PAOYICI, "fsck", "--json", "--grace-s", "0"],
        capture_output=True,
        text=True,
        timeout=600,
        env=dep.process_env(),
        cwd=dep.data_dir,
    )
    fsck = json.loads(proc.stdout)
    out["fsck_ok"] = fsck["ok"]
    out["fsck_checked"] = fsck.get("checked")
    out["fsck_problems"] = fsck["problems"][:5]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--minutes", type=float, default=2)
    p.add_argument("--citizens", type=int, default=4)
    p.add_argument("--reviewers", type=int, default=2)
    p.add_argument("--queue", type=int, default=40)
    p.add_argument("--rates", default="25,50,75,100,150,200,400")
    p.add_argument("--rate-s", type=float, default=8)
    args = p.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="paoyici-soak-"))
    url = create_pg_database("paoyici_soak")
    dep = Deployment.embedded(
        tmp / "service", PAOYICI_DATABASE_URL=url, PAOYICI_SIGNING_LEVEL="B-B"
    )
    dep.database_url = url
    dep.data_dir.mkdir(parents=True)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "deployment": "postgresql + local objects + in-process jobs (OCR in the server), B-B",
        "args": vars(args),
    }
    svc = None
    try:
        dep.cli("db", "upgrade")
        for i in range(args.reviewers):
            dep.add_staff(
                f"soak-reviewer-{i}",
                "soak-reviewer-pass",
                role="reviewer",
                name="审核员",
                matters=(MATTER,),
            )
        svc = start_service(dep)
        api = ApiClient(svc.base_url)
        citizens = [api.citizen() for _ in range(args.citizens)]
        reviewers = [
            api.token(f"soak-reviewer-{i}", "soak-reviewer-pass") for i in range(args.reviewers)
        ]
        seed_review_queue(dep, [user_id(api, h) for h in citizens], args.queue)

        tally = Tally()
        until = time.monotonic() + args.minutes * 60
        threads = [
            threading.Thread(target=citizen_loop, args=(svc.base_url, h, i, until, tally))
            for i, h in enumerate(citizens)
        ] + [
            threading.Thread(target=reviewer_loop, args=(svc.base_url, h, until, tally))
            for h in reviewers
        ]
        start = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - start
        soak = {
            "seconds": round(wall, 1),
            "answers": dict(tally.counts),
            "errors": len(tally.errors),
            "first_errors": tally.errors[:5],
            "uploads_per_s": round(tally.counts.get("upload", 0) / wall, 2),
        }
        print(
            f"soak {wall:.0f} s: {soak['answers']}, errors {soak['errors']}, "
            f"{soak['uploads_per_s']} uploads/s",
            flush=True,
        )
        results["soak"] = soak

        # each citizen reads their own: pair every application with its owner's token
        owner_of = {}
        for idx, h in enumerate(citizens):
            for r in httpx.get(svc.base_url + "/api/applications", headers=h, timeout=60).json():
                owner_of[r["id"]] = idx
        reads = [(f"/api/applications/{a}", citizens[i]) for a, i in list(owner_of.items())[:200]]
        rate_rows = []
        for rate in [float(x) for x in args.rates.split(",")]:
            lat, err = asyncio.run(open_loop(svc.base_url, reads, rate, args.rate_s))
            row = {
                "rate": rate,
                "requests": len(lat),
                "errors": err,
                "p50_ms": round(percentile(lat, 50) * 1000, 1),
                "p99_ms": round(percentile(lat, 99) * 1000, 1),
            }
            rate_rows.append(row)
            print(
                f"  GET /api/applications/{{id}} at {rate:>5.0f}/s: p50 {row['p50_ms']} ms, "
                f"p99 {row['p99_ms']} ms, errors {err}",
                flush=True,
            )
            if row["p99_ms"] >= P99_BUDGET_S * 1000 or err:
                break
        held = [
            r["rate"] for r in rate_rows if r["p99_ms"] < P99_BUDGET_S * 1000 and not r["errors"]
        ]
        results["read_rates"] = rate_rows
        results["read_rps_at_p99_under_500ms"] = max(held) if held else 0

        acc = account(dep, tally)
        results["account"] = acc
        print(json.dumps(acc, ensure_ascii=False, indent=1))
        ok = (
            soak["errors"] == 0
            and acc["upload_rows"] == acc["uploads_answered_202"] == acc["uploads_read_to_an_end"]
            and acc["certificates"] == acc["issued"] == acc["approvals"]
            and acc["returned"] == acc["returns"]
            and acc["jobs_unfinished"] == 0
            and acc["fsck_ok"]
        )
        results["accounted_for"] = ok
        print(
            f"read rate held at p99 < 500 ms: {results['read_rps_at_p99_under_500ms']}/s; "
            f"everything accounted for: {ok}"
        )
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "soak.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
        return 0 if ok else 1
    finally:
        if svc is not None:
            svc.stop()
        drop_pg_database(url)


if __name__ == "__main__":
    sys.exit(main())
