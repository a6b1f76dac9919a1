"""Issue 15's pages: who may open which (supervisor, citizen, window staff), the dashboard's
figures against a hand-counted set, the follow-up answered on its page, the window check-in by
booking code; then in Chromium a rating and a booking made, moved and cancelled, every new page
checked by axe-core (no serious or critical violation)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

import cases
from cases import accounts
from cases.models import (
    Application,
    AuditEvent,
    Booking,
    Certificate,
    Delivery,
    FollowUp,
    Notification,
    Rating,
    Review,
)
from jobs import booking, ratings
from tests.web.conftest import Live, axe_check, csrf_of

MATTER = "second-hand-house-transfer"
PASSWORD = "supervision-pass-1"
T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def _users(services: Any, suffix: str) -> dict[str, str]:
    ids = {}
    with cases.transaction(services.sessions) as s:
        for name, role in [("sup", "supervisor"), ("rev", "reviewer"), ("cit", "citizen"),
                           ("other", "citizen")]:  # fmt: skip
            user = accounts.create_user(
                s, username=f"{name}-{suffix}", password=PASSWORD, role=role
            )
            ids[name] = user.id
    return ids


def _case(s: Any, owner: str, state: str, rounds: int = 0) -> str:
    a = Application(
        matter_id=MATTER, answers={}, state=state, correction_rounds=rounds, owner_id=owner,
        submitted_at=T0, due_at=T0 + timedelta(days=10),
    )  # fmt: skip
    s.add(a)
    s.flush()
    return a.id


def _certificate(s: Any, app_id: str, hours: float) -> None:
    n = uuid.uuid4().hex[:10]
    s.add(
        Certificate(
            application_id=app_id, identifier=f"sup-{n}", name="不动产权证书", type_code="t",
            number=n, serial=n, holder_name="张三", issuer_name="局", issuer_code="1" * 18,
            issued_on=date(2026, 11, 2), created_at=T0 + timedelta(hours=hours),
        )
    )  # fmt: skip


def _login(client: TestClient, username: str) -> None:
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def _post(client: TestClient, url: str, data: dict[str, str], page: str) -> Any:
    token = csrf_of(client.get(page).text)
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=False)


@pytest.fixture(scope="module")
def world(web_app: tuple[TestClient, Any]) -> dict[str, Any]:
    """By hand: three submitted cases of one matter. a: courier, no return, approved at +2 h,
    certificate at +4 h (0 visits). b: one correction round, picked up at the window, approved
    at +6 h, certificate at +8 h (1 visit). c: ready, waiting for its visit. b is rated 不满意
    (a follow-up opens)."""
    services = web_app[0].app.state.services  # type: ignore[attr-defined]
    users = _users(services, "w")
    with cases.transaction(services.sessions) as s:
        a = _case(s, users["cit"], "issued")
        s.add(Review(application_id=a, reviewer=users["rev"], decision="approve",
                     created_at=T0 + timedelta(hours=2)))  # fmt: skip
        _certificate(s, a, 4)
        s.add(Delivery(application_id=a, method="courier"))
        b = _case(s, users["cit"], "picked_up", rounds=1)
        s.add(Review(application_id=b, reviewer=users["rev"], decision="approve",
                     created_at=T0 + timedelta(hours=6)))  # fmt: skip
        _certificate(s, b, 8)
        s.add(Delivery(application_id=b, method="pickup"))
        c = _case(s, users["cit"], "ready")
        window = booking.create_window(s, hall="市民中心", number="B02", matters=[MATTER]).id
        ratings.rate(
            s, user_id=users["cit"], application_id=b, level="不满意", reasons=["办理时间太长"],
            now=datetime.now(UTC), deadlines=services.deadlines, follow_up_working_days=5,
        )  # fmt: skip
    return {"users": users, "a": a, "b": b, "c": c, "window": window, "services": services}


def _row(html: str, label: str) -> str:
    found = re.search(rf'<th scope="row">{re.escape(label)}</th><td>([^<]*)</td>', html)
    assert found, label
    return found.group(1)


def test_only_a_supervisor_sees_the_dashboard(client: TestClient, world: dict) -> None:
    r = client.get("/supervision", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/supervision"
    for who in ("cit-w", "rev-w"):
        client.cookies.clear()
        _login(client, who)
        r = client.get("/supervision", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), who
    client.cookies.clear()
    _login(client, "cit-w")
    assert client.get("/window", follow_redirects=False).status_code == 303


def test_the_dashboard_shows_the_hand_counted_figures(client: TestClient, world: dict) -> None:
    _login(client, "sup-w")
    html = client.get("/supervision").text
    assert re.search(r'data-kpi="已提交办件">3 件<', html)
    assert re.search(r'data-kpi="首次预审通过率">66.7%<', html)  # a and c of a, b, c
    assert _row(html, "零跑动") == "50.0%（1 件）"
    assert _row(html, "跑一次") == "50.0%（1 件）"
    assert _row(html, "提交到审批 中位数") == "2 小时"  # of 2 h and 6 h, nearest rank
    assert _row(html, "提交到审批 P90") == "6 小时"
    assert _row(html, "提交到出证 中位数") == "4 小时"
    assert _row(html, "提交到出证 P90") == "8 小时"
    assert _row(html, "rev-w") == "决定 2 件，在办 0 件"
    assert _row(html, "不满意") == "1 件" and _row(html, "非常满意") == "0 件"
    assert "<svg" in html and 'role="img"' in html


def test_a_follow_up_is_answered_on_its_page(client: TestClient, world: dict) -> None:
    _login(client, "sup-w")
    page = client.get("/supervision/follow-ups").text
    assert "办理时间太长" in page and "提交答复并结案" in page
    empty = _post(client, f"/supervision/follow-ups/{world['b']}", {"answer": " "},
                  "/supervision/follow-ups")  # fmt: skip
    assert empty.status_code == 422 and "无法完成操作" in empty.text
    r = _post(client, f"/supervision/follow-ups/{world['b']}", {"answer": "已约谈窗口并整改"},
              "/supervision/follow-ups")  # fmt: skip
    assert r.status_code == 303
    with world["services"].sessions() as s:
        f = s.query(FollowUp).filter_by(application_id=world["b"]).one()
        assert f.closed_at is not None and f.answer == "已约谈窗口并整改"
    assert "已约谈窗口并整改" in client.get("/supervision/follow-ups").text


def test_ratings_are_once_and_only_ones_own(client: TestClient, world: dict) -> None:
    _login(client, "other-w")
    assert client.get(f"/applications/{world['a']}/rating").status_code == 404
    r = _post(client, f"/applications/{world['a']}/rating", {"level": "5"}, "/visits")
    assert r.status_code == 404
    client.cookies.clear()
    _login(client, "cit-w")
    again = _post(client, f"/applications/{world['b']}/rating", {"level": "5"}, "/visits")
    assert again.status_code == 409
    with world["services"].sessions() as s:
        assert s.query(Rating).filter_by(application_id=world["b"]).one().level == 2


def test_the_window_checks_in_a_booking_code(client: TestClient, world: dict) -> None:
    services = world["services"]
    cal = services.deadlines.calendar
    day = datetime.now(ZoneInfo(services.deadlines.settings.timezone)).date() + timedelta(days=1)
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    with cases.transaction(services.sessions) as s:
        slot = booking.slots(s, window_id=world["window"], day=day, deadlines=services.deadlines,
                             now=datetime.now(UTC))[0]  # fmt: skip
        b = booking.book(
            s, user_id=world["users"]["cit"], application_id=world["c"],
            window_id=world["window"], starts_at=slot.starts_at, deadlines=services.deadlines,
            now=datetime.now(UTC),
        )  # fmt: skip
        code = b.code
        b.starts_at = datetime.now(UTC)  # check-in is on the booking's day: it is today
    _login(client, "rev-w")
    wrong = _post(client, "/window/check-in", {"code": "NOSUCH99"}, "/window")
    assert wrong.status_code == 422
    r = _post(client, "/window/check-in", {"code": code}, "/window")
    assert r.status_code == 303 and "签到成功" in client.get(r.headers["location"]).text
    with services.sessions() as s:
        assert s.query(Booking).filter_by(code=code).one().status == "checked_in"
        assert s.query(AuditEvent).filter_by(subject_id=world["c"]).count() >= 2


def test_notifications_are_listed_and_marked_read(client: TestClient, world: dict) -> None:
    services = world["services"]
    with cases.transaction(services.sessions) as s:
        s.add(Notification(user_id=world["users"]["sup"], kind="deadline_warning",
                           subject_type="application", subject_id=world["c"],
                           title="办件即将超期：二手房转移登记", body="请尽快办理。"))  # fmt: skip
    _login(client, "sup-w")
    page = client.get("/notifications").text
    assert "办件即将超期" in page and "未读" in page
    r = _post(client, "/notifications/read", {}, "/notifications")
    assert r.status_code == 303 and "未读" not in client.get("/notifications").text


# --- in Chromium ---------------------------------------------------------------------------------


@pytest.mark.browser
def test_rating_and_booking_in_the_browser(live: Live, browser: Any) -> None:
    services = live.app.state.services
    suffix = uuid.uuid4().hex[:6]
    users = _users(services, suffix)
    with cases.transaction(services.sessions) as s:
        ended = _case(s, users["cit"], "issued")
        ready = _case(s, users["cit"], "ready")
        booking.create_window(s, hall=f"市民中心{suffix}", number="C01", matters=[MATTER])
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(live.url + "/login")
    page.get_by_label("用户名").fill(f"cit-{suffix}")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="预约与评价").click()
    axe_check(page, "visits", "phone")

    page.goto(f"{live.url}/applications/{ended}/rating")
    axe_check(page, "rating", "phone")
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("需要多次跑腿").check()
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("您已评价：满意").wait_for()
    with services.sessions() as s:
        r = s.query(Rating).filter_by(application_id=ended).one()
        assert (r.level, r.reasons) == (4, ["需要多次跑腿"])

    page.goto(f"{live.url}/applications/{ready}/booking")
    axe_check(page, "booking", "phone")
    page.locator('input[name="starts_at"]:not([disabled])').first.check()
    page.get_by_role("button", name="确认预约").click()
    page.get_by_text("已预约：").wait_for()
    first_code = page.locator("[data-booking-code]").inner_text()
    first_at = page.locator(".status-title").inner_text()
    page.locator('input[name="starts_at"]:not([disabled])').nth(1).check()
    page.get_by_role("button", name="改约到这个时段").click()
    page.get_by_text("已预约：").wait_for()
    assert page.locator(".status-title").inner_text() != first_at
    axe_check(page, "booking-booked", "phone")
    page.get_by_role("button", name="取消预约").click()
    page.get_by_role("button", name="确认预约").wait_for()
    with services.sessions() as s:
        rows = s.query(Booking).filter_by(application_id=ready).all()
        assert [b.status for b in rows] == ["cancelled"] and rows[0].code == first_code
    context.close()

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    spage = staff.new_page()
    spage.goto(live.url + "/login")
    spage.get_by_label("用户名").fill(f"sup-{suffix}")
    spage.get_by_label("密码").fill(PASSWORD)
    spage.get_by_role("button", name="登录").click()
    for path, name in [("/supervision", "dashboard"), ("/supervision/alerts", "alerts"),
                       ("/supervision/follow-ups", "follow-ups"),
                       ("/notifications", "notifications"), ("/window", "window")]:  # fmt: skip
        spage.goto(live.url + path)
        axe_check(spage, f"supervision-{name}", "desktop")
    staff.close()


def test_the_window_hands_over_against_a_pickup_code(client: TestClient, world: dict) -> None:
    services = world["services"]
    with cases.transaction(services.sessions) as s:
        case = _case(s, world["users"]["cit"], "issued")
        _certificate(s, case, 3)
    token = client.post("/api/auth/token", data={"username": "cit-w", "password": PASSWORD}).json()[
        "access_token"
    ]
    r = client.post(
        f"/api/applications/{case}/delivery",
        json={"method": "pickup"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text
    code = r.json()["pickup_code"]
    _login(client, "rev-w")
    r = _post(client, "/window/pickup", {"code": code}, "/window")
    assert r.status_code == 303 and "领取成功" in client.get(r.headers["location"]).text
    assert _post(client, "/window/pickup", {"code": code}, "/window").status_code == 422  # once
    with services.sessions() as s:
        assert s.get(Application, case).state == "picked_up"
