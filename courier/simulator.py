"""A simulator carrier: one small ASGI app speaking SF's and Kuaidi100's protocols.

It is the embedded default's carrier (``make run`` shows a shipment move from created to
delivered) and what the tests drive: real HTTP, real signatures, checked the way the carriers
check them, and the failures real carriers have on purpose —

- route pushes on a schedule (``step_seconds``), or one step at a time (``POST /_sim/advance``);
- duplicates (the same push twice), out-of-order pushes (SF: a route held back and sent after
  the next; Kuaidi100: a stale snapshot after a newer one) and lost pushes (the route happened,
  the carrier's route query shows it, the push never came), at seeded random rates or forced;
- slow answers on booking (the order is made, the answer comes after the client gave up) and
  5xx answers, so idempotent retries are tested against the carrier's own duplicate handling.

Routes (``/sf`` and ``/kuaidi100`` prefixes are the carriers' base URLs):

    POST /sf/std/service                 SF V2: EXP_RECE_CREATE_ORDER, EXP_RECE_SEARCH_ORDER_RESP,
                                         EXP_RECE_UPDATE_ORDER, EXP_RECE_SEARCH_ROUTES,
                                         COM_RECE_CLOUD_PRINT_WAYBILLS
    GET  /sf/labels/{waybill}.pdf        label download (``X-Auth-token`` from the print answer)
    POST /kuaidi100/label/order          method=order | cancel | printOld
    GET  /kuaidi100/labels/{waybill}.pdf label download (token in the query)
    POST /kuaidi100/poll                 subscription (callbackurl + salt)
    POST /kuaidi100/poll/query.do        real-time route query
    POST /_sim/advance | /_sim/faults | /_sim/replay | /_sim/config ; GET /_sim/shipments/{no}

Run alone: ``python -m courier.simulator --port 8787 --push-sf URL --step-seconds 5``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import io
import json
import logging
import random
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from courier import kuaidi100 as k100
from courier import sf
from courier.settings import (
    DEV_KUAIDI100_KEY,
    DEV_KUAIDI100_SECRET,
    DEV_SF_CHECKWORD,
)
from courier.status import CHINA_TZ, format_carrier_time

log = logging.getLogger(__name__)


@dataclass
class SimulatorConfig:
    """What the simulated carriers know: the secrets they share with the service, where SF
    pushes (Kuaidi100 learns its callback from each subscription), and the fault rates."""

    sf_checkword: str = DEV_SF_CHECKWORD
    sf_push_url: str | None = None
    kuaidi100_key: str = DEV_KUAIDI100_KEY
    kuaidi100_secret: str = DEV_KUAIDI100_SECRET
    kuaidi100_customer: str = "PAOYICI-CUSTOMER"
    public_url: str = "http://127.0.0.1:8787"  # where labels are downloaded from
    step_seconds: float = 0.0  # 0: steps only on POST /_sim/advance
    loss_rate: float = 0.0
    duplicate_rate: float = 0.0
    reorder_rate: float = 0.0
    seed: int = 0
    push_timeout_s: float = 5.0


# What happens to a parcel, step by step: (code, status name, text); {s}/{r}: sender/recipient city.
SF_SCRIPT = (
    ("50", "", "顺丰速运 已收取快件"),
    ("30", "", "快件在【{s}集散点】已装车，准备发往下一站"),
    ("31", "", "快件到达【{r}中转场】"),
    ("44", "", "快件交给收派员，正在派送途中（联系电话：95338）"),
    ("80", "", "已签收，感谢使用顺丰，期待再次为您服务"),
)
K100_SCRIPT = (
    ("103", "揽收", "【{s}】 揽投员已收件"),
    ("1002", "在途", "【{s}】 已离开{s}邮区中心局，发往{r}"),
    ("1001", "在途", "【{r}】 已到达{r}邮区中心局"),
    ("", "派件", "【{r}】 投递员正在派件，请保持电话畅通"),
    ("301", "签收", "【{r}】 已签收，签收人：本人，感谢使用"),
)
K100_STATE = {"揽收": "1", "在途": "0", "派件": "5", "签收": "3"}


@dataclass
class SimShipment:
    carrier: str
    order_id: str
    tracking_number: str
    sender_city: str
    recipient: dict[str, str]
    created: datetime
    token: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    task_id: str = field(default_factory=lambda: secrets.token_hex(16).upper())
    callback_url: str | None = None
    salt: str | None = None
    cancelled: bool = False
    happened: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    snapshots: list[str] = field(default_factory=list)  # kuaidi100 param texts pushed
    last_push: dict[str, str] | None = None
    pushes: list[dict[str, Any]] = field(default_factory=list)
    playing: bool = False

    @property
    def done(self) -> bool:
        return len(self.happened) >= len(SF_SCRIPT) or self.cancelled


class CarrierSimulator:
    """The state and behaviour behind the routes (one per app)."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)  # noqa: S311 - reproducible faults, not secrets
        self.shipments: dict[str, SimShipment] = {}  # by tracking number
        self.orders: dict[tuple[str, str], str] = {}  # (carrier, order id) → tracking number
        self.delay_next_orders = 0
        self.delay_s = 0.0
        self.fail_next = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._serial = 0

    # ---- bookings -------------------------------------------------------------------------

    def _new_number(self, carrier: str) -> str:
        self._serial += 1
        stem = f"{int(time.time()) % 10**8:08d}{self._serial:04d}"
        return f"SF{stem}" if carrier == "sf" else f"98{stem}"

    def book(
        self, carrier: str, order_id: str, sender_city: str, recipient: dict[str, str]
    ) -> SimShipment:
        existing = self.orders.get((carrier, order_id))
        if existing:
            return self.shipments[existing]
        number = self._new_number(carrier)
        created = datetime.now(CHINA_TZ).replace(microsecond=0)
        ship = SimShipment(carrier, order_id, number, sender_city, recipient, created)
        self.shipments[number] = ship
        self.orders[(carrier, order_id)] = number
        return ship

    # ---- what happens to a parcel ---------------------------------------------------------

    def _item(self, ship: SimShipment, step: int) -> dict[str, Any]:
        script = SF_SCRIPT if ship.carrier == "sf" else K100_SCRIPT
        code, status, text = script[step]
        text = text.format(s=ship.sender_city, r=ship.recipient.get("city", ""))
        at = format_carrier_time(ship.created + timedelta(minutes=7 * (step + 1)))
        if ship.carrier == "sf":
            return {
                "id": f"{ship.tracking_number}-{step}",
                "mailno": ship.tracking_number,
                "orderid": ship.order_id,
                "acceptTime": at,
                "acceptAddress": ship.recipient.get("city", "") if step >= 2 else ship.sender_city,
                "remark": text,
                "opCode": code,
            }
        item = {"time": at, "ftime": at, "context": text, "status": status, "areaName": ""}
        if code:
            item["statusCode"] = code
        return item

    def _k100_param(self, ship: SimShipment, history: list[dict[str, Any]]) -> str:
        newest = history[-1] if history else None
        state = K100_STATE.get(newest["status"], "0") if newest else "0"
        body = {
            "status": "shutdown" if state == "3" else "polling",
            "billstatus": "got",
            "message": "",
            "autoCheck": "0",
            "comOld": "",
            "comNew": "",
            "lastResult": {
                "message": "ok",
                "nu": ship.tracking_number,
                "ischeck": "1" if state == "3" else "0",
                "condition": "00",
                "com": "ems",
                "status": "200",
                "state": state,
                "data": list(reversed(history)),  # newest first, the whole history
            },
        }
        return json.dumps(body, ensure_ascii=False)

    async def advance(
        self,
        ship: SimShipment,
        *,
        lose: bool | None = None,
        duplicate: bool | None = None,
        reorder: bool | None = None,
    ) -> dict[str, Any]:
        """One more step happens; its push is sent, lost, doubled or held back."""
        if ship.done:
            return {"emitted": None, "pushed": 0}
        c = self.config
        lose = self.rng.random() < c.loss_rate if lose is None else lose
        duplicate = self.rng.random() < c.duplicate_rate if duplicate is None else duplicate
        reorder = self.rng.random() < c.reorder_rate if reorder is None else reorder
        item = self._item(ship, len(ship.happened))
        ship.happened.append(item)
        last_step = ship.done
        pushed = 0
        if ship.carrier == "sf":
            if lose:
                batch: list[dict[str, Any]] = []
            elif reorder and not last_step:
                ship.held.append(item)
                batch = []
            else:
                batch = [item, *ship.held]  # a held (older) route arrives after a newer one
                ship.held.clear()
            for route in batch:
                form = sf.sign_push_form(
                    sf.dumps({"Body": {"WaybillRoute": [route]}}),
                    check_word=c.sf_checkword,
                    timestamp=str(int(time.time() * 1000)),
                )
                pushed += await self._push(ship, c.sf_push_url, form, times=2 if duplicate else 1)
        else:
            param = self._k100_param(ship, ship.happened)
            if not lose and ship.callback_url and ship.salt is not None:
                form = {"param": param, "sign": k100.push_sign(param, ship.salt)}
                pushed += await self._push(
                    ship, ship.callback_url, form, times=2 if duplicate else 1
                )
                if reorder and ship.snapshots:  # a stale snapshot after the newer one
                    stale = ship.snapshots[-1]
                    pushed += await self._push(
                        ship,
                        ship.callback_url,
                        {"param": stale, "sign": k100.push_sign(stale, ship.salt)},
                    )
            ship.snapshots.append(param)
        return {"emitted": item, "pushed": pushed, "lost": lose}

    async def _push(
        self, ship: SimShipment, url: str | None, form: dict[str, str], *, times: int = 1
    ) -> int:
        if not url:
            return 0
        sent = 0
        async with httpx.AsyncClient(timeout=self.config.push_timeout_s) as client:
            for _ in range(times):
                try:
                    response = await client.post(url, data=form)
                    status = response.status_code
                except httpx.HTTPError as e:
                    status = 0
                    log.warning("simulator: push to %s failed: %s", url, type(e).__name__)
                ship.pushes.append({"status": status, "at": time.time()})
                ship.last_push = form
                sent += 1
        return sent

    def play(self, ship: SimShipment) -> None:
        """Schedule the remaining steps every ``step_seconds`` (random faults at the rates)."""
        if self.config.step_seconds <= 0 or ship.playing:
            return
        ship.playing = True

        async def run() -> None:
            while not ship.done:
                await asyncio.sleep(self.config.step_seconds)
                await self.advance(ship)

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def slow_or_failing(self) -> Response | None:
        """Faults injected on bookings: a 503 answer, or an answer after ``delay_s``."""
        if self.fail_next > 0:
            self.fail_next -= 1
            return JSONResponse({"message": "service unavailable"}, status_code=503)
        return None

    async def maybe_delay(self) -> None:
        if self.delay_next_orders > 0:
            self.delay_next_orders -= 1
            await asyncio.sleep(self.delay_s)


# ---- labels ---------------------------------------------------------------------------------


def masked_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1)


def masked_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def render_label(ship: SimShipment, carrier_title: str) -> bytes:
    """A 100 × 150 mm waybill as PDF: recipient name and phone masked (丰密/隐私面单)."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from common import cjk_font

    font = "Helvetica"
    found = cjk_font()
    if found is not None:
        with contextlib.suppress(Exception):
            if "PaoyiciCJK" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(
                    TTFont("PaoyiciCJK", str(found.path), subfontIndex=found.index)
                )
            font = "PaoyiciCJK"
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(100 * mm, 150 * mm))
    r = ship.recipient
    lines = [
        (16, carrier_title),
        (14, f"运单号 {ship.tracking_number}"),
        (11, f"收件人 {masked_name(r.get('name', ''))}  {masked_phone(r.get('phone', ''))}"),
        (10, f"{r.get('province', '')}{r.get('city', '')}{r.get('district', '')}"),
        (10, r.get("address", "")[:24]),
        (9, f"订单号 {ship.order_id}"),
        (8, "模拟承运商 · 仅供测试"),
    ]
    y = 135 * mm
    for size, text in lines:
        pdf.setFont(font, size)
        pdf.drawString(8 * mm, y, text)
        y -= (size + 8) * 1.0 * mm / 2.2
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


# ---- SF routes ------------------------------------------------------------------------------


def _sf_answer(
    data: dict[str, Any] | None = None, *, code: str = "A1000", msg: str = ""
) -> JSONResponse:
    body: dict[str, Any] = {
        "apiResultCode": code,
        "apiErrorMsg": msg,
        "apiResponseID": secrets.token_hex(8),
    }
    if data is not None:
        body["apiResultData"] = json.dumps(data, ensure_ascii=False)
    return JSONResponse(body)


def _sf_ok(msg_data: dict[str, Any]) -> JSONResponse:
    return _sf_answer(
        {"success": True, "errorCode": "S0000", "errorMsg": None, "msgData": msg_data}
    )


def _sf_err(code: str, msg: str) -> JSONResponse:
    return _sf_answer({"success": False, "errorCode": code, "errorMsg": msg, "msgData": None})


async def sf_service(request: Request) -> Response:
    sim: CarrierSimulator = request.app.state.sim
    form = await request.form()
    fields = {k: str(v) for k, v in form.items()}
    needed = ("partnerID", "requestID", "serviceCode", "timestamp", "msgDigest", "msgData")
    if any(not fields.get(k) for k in needed):
        return _sf_answer(code="A1001", msg="必传参数不可为空")
    expected = sf.sf_digest(fields["msgData"], fields["timestamp"], sim.config.sf_checkword)
    if not hmac.compare_digest(expected, fields["msgDigest"]):
        return _sf_answer(code="A1006", msg="数字签名无效")
    try:
        msg = json.loads(fields["msgData"])
    except ValueError:
        return _sf_answer(code="A1002", msg="请求参数格式错误")
    code = fields["serviceCode"]
    if code == sf.CREATE_ORDER:
        failing = await sim.slow_or_failing()
        if failing is not None:
            return failing
        order_id = str(msg.get("orderId") or "")
        contacts = {int(c.get("contactType", 0)): c for c in msg.get("contactInfoList") or []}
        if not order_id or 1 not in contacts or 2 not in contacts:
            return _sf_err("1010", "寄件方或到件方信息不完整")
        if (sf.NAME, order_id) in sim.orders:
            return _sf_err(sf.DUPLICATE_ORDER, "重复下单")
        rec = contacts[2]
        ship = sim.book(
            sf.NAME,
            order_id,
            str(contacts[1].get("city", "")),
            {
                "name": str(rec.get("contact", "")),
                "phone": str(rec.get("mobile", "")),
                "province": str(rec.get("province", "")),
                "city": str(rec.get("city", "")),
                "district": str(rec.get("county", "")),
                "address": str(rec.get("address", "")),
            },
        )
        sim.play(ship)
        await sim.maybe_delay()  # the order exists even if this answer comes too late
        return _sf_ok(_sf_order_data(ship))
    if code == sf.SEARCH_ORDER:
        number = sim.orders.get((sf.NAME, str(msg.get("orderId"))))
        if number is None:
            return _sf_err("8003", "订单不存在")
        return _sf_ok(_sf_order_data(sim.shipments[number]))
    if code == sf.UPDATE_ORDER:
        number = sim.orders.get((sf.NAME, str(msg.get("orderId"))))
        if number is None:
            return _sf_err("8003", "订单不存在")
        ship = sim.shipments[number]
        if ship.happened and not ship.cancelled:
            return _sf_err("8252", "快件已揽收，不能取消")
        ship.cancelled = True
        return _sf_ok({"orderId": ship.order_id, "resStatus": 2})
    if code == sf.SEARCH_ROUTES:
        numbers = [str(n) for n in msg.get("trackingNumber") or []]
        resps = [
            {"mailNo": n, "routes": list(sim.shipments[n].happened)}
            for n in numbers
            if n in sim.shipments
        ]
        return _sf_ok({"routeResps": resps})
    if code == sf.CLOUD_PRINT:
        files = []
        for doc in msg.get("documents") or []:
            ship_or_none = sim.shipments.get(str(doc.get("masterWaybillNo")))
            if ship_or_none is None:
                return _sf_answer(
                    {"success": False, "errorCode": "8003", "errorMessage": "运单不存在"}
                )
            files.append(
                {
                    "url": f"{sim.config.public_url}/sf/labels/{ship_or_none.tracking_number}.pdf",
                    "token": ship_or_none.token,
                    "waybillNo": ship_or_none.tracking_number,
                    "seqNo": 1,
                    "areaNo": 1,
                    "pageNo": 1,
                }
            )
        return _sf_answer(
            {"success": True, "requestId": secrets.token_hex(8), "obj": {"files": files}}
        )
    return _sf_answer(code="A1003", msg="服务代码不存在")


def _sf_order_data(ship: SimShipment) -> dict[str, Any]:
    return {
        "orderId": ship.order_id,
        "filterResult": 2,
        "waybillNoInfoList": [{"waybillType": 1, "waybillNo": ship.tracking_number}],
    }


def sf_label(request: Request) -> Response:
    sim: CarrierSimulator = request.app.state.sim
    ship = sim.shipments.get(request.path_params["waybill"])
    if ship is None or not hmac.compare_digest(request.headers.get("X-Auth-token", ""), ship.token):
        return JSONResponse({"message": "unauthorized"}, status_code=401)
    return Response(render_label(ship, "顺丰速运"), media_type="application/pdf")


# ---- Kuaidi100 routes -----------------------------------------------------------------------


def _k100(result: bool, code: str, message: str, data: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"result": result, "returnCode": code, "message": message}
    if data is not None:
        body["data"] = data
    return JSONResponse(body)


def _split_addr(printed: str) -> dict[str, str]:
    return {"address": printed}


async def k100_label(request: Request) -> Response:
    sim: CarrierSimulator = request.app.state.sim
    c = sim.config
    form = {k: str(v) for k, v in (await request.form()).items()}
    method = form.get("method") or request.query_params.get("method", "")
    param, t, key, sign = (
        form.get("param", ""),
        form.get("t", ""),
        form.get("key", ""),
        form.get("sign", ""),
    )
    if key != c.kuaidi100_key or not hmac.compare_digest(
        k100.order_sign(param, t, c.kuaidi100_key, c.kuaidi100_secret), sign
    ):
        return _k100(False, "10002", "签名错误")
    try:
        p = json.loads(param)
    except ValueError:
        return _k100(False, "10000", "参数错误")
    if method == "order":
        failing = await sim.slow_or_failing()
        if failing is not None:
            return failing
        order_id = str(p.get("orderId") or "")
        rec, snd = p.get("recMan") or {}, p.get("sendMan") or {}
        if not order_id or not rec.get("name") or not rec.get("mobile") or not snd.get("name"):
            return _k100(False, "10000", "收寄件人信息不完整")
        existing = sim.orders.get((k100.NAME, order_id))
        ship = sim.book(
            k100.NAME,
            order_id,
            str(p.get("sendCity") or "杭州市"),
            {
                "name": str(rec.get("name")),
                "phone": str(rec.get("mobile")),
                "province": "",
                "city": str(p.get("recCity") or _guess_city(str(rec.get("printAddr", "")))),
                "district": "",
                "address": str(rec.get("printAddr", "")),
            },
        )
        if existing is None and p.get("needSubscribe") and p.get("pollCallBackUrl"):
            ship.callback_url = str(p["pollCallBackUrl"])
            ship.salt = str(p.get("salt") or "")
            sim.play(ship)
        await sim.maybe_delay()
        return _k100(True, "200", "成功", _k100_order_data(sim, ship))
    if method == "cancel":
        number = str(p.get("kuaidinum") or "")
        ship_or_none = sim.shipments.get(number)
        if ship_or_none is None:
            return _k100(False, "30001", "运单不存在")
        if ship_or_none.happened and not ship_or_none.cancelled:
            return _k100(False, "30002", "快件已揽收，不能取消")
        ship_or_none.cancelled = True
        return _k100(True, "200", "成功")
    if method == "printOld":
        found = [s for s in sim.shipments.values() if s.task_id == p.get("taskId")]
        if not found:
            return _k100(False, "30001", "任务不存在")
        return _k100(True, "200", "成功", _k100_order_data(sim, found[0]))
    return _k100(False, "10000", "method 不支持")


def _guess_city(printed: str) -> str:
    for marker in ("市", "州", "盟"):
        idx = printed.find(marker, printed.find("省") + 1 if "省" in printed else 0)
        if idx > 0:
            start = printed.find("省") + 1 if "省" in printed else 0
            return printed[start : idx + 1]
    return ""


def _k100_order_data(sim: CarrierSimulator, ship: SimShipment) -> dict[str, Any]:
    return {
        "taskId": ship.task_id,
        "kuaidinum": ship.tracking_number,
        "kdComOrderNum": ship.order_id,
        "label": (
            f"{sim.config.public_url}/kuaidi100/labels/{ship.tracking_number}.pdf"
            f"?token={ship.token}"
        ),
    }


def k100_label_file(request: Request) -> Response:
    sim: CarrierSimulator = request.app.state.sim
    ship = sim.shipments.get(request.path_params["waybill"])
    if ship is None or not hmac.compare_digest(request.query_params.get("token", ""), ship.token):
        return JSONResponse({"message": "unauthorized"}, status_code=401)
    return Response(render_label(ship, "中国邮政 EMS"), media_type="application/pdf")


async def k100_poll(request: Request) -> Response:
    sim: CarrierSimulator = request.app.state.sim
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        p = json.loads(form.get("param", ""))
    except ValueError:
        return _k100(False, "700", "参数错误")
    if p.get("key") != sim.config.kuaidi100_key:
        return _k100(False, "600", "key 无效")
    ship = sim.shipments.get(str(p.get("number")))
    if ship is None:
        return _k100(
            False, "700", "单号不存在"
        )  # a real carrier accepts any number; the simulator knows its own
    params = p.get("parameters") or {}
    duplicate = ship.callback_url == params.get("callbackurl") and ship.playing and not ship.done
    ship.callback_url = str(params.get("callbackurl") or "")
    ship.salt = str(params.get("salt") or "")
    if duplicate:
        return _k100(False, k100.DUPLICATE_SUBSCRIPTION, "重复订阅")
    sim.play(ship)
    return _k100(True, "200", "提交成功")


async def k100_query(request: Request) -> Response:
    sim: CarrierSimulator = request.app.state.sim
    c = sim.config
    form = {k: str(v) for k, v in (await request.form()).items()}
    param = form.get("param", "")
    if form.get("customer") != c.kuaidi100_customer or not hmac.compare_digest(
        k100.query_sign(param, c.kuaidi100_key, c.kuaidi100_customer), form.get("sign", "")
    ):
        return JSONResponse({"result": False, "returnCode": "601", "message": "签名验证失败"})
    p = json.loads(param)
    ship = sim.shipments.get(str(p.get("num")))
    if ship is None:
        return JSONResponse({"result": False, "returnCode": "500", "message": "查询无结果"})
    body = json.loads(sim._k100_param(ship, ship.happened))["lastResult"]
    return JSONResponse(body)


# ---- control routes (tests and demos) ---------------------------------------------------------


async def sim_advance(request: Request) -> Response:
    sim: CarrierSimulator = request.app.state.sim
    body = await request.json()
    ship = sim.shipments.get(str(body.get("tracking_number")))
    if ship is None:
        return JSONResponse({"error": "unknown"}, status_code=404)
    results = []
    for _ in range(int(body.get("steps", 1))):
        results.append(
            await sim.advance(
                ship,
                lose=body.get("lose"),
                duplicate=body.get("duplicate"),
                reorder=body.get("reorder"),
            )
        )
    return JSONResponse({"results": results, "happened": len(ship.happened)})


async def sim_replay(request: Request) -> Response:
    """Send the last push again, byte for byte (a carrier's retry, or an attacker's replay)."""
    sim: CarrierSimulator = request.app.state.sim
    body = await request.json()
    ship = sim.shipments.get(str(body.get("tracking_number")))
    if ship is None or ship.last_push is None:
        return JSONResponse({"error": "nothing to replay"}, status_code=404)
    url = sim.config.sf_push_url if ship.carrier == "sf" else ship.callback_url
    await sim._push(ship, url, dict(ship.last_push))
    return JSONResponse({"status": ship.pushes[-1]["status"]})


async def sim_faults(request: Request) -> Response:
    sim: CarrierSimulator = request.app.state.sim
    body = await request.json()
    sim.delay_next_orders = int(body.get("delay_next_orders", 0))
    sim.delay_s = float(body.get("delay_s", 0))
    sim.fail_next = int(body.get("fail_next", 0))
    return JSONResponse({"ok": True})


async def sim_config(request: Request) -> Response:
    sim: CarrierSimulator = request.app.state.sim
    body = await request.json()
    for name in ("sf_push_url", "step_seconds", "loss_rate", "duplicate_rate", "reorder_rate"):
        if name in body:
            setattr(sim.config, name, body[name])
    return JSONResponse({"ok": True})


def sim_shipment(request: Request) -> Response:
    sim: CarrierSimulator = request.app.state.sim
    ship = sim.shipments.get(request.path_params["number"])
    if ship is None:
        return JSONResponse({"error": "unknown"}, status_code=404)
    return JSONResponse(
        {
            "carrier": ship.carrier,
            "order_id": ship.order_id,
            "tracking_number": ship.tracking_number,
            "happened": ship.happened,
            "pushes": ship.pushes,
            "cancelled": ship.cancelled,
            "recipient_sha256": hashlib.sha256(
                json.dumps(ship.recipient, ensure_ascii=False, sort_keys=True).encode()
            ).hexdigest(),
        }
    )


def build_app(config: SimulatorConfig | None = None) -> Starlette:
    """The simulator as an ASGI app; ``app.state.sim`` is its ``CarrierSimulator``."""
    app = Starlette(
        routes=[
            Route("/sf/std/service", sf_service, methods=["POST"]),
            Route("/sf/labels/{waybill}.pdf", sf_label, methods=["GET"]),
            Route("/kuaidi100/label/order", k100_label, methods=["POST"]),
            Route("/kuaidi100/labels/{waybill}.pdf", k100_label_file, methods=["GET"]),
            Route("/kuaidi100/poll", k100_poll, methods=["POST"]),
            Route("/kuaidi100/poll/query.do", k100_query, methods=["POST"]),
            Route("/_sim/advance", sim_advance, methods=["POST"]),
            Route("/_sim/replay", sim_replay, methods=["POST"]),
            Route("/_sim/faults", sim_faults, methods=["POST"]),
            Route("/_sim/config", sim_config, methods=["POST"]),
            Route("/_sim/shipments/{number}", sim_shipment, methods=["GET"]),
        ]
    )
    app.state.sim = CarrierSimulator(config or SimulatorConfig())
    return app


class ServerThread:
    """Serve an ASGI app with uvicorn on a background thread (loopback, real HTTP).

    ``port=0`` picks a free port; ``url`` is known once ``start()`` returns."""

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        lifespan: Literal["auto", "on", "off"] = "off",
    ) -> None:
        import uvicorn

        self._config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", lifespan=lifespan
        )
        self._server = uvicorn.Server(self._config)
        self._thread = threading.Thread(target=self._server.run, name="asgi-server", daemon=True)
        self.url = ""

    def start(self, timeout: float = 60.0) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("ASGI server did not start")
            time.sleep(0.02)
        sock = self._server.servers[0].sockets[0]
        host, port = sock.getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


@contextlib.contextmanager
def running(app: Any, *, port: int = 0) -> Iterator[ServerThread]:
    server = ServerThread(app, port=port).start()
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="模拟承运商（顺丰 / 快递100 协议）")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--push-sf", default=None, help="URL SF route pushes are sent to")
    parser.add_argument("--step-seconds", type=float, default=0.0)
    parser.add_argument("--loss-rate", type=float, default=0.0)
    parser.add_argument("--duplicate-rate", type=float, default=0.0)
    parser.add_argument("--reorder-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    config = SimulatorConfig(
        sf_push_url=args.push_sf,
        public_url=f"http://{args.host}:{args.port}",
        step_seconds=args.step_seconds,
        loss_rate=args.loss_rate,
        duplicate_rate=args.duplicate_rate,
        reorder_rate=args.reorder_rate,
        seed=args.seed,
    )
    uvicorn.run(build_app(config), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()


def embedded_app(settings: Any) -> Starlette:
    """The simulator as the embedded default mounts it at ``/simulator``: the service's own
    secrets, pushes to the service's routes, steps on a schedule with the configured faults.

    ``settings`` is a ``CourierSettings``."""
    from courier.factory import SF_PUSH_PATH
    from courier.settings import SIMULATOR_PATH

    base = settings.callback_base_url.rstrip("/")
    return build_app(
        SimulatorConfig(
            sf_checkword=settings.sf_checkword.get_secret_value(),
            sf_push_url=base + SF_PUSH_PATH,
            kuaidi100_key=settings.kuaidi100_key.get_secret_value(),
            kuaidi100_secret=settings.kuaidi100_secret.get_secret_value(),
            kuaidi100_customer=settings.kuaidi100_customer,
            public_url=base + SIMULATOR_PATH,
            step_seconds=settings.simulator_step_s,
            loss_rate=settings.simulator_loss_rate,
            duplicate_rate=settings.simulator_duplicate_rate,
            reorder_rate=settings.simulator_reorder_rate,
        )
    )
