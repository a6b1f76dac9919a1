"""KPI endpoint latency and the deadline-warning job's run time over generated cases on
PostgreSQL (issue 15 "Measure").

    .venv/bin/python -m bench.kpi_latency [--cases 100000] [--requests 10] [--open-share 0.1]

1. A fresh PostgreSQL database, migrated; ``--cases`` applications generated (seeded RNG) with
   the records the measures read: reviews (returns, decisions, confirmations), certificates,
   deliveries, checked-in bookings, ratings with follow-ups, and ``--open-share`` of them still
   open with due dates spread around now (so the warning job has work).
2. ``GET /api/supervision/kpis`` (the route, through the FastAPI app, as a supervisor)
   ``--requests`` times: p50 / p95 / max seconds.
   The route's case figures (``measures.case_kpis``) against the per-case reckoning they
   replace (``supervision.collect_facts`` + ``compute_kpis``): equal, and both times.
3. The warning job (``jobs.warnings.run_scan``) over the same set: the first run (raises the
   warnings and alarms due) and a second run at the same instant (nothing left to raise).
Prints the figures and writes ``bench/results/kpi_latency.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

import cases
from api.app import create_app
from api.settings import Settings, load_settings
from bench.harness import create_pg_database, drop_pg_database
from cases import DatabaseSettings, accounts
from cases.models import (
    Application,
    Booking,
    Certificate,
    DeadlineAlert,
    Delivery,
    FollowUp,
    Rating,
    Review,
    ServiceWindow,
)
from jobs import JobsSettings, measures, supervision, warnings

RESULTS = Path(__file__).parent / "results"
MATTERS = ["second-hand-house-transfer", "social-security-card", "company-registration"]
PASSWORD = "bench-pass-123"


def _batches(rows: list[dict[str, Any]], n: int = 5000) -> Any:
    for i in range(0, len(rows), n):
        yield rows[i : i + n]


def generate(sessions: Any, *, n: int, open_share: float, now: datetime, seed: int = 15) -> dict:
    rng = random.Random(seed)
    with cases.transaction(sessions) as s:
        reviewers = [
            accounts.create_user(s, username=f"bench-r{i}", password=PASSWORD, role="reviewer").id
            for i in range(20)
        ]
        citizen = accounts.create_user(s, username="bench-c", password=PASSWORD, role="citizen").id
        accounts.create_user(s, username="bench-sup", password=PASSWORD, role="supervisor")
        win = ServiceWindow(hall="基准大厅", number="1", matters=MATTERS)
        s.add(win)
        s.flush()
        window_id = win.id
    apps, reviews, certs, deliveries, bookings, ratings, alerts = [], [], [], [], [], [], []
    for i in range(n):
        app_id = uuid.uuid4().hex
        sub = now - timedelta(days=rng.uniform(0, 60))
        is_open = rng.random() < open_share
        rounds = rng.choice([0, 0, 0, 0, 1, 1, 2, 3])
        reviewer = rng.choice(reviewers)
        if is_open:
            state = rng.choice(["needs_review", "ready", "prechecking", "returned"])
            due = now + timedelta(hours=rng.uniform(-48, 120))
            sub = due - timedelta(days=7)
        else:
            state = rng.choice(["issued", "delivered", "picked_up", "picked_up", "rejected"])
            due = sub + timedelta(days=7)
        apps.append(
            {"id": app_id, "matter_id": rng.choice(MATTERS), "answers": {}, "state": state,
             "correction_rounds": rounds, "owner_id": citizen, "submitted_at": sub,
             "due_at": due, "created_at": sub, "updated_at": sub, "version": 1,
             "assignee_id": reviewer if is_open and rng.random() < 0.5 else None}
        )  # fmt: skip
        at = sub + timedelta(hours=rng.uniform(0.2, 8))
        reviews.append({"application_id": app_id, "reviewer": reviewer, "decision": "confirm",
                        "created_at": at})  # fmt: skip
        if rng.random() < 0.2:
            at += timedelta(hours=rng.uniform(1, 24))
            reviews.append({"application_id": app_id, "reviewer": reviewer, "decision": "return",
                            "created_at": at})  # fmt: skip
        if not is_open:
            at += timedelta(hours=rng.uniform(1, 48))
            decision = "reject" if state == "rejected" else "approve"
            reviews.append({"application_id": app_id, "reviewer": reviewer, "decision": decision,
                            "created_at": at})  # fmt: skip
            if state != "rejected":
                certs.append(
                    {"application_id": app_id, "identifier": f"1.2.156.bench.{i}", "name": "证",
                     "type_code": "t", "number": str(i), "serial": str(i), "version": 1,
                     "holder_name": "张三", "issuer_name": "局", "issuer_code": "1" * 18,
                     "issued_on": at.date(), "status": "valid",
                     "created_at": at + timedelta(minutes=rng.uniform(1, 30))}
                )  # fmt: skip
                method = "pickup" if state == "picked_up" else "courier"
                deliveries.append({"application_id": app_id, "method": method,
                                   "status": "created", "created_at": at,
                                   "updated_at": at})  # fmt: skip
                if rng.random() < 0.3:
                    bookings.append(
                        {"code": uuid.uuid4().hex[:16], "window_id": window_id,
                         "application_id": app_id, "user_id": citizen, "starts_at": at,
                         "status": "checked_in", "created_at": at}
                    )  # fmt: skip
            if rng.random() < 0.3:
                ratings.append({"application_id": app_id, "user_id": citizen,
                                "level": rng.choice([5, 5, 5, 4, 4, 3, 2, 1]), "reasons": [],
                                "created_at": at})  # fmt: skip
        if rng.random() < 0.05:
            alerts.append({"subject_type": "application", "subject_id": app_id,
                           "kind": "warning", "matter_id": apps[-1]["matter_id"], "due_at": due,
                           "fired_at": due - timedelta(days=1)})  # fmt: skip
    with cases.transaction(sessions) as s:
        for model, rows in [
            (Application, apps), (Review, reviews), (Certificate, certs), (Delivery, deliveries),
            (Booking, bookings), (Rating, ratings), (DeadlineAlert, alerts),
        ]:  # fmt: skip
            for batch in _batches(rows):
                s.execute(insert(model), batch)
        poor = s.execute(select(Rating.id, Rating.application_id).where(Rating.level <= 2)).all()
        follow = [
            {"rating_id": rid, "application_id": aid, "due_at": now + timedelta(days=2),
             "created_at": now - timedelta(days=rng.uniform(0, 6))}
            for rid, aid in poor
        ]  # fmt: skip
        for batch in _batches(follow):
            s.execute(insert(FollowUp), batch)
    return {
        "applications": len(apps), "reviews": len(reviews), "certificates": len(certs),
        "bookings": len(bookings), "ratings": len(ratings), "follow_ups": len(follow),
        "open": sum(1 for a in apps if a["state"] in ("needs_review", "ready", "prechecking")),
    }  # fmt: skip


def _spread(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"requests": 0}
    return {
        "requests": len(values),
        "p50": round(statistics.median(values), 3),
        # nearest rank: with few requests p95 is the slowest one
        "p95": round(sorted(values)[max(1, math.ceil(0.95 * len(values))) - 1], 3),
        "max": round(max(values), 3),
        "first": round(values[0], 3),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=100_000)
    p.add_argument("--requests", type=int, default=10)
    p.add_argument("--open-share", type=float, default=0.1)
    args = p.parse_args(argv)
    url = create_pg_database("paoyici_kpi")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            base: Settings = load_settings(data_dir=Path(tmp))
            settings = dataclasses.replace(
                base, database=DatabaseSettings(url=url), jobs=JobsSettings(warm_up=False)
            )
            app = create_app(settings)
            with TestClient(app, raise_server_exceptions=False) as client:
                services = client.app.state.services  # type: ignore[attr-defined]
                now = datetime.now(UTC)
                t0 = time.perf_counter()
                counts = generate(services.sessions, n=args.cases, open_share=args.open_share,
                                  now=now)  # fmt: skip
                gen_s = time.perf_counter() - t0
                print(f"generated {counts} in {gen_s:.0f} s", file=sys.stderr, flush=True)
                with services.engine.connect() as conn:
                    conn.exec_driver_sql("ANALYZE")
                    # ANALYZE in a rolled-back transaction keeps no statistics (the planner
                    # then guessed 200 rows per aggregate and chose nested loops)
                    conn.commit()
                token = client.post(
                    "/api/auth/token", data={"username": "bench-sup", "password": PASSWORD}
                ).json()["access_token"]
                headers = {"Authorization": f"Bearer {token}"}
                latencies, endpoint_error = [], None
                for _ in range(args.requests):
                    t = time.perf_counter()
                    r = client.get("/api/supervision/kpis", headers=headers)
                    if r.status_code != 200:
                        endpoint_error = f"{r.status_code} {r.text[:200]}"
                        break
                    latencies.append(time.perf_counter() - t)
                # the issue-15 measures alone (jobs/measures.py), as the route computes them
                measure_s = []
                for _ in range(args.requests):
                    t = time.perf_counter()
                    with services.sessions() as s:
                        kpis = measures.compute_measures(s, now=now)
                    measure_s.append(time.perf_counter() - t)
                # the case figures by the database against the per-case reckoning they replace
                # (jobs.supervision.collect_facts + compute_kpis): equal, and how much faster
                cal, ds = services.deadlines.calendar, services.deadlines.settings
                with services.sessions() as s:
                    t = time.perf_counter()
                    by_db = measures.case_kpis(s, now=now, calendar=cal, settings=ds)
                    db_s = time.perf_counter() - t
                    t = time.perf_counter()
                    facts = supervision.collect_facts(s)
                    by_facts = supervision.compute_kpis(facts, now=now, calendar=cal, settings=ds)
                    facts_s = time.perf_counter() - t
                case_kpis = {"equal": by_db == by_facts, "by_database_s": round(db_s, 3),
                             "per_case_s": round(facts_s, 3)}  # fmt: skip
                scans = []
                for label in ("first", "again"):
                    t = time.perf_counter()
                    fired = warnings.run_scan(
                        services.sessions, now=now, deadlines=services.deadlines,
                        settings=warnings.WarningSettings(),
                    )  # fmt: skip
                    scans.append({"run": label, "seconds": round(time.perf_counter() - t, 2),
                                  "alerts": len(fired)})  # fmt: skip
                with services.sessions() as s:
                    total_alerts = s.scalar(select(func.count()).select_from(DeadlineAlert))
    finally:
        drop_pg_database(url)
    out = {
        "at": datetime.now(UTC).isoformat(),
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "generated": counts,
        "generate_s": round(gen_s, 1),
        "kpis_endpoint_s": _spread(latencies) | {"error": endpoint_error},
        "measures_s": _spread(measure_s),
        "case_kpis": case_kpis,
        "measures_sample": {k: kpis[k] for k in ("visits", "ratings", "time_to_verdict_hours")},
        "warning_scan": scans,
        "alerts_total": total_alerts,
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "kpi_latency.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
