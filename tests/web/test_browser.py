"""The pages in a real browser: Debian's Chromium driven by Playwright, the service on a real
port. axe-core checks every page at a phone's and a desktop's size (zero serious or critical
violations); screenshots and the axe results per page go to ``tests/web/artifacts/``.

One browser for the module; each test opens its own context (its own cookies)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.conftest import ARTIFACTS, Live

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
MATTER = "second-hand-house-transfer"


class Visit:
    """One browser context: its console errors (a CSP refusal is one), axe runs, screenshots."""

    def __init__(self, browser: Any, base: str, viewport: dict[str, int], label: str) -> None:
        self.context = browser.new_context(viewport=viewport, locale="zh-CN")
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.base = base
        self.label = label
        self.console_errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        # a page may answer 4xx on purpose (a form sent back with its errors); its assets may not
        self.page.on(
            "response",
            lambda r: (
                self.console_errors.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.resource_type != "document"
                else None
            ),
        )
        self.axe_results: dict[str, dict[str, Any]] = {}

    def _console(self, message: Any) -> None:
        # "Failed to load resource" repeats a response's status, judged above
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)

    def check(self, name: str) -> None:
        """axe-core on the page as it is now, and a full-page screenshot."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        violations = results.response["violations"]
        self.axe_results[name] = {
            "url": self.page.url.removeprefix(self.base),
            "violations": {v["id"]: v["impact"] for v in violations},
            "passes": len(results.response.get("passes", [])),
        }
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}-{self.label}.png"), full_page=True)
        bad = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], f"{name} ({self.label}): {bad}"

    def no_horizontal_scroll(self) -> None:
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{self.page.url}: {overflow}px wider than the viewport"

    def close(self) -> None:
        self.context.close()
        assert self.console_errors == [], self.console_errors


def _record_axe(label: str, results: dict[str, dict[str, Any]]) -> None:
    path = ARTIFACTS / "axe-results.json"
    ARTIFACTS.mkdir(exist_ok=True)
    doc = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    doc[label] = results
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_page_passes_axe_and_the_policy_holds(browser: Any, live: Live, size: str) -> None:
    base, certs = live.url, live.certs
    v = Visit(browser, base, PHONE if size == "phone" else DESKTOP, size)
    page = v.page
    v.goto("/")
    # the live search (htmx) narrows the list as one types
    page.get_by_label("事项名称或关键词").fill("二手房")
    page.get_by_text("“二手房”：找到 1 个事项").wait_for()
    v.check("home-search")
    page.get_by_role("link", name="存量房买卖转移登记").click()
    page.get_by_role("heading", name="请回答以下问题").wait_for()
    v.check("matter")
    # submitting with nothing chosen names every unanswered question
    page.get_by_role("button", name="查看需要准备的材料").click()
    page.get_by_text("还有 3 个问题没有回答").wait_for()
    v.check("matter-unanswered")
    for question, choice in (("1. 卖方是否已婚？", "是"), ("2. 是否委托他人代为办理？", "否")):
        page.get_by_role("group", name=question).get_by_label(choice).check()
    page.get_by_role(
        "group", name="3. 买方是否申请家庭唯一住房或第二套住房契税优惠？"
    ).get_by_label("否").check()
    page.get_by_role("button", name="查看需要准备的材料").click()
    page.get_by_role("heading", name="卖方结婚证").wait_for()
    assert page.get_by_role("button", name="打印本页").is_visible()  # the script ran
    v.check("checklist")
    v.goto("/verify")
    v.check("verify")
    page.get_by_label("电子证照 PDF 文件").set_input_files(
        files=[{"name": "证照.pdf", "mimeType": "application/pdf", "buffer": certs.valid_pdf}]
    )
    page.get_by_role("button", name="核验文件").click()
    page.get_by_text("核验通过：文件未被改动，签章可信，证照有效").wait_for()
    v.check("verify-file")
    page.get_by_label("证照标识", exact=True).fill(certs.revoked)
    page.get_by_role("button", name="查询").click()
    page.get_by_text("电子证照已注销").wait_for()
    v.check("verify-revoked")
    v.goto(f"/verify/{certs.valid}")
    v.check("verify-valid")
    v.goto(f"/verify/{certs.superseded}")
    v.check("verify-superseded")
    v.goto("/register")
    v.check("register")
    v.goto("/login")
    page.get_by_role("button", name="登录").click()  # nothing typed: the error says what to do
    page.get_by_text("请填写用户名和密码").wait_for()
    v.check("login-error")
    _record_axe(size, v.axe_results)
    v.close()


def test_large_text_mode_at_a_phone_and_the_pages_at_200_percent_zoom(
    browser: Any, live: Live
) -> None:
    base = live.url
    v = Visit(browser, base, PHONE, "phone-large")
    page = v.page
    v.goto(f"/matters/{MATTER}")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "18px"
    toggle = page.get_by_role("button", name="大字模式：未开启")
    toggle.focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="大字模式：已开启").wait_for()
    assert page.url.endswith(f"/matters/{MATTER}")  # back where the reader was
    for path in ("/", f"/matters/{MATTER}", "/verify"):
        v.goto(path)
        assert page.evaluate("getComputedStyle(document.body).fontSize") == "24px"
        v.no_horizontal_scroll()
    v.goto(f"/matters/{MATTER}")
    for n, label in enumerate(("是", "否", "否")):
        page.locator("fieldset.question").nth(n).get_by_label(label).check()
    page.get_by_role("button", name="查看需要准备的材料").click()
    page.get_by_role("heading", name="需要的材料").wait_for()
    v.no_horizontal_scroll()
    v.check("checklist-large")
    v.close()

    # 200 % zoom of a 1280 px window lays the page out in 640 CSS px at twice the pixels
    zoom = browser.new_context(viewport={"width": 640, "height": 430}, device_scale_factor=2)
    zpage = zoom.new_page()
    for path in ("/", f"/matters/{MATTER}", "/verify"):
        zpage.goto(base + path)
        width = zpage.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert width <= 0, path
    zpage.screenshot(path=str(ARTIFACTS / "verify-zoom200.png"), full_page=True)
    zoom.close()


def _focused(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
        return {tag: e.tagName, id: e.id, text: (e.innerText || e.value || '').trim(),
                name: e.getAttribute('name'), value: e.getAttribute('value'),
                href: e.getAttribute('href'),
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }"""
    )


def _tab_to(page: Any, want: Any, limit: int = 25) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        f = _focused(page)
        if want(f):
            assert f["outline"], f"no visible focus on {f}"
            return f
    pytest.fail("not reachable by Tab")


def test_a_citizen_reaches_the_checklist_by_keyboard_alone(browser: Any, live: Live) -> None:
    base = live.url
    v = Visit(browser, base, DESKTOP, "keyboard")
    page = v.page
    v.goto("/")
    first = _tab_to(page, lambda f: True, limit=1)
    assert first["text"] == "跳到主要内容"
    _tab_to(page, lambda f: f["id"] == "q")
    page.keyboard.type("二手房")
    page.keyboard.press("Enter")
    page.get_by_text("“二手房”：找到 1 个事项").wait_for()
    _tab_to(page, lambda f: f["href"] == f"/matters/{MATTER}")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="请回答以下问题").wait_for()
    # a radio group is one Tab stop: Space chooses "是", an arrow key moves to "否"
    _tab_to(page, lambda f: f["name"] == "seller_married")
    page.keyboard.press("Space")
    for question in ("via_agent", "first_home_tax_relief"):
        _tab_to(page, lambda f, q=question: f["name"] == q)
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")
    _tab_to(page, lambda f: f["text"] == "查看需要准备的材料")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="需要的材料").wait_for()
    assert page.get_by_role("heading", name="卖方结婚证").is_visible()
    assert page.get_by_role("heading", name="授权委托书").count() == 0
    v.close()
