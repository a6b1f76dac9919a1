"""What carriers take and give, and the ``Carrier`` protocol every adapter implements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from courier.status import TrackingEvent


@dataclass(frozen=True)
class Party:
    """A sender or recipient: a validated mainland address (see ``courier.addresses``)."""

    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str

    def masked(self) -> dict[str, str]:
        """Name and phone as they may appear in logs and lists: 张* / 138****1234."""
        name = self.name[:1] + "*" * max(len(self.name) - 1, 1)
        phone = self.phone[:3] + "****" + self.phone[-4:] if len(self.phone) >= 7 else "****"
        return {"name": name, "phone": phone, "city": self.city, "district": self.district}


@dataclass(frozen=True)
class OrderRequest:
    """One booking. ``order_id`` is the idempotency key sent to the carrier: derived from the
    certificate and the attempt (``order_key``), so a retry of the same attempt can never book
    a second courier, and a new attempt (after a cancel or a return) is a new order."""

    order_id: str
    sender: Party
    recipient: Party
    cargo: str = "证照文件"
    remark: str = ""


def order_key(*, certificate_id: int | str, attempt: int) -> str:
    """``PYC-<certificate>-<attempt>``: stable across retries, restarts and processes."""
    if attempt < 1:
        raise ValueError("attempt starts at 1")
    return f"PYC-{certificate_id}-{attempt}"


@dataclass(frozen=True)
class Order:
    """A booked shipment: the carrier's waybill number and its own order reference."""

    carrier: str
    order_id: str
    tracking_number: str
    carrier_ref: str = ""  # SF: none; Kuaidi100: taskId (needed to reprint a label)
    label_url: str = ""


@dataclass(frozen=True)
class Push:
    """A verified inbound push, parsed. ``resubscribe`` asks the caller to subscribe again
    (Kuaidi100 ``abort``: tracking stopped before the parcel was signed for)."""

    carrier: str
    tracking_number: str
    events: tuple[TrackingEvent, ...]
    order_id: str | None = None
    resubscribe: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PushBatch:
    """One HTTP push may carry several waybills (SF sends a list of routes)."""

    carrier: str
    pushes: tuple[Push, ...]


class Carrier(Protocol):
    """A courier company, spoken to over its own wire format. All arguments keyword-only.

    Implementations are immutable after construction and safe to share between threads; the
    HTTP client is injected. Secrets never appear in an error or a log line.
    """

    @property
    def name(self) -> str:
        """``sf`` or ``kuaidi100`` (the ``carrier`` column and the route names)."""
        ...

    def create_order(self, request: OrderRequest) -> Order:
        """Book a pickup. Idempotent on ``request.order_id``: calling again (after a timeout,
        a crash, a retry) answers the order already booked, never a second one."""
        ...

    def cancel_order(self, *, order: Order, reason: str = "") -> None:
        """Cancel before pickup. Cancelling an order already cancelled is not an error."""
        ...

    def fetch_label(self, *, order: Order) -> bytes:
        """The waybill label as PDF bytes (recipient name and phone masked where the carrier
        allows it)."""
        ...

    def query_route(self, *, order: Order, phone: str = "") -> list[TrackingEvent]:
        """The full route as the carrier knows it now (reconciliation fills lost pushes)."""
        ...

    def subscribe(self, *, order: Order, phone: str = "") -> None:
        """Ask for route pushes to the service's callback (no-op where booking implies it)."""
        ...

    def parse_push(self, *, form: Mapping[str, str]) -> PushBatch:
        """Verify an inbound push's signature (``PushSignatureError`` when it does not verify:
        nothing of it may be recorded) and parse it."""
        ...

    def acknowledge(self) -> dict[str, Any]:
        """The JSON body the carrier expects once a push is accepted."""
        ...
