"""One shipment status model, the carriers' codes mapped onto it, and event ordering.

Every carrier speaks its own codes (SF ``opCode``, Kuaidi100 ``state`` / ``statusCode``); the
service speaks six statuses. The tables below are the one place a carrier code is interpreted:
a code missing from them is still recorded (as ``in_transit``, the one status that can never
claim too much) and logged, so a carrier adding codes cannot lose an event.

Carriers push and answer route queries with repeats and out of order; ``merge_events`` keeps
one event per (time, text) and orders them by the time the carrier says they happened, and
``current_status`` is the status of the latest of them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)

# Carriers write local time (China Standard Time, no DST) without a zone.
CHINA_TZ = timezone(timedelta(hours=8), "CST")


class ShipmentStatus(StrEnum):
    CREATED = "created"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED = "returned"


LABELS: dict[ShipmentStatus, str] = {
    ShipmentStatus.CREATED: "已下单",
    ShipmentStatus.PICKED_UP: "已揽收",
    ShipmentStatus.IN_TRANSIT: "运输中",
    ShipmentStatus.DELIVERED: "已签收",
    ShipmentStatus.EXCEPTION: "异常",
    ShipmentStatus.RETURNED: "已退回",
}

S = ShipmentStatus

# SF Express route ``opCode`` (丰桥 路由查询 / 路由推送). Drawn from SF's published samples and
# public SDKs; check new codes against the carrier's current list before relying on them.
SF_OPCODES: Mapping[str, ShipmentStatus] = {
    "50": S.PICKED_UP,  # 顺丰已收取快件
    "54": S.PICKED_UP,  # 上门收件
    "30": S.IN_TRANSIT,  # 快件在【…】已装车，准备发往下一站
    "31": S.IN_TRANSIT,  # 快件到达【…】
    "36": S.IN_TRANSIT,  # 快件已发车
    "105": S.IN_TRANSIT,  # 航班起飞
    "106": S.IN_TRANSIT,  # 航班到达
    "123": S.IN_TRANSIT,  # 快件正送往顺丰店/站
    "130": S.IN_TRANSIT,  # 快件已放入丰巢/驿站，待取
    "44": S.IN_TRANSIT,  # 正在派送途中
    "204": S.IN_TRANSIT,  # 派件
    "33": S.EXCEPTION,  # 派件异常 / 滞留
    "70": S.EXCEPTION,  # 派送不成功
    "77": S.EXCEPTION,  # 中转滞留
    "80": S.DELIVERED,  # 已签收
    "8000": S.DELIVERED,  # 已签收（收方签收）
    "99": S.RETURNED,  # 应客户要求，快件退回 / 转寄
    "648": S.RETURNED,  # 快件已退回寄件人
}

# Kuaidi100 ``lastResult.state`` (and ``data[].status`` names): the push contract's 0…14.
KUAIDI100_STATES: Mapping[str, ShipmentStatus] = {
    "0": S.IN_TRANSIT,  # 在途
    "1": S.PICKED_UP,  # 揽收
    "2": S.EXCEPTION,  # 疑难
    "3": S.DELIVERED,  # 签收
    "4": S.RETURNED,  # 退签
    "5": S.IN_TRANSIT,  # 派件
    "6": S.RETURNED,  # 退回
    "7": S.IN_TRANSIT,  # 转投
    "8": S.IN_TRANSIT,  # 清关
    "10": S.IN_TRANSIT,  # 待清关
    "11": S.IN_TRANSIT,  # 清关中
    "12": S.IN_TRANSIT,  # 已清关
    "13": S.EXCEPTION,  # 清关异常
    "14": S.EXCEPTION,  # 拒签 (returns to the sender next)
}

# Kuaidi100 ``resultv2`` sub-states (``data[].statusCode``), finer than ``state``.
KUAIDI100_SUBSTATES: Mapping[str, ShipmentStatus] = {
    "101": S.CREATED,  # 已下单
    "102": S.CREATED,  # 待揽收
    "103": S.PICKED_UP,  # 已揽收
    "1001": S.IN_TRANSIT,  # 到达派件城市
    "1002": S.IN_TRANSIT,  # 干线
    "1003": S.IN_TRANSIT,  # 转递
    "501": S.IN_TRANSIT,  # 投柜或驿站
    "201": S.EXCEPTION,  # 超时未签收
    "202": S.EXCEPTION,  # 超时未更新
    "203": S.EXCEPTION,  # 拒收
    "204": S.EXCEPTION,  # 派件异常
    "205": S.EXCEPTION,  # 柜或驿站超时未取
    "206": S.EXCEPTION,  # 无法联系
    "207": S.EXCEPTION,  # 超区
    "208": S.EXCEPTION,  # 滞留
    "209": S.EXCEPTION,  # 破损
    "210": S.EXCEPTION,  # 销单
    "301": S.DELIVERED,  # 本人签收
    "302": S.DELIVERED,  # 派件异常后签收
    "303": S.DELIVERED,  # 代签
    "304": S.DELIVERED,  # 投柜或站签收
    "401": S.EXCEPTION,  # 已销单
}

KUAIDI100_STATE_NAMES: Mapping[str, str] = {
    "在途": "0",
    "揽收": "1",
    "疑难": "2",
    "签收": "3",
    "退签": "4",
    "派件": "5",
    "退回": "6",
    "转投": "7",
    "清关": "8",
    "待清关": "10",
    "清关中": "11",
    "已清关": "12",
    "清关异常": "13",
    "拒签": "14",
}

TABLES: Mapping[str, Mapping[str, ShipmentStatus]] = {
    "sf": SF_OPCODES,
    "kuaidi100": {**KUAIDI100_STATES, **KUAIDI100_SUBSTATES},
}


def map_code(carrier: str, code: str) -> ShipmentStatus:
    """The status a carrier code means; an unlisted code is ``in_transit`` (and logged)."""
    status = TABLES[carrier].get(str(code))
    if status is None:
        log.warning("courier: unmapped %s code %r recorded as in_transit", carrier, code)
        return S.IN_TRANSIT
    return status


def parse_carrier_time(text: str) -> datetime:
    """``YYYY-MM-DD HH:MM:SS`` in China time (what both carriers write) → aware UTC."""
    value = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
    return value.replace(tzinfo=CHINA_TZ).astimezone(UTC)


def format_carrier_time(at: datetime) -> str:
    return at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True, eq=False)
class TrackingEvent:
    """One step of a shipment as a carrier reported it.

    ``at`` is aware UTC (carriers' China time converted); ``text`` is the carrier's own words
    (shown to the citizen as they are); ``raw`` the carrier's item, kept for audit."""

    at: datetime
    carrier_code: str
    status: ShipmentStatus
    text: str
    location: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Identity for de-duplication: the event time and text. Every Kuaidi100 push repeats
        the whole history and SF retries pushes, so the same step arrives many times."""
        stamp = self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return hashlib.sha256(f"{stamp}|{self.text}".encode()).hexdigest()


# When two events carry the same second, the later stage of a parcel's life wins the tie.
_RANK = {
    S.CREATED: 0,
    S.PICKED_UP: 1,
    S.IN_TRANSIT: 2,
    S.EXCEPTION: 3,
    S.RETURNED: 4,
    S.DELIVERED: 5,
}


def merge_events(*batches: Iterable[TrackingEvent]) -> list[TrackingEvent]:
    """One event per (time, text) across ``batches``, oldest first (ties: later stage last)."""
    seen: dict[str, TrackingEvent] = {}
    for batch in batches:
        for event in batch:
            seen.setdefault(event.key, event)
    return sorted(seen.values(), key=lambda e: (e.at, _RANK[e.status]))


def current_status(
    events: Iterable[TrackingEvent | tuple[datetime, ShipmentStatus]],
) -> ShipmentStatus:
    """The status of the latest event (``created`` when there is none yet)."""
    latest: tuple[datetime, int, ShipmentStatus] | None = None
    for item in events:
        at, status = (item.at, item.status) if isinstance(item, TrackingEvent) else item
        if at.tzinfo is None:  # SQLite hands back naive UTC
            at = at.replace(tzinfo=UTC)
        candidate = (at, _RANK[ShipmentStatus(status)], ShipmentStatus(status))
        if latest is None or candidate[:2] > latest[:2]:
            latest = candidate
    return latest[2] if latest else S.CREATED
