"""The whole journey in Chromium, with the real reader and signer: a citizen from choosing a
matter to a verified certificate, a reviewer approving in between by keyboard alone; and a
defect found and fixed by replacing the file. Slow (documents are really read)."""

from __future__ import annotations

from typing import Any

import pytest

import cases
from cases import accounts
from tests.web.conftest import ARTIFACTS, Live, axe_check

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MATTER = "second-hand-house-transfer"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
PASSWORD = "journey-pass-1"
READ_TIMEOUT_MS = 240_000  # six documents read on a loaded two-core machine


def _staff(live: Live, username: str) -> None:
    services = live.app.state.services
    with cases.transaction(services.sessions) as db:
        accounts.create_user(
            db, username=username, password=PASSWORD, name="审核员", role=accounts.Role.REVIEWER
        )


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _citizen_until_application(page: Any, base: str, username: str) -> None:
    page.goto(base + "/register")
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_role("button", name="注册并登录").click()
    page.get_by_role("heading", name="我的申请").wait_for()
    page.get_by_role("link", name="找事项，开始新的申请").click()
    page.get_by_label("事项名称或关键词").fill("二手房")
    page.get_by_role("link", name="存量房买卖转移登记").click()
    for n in range(3):
        page.locator("fieldset.question").nth(n).get_by_label("否").check()
    page.get_by_role("button", name="查看需要准备的材料").click()
    page.get_by_role("button", name="开始网上申请").click()
    page.get_by_text("待上传材料").wait_for()


def _upload(page: Any, slot: str, files: list[tuple[str, bytes]]) -> None:
    form = page.locator(f'li[data-slot="{slot}"] form.upload-form')
    form.locator('input[type="file"]').set_input_files(
        files=[{"name": n, "mimeType": "application/octet-stream", "buffer": b} for n, b in files]
    )
    form.get_by_role("button", name="上传", exact=True).click()
    # the page shows each file in its material once it is in (after the live part refreshed)
    for name, _ in files:
        page.locator(f'li[data-slot="{slot}"] .file-name').filter(has_text=name).wait_for()


def _upload_application(page: Any, uploads: list[tuple[str, str, bytes]]) -> None:
    by_slot: dict[str, list[tuple[str, bytes]]] = {}
    for slot, name, data in uploads:
        by_slot.setdefault(slot, []).append((name, data))
    for slot, files in by_slot.items():
        _upload(page, slot, files)


def test_from_a_matter_to_a_verified_certificate_with_a_reviewer_by_keyboard(
    browser: Any, live: Live
) -> None:
    from synthdocs.applications import build_application

    application = build_application(seed=3)
    assert application.expected_verdict == "ready"
    base = live.url
    citizen = browser.new_context(viewport=PHONE, locale="zh-CN")
    citizen.set_default_timeout(20_000)
    page = citizen.new_page()
    _citizen_until_application(page, base, "journey-citizen")
    _upload_application(page, application.uploads)
    _shot(page, "application-reading-phone")
    # the page follows the reading by itself (SSE, polling behind it) up to the verdict
    page.get_by_text("材料齐全，可以提交").wait_for(timeout=READ_TIMEOUT_MS)
    assert page.get_by_text("已识别：不动产权证书", exact=True).is_visible()
    axe_check(page, "application-ready", "phone")
    page.get_by_role("link", name="核对并提交").click()
    page.get_by_role("heading", name="提交前请核对").wait_for()
    axe_check(page, "check-answers", "phone")
    page.get_by_role("button", name="确认无误，提交审核").click()
    page.get_by_text("已提交，等待审核").first.wait_for()

    # the reviewer, keyboard only: queue → case → claim → approve
    _staff(live, "journey-reviewer")
    staff = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    staff.set_default_timeout(20_000)
    rpage = staff.new_page()
    rpage.goto(base + "/login")
    rpage.get_by_label("用户名").focus()
    rpage.keyboard.type("journey-reviewer")
    rpage.keyboard.press("Tab")
    rpage.keyboard.type(PASSWORD)
    rpage.keyboard.press("Enter")
    rpage.get_by_role("heading", name="待审核办件").wait_for()
    assert rpage.get_by_text("前办结").first.is_visible() or rpage.get_by_text("期限").first
    axe_check(rpage, "review-queue", "desktop")
    link = rpage.get_by_role("link", name="存量房买卖转移登记")
    link.focus()
    rpage.keyboard.press("Enter")
    rpage.get_by_role("heading", name="快捷键").wait_for()
    rpage.get_by_role("button", name="领取本办件").focus()
    rpage.keyboard.press("Enter")
    rpage.get_by_text("已领取本办件").wait_for()
    rpage.locator("body").focus()
    rpage.keyboard.press("a")  # the shortcut shown on the page: approve
    assert rpage.evaluate("document.activeElement.value") == "approve"
    assert rpage.get_by_label("核准（签发电子证照）").is_checked()
    axe_check(rpage, "review-case", "desktop")
    rpage.get_by_role("button", name="提交决定").focus()
    rpage.keyboard.press("Enter")
    rpage.get_by_text("已核准").first.wait_for()
    staff.close()

    # the certificate is issued without anyone else acting; the citizen's page shows it
    page.get_by_text("电子证照已签发").wait_for(timeout=120_000)
    assert page.get_by_role("img", name="电子证照核验二维码，扫码打开核验页面").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载电子证照（PDF）").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    page.get_by_label("到窗口领取（凭取件码）").check()
    page.get_by_role("button", name="确定领取方式").click()
    page.get_by_text("取件码").first.wait_for()
    axe_check(page, "certificate", "phone")
    # the QR code's page, and the downloaded file checked by upload
    page.get_by_role("link", name="核验页面").click()
    page.get_by_text("电子证照有效").wait_for()
    page.goto(base + "/verify")
    page.get_by_label("电子证照 PDF 文件").set_input_files(
        files=[{"name": "证照.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_role("button", name="核验文件").click()
    page.get_by_text("核验通过：文件未被改动，签章可信，证照有效").wait_for()
    citizen.close()


def test_a_defect_is_found_shown_on_the_image_and_fixed_by_replacing_the_file(
    browser: Any, live: Live
) -> None:
    from synthdocs.applications import build_application

    clean = build_application(seed=3)
    good = next(d for s, _, d in clean.uploads if s == "property_certificate")
    id_photo = next(d for s, _, d in clean.uploads if s == "buyer_id_card")
    # a buyer's ID card photo where the property certificate belongs: a wrong document
    wrong = [
        (s, n, d) if s != "property_certificate" else (s, "房产证.jpg", id_photo)
        for s, n, d in clean.uploads
    ]
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    _citizen_until_application(page, live.url, "defect-citizen")
    _upload_application(page, wrong)
    page.get_by_text("需要修改").first.wait_for(timeout=READ_TIMEOUT_MS)
    slot = page.locator('li[data-slot="property_certificate"]')
    assert slot.locator(".finding").count() >= 1
    axe_check(page, "application-needs-fix", "phone")
    slot.get_by_text("这是身份证").first.wait_for()  # the file's own feedback, in words
    # the right certificate replaces the wrong file; the report follows
    replace = slot.locator("form.replace-form").first
    replace.locator('input[type="file"]').set_input_files(
        files=[{"name": "不动产权证书.pdf", "mimeType": "application/pdf", "buffer": good}]
    )
    replace.get_by_role("button", name="替换", exact=True).click()
    page.locator(".file-name").filter(has_text="不动产权证书.pdf").wait_for()
    page.get_by_text("材料齐全，可以提交").wait_for(timeout=READ_TIMEOUT_MS)
    # the large-text mode on the application page at a phone's width: nothing runs off screen
    page.get_by_role("button", name="大字模式：未开启").click()
    page.get_by_role("button", name="大字模式：已开启").wait_for()
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "24px"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    axe_check(page, "application-fixed-large", "phone")
    assert page.locator('li[data-slot="property_certificate"] .finding').count() == 0
    context.close()
