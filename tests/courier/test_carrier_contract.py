"""One contract suite, run against both adapters talking to the simulator carrier over HTTP.

Every test books a real order through the adapter's wire format (signed requests the
simulator verifies), and pushes come back signed, over HTTP, into a receiver that verifies and
records them in the database.
"""

from __future__ import annotations

import json
import logging
import time

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from cases.models import Shipment, ShipmentEvent
from courier import (
    Carrier,
    CarrierRejectedError,
    CourierSettings,
    OrderRequest,
    Party,
    ShipmentStatus,
    book_shipment,
    current_status,
    find_shipment,
    order_key,
    reconcile_shipment,
    sf,
)
from courier import kuaidi100 as k100
from courier.simulator import CarrierSimulator, ServerThread
from storage import Bucket, LocalStore
from tests.courier.conftest import CIPHER, RECIPIENT, Receiver, make_certificate

Sim = tuple[CarrierSimulator, ServerThread]
Rec = tuple[Receiver, ServerThread]


def book(
    sessions: sessionmaker[Session], carrier: Carrier, store: LocalStore, sender: Party
) -> Shipment:
    with sessions.begin() as session:
        cert = make_certificate(session)
        return book_shipment(
            session,
            carrier=carrier,
            store=store,
            cipher=CIPHER,
            certificate_id=cert.id,
            sender=sender,
            recipient=RECIPIENT,
        )


def advance(simulator: Sim, number: str, **flags: object) -> dict[str, object]:
    response = httpx.post(
        simulator[1].url + "/_sim/advance", json={"tracking_number": number, **flags}, timeout=10
    )
    response.raise_for_status()
    return response.json()


def events_of(sessions: sessionmaker[Session], shipment_id: int) -> list[ShipmentEvent]:
    with sessions() as session:
        return list(
            session.execute(
                select(ShipmentEvent)
                .where(ShipmentEvent.shipment_id == shipment_id)
                .order_by(ShipmentEvent.occurred_at)
            ).scalars()
        )


def status_of(sessions: sessionmaker[Session], shipment_id: int) -> str:
    with sessions() as session:
        shipment = session.get(Shipment, shipment_id)
        assert shipment is not None
        return shipment.status


def test_order_is_idempotent_under_timeouts_and_5xx(
    carrier: Carrier,
    simulator: Sim,
    sessions: sessionmaker[Session],
    store: LocalStore,
    sender: Party,
) -> None:
    sim = simulator[0]
    # the first answer comes after the client gave up (1 s read timeout), the retry meets a 503,
    # the third try finds the order the first one made
    sim.delay_next_orders, sim.delay_s = 1, 1.6
    sim.fail_next = 0
    shipment = book(sessions, carrier, store, sender)
    assert shipment.tracking_number
    booked = [s for s in sim.shipments.values() if s.order_id == shipment.order_id]
    assert len(booked) == 1, "a retry booked a second courier"
    assert booked[0].tracking_number == shipment.tracking_number

    sim.fail_next = 1
    again = carrier.create_order(
        OrderRequest(order_id=shipment.order_id, sender=sender, recipient=RECIPIENT)
    )
    assert again.tracking_number == shipment.tracking_number
    assert len(sim.shipments) == 1

    # booking the same certificate attempt again finds the row, calls nobody
    with sessions.begin() as session:
        cert_id = shipment.certificate_id
        same = book_shipment(
            session,
            carrier=carrier,
            store=store,
            cipher=CIPHER,
            certificate_id=cert_id,
            sender=sender,
            recipient=RECIPIENT,
        )
        assert same.id == shipment.id
        assert session.scalar(select(func.count()).select_from(Shipment)) == 1
    # a new attempt is a new order
    second = carrier.create_order(
        OrderRequest(
            order_id=order_key(certificate_id=cert_id, attempt=2),
            sender=sender,
            recipient=RECIPIENT,
        )
    )
    assert second.tracking_number != shipment.tracking_number


def test_label_stored_in_object_store_and_retrievable(
    carrier: Carrier,
    simulator: Sim,
    sessions: sessionmaker[Session],
    store: LocalStore,
    sender: Party,
) -> None:
    shipment = book(sessions, carrier, store, sender)
    assert shipment.label_key and shipment.label_key.startswith(f"{carrier.name}/")
    # the recipient is kept encrypted at rest
    assert shipment.address_enc is not None
    assert RECIPIENT.phone.encode() not in shipment.address_enc
    assert RECIPIENT.name.encode() not in shipment.address_enc
    assert CIPHER.decrypt_json(shipment.address_enc)["phone"] == RECIPIENT.phone
    pdf = store.get_bytes(kind=Bucket.LABELS, key=shipment.label_key)
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(__import__("io").BytesIO(pdf)).pages)
    assert shipment.tracking_number in text
    # recipient name and phone are masked on the label
    assert "139****5678" in text
    assert RECIPIENT.phone not in text


def test_pushes_with_duplicates_and_reordering_reach_delivered_once_each(
    carrier: Carrier,
    simulator: Sim,
    receiver: Rec,
    sessions: sessionmaker[Session],
    store: LocalStore,
    sender: Party,
) -> None:
    shipment = book(sessions, carrier, store, sender)
    number = shipment.tracking_number
    assert number
    advance(simulator, number, duplicate=True)  # picked up, pushed twice
    assert status_of(sessions, shipment.id) == ShipmentStatus.PICKED_UP
    advance(simulator, number, reorder=True)  # in transit, held back (SF) / stale snapshot (K100)
    advance(simulator, number)  # arrives before the held one
    advance(simulator, number, duplicate=True)
    advance(simulator, number)  # delivered
    events = events_of(sessions, shipment.id)
    assert len(events) == 5
    assert len({e.event_key for e in events}) == 5
    times = [e.occurred_at for e in events]
    assert times == sorted(times)
    assert [e.status for e in events] == [
        "picked_up",
        "in_transit",
        "in_transit",
        "in_transit",
        "delivered",
    ]
    assert status_of(sessions, shipment.id) == ShipmentStatus.DELIVERED
    assert all(code == 200 for _, code in receiver[0].seen)


def test_lost_push_is_recovered_by_reconciliation(
    carrier: Carrier,
    simulator: Sim,
    sessions: sessionmaker[Session],
    store: LocalStore,
    sender: Party,
) -> None:
    shipment = book(sessions, carrier, store, sender)
    number = shipment.tracking_number
    assert number
    for _ in range(4):
        advance(simulator, number)
    result = advance(simulator, number, lose=True)  # the delivery happened; its push never came
    assert result["results"][0]["lost"] is True
    assert status_of(sessions, shipment.id) == ShipmentStatus.IN_TRANSIT
    with sessions.begin() as session:
        row = session.get(Shipment, shipment.id)
        assert row is not None
        outcome = reconcile_shipment(session, carrier=carrier, shipment=row, cipher=CIPHER)
    assert outcome.new_events == 1
    assert outcome.status == ShipmentStatus.DELIVERED
    assert status_of(sessions, shipment.id) == ShipmentStatus.DELIVERED
    assert len(events_of(sessions, shipment.id)) == 5
    # reconciling again finds nothing new
    with sessions.begin() as session:
        row = session.get(Shipment, shipment.id)
        assert row is not None
        assert (
            reconcile_shipment(session, carrier=carrier, shipment=row, cipher=CIPHER).new_events
            == 0
        )


def forged(carrier_name: str, form: dict[str, str]) -> list[dict[str, str]]:
    """Ways to forge a real push: body changed, signature of another secret, none at all."""
    body_field = "msgData" if carrier_name == "sf" else "param"
    sign_field = "msgDigest" if carrier_name == "sf" else "sign"
    changed = dict(form)
    changed[body_field] = form[body_field].replace("}", " }", 1)  # same JSON, other bytes
    if carrier_name == "sf":
        other = sf.sign_push_form(
            form["msgData"], check_word="not-the-secret", timestamp=form["timestamp"]
        )
    else:
        other = {"param": form["param"], "sign": k100.push_sign(form["param"], "not-the-salt")}
    missing = {k: v for k, v in form.items() if k != sign_field}
    return [changed, other, missing]


def test_forged_push_is_refused_and_nothing_recorded(
    carrier: Carrier,
    simulator: Sim,
    receiver: Rec,
    sessions: sessionmaker[Session],
    store: LocalStore,
    sender: Party,
    caplog: pytest.LogCaptureFixture,
) -> None:
    shipment = book(sessions, carrier, store, sender)
    number = shipment.tracking_number
    assert number
    advance(simulator, number)
    ship = simulator[0].shipments[number]
    assert ship.last_push is not None
    real = dict(ship.last_push)
    # a forger rewrites the newest step as delivered
    if carrier.name == "sf":
        body = json.loads(real["msgData"])
        body["Body"]["WaybillRoute"][0].update(
            opCode="80", remark="已签收", acceptTime="2030-01-01 00:00:00"
        )
        real = {**real, "msgData": sf.dumps(body)}  # signature of the original kept
    else:
        body = json.loads(real["param"])
        body["lastResult"]["state"] = "3"
        body["lastResult"]["data"][0]["context"] = "已签收"
        real = {**real, "param": json.dumps(body, ensure_ascii=False)}
    url = receiver[1].url + (
        "/api/courier/sf/push" if carrier.name == "sf" else "/api/courier/kuaidi100/callback"
    )
    before = len(events_of(sessions, shipment.id))
    with caplog.at_level(logging.DEBUG):
        for form in [real, *forged(carrier.name, dict(ship.last_push))]:
            response = httpx.post(url, data=form, timeout=5)
            assert response.status_code == 401, form
            assert response.json()["error"] == "invalid_signature"
    assert len(events_of(sessions, shipment.id)) == before
    assert status_of(sessions, shipment.id) == ShipmentStatus.PICKED_UP
    secrets_ = ["dev-only-sf-checkword-change-me", "dev-only-kuaidi100-salt-change-me"]
    assert not any(s in caplog.text for s in secrets_)


def test_replayed_push_is_acknowledged_without_a_duplicate(
    carrier: Carrier,
    simulator: Sim,
    receiver: Rec,
    sessions: sessionmaker[Session],
    store: LocalStore,
    sender: Party,
) -> None:
    shipment = book(sessions, carrier, store, sender)
    number = shipment.tracking_number
    assert number
    advance(simulator, number)
    advance(simulator, number)
    before = events_of(sessions, shipment.id)
    for _ in range(3):
        response = httpx.post(simulator[1].url + "/_sim/replay", json={"tracking_number": number})
        assert response.json()["status"] == 200
    assert len(events_of(sessions, shipment.id)) == len(before) == 2


def test_push_for_unknown_tracking_number_is_acknowledged_and_creates_nothing(
    carrier: Carrier,
    settings: CourierSettings,
    receiver: Rec,
    sessions: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    if carrier.name == "sf":
        msg = sf.dumps(
            {
                "Body": {
                    "WaybillRoute": [
                        {
                            "mailno": "SF0000000000",
                            "orderid": "x",
                            "acceptTime": "2026-12-01 10:00:00",
                            "remark": "已签收",
                            "opCode": "80",
                        }
                    ]
                }
            }
        )
        form = sf.sign_push_form(
            msg, check_word=settings.sf_checkword.get_secret_value(), timestamp="1764554400000"
        )
        url = receiver[1].url + "/api/courier/sf/push"
        ack = {"return_code": "0000", "return_msg": "成功"}
    else:
        param = json.dumps(
            {
                "status": "polling",
                "lastResult": {
                    "nu": "9800000000",
                    "com": "ems",
                    "state": "3",
                    "ischeck": "1",
                    "data": [
                        {"time": "2026-12-01 10:00:00", "context": "已签收", "status": "签收"}
                    ],
                },
            },
            ensure_ascii=False,
        )
        form = {
            "param": param,
            "sign": k100.push_sign(param, settings.kuaidi100_salt.get_secret_value()),
        }
        url = receiver[1].url + "/api/courier/kuaidi100/callback"
        ack = {"result": True, "returnCode": "200", "message": "成功"}
    with caplog.at_level(logging.WARNING, logger="courier.shipments"):
        response = httpx.post(url, data=form, timeout=5)
    assert response.status_code == 200
    assert response.json() == ack
    assert "unknown tracking number" in caplog.text
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Shipment)) == 0
        assert session.scalar(select(func.count()).select_from(ShipmentEvent)) == 0


def test_chinese_addresses_reach_the_carrier_intact_and_signed(
    carrier: Carrier,
    simulator: Sim,
    sessions: sessionmaker[Session],
    store: LocalStore,
    sender: Party,
) -> None:
    """The simulator recomputes each request's signature from the form it decoded: a request
    whose Chinese text, spaces, ``+``, ``~``, ``*`` or ``&`` were signed differently from how
    they travel would be refused, and the stored recipient would differ."""
    shipment = book(sessions, carrier, store, sender)
    assert shipment.tracking_number
    seen = simulator[0].shipments[shipment.tracking_number].recipient
    assert seen["name"] == RECIPIENT.name
    assert seen["phone"] == RECIPIENT.phone
    assert RECIPIENT.address in seen["address"]


def test_cancel_before_pickup_only(
    carrier: Carrier,
    simulator: Sim,
    sessions: sessionmaker[Session],
    store: LocalStore,
    sender: Party,
) -> None:
    first = carrier.create_order(
        OrderRequest(order_id="PYC-c1-1", sender=sender, recipient=RECIPIENT)
    )
    carrier.cancel_order(order=first)
    assert simulator[0].shipments[first.tracking_number].cancelled
    second = carrier.create_order(
        OrderRequest(order_id="PYC-c2-1", sender=sender, recipient=RECIPIENT)
    )
    advance(simulator, second.tracking_number)
    with pytest.raises(CarrierRejectedError):
        carrier.cancel_order(order=second)


def test_route_query_answers_the_same_events_as_the_pushes(
    carrier: Carrier,
    simulator: Sim,
    sessions: sessionmaker[Session],
    store: LocalStore,
    sender: Party,
) -> None:
    shipment = book(sessions, carrier, store, sender)
    number = shipment.tracking_number
    assert number
    for _ in range(3):
        advance(simulator, number)
    with sessions() as session:
        row = find_shipment(session, carrier=carrier.name, tracking_number=number)
        assert row is not None
        from courier.shipments import order_of

        queried = carrier.query_route(order=order_of(row), phone=RECIPIENT.phone)
    stored = events_of(sessions, shipment.id)
    assert sorted(e.key for e in queried) == sorted(e.event_key for e in stored)
    assert current_status(queried) == ShipmentStatus.IN_TRANSIT


def test_the_simulator_plays_a_shipment_to_delivered_on_its_own(
    carrier: Carrier,
    simulator: Sim,
    sessions: sessionmaker[Session],
    store: LocalStore,
    sender: Party,
) -> None:
    """The embedded default's behaviour: steps on a schedule, pushes with faults at rates; what
    a lost push leaves out, reconciliation fills."""
    sim = simulator[0]
    sim.config.step_seconds = 0.5
    sim.config.duplicate_rate = 0.5
    sim.config.reorder_rate = 0.3
    sim.config.loss_rate = 0.2
    with sessions.begin() as session:
        cert_id = make_certificate(session).id
    with sessions.begin() as session:  # the booking commits before the first step is pushed
        shipment = book_shipment(
            session,
            carrier=carrier,
            store=store,
            cipher=CIPHER,
            certificate_id=cert_id,
            sender=sender,
            recipient=RECIPIENT,
        )
    number = shipment.tracking_number
    assert number
    deadline = time.monotonic() + 30
    while len(sim.shipments[number].happened) < 5:
        assert time.monotonic() < deadline, "the simulator did not play the shipment"
        time.sleep(0.1)
    assert len(sim.shipments[number].pushes) >= 1
    with sessions.begin() as session:
        row = session.get(Shipment, shipment.id)
        assert row is not None
        reconcile_shipment(session, carrier=carrier, shipment=row, cipher=CIPHER)
    assert status_of(sessions, shipment.id) == ShipmentStatus.DELIVERED
    assert len(events_of(sessions, shipment.id)) == 5


def test_a_carrier_that_stopped_tracking_is_subscribed_again_on_reconciliation(
    carrier: Carrier,
    simulator: Sim,
    sessions: sessionmaker[Session],
    store: LocalStore,
    sender: Party,
) -> None:
    shipment = book(sessions, carrier, store, sender)
    number = shipment.tracking_number
    assert number
    ship = simulator[0].shipments[number]
    ship.callback_url = None  # Kuaidi100 forgot the subscription (its ``abort``)
    with sessions.begin() as session:
        row = session.get(Shipment, shipment.id)
        assert row is not None
        row.needs_resubscribe = True
    with sessions.begin() as session:
        row = session.get(Shipment, shipment.id)
        assert row is not None
        reconcile_shipment(session, carrier=carrier, shipment=row, cipher=CIPHER)
        assert row.needs_resubscribe is False and row.reconciled_at is not None
    if carrier.name == "kuaidi100":  # SF pushes every waybill of the partner: nothing to renew
        assert ship.callback_url and ship.callback_url.endswith("/api/courier/kuaidi100/callback")
        advance(simulator, number)
        assert status_of(sessions, shipment.id) == ShipmentStatus.PICKED_UP
