"""SF Express (顺丰) open platform adapter: the V2 ``/std/service`` protocol.

Every request is a form POST of ``partnerID``, ``requestID`` (a UUID), ``serviceCode``,
``timestamp``, ``msgData`` (JSON text) and ``msgDigest``::

    msgDigest = Base64(MD5(URLEncode(msgData + timestamp + checkWord)))

URLEncode is Java's ``URLEncoder.encode(s, "UTF-8")`` (SF's reference code is Java): UTF-8
bytes percent-encoded, space as ``+``, only ``A-Z a-z 0-9 . - * _`` left as they are. Python's
``quote_plus`` differs on two characters (it keeps ``~``, encodes ``*``), and ports that skip the
encoding altogether sign Chinese text differently from SF: ``java_urlencode`` is the one encoder.

The answer is ``{"apiResultCode": "A1000", "apiResultData": "<JSON text>"}``; inside,
``success``/``errorCode``/``msgData``. Route pushes (路由推送) arrive as the same kind of form,
``msgData`` holding ``{"Body": {"WaybillRoute": [{mailno, orderid, acceptTime, acceptAddress,
remark, opCode, id}, …]}}``, verified with the same digest and acknowledged with
``{"return_code": "0000", "return_msg": "成功"}``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote_plus

import httpx

from courier._http import json_body, request_with_retries
from courier.errors import CarrierRejectedError, MalformedPushError, PushSignatureError
from courier.status import TrackingEvent, map_code, parse_carrier_time
from courier.types import Order, OrderRequest, Party, Push, PushBatch

NAME = "sf"
CREATE_ORDER = "EXP_RECE_CREATE_ORDER"
SEARCH_ORDER = "EXP_RECE_SEARCH_ORDER_RESP"
UPDATE_ORDER = "EXP_RECE_UPDATE_ORDER"
SEARCH_ROUTES = "EXP_RECE_SEARCH_ROUTES"
CLOUD_PRINT = "COM_RECE_CLOUD_PRINT_WAYBILLS"
OK = "A1000"
DUPLICATE_ORDER = "8016"  # 重复下单: the orderId was booked before


def java_urlencode(text: str) -> str:
    """``java.net.URLEncoder.encode(text, "UTF-8")``."""
    return quote_plus(text, safe="*", encoding="utf-8").replace("~", "%7E")


def sf_digest(msg_data: str, timestamp: str, check_word: str) -> str:
    """SF's ``msgDigest`` (module doc)."""
    encoded = java_urlencode(msg_data + timestamp + check_word)
    return base64.b64encode(hashlib.md5(encoded.encode("ascii")).digest()).decode("ascii")  # noqa: S324 - the carrier's scheme


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def contact(party: Party, contact_type: int) -> dict[str, Any]:
    return {
        "contactType": contact_type,  # 1 寄件方, 2 到件方
        "contact": party.name,
        "mobile": party.phone,
        "province": party.province,
        "city": party.city,
        "county": party.district,
        "address": party.address,
        "country": "CN",
    }


def route_event(item: Mapping[str, Any]) -> TrackingEvent:
    code = str(item.get("opCode", ""))
    try:
        at = parse_carrier_time(str(item["acceptTime"]))
    except (KeyError, ValueError) as e:
        raise MalformedPushError(detail="sf route without a valid acceptTime") from e
    return TrackingEvent(
        at=at,
        carrier_code=code,
        status=map_code(NAME, code),
        text=str(item.get("remark", "")),
        location=str(item.get("acceptAddress", "")),
        raw=dict(item),
    )


class SfCarrier:
    """``Carrier`` over SF's V2 protocol. ``check_word`` is the secret; it is kept in a closure
    of this instance only and appears in no repr, error or log line."""

    def __init__(
        self,
        *,
        client: httpx.Client,
        base_url: str,
        partner_id: str,
        check_word: str,
        monthly_card: str,
        express_type: int = 1,
        template_code: str = "fm_150_standard",
        retries: int = 3,
        backoff_s: float = 0.5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not check_word:
            raise ValueError("SF check word is empty")
        self._client = client
        self._url = base_url.rstrip("/") + "/std/service"
        self._partner = partner_id
        self._digest = lambda msg, ts: sf_digest(msg, ts, check_word)
        self._card = monthly_card
        self._express_type = express_type
        self._template = template_code
        self._retries = retries
        self._backoff = backoff_s
        self._clock = clock

    def __repr__(self) -> str:
        return f"SfCarrier(url={self._url!r}, partner={self._partner!r})"

    @property
    def name(self) -> str:
        return NAME

    # ---- requests -------------------------------------------------------------------------

    def _call(self, service_code: str, message: Mapping[str, Any]) -> dict[str, Any]:
        """One signed request; the decoded ``apiResultData`` of a successful answer."""
        msg_data = dumps(message)
        timestamp = str(int(self._clock() * 1000))
        form = {
            "partnerID": self._partner,
            "requestID": uuid.uuid4().hex,
            "serviceCode": service_code,
            "timestamp": timestamp,
            "msgDigest": self._digest(msg_data, timestamp),
            "msgData": msg_data,
        }
        response = request_with_retries(
            self._client,
            "POST",
            self._url,
            data=form,
            carrier=NAME,
            what=service_code,
            retries=self._retries,
            backoff_s=self._backoff,
        )
        body = json_body(response, carrier=NAME, what=service_code)
        if body.get("apiResultCode") != OK:
            raise CarrierRejectedError(
                f"sf {service_code}: {body.get('apiResultCode')}",
                carrier_code=str(body.get("apiResultCode", "")),
            )
        raw = body.get("apiResultData") or "{}"
        data = json.loads(raw) if isinstance(raw, str) else dict(raw)
        if not data.get("success", False):
            code = str(data.get("errorCode") or "")
            raise CarrierRejectedError(f"sf {service_code}: error {code}", carrier_code=code)
        return data

    def create_order(self, request: OrderRequest) -> Order:
        message = {
            "language": "zh-CN",
            "orderId": request.order_id,
            "contactInfoList": [contact(request.sender, 1), contact(request.recipient, 2)],
            "cargoDetails": [{"name": request.cargo, "count": 1, "unit": "件"}],
            "monthlyCard": self._card,
            "expressTypeId": self._express_type,
            "payMethod": 1,
            "parcelQty": 1,
            "isReturnRoutelabel": 1,
            "remark": request.remark,
        }
        try:
            data = self._call(CREATE_ORDER, message)
        except CarrierRejectedError as e:
            if e.carrier_code != DUPLICATE_ORDER:
                raise
            # booked by an earlier try whose answer was lost: read that booking back
            data = self._call(
                SEARCH_ORDER,
                {"orderId": request.order_id, "searchType": "1", "language": "zh-CN"},
            )
        return self._order(request.order_id, data)

    def _order(self, order_id: str, data: Mapping[str, Any]) -> Order:
        infos = (data.get("msgData") or {}).get("waybillNoInfoList") or []
        numbers = [i.get("waybillNo") for i in infos if i.get("waybillType", 1) == 1]
        if not numbers or not numbers[0]:
            raise CarrierRejectedError(f"sf order {order_id}: no waybill number in the answer")
        return Order(carrier=NAME, order_id=order_id, tracking_number=str(numbers[0]))

    def cancel_order(self, *, order: Order, reason: str = "") -> None:
        self._call(UPDATE_ORDER, {"orderId": order.order_id, "dealType": 2, "language": "zh-CN"})

    def fetch_label(self, *, order: Order) -> bytes:
        data = self._call(
            CLOUD_PRINT,
            {
                "templateCode": self._template,
                "version": "2.0",
                "fileType": "pdf",
                "sync": True,
                "documents": [{"masterWaybillNo": order.tracking_number}],
            },
        )
        files = (data.get("obj") or {}).get("files") or []
        if not files:
            raise CarrierRejectedError(f"sf label {order.tracking_number}: no file")
        response = request_with_retries(
            self._client,
            "GET",
            files[0]["url"],
            headers={"X-Auth-token": str(files[0].get("token", ""))},
            carrier=NAME,
            what="label download",
            retries=self._retries,
            backoff_s=self._backoff,
        )
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            raise CarrierRejectedError(
                f"sf label {order.tracking_number}: HTTP {response.status_code}"
            )
        return response.content

    def query_route(self, *, order: Order, phone: str = "") -> list[TrackingEvent]:
        message: dict[str, Any] = {
            "language": "0",
            "trackingType": "1",  # by waybill number
            "trackingNumber": [order.tracking_number],
            "methodType": "1",
        }
        if phone:
            message["checkPhoneNo"] = phone[-4:]
        data = self._call(SEARCH_ROUTES, message)
        events: list[TrackingEvent] = []
        for resp in (data.get("msgData") or {}).get("routeResps") or []:
            if resp.get("mailNo") == order.tracking_number:
                events.extend(route_event(r) for r in resp.get("routes") or [])
        return events

    def subscribe(self, *, order: Order, phone: str = "") -> None:
        """SF pushes the routes of every waybill of the partner to the URL configured on the
        platform: nothing to do per order."""

    # ---- pushes ---------------------------------------------------------------------------

    def parse_push(self, *, form: Mapping[str, str]) -> PushBatch:
        msg_data = form.get("msgData")
        timestamp = form.get("timestamp")
        digest = form.get("msgDigest")
        if not msg_data or not timestamp or not digest:
            raise PushSignatureError(detail="sf push without msgData/timestamp/msgDigest")
        if not hmac.compare_digest(self._digest(msg_data, timestamp), digest):
            raise PushSignatureError(detail="sf push digest mismatch")
        try:
            body = json.loads(msg_data)
            routes = body["Body"]["WaybillRoute"]
        except (ValueError, KeyError, TypeError) as e:
            raise MalformedPushError(detail="sf push msgData is not a WaybillRoute body") from e
        by_number: dict[str, list[TrackingEvent]] = {}
        orders: dict[str, str | None] = {}
        for item in routes if isinstance(routes, list) else [routes]:
            number = str(item.get("mailno") or "")
            if not number:
                raise MalformedPushError(detail="sf route without mailno")
            by_number.setdefault(number, []).append(route_event(item))
            orders.setdefault(number, item.get("orderid"))
        return PushBatch(
            carrier=NAME,
            pushes=tuple(
                Push(carrier=NAME, tracking_number=n, events=tuple(ev), order_id=orders[n])
                for n, ev in by_number.items()
            ),
        )

    def acknowledge(self) -> dict[str, Any]:
        return {"return_code": "0000", "return_msg": "成功"}


def sign_push_form(msg_data: str, *, check_word: str, timestamp: str) -> dict[str, str]:
    """The form of a route push as SF sends it (the simulator and tests sign with this)."""
    return {
        "partnerID": "",
        "requestID": uuid.uuid4().hex,
        "serviceCode": "RoutePushService",
        "timestamp": timestamp,
        "msgDigest": sf_digest(msg_data, timestamp, check_word),
        "msgData": msg_data,
    }
