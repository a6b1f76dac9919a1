"""Courier delivery through the running service (embedded defaults, real HTTP): the citizen
chooses courier, the booking job books the simulator carrier mounted in the same server, the
carrier's signed pushes come back to the push routes of CONTRACT §5, a lost push is filled by
the reconciliation job, and the application moves ``issued → shipped → delivered`` with the
proof of delivery's hash in the audit chain."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from api.app import create_app
from api.services import Services
from cases import State, move, transaction, verify_chain
from cases.models import (
    Application,
    AuditEvent,
    Delivery,
    Job,
    PickupCode,
    Shipment,
    ShipmentEvent,
)
from courier import CourierSettings, PickupCodeError, redeem_pickup_code, sf
from courier import kuaidi100 as k100
from courier.settings import embedded_defaults
from courier.simulator import ServerThread
from jobs import JobsSettings
from jobs.issuing import issue_certificate
from signing import SigningSettings
from storage import Bucket
from tests.api.conftest import free_port, make_settings

RECIPIENT = {
    "name": "欧阳娜娜",
    "phone": "139 1234 5678",
    "province": "浙江",
    "city": "宁波",
    "district": "鄞州区",
    "address": "天童南路 588号 +A座 ~12楼 *1203 & 收发室",
}


@dataclasses.dataclass
class Service:
    url: str
    services: Services
    courier: CourierSettings

    def citizen(self, username: str) -> dict[str, str]:
        r = httpx.post(
            f"{self.url}/api/auth/register",
            json={"username": username, "password": "citizen-pass-1", "name": "市民"},
        )
        assert r.status_code in (201, 409), r.text
        r = httpx.post(
            f"{self.url}/api/auth/token",
            data={"username": username, "password": "citizen-pass-1"},
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    def issued_application(self, auth: dict[str, str]) -> str:
        r = httpx.post(
            f"{self.url}/api/applications",
            json={"matter": "second-hand-house-transfer", "answers": {}},
            headers=auth,
        )
        assert r.status_code == 201, r.text
        app_id = str(r.json()["id"])
        with transaction(self.services.sessions) as s:
            a = s.get(Application, app_id)
            assert a is not None
            for state in (State.PRECHECKING, State.READY, State.APPROVED):
                move(s, a, state, actor="reviewer", role="reviewer")
        issue_certificate(self.services.job_context, application_id=app_id)
        return app_id

    def get(self, app_id: str, auth: dict[str, str]) -> dict[str, Any]:
        r = httpx.get(f"{self.url}/api/applications/{app_id}", headers=auth)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def sim(self, path: str, **body: Any) -> dict[str, Any]:
        r = httpx.post(f"{self.url}/simulator/_sim/{path}", json=body, timeout=30)
        r.raise_for_status()
        return dict(r.json())


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    data_dir: Path = tmp_path_factory.mktemp("svc")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    courier_settings = CourierSettings(
        **embedded_defaults(url),  # type: ignore[arg-type]
        simulator_step_s=0,  # steps only when a test says so
        reconcile_interval_s=0.5,
        retry_backoff_s=0.05,
    )
    settings = dataclasses.replace(
        make_settings(data_dir, public_base_url=url),
        jobs=JobsSettings(warm_up=False, poll_s=0.2, retry_base_s=0.2),
        signing=SigningSettings(level="B-B"),
        courier=courier_settings,
    )
    app = create_app(settings)
    server = ServerThread(app, port=port, lifespan="on").start()
    try:
        yield Service(url=url, services=app.state.services, courier=courier_settings)
    finally:
        server.stop()


def wait_for(check: Any, timeout: float = 90.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.1)


@pytest.mark.parametrize("carrier", ["kuaidi100", "sf"])
def test_a_courier_delivery_goes_from_issued_to_delivered(service: Service, carrier: str) -> None:
    auth = service.citizen(f"courier-{carrier}")
    app_id = service.issued_application(auth)
    r = httpx.post(
        f"{service.url}/api/applications/{app_id}/delivery",
        json={"method": "courier", "carrier": carrier, "recipient": RECIPIENT},
        headers=auth,
    )
    assert r.status_code == 201, r.text
    assert r.json()["method"] == "courier" and r.json()["carrier"] == carrier

    # the booking job books the carrier: tracking number, label, application shipped
    wait_for(lambda: service.get(app_id, auth)["state"] == "shipped")
    with service.services.sessions() as s:
        delivery = s.scalar(select(Delivery).where(Delivery.application_id == app_id))
        assert delivery is not None and delivery.shipment_id is not None
        shipment = s.get(Shipment, delivery.shipment_id)
        assert shipment is not None and shipment.tracking_number and shipment.label_key
        number = shipment.tracking_number
        label = service.services.store.get_bytes(kind=Bucket.LABELS, key=shipment.label_key)
        assert label.startswith(b"%PDF")

    service.sim("advance", tracking_number=number, duplicate=True)
    service.sim("advance", tracking_number=number, reorder=True)
    service.sim("advance", tracking_number=number, steps=2)
    service.sim("advance", tracking_number=number, lose=True)  # the delivery's push is lost
    # … and the reconciliation job (every 0.5 s here) finds it by route query
    wait_for(lambda: service.get(app_id, auth)["state"] == "delivered")

    with service.services.sessions() as s:
        shipment = s.get(Shipment, delivery.shipment_id)
        assert shipment is not None and shipment.status == "delivered"
        events = s.scalars(
            select(ShipmentEvent).where(ShipmentEvent.shipment_id == shipment.id)
        ).all()
        assert len(events) == 5
        proofs = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "shipment.proof_of_delivery", AuditEvent.subject_id == app_id
            )
        ).all()
        assert len(proofs) == 1 and proofs[0].data["sha256"] == shipment.proof_sha256
        proof = service.services.store.get_bytes(
            kind=Bucket.ARTEFACTS, key=shipment.proof_key or ""
        )
        assert json.loads(proof)["tracking_number"] == number
        states = s.scalars(
            select(AuditEvent.data).where(
                AuditEvent.subject_id == app_id, AuditEvent.action == "application.state_changed"
            )
        ).all()
        assert [d["to"] for d in states][-2:] == ["shipped", "delivered"]
        assert verify_chain(s) > 0
    shown = service.get(app_id, auth)["delivery"]
    assert shown["method"] == "courier" and shown["carrier"] == carrier
    assert shown["tracking_number"] == number and shown["status"] == "delivered"
    assert len(shown["events"]) == 5
    assert shown["events"][0]["status"] == "picked_up"
    assert shown["events"][-1]["status"] == "delivered" and "签收" in shown["events"][-1]["text"]
    assert [e["at"] for e in shown["events"]] == sorted(e["at"] for e in shown["events"])


def test_window_pickup_code_is_stored_hashed_and_works_once(service: Service) -> None:
    auth = service.citizen("pickup-citizen")
    app_id = service.issued_application(auth)
    r = httpx.post(
        f"{service.url}/api/applications/{app_id}/delivery", json={"method": "pickup"}, headers=auth
    )
    assert r.status_code == 201, r.text
    code = r.json()["pickup_code"]
    assert len(code) == 8 and code.isdigit()
    assert service.get(app_id, auth)["delivery"]["pickup_code"] == code
    secret = service.courier.pickup_secret.get_secret_value().encode()
    with service.services.sessions() as s:
        delivery = s.scalar(select(Delivery).where(Delivery.application_id == app_id))
        application = s.get(Application, app_id)
        assert delivery is not None and delivery.pickup_code is None
        assert application is not None and application.pickup_code is None
        row = s.scalar(select(PickupCode).where(PickupCode.application_id == app_id))
        assert row is not None and code not in row.code_hash
    with transaction(service.services.sessions) as s:
        assert redeem_pickup_code(s, code=code, secret=secret) == app_id
    with transaction(service.services.sessions) as s, pytest.raises(PickupCodeError):
        redeem_pickup_code(s, code=code, secret=secret)
    assert service.get(app_id, auth)["delivery"]["pickup_code"] is None


def test_a_wrong_address_is_refused_before_anything_is_written(service: Service) -> None:
    auth = service.citizen("courier-bad-address")
    app_id = service.issued_application(auth)
    with service.services.sessions() as s:
        jobs_before = s.scalar(select(func.count()).select_from(Job))
        shipments_before = s.scalar(select(func.count()).select_from(Shipment))
    r = httpx.post(
        f"{service.url}/api/applications/{app_id}/delivery",
        json={
            "method": "courier",
            "carrier": "sf",
            "recipient": {**RECIPIENT, "district": "西湖区"},
        },
        headers=auth,
    )
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "invalid_address" and r.json()["field"] == "district"
    with service.services.sessions() as s:
        assert s.scalar(select(Delivery).where(Delivery.application_id == app_id)) is None
        assert s.scalar(select(func.count()).select_from(Shipment)) == shipments_before
        assert s.scalar(select(func.count()).select_from(Job)) == jobs_before
    assert service.get(app_id, auth)["state"] == "issued"


def test_push_routes_refuse_forgeries_ignore_replays_and_unknown_numbers(service: Service) -> None:
    salt = service.courier.kuaidi100_salt.get_secret_value()
    param = json.dumps(
        {
            "status": "polling",
            "lastResult": {
                "nu": "98UNKNOWN01",
                "com": "ems",
                "state": "3",
                "ischeck": "1",
                "data": [
                    {
                        "time": "2026-12-01 10:00:00",
                        "context": "【宁波市】 已签收",
                        "status": "签收",
                    }
                ],
            },
        },
        ensure_ascii=False,
    )
    url = f"{service.url}/api/courier/kuaidi100/callback"
    with service.services.sessions() as s:
        before = s.scalar(select(func.count()).select_from(ShipmentEvent))
    forged = httpx.post(url, data={"param": param, "sign": k100.push_sign(param, "guess")})
    assert forged.status_code == 401
    assert forged.json()["error"] == "invalid_signature" and forged.json()["message"]
    for _ in range(2):  # unknown number, and its replay: acknowledged, nothing created
        ok = httpx.post(url, data={"param": param, "sign": k100.push_sign(param, salt)})
        assert ok.status_code == 200
        assert ok.json() == {"result": True, "returnCode": "200", "message": "成功"}

    msg = sf.dumps(
        {
            "Body": {
                "WaybillRoute": [
                    {
                        "mailno": "SFUNKNOWN01",
                        "acceptTime": "2026-12-01 10:00:00",
                        "remark": "已签收",
                        "opCode": "80",
                    }
                ]
            }
        }
    )
    sf_url = f"{service.url}/api/courier/sf/push"
    bad = sf.sign_push_form(msg, check_word="guess", timestamp="1764554400000")
    assert httpx.post(sf_url, data=bad).status_code == 401
    good = sf.sign_push_form(
        msg, check_word=service.courier.sf_checkword.get_secret_value(), timestamp="1764554400000"
    )
    answer = httpx.post(sf_url, data=good)
    assert answer.status_code == 200
    assert answer.json() == {"return_code": "0000", "return_msg": "成功"}
    with service.services.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ShipmentEvent)) == before
        assert (
            s.scalar(
                select(func.count())
                .select_from(Shipment)
                .where(Shipment.tracking_number.in_(["98UNKNOWN01", "SFUNKNOWN01"]))
            )
            == 0
        )
