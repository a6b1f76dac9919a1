"""Kuaidi100 (快递100) adapter: electronic waybill booking, subscription pushes, route query.

Kuaidi100 books and tracks for many carriers (``kuaidicom``: ``ems``, ``youzhengguonei``, …),
which is how EMS/China Post, the usual carrier of government mail, is reached. Three signed
interfaces, each a form POST (what Kuaidi100's own sample code sends):

- booking / cancel / reprint, ``<api>/label/order``: ``method``, ``key``, ``t`` (ms), ``param``
  (JSON text), ``sign = upper(md5(param + t + key + secret))``;
- subscription, ``<poll>/poll``: ``schema=json``, ``param`` with ``company``, ``number``,
  ``key`` and ``parameters.callbackurl`` / ``salt`` / ``resultv2``;
- real-time query, ``<poll>/poll/query.do``: ``customer``, ``param``,
  ``sign = upper(md5(param + key + customer))``.

Pushes (CONTRACT §5) are a form of ``param`` (JSON text) and ``sign = upper(md5(param + salt))``.
Every push repeats the whole history, newest first; ``status`` ``abort`` means Kuaidi100 gave up
tracking (no news for days): subscribe again. All MD5 inputs are the UTF-8 bytes of the exact
text sent or received: Chinese addresses and route texts are signed as bytes, never as
characters re-encoded some other way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from courier._http import json_body, request_with_retries
from courier.errors import CarrierRejectedError, MalformedPushError, PushSignatureError
from courier.status import (
    KUAIDI100_STATE_NAMES,
    TrackingEvent,
    map_code,
    parse_carrier_time,
)
from courier.types import Order, OrderRequest, Party, Push, PushBatch

NAME = "kuaidi100"
DUPLICATE_SUBSCRIPTION = "501"


def _md5_upper(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()  # noqa: S324 - the carrier's scheme


def push_sign(param: str, salt: str) -> str:
    """``upper(md5(param + salt))``: the signature of a push."""
    return _md5_upper(param + salt)


def query_sign(param: str, key: str, customer: str) -> str:
    return _md5_upper(param + key + customer)


def order_sign(param: str, t: str, key: str, secret: str) -> str:
    return _md5_upper(param + t + key + secret)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _man(party: Party) -> dict[str, str]:
    return {
        "name": party.name,
        "mobile": party.phone,
        "printAddr": f"{party.province}{party.city}{party.district}{party.address}",
    }


def data_events(items: list[Mapping[str, Any]], *, state: str | None) -> list[TrackingEvent]:
    """``lastResult.data`` (newest first) → events. An item's status comes from its
    ``statusCode`` (resultv2), else its ``status`` name; the newest item without either takes
    the push's ``state``."""
    events = []
    for index, item in enumerate(items):
        code = str(item.get("statusCode") or "")
        if not code:
            code = KUAIDI100_STATE_NAMES.get(str(item.get("status") or ""), "")
        if not code and index == 0 and state is not None:
            code = state
        try:
            at = parse_carrier_time(str(item.get("time") or item.get("ftime")))
        except ValueError as e:
            raise MalformedPushError(detail="kuaidi100 item without a valid time") from e
        events.append(
            TrackingEvent(
                at=at,
                carrier_code=code or "0",
                status=map_code(NAME, code or "0"),
                text=str(item.get("context", "")),
                location=str(item.get("areaName") or item.get("location") or ""),
                raw=dict(item),
            )
        )
    return events


class Kuaidi100Carrier:
    """``Carrier`` over Kuaidi100's interfaces (module doc). ``key``, ``secret`` and ``salt``
    are secrets: kept in closures of this instance, never in a repr, error or log line."""

    def __init__(
        self,
        *,
        client: httpx.Client,
        api_url: str,
        poll_url: str,
        key: str,
        customer: str,
        secret: str,
        salt: str,
        callback_url: str,
        company: str = "ems",
        retries: int = 3,
        backoff_s: float = 0.5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not (key and secret and salt):
            raise ValueError("Kuaidi100 key, secret and salt are required")
        self._client = client
        self._api = api_url.rstrip("/")
        self._poll = poll_url.rstrip("/")
        self._customer = customer
        self._key = lambda: key
        self._order_sign = lambda param, t: order_sign(param, t, key, secret)
        self._query_sign = lambda param: query_sign(param, key, customer)
        self._push_sign = lambda param: push_sign(param, salt)
        self._salt = lambda: salt
        self._callback = callback_url
        self._company = company
        self._retries = retries
        self._backoff = backoff_s
        self._clock = clock

    def __repr__(self) -> str:
        return f"Kuaidi100Carrier(api={self._api!r}, company={self._company!r})"

    @property
    def name(self) -> str:
        return NAME

    def _post(self, url: str, form: dict[str, str], what: str) -> dict[str, Any]:
        response = request_with_retries(
            self._client,
            "POST",
            url,
            data=form,
            carrier=NAME,
            what=what,
            retries=self._retries,
            backoff_s=self._backoff,
        )
        body = json_body(response, carrier=NAME, what=what)
        if not isinstance(body, dict):
            raise CarrierRejectedError(f"kuaidi100 {what}: answer is not an object")
        return body

    def _label_call(self, method: str, param: Mapping[str, Any]) -> dict[str, Any]:
        text = dumps(param)
        t = str(int(self._clock() * 1000))
        form = {"method": method, "key": self._key(), "t": t, "param": text}
        form["sign"] = self._order_sign(text, t)
        body = self._post(f"{self._api}/label/order", form, f"label {method}")
        if not body.get("result") or str(body.get("returnCode")) != "200":
            code = str(body.get("returnCode", ""))
            raise CarrierRejectedError(f"kuaidi100 label {method}: {code}", carrier_code=code)
        data = body.get("data") or {}
        return data if isinstance(data, dict) else {}

    def create_order(self, request: OrderRequest) -> Order:
        data = self._label_call(
            "order",
            {
                "kuaidicom": self._company,
                "orderId": request.order_id,  # our idempotency key (order_key)
                "recMan": _man(request.recipient),
                "sendMan": _man(request.sender),
                "cargo": request.cargo,
                "count": 1,
                "payType": "SHIPPER",
                "expType": "标准快递",
                "remark": request.remark,
                "printType": "IMAGE",
                "needSubscribe": True,
                "pollCallBackUrl": self._callback,
                "salt": self._salt(),
                "resultv2": "1",
            },
        )
        number = str(data.get("kuaidinum") or "")
        if not number:
            raise CarrierRejectedError(f"kuaidi100 order {request.order_id}: no waybill number")
        return Order(
            carrier=NAME,
            order_id=request.order_id,
            tracking_number=number,
            carrier_ref=str(data.get("taskId") or ""),
            label_url=str(data.get("label") or ""),
        )

    def cancel_order(self, *, order: Order, reason: str = "") -> None:
        self._label_call(
            "cancel",
            {
                "kuaidicom": self._company,
                "kuaidinum": order.tracking_number,
                "orderId": order.order_id,
                "reason": reason or "申请人取消寄递",
            },
        )

    def fetch_label(self, *, order: Order) -> bytes:
        url = order.label_url
        if not url:
            data = self._label_call("printOld", {"taskId": order.carrier_ref})
            url = str(data.get("label") or "")
        if not url:
            raise CarrierRejectedError(f"kuaidi100 label {order.tracking_number}: no label")
        response = request_with_retries(
            self._client,
            "GET",
            url,
            carrier=NAME,
            what="label download",
            retries=self._retries,
            backoff_s=self._backoff,
        )
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            raise CarrierRejectedError(
                f"kuaidi100 label {order.tracking_number}: HTTP {response.status_code}"
            )
        return response.content

    def subscribe(self, *, order: Order, phone: str = "") -> None:
        parameters: dict[str, str] = {
            "callbackurl": self._callback,
            "salt": self._salt(),
            "resultv2": "1",
        }
        if phone:
            parameters["phone"] = phone
        param = {
            "company": self._company,
            "number": order.tracking_number,
            "key": self._key(),
            "parameters": parameters,
        }
        body = self._post(f"{self._poll}/poll", {"schema": "json", "param": dumps(param)}, "poll")
        code = str(body.get("returnCode", ""))
        if code not in {"200", DUPLICATE_SUBSCRIPTION}:
            raise CarrierRejectedError(f"kuaidi100 subscribe: {code}", carrier_code=code)

    def query_route(self, *, order: Order, phone: str = "") -> list[TrackingEvent]:
        param: dict[str, str] = {
            "com": self._company,
            "num": order.tracking_number,
            "resultv2": "1",
            "order": "desc",
        }
        if phone:
            param["phone"] = phone
        text = dumps(param)
        form = {"customer": self._customer, "param": text, "sign": self._query_sign(text)}
        body = self._post(f"{self._poll}/poll/query.do", form, "query")
        if str(body.get("status")) != "200":
            code = str(body.get("returnCode") or body.get("status") or "")
            raise CarrierRejectedError(f"kuaidi100 query: {code}", carrier_code=code)
        return data_events(list(body.get("data") or []), state=str(body.get("state", "")) or None)

    def parse_push(self, *, form: Mapping[str, str]) -> PushBatch:
        param = form.get("param")
        sign = form.get("sign")
        if not param or not sign:
            raise PushSignatureError(detail="kuaidi100 push without param/sign")
        if not hmac.compare_digest(self._push_sign(param), sign.upper()):
            raise PushSignatureError(detail="kuaidi100 push sign mismatch")
        try:
            body = json.loads(param)
            last = body["lastResult"]
            number = str(last["nu"])
            items = list(last.get("data") or [])
        except (ValueError, KeyError, TypeError) as e:
            raise MalformedPushError(detail="kuaidi100 push param is not a lastResult") from e
        status = str(body.get("status", ""))
        state = str(last.get("state", "")) or None
        delivered = str(last.get("ischeck", "0")) == "1"
        push = Push(
            carrier=NAME,
            tracking_number=number,
            events=tuple(data_events(items, state=state)),
            resubscribe=status == "abort" or (status == "shutdown" and not delivered),
            raw={"status": status, "state": state, "com": last.get("com")},
        )
        return PushBatch(carrier=NAME, pushes=(push,))

    def acknowledge(self) -> dict[str, Any]:
        return {"result": True, "returnCode": "200", "message": "成功"}
