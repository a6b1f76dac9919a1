"""Delivery use cases: the citizen's choice (window pickup or courier), booking the shipment,
carrier pushes, reconciliation, and the application's ``issued → shipped → delivered``.

The service reaches these through hooks on ``JobContext.extras`` (built in ``api.services``):

- ``extras["courier"](s, application, cert, *, carrier, recipient) -> Delivery``: the recipient
  is validated (``courier.InvalidAddressError``), the shipment row and the delivery are written
  and the ``book_shipment`` job is enqueued in the caller's transaction (the carrier is called
  by the job, never inside the citizen's request);
- ``extras["pickup"](s, application) -> Delivery``: a one-time pickup code (``courier.pickup``:
  stored as an HMAC, an encrypted copy for the owner's page);
- ``extras["delivery_view"](s, delivery) -> dict``: the ``delivery`` of the Application JSON.

Jobs: ``book_shipment(shipment_id)`` (idempotent: the carrier order id is the shipment's) and
``reconcile_shipments()`` (route queries fill what lost pushes left out; it re-enqueues itself
while shipments are open). Push routes call :func:`accept_push`.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import courier
from cases import State, move
from cases.db import transaction
from cases.models import Application, Certificate, Delivery, Job, Shipment
from courier import (
    Carrier,
    CourierSettings,
    EventsOutcome,
    Party,
    ShipmentStatus,
    UnknownCarrierError,
)
from jobs import outbox
from jobs.context import JobContext

log = logging.getLogger(__name__)

ACTOR = "courier"
PUSH_ATTEMPTS = 5
ROLE = "system"


@dataclass(frozen=True)
class CourierRuntime:
    """The courier parts a process needs (built once from settings in ``api.services``)."""

    settings: CourierSettings
    carriers: Mapping[str, Carrier]
    sender: Party

    @property
    def pickup_secret(self) -> bytes:
        return self.settings.pickup_secret.get_secret_value().encode()


def runtime(ctx: JobContext) -> CourierRuntime:
    rt = ctx.extras.get("courier_runtime")
    if rt is None:
        raise courier.CarrierUnavailableError(detail="no courier runtime in the job context")
    return rt


def carrier_of(ctx: JobContext, name: str) -> Carrier:
    carriers = runtime(ctx).carriers
    if name not in carriers:
        raise UnknownCarrierError(name)
    return carriers[name]


# ---- the citizen's choice ---------------------------------------------------------------------


def request_courier(
    ctx: JobContext,
) -> Callable[..., Delivery]:
    """The ``extras["courier"]`` hook (module doc)."""

    def request(
        s: Session,
        application: Application,
        cert: Certificate,
        *,
        carrier: str | None,
        recipient: Mapping[str, str],
    ) -> Delivery:
        name = carrier or "kuaidi100"
        carrier_of(ctx, name)  # an unknown carrier is refused before anything is written
        party = courier.validate_recipient(
            name=str(recipient.get("name", "")),
            phone=str(recipient.get("phone", "")),
            province=str(recipient.get("province", "")),
            city=str(recipient.get("city", "")),
            district=str(recipient.get("district", "")),
            address=str(recipient.get("address", "")),
        )
        shipment = courier.prepare_shipment(
            s, carrier_name=name, cipher=ctx.cipher, certificate_id=cert.id, recipient=party
        )
        delivery = Delivery(
            application_id=application.id,
            method="courier",
            carrier=name,
            status=ShipmentStatus.CREATED.value,
            shipment_id=shipment.id,
        )
        s.add(delivery)
        s.flush()
        outbox.enqueue(s, "book_shipment", shipment_id=shipment.id)
        log.info("delivery: %s shipment %s requested for %s", name, shipment.id, application.id)
        return delivery

    return request


def request_pickup(ctx: JobContext) -> Callable[[Session, Application], Delivery]:
    """The ``extras["pickup"]`` hook: a delivery by window pickup with a one-time code."""

    def request(s: Session, application: Application) -> Delivery:
        rt = runtime(ctx)
        courier.issue_pickup_code(
            s,
            application_id=application.id,
            secret=rt.pickup_secret,
            cipher=ctx.cipher,
            ttl=timedelta(hours=rt.settings.pickup_ttl_hours),
        )
        delivery = Delivery(application_id=application.id, method="pickup", status="created")
        s.add(delivery)
        s.flush()
        return delivery

    return request


def delivery_view(ctx: JobContext) -> Callable[[Session, Delivery], dict[str, Any]]:
    """The ``extras["delivery_view"]`` hook: the Application JSON's ``delivery``."""

    def view(s: Session, delivery: Delivery) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": delivery.method,
            "carrier": delivery.carrier,
            "tracking_number": None,
            "status": delivery.status,
            "events": [],
            "pickup_code": None,
        }
        if delivery.method == "pickup":
            out["pickup_code"] = courier.current_code(
                s, application_id=delivery.application_id, cipher=ctx.cipher
            )
        elif delivery.shipment_id is not None:
            shipment = s.get(Shipment, delivery.shipment_id)
            if shipment is not None:
                out["tracking_number"] = shipment.tracking_number
                out["status"] = shipment.status
                out["events"] = courier.shipment_events(s, shipment_id=shipment.id)
        return out

    return view


def install(ctx: JobContext, rt: CourierRuntime) -> None:
    """Put the runtime and the three hooks on ``ctx.extras`` (called by ``api.services``)."""
    ctx.extras["courier_runtime"] = rt
    ctx.extras["courier"] = request_courier(ctx)
    ctx.extras["pickup"] = request_pickup(ctx)
    ctx.extras["delivery_view"] = delivery_view(ctx)


# ---- jobs -------------------------------------------------------------------------------------


def _application_of(s: Session, shipment: Shipment) -> Application | None:
    cert = s.get(Certificate, shipment.certificate_id)
    if cert is None or cert.application_id is None:
        return None
    return s.get(Application, cert.application_id)


def _delivery_of(s: Session, shipment: Shipment) -> Delivery | None:
    return s.execute(
        select(Delivery).where(Delivery.shipment_id == shipment.id)
    ).scalar_one_or_none()


def book_shipment(ctx: JobContext, shipment_id: int) -> None:
    """Job: book a prepared shipment with its carrier, store the label, move the application
    to ``shipped``; make sure a reconciliation is scheduled."""
    rt = runtime(ctx)
    with transaction(ctx.sessions) as s:
        shipment = s.get(Shipment, shipment_id)
        if shipment is None:
            log.warning("book_shipment: shipment %s is gone", shipment_id)
            return
        courier.complete_booking(
            s,
            carrier=carrier_of(ctx, shipment.carrier),
            store=ctx.store,
            cipher=ctx.cipher,
            shipment=shipment,
            sender=rt.sender,
        )
        _follow(s, ctx, shipment)
        schedule_reconciliation(s, ctx)


def _follow(s: Session, ctx: JobContext, shipment: Shipment) -> None:
    """Bring the delivery and the application in line with the shipment's status."""
    status = ShipmentStatus(shipment.status)
    delivery = _delivery_of(s, shipment)
    if delivery is not None and delivery.status != status.value:
        delivery.status = status.value
    application = _application_of(s, shipment)
    if application is None:
        return
    data = {"carrier": shipment.carrier, "tracking_number": shipment.tracking_number}
    if application.state == State.ISSUED.value and shipment.tracking_number:
        move(s, application, State.SHIPPED, actor=ACTOR, role=ROLE, data=data)
    if status is ShipmentStatus.DELIVERED:
        if shipment.proof_sha256 is None:
            record = courier.delivered_event(s, shipment_id=shipment.id)
            if record is not None:
                courier.record_proof(
                    s,
                    store=ctx.store,
                    shipment=shipment,
                    data=courier.proof_document(shipment, record),
                    application_id=application.id,
                    actor=shipment.carrier,
                )
        if application.state == State.SHIPPED.value:
            move(
                s,
                application,
                State.DELIVERED,
                actor=ACTOR,
                role=ROLE,
                data={**data, "proof_sha256": shipment.proof_sha256},
            )


def apply_outcomes(s: Session, ctx: JobContext, outcomes: list[EventsOutcome]) -> None:
    for outcome in outcomes:
        if not outcome.known or outcome.shipment_id is None:
            continue
        shipment = s.get(Shipment, outcome.shipment_id)
        if shipment is not None:
            _follow(s, ctx, shipment)


def accept_push(ctx: JobContext, carrier_name: str, form: Mapping[str, str]) -> dict[str, Any]:
    """A push route's work: verify (``PushSignatureError``: nothing written), record, follow,
    commit; the acknowledgement body the carrier expects."""
    carrier = carrier_of(ctx, carrier_name)
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        try:
            with transaction(ctx.sessions) as s:
                outcomes = courier.accept_push(s, carrier=carrier, form=form)
                apply_outcomes(s, ctx, outcomes)
            break
        except IntegrityError:
            # two pushes appending to the audit chain at once: one loses the head (unique
            # prev_hash) and runs again; recording a push is idempotent, so this is safe
            if attempt == PUSH_ATTEMPTS:
                raise
            time.sleep(random.uniform(0.005, 0.05) * attempt)  # noqa: S311 - jitter
    return carrier.acknowledge()


def reconcile_shipments(ctx: JobContext, limit: int = 200) -> None:
    """Job: query the route of every open shipment and record what pushes missed; runs again
    after ``reconcile_interval_s`` while any shipment is open."""
    rt = runtime(ctx)
    with transaction(ctx.sessions) as s:
        ids = [sh.id for sh in courier.open_shipments(s, limit=limit) if sh.tracking_number]
    for shipment_id in ids:
        try:
            with transaction(ctx.sessions) as s:
                shipment = s.get(Shipment, shipment_id)
                if shipment is None or shipment.carrier not in rt.carriers:
                    continue
                outcome = courier.reconcile_shipment(
                    s, carrier=rt.carriers[shipment.carrier], shipment=shipment, cipher=ctx.cipher
                )
                apply_outcomes(s, ctx, [outcome])
        except courier.CourierError as e:
            log.warning("reconcile: shipment %s: %s", shipment_id, e.code)
    with transaction(ctx.sessions) as s:
        if courier.open_shipments(s, limit=1):
            schedule_reconciliation(s, ctx)


def schedule_reconciliation(s: Session, ctx: JobContext) -> None:
    """Enqueue ``reconcile_shipments`` unless one is already waiting (a running one is not
    waiting: it schedules its successor)."""
    waiting = s.execute(
        select(Job.id).where(Job.name == "reconcile_shipments", Job.state == "queued").limit(1)
    ).first()
    if waiting is None:
        outbox.enqueue(s, "reconcile_shipments", delay=runtime(ctx).settings.reconcile_interval_s)


JOBS: dict[str, Callable[..., Any]] = {
    "book_shipment": book_shipment,
    "reconcile_shipments": reconcile_shipments,
}
