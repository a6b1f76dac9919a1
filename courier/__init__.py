"""courier: posting certificates out over the carriers' real protocols, with proof of delivery.

- ``Carrier`` (``courier.types``): create an order idempotently (keyed by certificate and
  attempt), cancel, fetch the label PDF, query the route, subscribe, verify and parse a push,
  acknowledge. ``SfCarrier`` (SF Express open platform) and ``Kuaidi100Carrier`` (Kuaidi100,
  which also books and tracks EMS) implement it; ``courier.simulator`` is a carrier speaking
  both protocols, the embedded default and what the tests drive.
- ``ShipmentStatus`` and the per-carrier code tables (``courier.status``); events de-duplicated
  on (time, text) and ordered by event time.
- ``courier.shipments``: booking on the application record, pushes, reconciliation, proof of
  delivery into the audit chain. ``courier.pickup``: one-time window pickup codes.
- ``courier.addresses``: province / city / district of the whole mainland and mobile numbers,
  validated before an order is placed.
"""

from courier.addresses import ValidAddress, normalize_mobile, validate_division, validate_recipient
from courier.errors import (
    CarrierRejectedError,
    CarrierUnavailableError,
    CourierError,
    InvalidAddressError,
    MalformedPushError,
    PickupCodeError,
    PushSignatureError,
    ShipmentNotFoundError,
    UnknownCarrierError,
)
from courier.factory import (
    KUAIDI100_CALLBACK_PATH,
    SF_PUSH_PATH,
    build_carriers,
    http_client,
    sender_of,
)
from courier.kuaidi100 import Kuaidi100Carrier
from courier.pickup import IssuedCode, current_code, issue_pickup_code, redeem_pickup_code
from courier.settings import CourierSettings
from courier.sf import SfCarrier, sf_digest
from courier.shipments import (
    EventsOutcome,
    accept_push,
    book_shipment,
    complete_booking,
    delivered_event,
    find_shipment,
    open_shipments,
    prepare_shipment,
    proof_document,
    reconcile_shipment,
    record_events,
    record_proof,
    record_push,
    shipment_events,
)
from courier.status import LABELS, ShipmentStatus, TrackingEvent, current_status, merge_events
from courier.types import Carrier, Order, OrderRequest, Party, Push, PushBatch, order_key

__all__ = [
    "KUAIDI100_CALLBACK_PATH",
    "LABELS",
    "SF_PUSH_PATH",
    "Carrier",
    "CarrierRejectedError",
    "CarrierUnavailableError",
    "CourierError",
    "CourierSettings",
    "EventsOutcome",
    "InvalidAddressError",
    "IssuedCode",
    "Kuaidi100Carrier",
    "MalformedPushError",
    "Order",
    "OrderRequest",
    "Party",
    "PickupCodeError",
    "Push",
    "PushBatch",
    "PushSignatureError",
    "SfCarrier",
    "ShipmentNotFoundError",
    "ShipmentStatus",
    "TrackingEvent",
    "UnknownCarrierError",
    "ValidAddress",
    "accept_push",
    "book_shipment",
    "build_carriers",
    "complete_booking",
    "current_code",
    "current_status",
    "delivered_event",
    "find_shipment",
    "http_client",
    "issue_pickup_code",
    "merge_events",
    "normalize_mobile",
    "open_shipments",
    "order_key",
    "prepare_shipment",
    "proof_document",
    "reconcile_shipment",
    "record_events",
    "record_proof",
    "record_push",
    "redeem_pickup_code",
    "sender_of",
    "sf_digest",
    "shipment_events",
    "validate_division",
    "validate_recipient",
]
