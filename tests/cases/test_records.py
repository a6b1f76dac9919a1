"""Models, encryption at rest, the audit chain, and constraints, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import os
import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

import cases
from cases.models import (
    Application,
    AuditEvent,
    Certificate,
    Document,
    Shipment,
    ShipmentEvent,
    Upload,
)

ID = "330106198503120016"


@pytest.fixture
def cipher() -> cases.FieldCipher:
    return cases.FieldCipher(base64.b64encode(os.urandom(32)).decode())


def test_id_numbers_are_stored_only_encrypted(
    engine: Engine, sessions: sessionmaker[Session], cipher: cases.FieldCipher
) -> None:
    with cases.transaction(sessions) as s:
        app = cases.create_application(s, matter_id="m", answers={"via_agent": True}, actor="u")
        app.applicant_id_enc = cipher.encrypt(ID.encode())
        app.applicant_id_digest = cipher.lookup_digest(ID)
        up = Upload(
            application_id=app.id,
            slot="seller_id_card",
            filename="a.jpg",
            content_type="image/jpeg",
            size=10,
            sha256="a" * 64,
            object_key="uploads/x/a",
        )
        s.add(up)
        s.flush()
        s.add(
            Document(
                upload_id=up.id,
                sha256=up.sha256,
                doc_type="id_card_front",
                confidence=0.9,
                pages=1,
                quality={"ok": True, "issues": []},
                fields_enc=cipher.encrypt_json({"id_number": {"value": ID}}),
            )
        )
        app_id = app.id
    # nothing in any table holds the number in clear
    with engine.connect() as conn:
        for table in ("applications", "documents", "audit_events"):
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                assert ID not in repr(row)
                assert ID.encode() not in b"".join(
                    v for v in row if isinstance(v, bytes | memoryview)
                )
    with sessions() as s:
        app = cases.get_application(s, app_id)
        assert cipher.decrypt(app.applicant_id_enc or b"").decode() == ID
        found = s.execute(
            select(Application).where(Application.applicant_id_digest == cipher.lookup_digest(ID))
        ).scalar_one()
        assert found.id == app_id
        doc = s.execute(select(Document)).scalar_one()
        assert cipher.decrypt_json(doc.fields_enc)["id_number"]["value"] == ID


def test_ciphertext_is_authenticated(cipher: cases.FieldCipher) -> None:
    blob = bytearray(cipher.encrypt(ID.encode()))
    assert cipher.encrypt(ID.encode()) != bytes(blob)  # fresh nonce each time
    blob[-1] ^= 1
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        cipher.decrypt(bytes(blob))


def test_audit_chain_verifies_and_detects_tampering(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with cases.transaction(sessions) as s:
        app = cases.create_application(s, matter_id="m", answers={}, actor="u1")
        cases.move(s, app, cases.State.PRECHECKING, actor="u1", role="citizen")
        cases.move(s, app, cases.State.NEEDS_REVIEW, actor="system", role="system")
        cases.move(s, app, cases.State.APPROVED, actor="r9", role="reviewer", reason="核对无误")
    with sessions() as s:
        assert cases.verify_chain(s) == 4
        target = s.execute(select(AuditEvent).where(AuditEvent.actor == "r9")).scalar_one().id
    with engine.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.id == target).values(actor="someone-else"))
    with sessions() as s, pytest.raises(cases.AuditChainBrokenError) as err:
        cases.verify_chain(s)
    assert err.value.event_id == target


def test_deleting_an_audit_event_breaks_the_chain(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with cases.transaction(sessions) as s:
        for i in range(3):
            cases.append_event(
                s, actor=f"a{i}", role="system", action="x", subject_type="t", subject_id="1"
            )
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE actor = 'a1'"))
    with sessions() as s, pytest.raises(cases.AuditChainBrokenError):
        cases.verify_chain(s)


def test_audit_chain_cannot_fork(sessions: sessionmaker[Session]) -> None:
    """Two writers appending on the same head: the database refuses the second."""
    with cases.transaction(sessions) as s:
        cases.append_event(
            s, actor="a", role="system", action="x", subject_type="t", subject_id="1"
        )
    s1, s2 = sessions(), sessions()
    try:
        s1.begin()
        s2.begin()
        head = s1.execute(
            select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
        ).scalar_one()
        for s, actor in ((s1, "b"), (s2, "c")):
            s.add(
                AuditEvent(
                    at=datetime.now(UTC),
                    actor=actor,
                    role="r",
                    action="x",
                    subject_type="t",
                    subject_id="1",
                    data={},
                    prev_hash=head,
                    hash=actor * 64,
                )
            )
        s1.commit()
        with pytest.raises(IntegrityError):
            s2.commit()
    finally:
        s1.close()
        s2.close()


def test_concurrent_update_of_an_application_is_refused(sessions: sessionmaker[Session]) -> None:
    with cases.transaction(sessions) as s:
        app_id = cases.create_application(s, matter_id="m", answers={}, actor="u").id
    s1, s2 = sessions(), sessions()
    try:
        a1, a2 = cases.get_application(s1, app_id), cases.get_application(s2, app_id)
        a1.applicant_name = "张三"
        s1.commit()
        a2.applicant_name = "李四"
        with pytest.raises(StaleDataError):
            s2.commit()
    finally:
        s1.close()
        s2.close()


def test_certificate_identifier_and_shipment_events_are_unique(
    sessions: sessionmaker[Session],
) -> None:
    with cases.transaction(sessions) as s:
        cert = Certificate(
            identifier="1.2.156.3005.2.11100000000000000X.330100000000000000.0001.001.K",
            name="不动产权证书",
            type_code="11100000000000000X",
            number="浙(2026)杭州市不动产权第0000001号",
            serial="0001",
            holder_name="张三",
            issuer_name="杭州市不动产登记中心",
            issuer_code="12330100000000000X",
            issued_on=date(2026, 11, 27),
        )
        s.add(cert)
        s.flush()
        ship = Shipment(certificate_id=cert.id, carrier="sim", order_id="o-1")
        s.add(ship)
        s.flush()
        s.add(
            ShipmentEvent(
                shipment_id=ship.id,
                event_key="k1",
                carrier_code="50",
                status="picked_up",
                occurred_at=datetime.now(UTC),
            )
        )
        identifier, ship_id = cert.identifier, ship.id
    with pytest.raises(IntegrityError), cases.transaction(sessions) as s:
        s.add(
            ShipmentEvent(
                shipment_id=ship_id,
                event_key="k1",
                carrier_code="50",
                status="picked_up",
                occurred_at=datetime.now(UTC),
            )
        )
    with pytest.raises(IntegrityError), cases.transaction(sessions) as s:
        s.add(
            Certificate(
                identifier=identifier,
                name="x",
                type_code="x",
                number="x",
                serial="2",
                holder_name="x",
                issuer_name="x",
                issuer_code="x",
                issued_on=date.today(),
            )
        )


def test_concurrent_audit_appends_all_land_in_one_chain(sessions: sessionmaker[Session]) -> None:
    """Writers that collide retry, as a caller's transaction would; the chain stays linear."""
    errors: list[Exception] = []

    def writer(n: int) -> None:
        for i in range(5):
            for _attempt in range(20):
                try:
                    with cases.transaction(sessions) as s:
                        cases.append_event(
                            s,
                            actor=f"w{n}",
                            role="system",
                            action=f"e{i}",
                            subject_type="t",
                            subject_id=str(n),
                        )
                    break
                except IntegrityError:
                    continue
                except Exception as e:
                    errors.append(e)
                    break

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with sessions() as s:
        assert cases.verify_chain(s) == 15
