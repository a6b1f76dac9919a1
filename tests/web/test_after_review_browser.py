"""The citizen's page after staff acted, in Chromium at a phone's width: a returned case's
reasons and a shipment's progress, each checked by axe-core (no serious or critical violation)
and shot as an artefact; the reason's link takes the reader to the material to change."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import cases
from cases import accounts
from cases.models import Application, Review
from tests.web.conftest import Live, axe_check
from tests.web.test_citizen_after_review import MATTER, seed_shipped

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
PASSWORD = "after-review-pass-1"


def _seed(live: Live) -> tuple[str, str]:
    services = live.app.state.services
    now = datetime.now(UTC)
    with cases.transaction(services.sessions) as s:
        owner = accounts.create_user(s, username="after-review-citizen", password=PASSWORD)
        owner_id = owner.id
        returned = Application(
            matter_id=MATTER,
            answers={"seller_married": False, "via_agent": False, "first_home_tax_relief": False},
            state="returned",
            owner_id=owner_id,
        )
        s.add(returned)
        s.flush()
        s.add(
            Review(
                application_id=returned.id,
                reviewer=owner_id,  # any account id: the page shows no reviewer
                decision="return",
                reason=json.dumps(
                    {
                        "reason": "合同信息与产权证书不一致",
                        "items": [
                            {
                                "slot": "sale_contract",
                                "field": "location",
                                "reason": "合同中的房屋坐落与产权证书不同，请上传正确的合同",
                            }
                        ],
                    },
                    ensure_ascii=False,
                ),
            )
        )
        returned_id = returned.id
    shipped_id = seed_shipped(
        services,
        owner_id,
        [
            (now - timedelta(hours=20), "50", "顺丰速运已收取快件"),
            (now - timedelta(hours=2), "31", "快件到达【杭州西湖集散点】"),
        ],
        "in_transit",
    )
    return returned_id, shipped_id


def test_a_returned_case_and_a_shipment_on_a_phone(browser: Any, live: Live) -> None:
    returned, shipped = _seed(live)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(live.url + "/login")
    page.get_by_label("用户名").fill("after-review-citizen")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="我的申请").wait_for()

    page.goto(f"{live.url}/applications/{returned}")
    page.get_by_role("heading", name="审核人员退回了申请").wait_for()
    axe_check(page, "application-returned", "phone")
    page.get_by_role("link", name="中的“坐落”").click()
    assert page.url.endswith("#slot-sale_contract")
    slot = page.locator('li[data-slot="sale_contract"]')
    assert slot.get_by_text("审核人员要求修改").is_visible()
    assert slot.get_by_label("上传存量房买卖合同", exact=False).count() == 1

    page.goto(f"{live.url}/applications/{shipped}")
    page.get_by_text("快递状态：运输中").wait_for()
    events = page.locator("ol.events li")
    assert events.count() == 2
    assert "快件到达【杭州西湖集散点】" in events.first.inner_text()
    axe_check(page, "application-shipped", "phone")
    context.close()
