"""Carrier pushes per second the webhook accepts, against the same endpoint doing nothing.

    .venv/bin/python -m bench.courier_webhook [--pushes N] [--concurrency C] [--database-url URL]

One server process (uvicorn, one worker) runs the service itself (``api.app.create_app``) on
the given database: its push routes (``/api/courier/sf/push``, ``/api/courier/kuaidi100/
callback``) verify the signature, parse, de-duplicate and record the events, move the
application (``shipped → delivered``, proof of delivery into the audit chain) and commit; two
do-nothing routes added to the same app (``/null/{sf,kuaidi100}``) read the same form and
answer the same acknowledgement. The client
sends the same signed pushes to both, in alternating rounds, ``C`` at a time. The pushes are
what carriers really send: Kuaidi100 repeats the whole history (up to 5 events) in every push,
SF sends one route per push, and each push is sent twice (carriers retry), so most events
arrive more than once and de-duplication does real work. Reports pushes/s per endpoint (median
of rounds), the ratio real/null, the server's CPU time per push for each (what the endpoint
costs, less sensitive to other load on a shared machine than wall-clock rates), and checks
that exactly one row per distinct event is stored.
Database: a SQLite file in a temporary folder unless ``--database-url`` (e.g. the PostgreSQL
server: ``postgresql+psycopg://postgres@127.0.0.1:5432/test``, a fresh database is made there).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from fastapi import Request

ROOT = Path(__file__).resolve().parents[1]
SF_CHECKWORD = "bench-sf-checkword"
K100_SALT = "bench-kuaidi100-salt"


# ---- server side ------------------------------------------------------------------------------


def build_server_app(database_url: str, data_dir: Path) -> Any:
    """The service itself (``api.app.create_app``) with its real push routes, plus do-nothing
    routes that read the same form and answer the same acknowledgement."""
    import dataclasses

    from api.app import create_app
    from bench.harness import embedded_settings as make_settings
    from courier import CourierSettings
    from jobs import JobsSettings

    settings = dataclasses.replace(
        make_settings(data_dir, database_url=database_url),
        jobs=JobsSettings(warm_up=False),
        courier=CourierSettings(
            sf_checkword=SF_CHECKWORD, kuaidi100_salt=K100_SALT, simulator=False
        ),  # type: ignore[arg-type]
    )
    app = create_app(settings)
    acks = {
        "sf": {"return_code": "0000", "return_msg": "成功"},
        "kuaidi100": {"result": True, "returnCode": "200", "message": "成功"},
    }

    def null(name: str) -> Any:
        async def endpoint(request: Request) -> dict[str, Any]:
            await request.form()
            return acks[name]

        return endpoint

    for name in ("sf", "kuaidi100"):
        app.add_api_route(f"/null/{name}", null(name), methods=["POST"])
    return app


REAL = {"sf": "/api/courier/sf/push", "kuaidi100": "/api/courier/kuaidi100/callback"}


def serve(port: int, database_url: str, data_dir: str) -> None:
    import uvicorn

    app = build_server_app(database_url, Path(data_dir))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# ---- data ---------------------------------------------------------------------------------------


def prepare_database(database_url: str, shipments: int) -> None:
    import cases
    from cases.models import Application, Certificate, Shipment

    engine = cases.make_engine(cases.DatabaseSettings(url=database_url), data_dir=Path("."))
    cases.upgrade(engine)
    with cases.make_sessionmaker(engine).begin() as session:
        for i in range(shipments):
            app = Application(matter_id="second-hand-house-transfer", state="shipped")
            session.add(app)
            session.flush()
            cert = Certificate(
                application_id=app.id,
                identifier=f"bench-{i}-{uuid.uuid4().hex[:8]}",
                name="不动产权证书",
                type_code="X",
                number=str(i),
                serial=str(i),
                holder_name="张三",
                issuer_name="杭州市规划和自然资源局",
                issuer_code="113301000000000000",
                issued_on=date(2026, 12, 1),
            )
            session.add(cert)
            session.flush()
            carrier = "sf" if i % 2 == 0 else "kuaidi100"
            session.add(
                Shipment(
                    certificate_id=cert.id,
                    carrier=carrier,
                    order_id=f"PYC-{cert.id}-1",
                    tracking_number=f"{'SF' if carrier == 'sf' else '98'}{i:010d}",
                )
            )
    engine.dispose()


def make_pushes(shipments: int) -> tuple[list[tuple[str, dict[str, str]]], int]:
    """Signed push forms (each appears twice) and the number of distinct events in them."""
    from courier import kuaidi100 as k100
    from courier import sf
    from courier.simulator import K100_SCRIPT, SF_SCRIPT

    pushes: list[tuple[str, dict[str, str]]] = []
    distinct = 0
    for i in range(shipments):
        base = f"2026-12-01 {8 + i // 60:02d}:{i % 60:02d}"
        if i % 2 == 0:
            number = f"SF{i:010d}"
            for step, (code, _, text) in enumerate(SF_SCRIPT):
                route = {
                    "id": f"{number}-{step}",
                    "mailno": number,
                    "orderid": f"o{i}",
                    "acceptTime": f"{base}:{10 * step:02d}",
                    "acceptAddress": "杭州市",
                    "remark": text.format(s="杭州市", r="宁波市"),
                    "opCode": code,
                }
                msg = sf.dumps({"Body": {"WaybillRoute": [route]}})
                form = sf.sign_push_form(
                    msg, check_word=SF_CHECKWORD, timestamp=str(1764554400000 + step)
                )
                pushes += [("sf", form), ("sf", form)]
                distinct += 1
        else:
            number = f"98{i:010d}"
            history: list[dict[str, str]] = []
            for step, (code, name, text) in enumerate(K100_SCRIPT):
                history.insert(
                    0,
                    {
                        "time": f"{base}:{10 * step:02d}",
                        "context": text.format(s="杭州市", r="宁波市"),
                        "status": name,
                        **({"statusCode": code} if code else {}),
                    },
                )
                param = json.dumps(
                    {
                        "status": "polling",
                        "lastResult": {
                            "nu": number,
                            "com": "ems",
                            "state": "0",
                            "ischeck": "0",
                            "data": history,
                        },
                    },
                    ensure_ascii=False,
                )
                form = {"param": param, "sign": k100.push_sign(param, K100_SALT)}
                pushes += [("kuaidi100", form), ("kuaidi100", form)]
                distinct += 1
    return pushes, distinct


# ---- client -----------------------------------------------------------------------------------


async def blast(
    base: str, kind: str, pushes: list[tuple[str, dict[str, str]]], concurrency: int
) -> float:
    queue: asyncio.Queue[tuple[str, dict[str, str]]] = asyncio.Queue()
    for item in pushes:
        queue.put_nowait(item)
    failures = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while True:
            try:
                name, form = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            path = REAL[name] if kind == "real" else f"/null/{name}"
            response = await client.post(f"{base}{path}", data=form)
            if response.status_code != 200:
                failures += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{failures} pushes to /{kind} were not acknowledged")
    return len(pushes) / elapsed


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def count_events(database_url: str) -> int:
    from sqlalchemy import func, select

    import cases
    from cases.models import ShipmentEvent

    engine = cases.make_engine(cases.DatabaseSettings(url=database_url), data_dir=Path("."))
    with cases.make_sessionmaker(engine)() as session:
        n = session.scalar(select(func.count()).select_from(ShipmentEvent)) or 0
    engine.dispose()
    return n


def fresh_database(args: argparse.Namespace, tmp: Path) -> tuple[str, Any]:
    if not args.database_url:
        return f"sqlite:///{tmp / 'bench.db'}", None
    import psycopg

    admin = args.database_url.replace("postgresql+psycopg://", "postgresql://")
    name = f"paoyici_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return args.database_url.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shipments", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--serve", nargs=3, metavar=("PORT", "URL", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), args.serve[1], args.serve[2])
        return
    with tempfile.TemporaryDirectory() as tmp:
        database_url, drop = fresh_database(args, Path(tmp))
        try:
            run(args, database_url, Path(tmp))
        finally:
            if drop:
                drop()


def run(args: argparse.Namespace, database_url: str, data_dir: Path) -> None:
    prepare_database(database_url, args.shipments)
    pushes, distinct = make_pushes(args.shipments)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.courier_webhook",
            "--serve",
            str(args.port),
            database_url,
            str(data_dir),
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.post(f"{base}/null/sf", data={}, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("bench server did not start") from None
                time.sleep(0.2)
        rates: dict[str, list[float]] = {"null": [], "real": []}
        cpu_ms: dict[str, list[float]] = {"null": [], "real": []}
        for r in range(args.rounds):
            order = ("null", "real") if r % 2 == 0 else ("real", "null")
            for kind in order:
                before = process_cpu_s(server.pid)
                rates[kind].append(asyncio.run(blast(base, kind, pushes, args.concurrency)))
                cpu_ms[kind].append((process_cpu_s(server.pid) - before) * 1000 / len(pushes))
    finally:
        server.terminate()
        server.wait(timeout=10)
    stored = count_events(database_url)
    null, real = statistics.median(rates["null"]), statistics.median(rates["real"])
    result = {
        "database": database_url.split(":", 1)[0],
        "pushes_per_round": len(pushes),
        "distinct_events": distinct,
        "stored_events": stored,
        "concurrency": args.concurrency,
        "null_pushes_per_s": round(null, 1),
        "real_pushes_per_s": round(real, 1),
        "ratio_real_over_null": round(real / null, 3),
        # server CPU per push: what the endpoint costs, robust to other load on the machine
        "null_server_cpu_ms_per_push": round(statistics.median(cpu_ms["null"]), 3),
        "real_server_cpu_ms_per_push": round(statistics.median(cpu_ms["real"]), 3),
        "rounds": {k: [round(v, 1) for v in vs] for k, vs in rates.items()},
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "courier_webhook.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    if stored != distinct:
        raise SystemExit(f"stored {stored} events, expected {distinct}: de-duplication failed")


if __name__ == "__main__":
    main()
