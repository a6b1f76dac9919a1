"""Pickup codes (one-time, hashed, expiring, locking) and proof of delivery, on SQLite and
PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

import cases
from cases.models import Application, AuditEvent, PickupCode, Shipment, ShipmentEvent
from courier import (
    PickupCodeError,
    ShipmentStatus,
    TrackingEvent,
    current_code,
    delivered_event,
    issue_pickup_code,
    proof_document,
    record_events,
    record_proof,
    redeem_pickup_code,
)
from storage import Bucket, LocalStore
from tests.courier.conftest import CIPHER, make_certificate

SECRET = b"pickup-secret-for-tests-0123456789"


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    eng = cases.make_engine(cases.DatabaseSettings(url=database_url), data_dir=tmp_path)
    cases.downgrade(eng, "base")
    cases.upgrade(eng)
    yield eng
    cases.downgrade(eng, "base")
    eng.dispose()


@pytest.fixture
def maker(db: Engine) -> sessionmaker[Session]:
    return cases.make_sessionmaker(db)


def new_application(maker: sessionmaker[Session]) -> str:
    with maker.begin() as session:
        app = Application(matter_id="second-hand-house-transfer", state="issued")
        session.add(app)
        session.flush()
        return app.id


def test_a_code_is_stored_hashed_and_works_once(maker: sessionmaker[Session]) -> None:
    app_id = new_application(maker)
    with maker.begin() as session:
        issued = issue_pickup_code(
            session, application_id=app_id, secret=SECRET, cipher=CIPHER, ttl=timedelta(hours=1)
        )
    assert len(issued.code) == 8 and issued.code.isdigit()
    with maker() as session:
        row = session.execute(select(PickupCode)).scalar_one()
        assert issued.code not in row.code_hash
        assert row.code_hash != hashlib.sha256(issued.code.encode()).hexdigest()  # keyed, not plain
        assert current_code(session, application_id=app_id, cipher=CIPHER) == issued.code
    with maker.begin() as session:
        assert redeem_pickup_code(session, code=issued.code, secret=SECRET) == app_id
    with maker.begin() as session, pytest.raises(PickupCodeError):
        redeem_pickup_code(session, code=issued.code, secret=SECRET)
    with maker() as session:
        assert current_code(session, application_id=app_id, cipher=CIPHER) is None


def test_codes_expire_and_a_new_code_revokes_the_old(maker: sessionmaker[Session]) -> None:
    app_id = new_application(maker)
    past = datetime.now(UTC) - timedelta(hours=2)
    with maker.begin() as session:
        stale = issue_pickup_code(
            session,
            application_id=app_id,
            secret=SECRET,
            cipher=CIPHER,
            ttl=timedelta(hours=1),
            now=past,
        )
    with maker.begin() as session, pytest.raises(PickupCodeError):
        redeem_pickup_code(session, code=stale.code, secret=SECRET)
    with maker.begin() as session:
        old = issue_pickup_code(
            session, application_id=app_id, secret=SECRET, cipher=CIPHER, ttl=timedelta(hours=1)
        )
        new = issue_pickup_code(
            session, application_id=app_id, secret=SECRET, cipher=CIPHER, ttl=timedelta(hours=1)
        )
    with maker.begin() as session, pytest.raises(PickupCodeError):
        redeem_pickup_code(session, code=old.code, secret=SECRET)
    with maker.begin() as session:
        assert (
            redeem_pickup_code(session, code=new.code, secret=SECRET, application_id=app_id)
            == app_id
        )


def test_wrong_tries_lock_the_code(maker: sessionmaker[Session]) -> None:
    app_id = new_application(maker)
    with maker.begin() as session:
        issued = issue_pickup_code(
            session, application_id=app_id, secret=SECRET, cipher=CIPHER, ttl=timedelta(hours=1)
        )
    wrong = f"{(int(issued.code) + 1) % 10**8:08d}"
    for _ in range(3):
        with maker.begin() as session, pytest.raises(PickupCodeError):
            redeem_pickup_code(
                session, code=wrong, secret=SECRET, application_id=app_id, max_attempts=3
            )
    with maker.begin() as session, pytest.raises(PickupCodeError):
        redeem_pickup_code(
            session, code=issued.code, secret=SECRET, application_id=app_id, max_attempts=3
        )


@pytest.mark.postgres
def test_two_windows_redeeming_at_once_succeed_once(postgres_database: str, tmp_path: Path) -> None:
    eng = cases.make_engine(cases.DatabaseSettings(url=postgres_database), data_dir=tmp_path)
    cases.downgrade(eng, "base")
    cases.upgrade(eng)
    try:
        maker = cases.make_sessionmaker(eng)
        app_id = new_application(maker)
        with maker.begin() as session:
            issued = issue_pickup_code(
                session, application_id=app_id, secret=SECRET, cipher=CIPHER, ttl=timedelta(hours=1)
            )
        results: list[str] = []
        barrier = threading.Barrier(4)

        def window() -> None:
            barrier.wait()
            try:
                with maker.begin() as session:
                    redeem_pickup_code(session, code=issued.code, secret=SECRET)
                results.append("ok")
            except PickupCodeError:
                results.append("refused")

        threads = [threading.Thread(target=window) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["ok", "refused", "refused", "refused"]
    finally:
        cases.downgrade(eng, "base")
        eng.dispose()


def delivered(minute: int) -> TrackingEvent:
    return TrackingEvent(
        at=datetime(2026, 12, 1, 3, minute, tzinfo=UTC),
        carrier_code="80",
        status=ShipmentStatus.DELIVERED,
        text="已签收",
        raw={"opCode": "80", "remark": "已签收"},
    )


def test_proof_of_delivery_is_stored_and_its_hash_chained_into_the_audit_trail(
    maker: sessionmaker[Session], tmp_path: Path
) -> None:
    store = LocalStore(
        tmp_path / "objects",
        presign_secret=b"test-presign-secret-0123",
        public_base_url="http://127.0.0.1:1",
        max_object_size=1 << 20,
        certificate_retention=timedelta(days=1),
    )
    with maker.begin() as session:
        cert = make_certificate(session)
        shipment = Shipment(
            certificate_id=cert.id, carrier="sf", order_id="PYC-1-1", tracking_number="SF1"
        )
        session.add(shipment)
        session.flush()
        outcome = record_events(session, carrier="sf", tracking_number="SF1", events=[delivered(5)])
        assert outcome.changed and outcome.status is ShipmentStatus.DELIVERED
        record = delivered_event(session, shipment_id=shipment.id)
        assert record is not None
        doc = proof_document(shipment, record)
        digest = record_proof(
            session, store=store, shipment=shipment, data=doc, application_id=cert.application_id
        )
        assert (
            record_proof(session, store=store, shipment=shipment, data=doc) == digest
        )  # idempotent
    assert digest == hashlib.sha256(doc).hexdigest()
    with maker() as session:
        row = session.get(Shipment, shipment.id)
        assert row is not None and row.proof_sha256 == digest
        assert store.get_bytes(kind=Bucket.ARTEFACTS, key=row.proof_key or "") == doc
        audit = (
            session.execute(
                select(AuditEvent).where(AuditEvent.action == "shipment.proof_of_delivery")
            )
            .scalars()
            .all()
        )
        assert len(audit) == 1 and audit[0].data["sha256"] == digest
        assert audit[0].subject_id == cert.application_id
        assert cases.verify_chain(session) >= 1


def test_the_same_push_recorded_concurrently_leaves_one_row_per_event(
    maker: sessionmaker[Session],
) -> None:
    with maker.begin() as session:
        cert = make_certificate(session)
        session.add(
            Shipment(
                certificate_id=cert.id, carrier="sf", order_id="PYC-1-1", tracking_number="SF2"
            )
        )
    events = [
        TrackingEvent(
            at=datetime(2026, 12, 1, 3, m, tzinfo=UTC),
            carrier_code="31",
            status=ShipmentStatus.IN_TRANSIT,
            text=f"到达 {m}",
        )
        for m in range(10)
    ]
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def push() -> None:
        barrier.wait()
        try:
            for _ in range(3):
                with maker.begin() as session:
                    record_events(session, carrier="sf", tracking_number="SF2", events=events)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=push) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with maker() as session:
        assert len(session.execute(select(ShipmentEvent)).scalars().all()) == 10
