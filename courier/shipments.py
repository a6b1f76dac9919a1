"""Shipments on the application record: booking, pushes, reconciliation, proof of delivery.

Booking is idempotent twice over: the order id sent to the carrier is derived from the
certificate and the attempt (``order_key``), so the carrier answers a retry with the order it
already has, and the shipment row is unique on (carrier, order id), so two processes booking at
once end with one row.

Pushes and route queries go through one door, ``record_events``: events are inserted with
"on conflict do nothing" on (shipment, event key), so a replayed push, Kuaidi100's repeated
history and two identical pushes racing each other all leave one row per event; the shipment's
status is then recomputed from every stored event, ordered by the carrier's event time, so an
out-of-order push never moves a shipment backwards.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases import FieldCipher, append_event
from cases.models import Shipment, ShipmentEvent, utcnow
from courier.errors import ShipmentNotFoundError
from courier.status import ShipmentStatus, TrackingEvent, current_status, merge_events
from courier.types import Carrier, Order, OrderRequest, Party, Push, order_key
from storage import Bucket, ObjectStore, object_key

log = logging.getLogger(__name__)

OPEN = frozenset(
    {
        ShipmentStatus.CREATED,
        ShipmentStatus.PICKED_UP,
        ShipmentStatus.IN_TRANSIT,
        ShipmentStatus.EXCEPTION,
    }
)


@dataclass(frozen=True)
class EventsOutcome:
    """What recording a push (or a route query) did. ``known`` is false for a tracking number
    no shipment has: acknowledged, logged, nothing created."""

    carrier: str
    tracking_number: str
    known: bool
    new_events: int = 0
    shipment_id: int | None = None
    previous: ShipmentStatus | None = None
    status: ShipmentStatus | None = None

    @property
    def changed(self) -> bool:
        return self.status is not None and self.status != self.previous


def order_of(shipment: Shipment) -> Order:
    return Order(
        carrier=shipment.carrier,
        order_id=shipment.order_id,
        tracking_number=shipment.tracking_number or "",
        carrier_ref=shipment.carrier_ref or "",
    )


def recipient_of(shipment: Shipment, cipher: FieldCipher) -> Party | None:
    if shipment.address_enc is None:
        return None
    return Party(**cipher.decrypt_json(shipment.address_enc))


def book_shipment(
    session: Session,
    *,
    carrier: Carrier,
    store: ObjectStore,
    cipher: FieldCipher,
    certificate_id: int,
    sender: Party,
    recipient: Party,
    attempt: int = 1,
    cargo: str = "证照文件",
) -> Shipment:
    """Book (or find the booking of) ``certificate_id``'s attempt ``attempt``: order placed,
    label fetched and stored under ``labels/<carrier>/<waybill>/<sha256>``, row flushed.

    The carrier is called outside any row lock: a slow carrier holds no database resources,
    and the idempotent order id makes a second caller's booking the same booking."""
    order_id = order_key(certificate_id=certificate_id, attempt=attempt)
    found = _shipment_by_order(session, carrier.name, order_id)
    if found is not None:
        return found
    order = carrier.create_order(
        OrderRequest(order_id=order_id, sender=sender, recipient=recipient, cargo=cargo)
    )
    label = carrier.fetch_label(order=order)
    info = store.put_content(
        kind=Bucket.LABELS,
        prefix=object_key(carrier.name, order.tracking_number),
        data=label,
        content_type="application/pdf",
    )
    shipment = Shipment(
        certificate_id=certificate_id,
        carrier=carrier.name,
        order_id=order_id,
        tracking_number=order.tracking_number,
        status=ShipmentStatus.CREATED.value,
        address_enc=cipher.encrypt_json(asdict(recipient)),
        label_key=info.key,
        carrier_ref=order.carrier_ref or None,
        attempt=attempt,
    )
    try:
        with session.begin_nested():
            session.add(shipment)
    except IntegrityError:
        # another process booked the same attempt first: the carrier gave both the same order
        found = _shipment_by_order(session, carrier.name, order_id)
        if found is None:
            raise
        return found
    log.info(
        "courier: booked %s %s for certificate %s (attempt %d)",
        carrier.name,
        order.tracking_number,
        certificate_id,
        attempt,
    )
    return shipment


def prepare_shipment(
    session: Session,
    *,
    carrier_name: str,
    cipher: FieldCipher,
    certificate_id: int,
    recipient: Party,
    attempt: int = 1,
) -> Shipment:
    """The shipment row of a booking still to be made (no tracking number yet): written in
    the caller's transaction with the job that books it, so a crash cannot lose the request.
    Returns the existing row for the same certificate attempt."""
    order_id = order_key(certificate_id=certificate_id, attempt=attempt)
    found = _shipment_by_order(session, carrier_name, order_id)
    if found is not None:
        return found
    shipment = Shipment(
        certificate_id=certificate_id,
        carrier=carrier_name,
        order_id=order_id,
        status=ShipmentStatus.CREATED.value,
        address_enc=cipher.encrypt_json(asdict(recipient)),
        attempt=attempt,
    )
    session.add(shipment)
    session.flush()
    return shipment


def complete_booking(
    session: Session,
    *,
    carrier: Carrier,
    store: ObjectStore,
    cipher: FieldCipher,
    shipment: Shipment,
    sender: Party,
    cargo: str = "证照文件",
) -> Shipment:
    """Book a prepared shipment with its carrier and store its label. Idempotent: the order id
    is the shipment's, so a retried job gets the order the first try made; a shipment with a
    tracking number and a label is left as it is."""
    if shipment.carrier != carrier.name:
        raise ValueError(f"shipment of {shipment.carrier} booked through {carrier.name}")
    if shipment.tracking_number and shipment.label_key:
        return shipment
    recipient = recipient_of(shipment, cipher)
    if recipient is None:
        raise ValueError(f"shipment {shipment.id} has no recipient")
    order = carrier.create_order(
        OrderRequest(order_id=shipment.order_id, sender=sender, recipient=recipient, cargo=cargo)
    )
    label = carrier.fetch_label(order=order)
    info = store.put_content(
        kind=Bucket.LABELS,
        prefix=object_key(carrier.name, order.tracking_number),
        data=label,
        content_type="application/pdf",
    )
    shipment.tracking_number = order.tracking_number
    shipment.carrier_ref = order.carrier_ref or None
    shipment.label_key = info.key
    session.flush()
    log.info("courier: booked %s %s (%s)", carrier.name, order.tracking_number, shipment.order_id)
    return shipment


def _shipment_by_order(session: Session, carrier: str, order_id: str) -> Shipment | None:
    return session.execute(
        select(Shipment).where(Shipment.carrier == carrier, Shipment.order_id == order_id)
    ).scalar_one_or_none()


def find_shipment(session: Session, *, carrier: str, tracking_number: str) -> Shipment | None:
    return session.execute(
        select(Shipment).where(
            Shipment.carrier == carrier, Shipment.tracking_number == tracking_number
        )
    ).scalar_one_or_none()


def _insert_ignoring_duplicates(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert event rows in one statement, skipping any (shipment, event key) already stored
    (or stored by a concurrent push meanwhile); returns how many were new."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert: Any = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:  # pragma: no cover - the two databases the project runs on are above
        inserted = 0
        for row in rows:
            try:
                with session.begin_nested():
                    session.add(ShipmentEvent(**row))
                inserted += 1
            except IntegrityError:
                pass
        return inserted
    stmt = (
        insert(ShipmentEvent)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["shipment_id", "event_key"])
        .returning(ShipmentEvent.id)
    )
    return len(session.execute(stmt).all())


def record_events(
    session: Session,
    *,
    carrier: str,
    tracking_number: str,
    events: Iterable[TrackingEvent],
    resubscribe: bool = False,
) -> EventsOutcome:
    """Store the new ones of ``events`` for the shipment ``tracking_number`` and recompute its
    status (module doc). Flushed, not committed."""
    shipment = find_shipment(session, carrier=carrier, tracking_number=tracking_number)
    if shipment is None:
        log.warning(
            "courier: %s push for unknown tracking number %s ignored", carrier, tracking_number
        )
        return EventsOutcome(carrier=carrier, tracking_number=tracking_number, known=False)
    previous = ShipmentStatus(shipment.status)
    now = utcnow()
    rows = [
        {
            "shipment_id": shipment.id,
            "event_key": e.key,
            "carrier_code": e.carrier_code[:16],
            "status": e.status.value,
            "occurred_at": e.at,
            "raw": json.loads(json.dumps(dict(e.raw), ensure_ascii=False, default=str)),
            "received_at": now,
        }
        for e in merge_events(events)
    ]
    inserted = _insert_ignoring_duplicates(session, rows)
    stored = session.execute(
        select(ShipmentEvent.occurred_at, ShipmentEvent.status).where(
            ShipmentEvent.shipment_id == shipment.id
        )
    ).all()
    status = current_status((at, ShipmentStatus(s)) for at, s in stored)
    if status != previous:
        shipment.status = status.value
    if resubscribe:
        shipment.needs_resubscribe = True
    session.flush()
    return EventsOutcome(
        carrier=carrier,
        tracking_number=tracking_number,
        known=True,
        new_events=inserted,
        shipment_id=shipment.id,
        previous=previous,
        status=status,
    )


def record_push(session: Session, *, push: Push) -> EventsOutcome:
    return record_events(
        session,
        carrier=push.carrier,
        tracking_number=push.tracking_number,
        events=push.events,
        resubscribe=push.resubscribe,
    )


def reconcile_shipment(
    session: Session, *, carrier: Carrier, shipment: Shipment, cipher: FieldCipher
) -> EventsOutcome:
    """Ask the carrier for the whole route and record what the pushes missed; subscribe again
    when the carrier said it stopped tracking."""
    if shipment.carrier != carrier.name:
        raise ValueError(f"shipment of {shipment.carrier} reconciled through {carrier.name}")
    recipient = recipient_of(shipment, cipher)
    phone = recipient.phone if recipient else ""
    order = order_of(shipment)
    if shipment.needs_resubscribe:
        carrier.subscribe(order=order, phone=phone)
        shipment.needs_resubscribe = False
    events = carrier.query_route(order=order, phone=phone)
    outcome = record_events(
        session, carrier=carrier.name, tracking_number=order.tracking_number, events=events
    )
    shipment.reconciled_at = utcnow()
    session.flush()
    return outcome


def open_shipments(session: Session, *, limit: int = 500) -> list[Shipment]:
    """Shipments not yet delivered or returned, least recently reconciled first."""
    return list(
        session.execute(
            select(Shipment)
            .where(Shipment.status.in_([s.value for s in OPEN]))
            .order_by(Shipment.reconciled_at.is_not(None), Shipment.reconciled_at, Shipment.id)
            .limit(limit)
        ).scalars()
    )


def shipment_events(session: Session, *, shipment_id: int) -> list[dict[str, str]]:
    """The shipment's events as the citizen's page shows them, oldest first."""
    rows = session.execute(
        select(ShipmentEvent)
        .where(ShipmentEvent.shipment_id == shipment_id)
        .order_by(ShipmentEvent.occurred_at, ShipmentEvent.id)
    ).scalars()
    out = []
    for row in rows:
        at = row.occurred_at if row.occurred_at.tzinfo else row.occurred_at.replace(tzinfo=UTC)
        raw = row.raw or {}
        text = str(raw.get("remark") or raw.get("context") or "")
        out.append({"at": at.isoformat(), "status": row.status, "text": text})
    return out


def proof_document(shipment: Shipment, delivered: Mapping[str, Any]) -> bytes:
    """The carrier's signed-for record of a shipment as canonical JSON: what is hashed."""
    body = {
        "carrier": shipment.carrier,
        "order_id": shipment.order_id,
        "tracking_number": shipment.tracking_number,
        "delivered": dict(delivered),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def record_proof(
    session: Session,
    *,
    store: ObjectStore,
    shipment: Shipment,
    data: bytes,
    content_type: str = "application/json",
    application_id: str | None = None,
    actor: str = "courier",
) -> str:
    """Store a proof of delivery (signature image, or the carrier's signed-for record), put its
    SHA-256 on the shipment and into the audit chain; returns the hash. Idempotent on content."""
    digest = hashlib.sha256(data).hexdigest()
    if shipment.proof_sha256 == digest:
        return digest
    info = store.put_content(
        kind=Bucket.ARTEFACTS,
        prefix=object_key(
            "proofs", shipment.carrier, shipment.tracking_number or shipment.order_id
        ),
        data=data,
        content_type=content_type,
    )
    shipment.proof_sha256 = digest
    shipment.proof_key = info.key
    append_event(
        session,
        actor=actor,
        role="courier",
        action="shipment.proof_of_delivery",
        subject_type="application" if application_id else "shipment",
        subject_id=application_id or str(shipment.id),
        data={
            "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number,
            "sha256": digest,
            "object_key": info.key,
        },
    )
    return digest


def delivered_event(session: Session, *, shipment_id: int) -> Mapping[str, Any] | None:
    """The latest ``delivered`` event's carrier record, if any."""
    row = session.execute(
        select(ShipmentEvent)
        .where(
            ShipmentEvent.shipment_id == shipment_id,
            ShipmentEvent.status == ShipmentStatus.DELIVERED.value,
        )
        .order_by(ShipmentEvent.occurred_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        return None
    at = row.occurred_at if row.occurred_at.tzinfo else row.occurred_at.replace(tzinfo=UTC)
    return {"at": at.isoformat(), "code": row.carrier_code, "raw": row.raw}


def get_shipment(session: Session, shipment_id: int) -> Shipment:
    shipment = session.get(Shipment, shipment_id)
    if shipment is None:
        raise ShipmentNotFoundError(detail=f"shipment {shipment_id}")
    return shipment


def now_utc() -> datetime:
    return datetime.now(UTC)


def accept_push(
    session: Session, *, carrier: Carrier, form: Mapping[str, str]
) -> list[EventsOutcome]:
    """A carrier's inbound push, verified (``PushSignatureError`` before anything is read or
    written) and recorded; one outcome per waybill in it. Flushed, not committed."""
    batch = carrier.parse_push(form=form)
    return [record_push(session, push=push) for push in batch.pushes]
