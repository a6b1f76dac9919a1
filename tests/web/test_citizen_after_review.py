"""What the citizen reads on their application's page once staff have acted, over HTTP: a
reviewer's return or rejection (the reason, and what to change in which material and field, by
their Chinese names) and a courier shipment's progress (its status and events in words)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html import unescape
from typing import Any

import pytest

from cases import transaction
from cases.models import Application, Certificate, Delivery, Shipment, ShipmentEvent
from tests.api.reviewing import MATTER, PASSWORD, World, make_world, post, seed_case
from tests.web.conftest import csrf_of


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from make_world(tmp_path_factory, "web-decision")


def _citizen_page(world: World, case: str) -> str:
    client = world.client
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"csrf_token": token, "username": "citizen-a", "password": PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = client.get(f"/applications/{case}")
    assert page.status_code == 200
    return page.text


def _text(html: str) -> str:
    """What a person reads, without tags and spaces (Chinese text has none that matter)."""
    return re.sub(r"\s+", "", unescape(re.sub(r"<[^>]+>", " ", html)))


def _section(html: str, ident: str) -> str:
    found = re.search(rf'<(section|li)[^>]*id="{ident}".*?</\1>', html, re.S)
    assert found, f"the page has #{ident}"
    return found.group(0)


def _decide(world: World, case: str, body: dict[str, object]) -> None:
    path = f"/api/review/applications/{case}"
    assert post(world, "reviewer-1", f"{path}/claim").status_code == 200
    r = post(world, "reviewer-1", f"{path}/decision", json=body)
    assert r.status_code == 200, r.text


def test_a_returned_case_says_what_to_change_in_which_material(world: World) -> None:
    case, _ = seed_case(world)
    before = _citizen_page(world, case)
    assert 'id="decision"' not in before  # nothing decided yet: nothing to show
    _decide(
        world,
        case,
        {
            "decision": "return",
            "reason": "卖方身份证照片不清晰",
            "items": [
                {
                    "slot": "seller_id_card",
                    "field": "id_number",
                    "reason": "号码看不清，请重新拍摄",
                },
                {"reason": "请补充购房资格证明"},
            ],
        },
    )
    html = _citizen_page(world, case)
    decision = _text(_section(html, "decision"))
    assert "审核人员退回了申请" in decision
    assert "退回原因：卖方身份证照片不清晰" in decision
    # the material by its Chinese name, the field by its Chinese name, never the keys
    assert (
        "请修改“卖方居民身份证（人像面和国徽面）”中的“公民身份号码”：号码看不清，请重新拍摄"
        in decision
    )
    assert "请补充购房资格证明" in decision
    assert "seller_id_card" not in decision and "id_number" not in decision
    # the item links to its material, and the material itself repeats it where the file is
    assert 'href="#slot-seller_id_card"' in _section(html, "decision")
    slot = _text(_section(html, "slot-seller_id_card"))
    assert "审核人员要求修改：“公民身份号码”：号码看不清，请重新拍摄" in slot
    # returned: the citizen may change the materials again
    assert "换一个文件" in slot


def test_a_rejected_case_gives_its_reason(world: World) -> None:
    case, _ = seed_case(world)
    _decide(world, case, {"decision": "reject", "reason": "房屋已被司法查封，暂不能办理转移登记"})
    html = _citizen_page(world, case)
    decision = _text(_section(html, "decision"))
    assert "申请不予受理" in decision
    assert "不予受理原因：房屋已被司法查封，暂不能办理转移登记" in decision
    assert "审核人员要求修改" not in html  # a rejection asks for no change
    assert "换一个文件" not in html


def _shipped(world: World, events: list[tuple[datetime, str, str]], status: str) -> str:
    return seed_shipped(world.services, world.users["citizen-a"], events, status)


def seed_shipped(
    services: Any, owner_id: str, events: list[tuple[datetime, str, str]], status: str
) -> str:
    """An application whose certificate is issued and whose paper copy is with the courier:
    the rows the courier package writes (shipment, delivery, the carrier's events)."""
    with transaction(services.sessions) as s:
        app = Application(
            matter_id=MATTER,
            answers={},
            state="shipped",
            owner_id=owner_id,
            submitted_at=datetime(2026, 11, 30, 2, 0, tzinfo=UTC),
        )
        s.add(app)
        s.flush()
        cert = Certificate(
            application_id=app.id,
            identifier=f"test-cert-{app.id}",
            name="不动产权证书",
            type_code="test",
            number=app.id[:12],
            serial=app.id[:8],
            holder_name="张三",
            issuer_name="测试不动产登记中心",
            issuer_code="11330100MB0000000X",
            issued_on=date(2026, 12, 1),
        )
        s.add(cert)
        s.flush()
        shipment = Shipment(
            certificate_id=cert.id,
            carrier="sf",
            order_id=f"order-{app.id[:8]}",
            tracking_number="SF1400000000001",
            status=status,
        )
        s.add(shipment)
        s.flush()
        s.add(
            Delivery(
                application_id=app.id,
                method="courier",
                carrier="sf",
                status=status,
                shipment_id=shipment.id,
            )
        )
        for n, (at, code, remark) in enumerate(events):
            s.add(
                ShipmentEvent(
                    shipment_id=shipment.id,
                    event_key=f"{app.id}-{n}",
                    carrier_code=code,
                    status={"50": "picked_up", "31": "in_transit", "70": "exception"}[code],
                    occurred_at=at,
                    raw={"remark": remark},
                )
            )
        return app.id


def test_a_shipment_is_followed_in_words_latest_first_in_beijing_time(world: World) -> None:
    case = _shipped(
        world,
        [
            (datetime(2026, 12, 1, 1, 5, tzinfo=UTC), "50", "顺丰速运已收取快件"),
            (datetime(2026, 12, 1, 10, 30, tzinfo=UTC), "31", "快件到达【杭州西湖集散点】"),
            (datetime(2026, 12, 2, 1, 0, tzinfo=UTC), "70", "收件人电话无人接听，派送不成功"),
        ],
        status="exception",
    )
    html = _citizen_page(world, case)
    delivery = _section(html, "delivery")
    words = _text(delivery)
    assert "邮寄（顺丰速运）" in words and "运单号：SF1400000000001" in words
    # the status in words, with what to do about it; never the carrier's or the model's code
    assert "快递状态：派送遇到问题" in words and "报运单号查询" in words
    assert "exception" not in words and "（sf）" not in words
    # each event: Beijing time, what kind of event, the carrier's own words; the latest first
    events = re.findall(r"<li>(.*?)</li>", delivery, re.S)
    assert [_text(e) for e in events] == [
        "2026-12-0209:00派送遇到问题：收件人电话无人接听，派送不成功",
        "2026-12-0118:30运输中：快件到达【杭州西湖集散点】",
        "2026-12-0109:05已揽收：顺丰速运已收取快件",
    ]
    assert '<time datetime="2026-12-02T01:00:00+00:00">' in delivery
    # the certificate stays on the page beside its delivery
    assert "下载电子证照（PDF）" in html


def test_a_shipment_without_events_yet_says_what_comes_next(world: World) -> None:
    case = _shipped(world, [], status="created")
    words = _text(_section(_citizen_page(world, case), "delivery"))
    assert "快递状态：已下单" in words
    assert "暂时还没有物流记录，快递公司揽收后会显示在这里" in words


def test_a_return_from_the_console_with_a_finding_as_reason_names_its_material(
    world: World,
) -> None:
    case, _ = seed_case(world)
    client = world.client
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    client.post(
        "/login",
        data={"csrf_token": token, "username": "reviewer-1", "password": PASSWORD},
        follow_redirects=False,
    )
    page = client.get(f"/review/{case}").text
    client.post(f"/review/{case}/claim", data={"csrf_token": csrf_of(page)})
    page = client.get(f"/review/{case}").text
    finding = "身份证号码识别置信度低，需人工确认"
    assert f'<option value="{finding}">' in page  # the case's finding, offered as a reason
    r = client.post(
        f"/review/{case}/decision",
        data={
            "csrf_token": csrf_of(page),
            "decision": "return",
            "reason_choice": finding,
            "reason_text": "请在光线充足处重新拍摄身份证人像面",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/review"
    decision = _text(_section(_citizen_page(world, case), "decision"))
    assert f"退回原因：{finding}；请在光线充足处重新拍摄身份证人像面" in decision
    assert f"请修改“卖方居民身份证（人像面和国徽面）”中的“公民身份号码”：{finding}" in decision
