"""Time from a carrier's push to the citizen's page (``GET /api/applications/{id}``) showing it.

    .venv/bin/python -m bench.courier_push_to_page [--shipments N] [--carrier sf|kuaidi100]

The service runs on embedded defaults in a temporary folder, served by uvicorn on loopback,
with the simulator carrier mounted in it and stepping only when told. For each shipment
(booked through ``POST /api/applications/{id}/delivery``, the booking job, the simulator) the
bench asks the simulator for the next step; the simulator signs and sends the push to the
service's push route; the bench polls the citizen's application JSON every 5 ms until its
``delivery`` shows the step (its ``status``, or a new entry in ``events`` where the page lists
them). Reported: median and p95 of push-sent → page-shows-it over every status-changing step,
and the push route's own answer time (the service commits before it answers, so the page can
show a push as soon as the carrier has its acknowledgement).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from api.app import create_app
from bench.harness import embedded_settings as make_settings
from bench.harness import free_port
from cases import State, move, transaction
from cases.models import Application
from courier import CourierSettings
from courier.settings import embedded_defaults
from courier.simulator import ServerThread
from jobs import JobsSettings
from jobs.issuing import issue_certificate
from signing import SigningSettings

RECIPIENT = {
    "name": "欧阳娜娜",
    "phone": "13912345678",
    "province": "浙江省",
    "city": "宁波市",
    "district": "鄞州区",
    "address": "天童南路588号A座1203",
}


def shown(client: httpx.Client, url: str, auth: dict[str, str]) -> tuple[str, int, str]:
    body = client.get(url, headers=auth).json()
    d = body.get("delivery") or {}
    return str(d.get("status")), len(d.get("events") or []), str(body.get("state"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shipments", type=int, default=10)
    parser.add_argument("--carrier", default="kuaidi100", choices=["sf", "kuaidi100"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        settings = dataclasses.replace(
            make_settings(Path(tmp), public_base_url=url),
            jobs=JobsSettings(warm_up=False, poll_s=0.2),
            signing=SigningSettings(level="B-B"),
            courier=CourierSettings(
                **embedded_defaults(url), simulator_step_s=0, reconcile_interval_s=3600
            ),  # type: ignore[arg-type]
        )
        app = create_app(settings)
        server = ServerThread(app, port=port, lifespan="on").start()
        try:
            result = run(args, url, app.state.services)
        finally:
            server.stop()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"courier_push_to_page_{args.carrier}.json").write_text(json.dumps(result, indent=2))


def run(args: argparse.Namespace, url: str, services: Any) -> dict[str, Any]:
    client = httpx.Client(timeout=30)
    client.post(
        f"{url}/api/auth/register",
        json={"username": "bench", "password": "bench-pass-1", "name": "市民"},
    )
    token = client.post(
        f"{url}/api/auth/token", data={"username": "bench", "password": "bench-pass-1"}
    ).json()
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    latencies: list[float] = []
    acks: list[float] = []
    by_events = 0
    for _ in range(args.shipments):
        app_id = client.post(
            f"{url}/api/applications",
            json={"matter": "second-hand-house-transfer", "answers": {}},
            headers=auth,
        ).json()["id"]
        with transaction(services.sessions) as s:
            a = s.get(Application, app_id)
            for state in (State.PRECHECKING, State.READY, State.APPROVED):
                move(s, a, state, actor="bench", role="reviewer")
        issue_certificate(services.job_context, application_id=app_id)
        r = client.post(
            f"{url}/api/applications/{app_id}/delivery",
            json={"method": "courier", "carrier": args.carrier, "recipient": RECIPIENT},
            headers=auth,
        )
        assert r.status_code == 201, r.text
        page = f"{url}/api/applications/{app_id}"
        deadline = time.monotonic() + 60
        while shown(client, page, auth)[2] != "shipped":
            if time.monotonic() > deadline:
                raise SystemExit("booking did not finish")
            time.sleep(0.05)
        with services.sessions() as s:
            from sqlalchemy import select

            from cases.models import Delivery, Shipment

            d = s.scalar(select(Delivery).where(Delivery.application_id == app_id))
            number = s.get(Shipment, d.shipment_id).tracking_number
        for _step in range(5):
            before = shown(client, page, auth)
            t0 = time.perf_counter()
            client.post(
                f"{url}/simulator/_sim/advance", json={"tracking_number": number}
            ).raise_for_status()
            acked = time.perf_counter() - t0  # the push was answered (committed) by then
            while True:
                now = shown(client, page, auth)
                if now[0] != before[0] or now[1] != before[1]:
                    latencies.append(time.perf_counter() - t0)
                    acks.append(acked)
                    by_events += now[1] != before[1]
                    break
                if time.perf_counter() - t0 > 3:
                    break  # a step that changes nothing the page shows (same status, no events)
                time.sleep(0.005)
    client.close()
    ms = sorted(x * 1000 for x in latencies)
    return {
        "carrier": args.carrier,
        "steps_measured": len(ms),
        "steps_seen_by_events": by_events,
        "push_to_page_ms_median": round(statistics.median(ms), 1) if ms else None,
        "push_to_page_ms_p95": round(ms[int(0.95 * (len(ms) - 1))], 1) if ms else None,
        "push_to_page_ms_max": round(ms[-1], 1) if ms else None,
        "push_sent_to_acknowledged_ms_median": round(statistics.median(acks) * 1000, 1)
        if acks
        else None,
    }


if __name__ == "__main__":
    main()
