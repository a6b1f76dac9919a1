"""A reviewer's return or rejection, read by the citizen on their application's page: the reason,
and what to change in which material (its Chinese name) and which field, over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest

from tests.api.reviewing import PASSWORD, World, make_world, post, seed_case
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
