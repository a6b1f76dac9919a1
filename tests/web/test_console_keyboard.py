"""The reviewer's console by keyboard alone, in Chromium: J / K move between flagged fields,
C confirms one, E corrects another, A chooses approval; each key's effect is asserted on the
page and in the case (its reviews, its state). The case is a complete application whose
documents are the synthetic files' golden truth (no OCR here), two fields read uncertainly."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import cases
from cases import accounts
from cases.models import Application, Document, Review, Upload
from jobs import outbox
from ocr.document import Document as OcrDocument
from ocr.document import Field as OcrField
from ocr.document import Quality
from precheck.intake import document_to_dict
from storage import Bucket
from tests.web.conftest import Live

pytestmark = [pytest.mark.browser]

MATTER = "second-hand-house-transfer"
PASSWORD = "keyboard-pass-1"
DESKTOP = {"width": 1280, "height": 860}
WRONG_ADDRESS_SUFFIX = "某某号"  # what the reader made of the end of the buyer's address


def _truth(f: Any, *, uncertain: dict[str, tuple[float, Any]]) -> OcrDocument:
    """The document of one synthetic file as its golden truth, read with certainty, except
    ``uncertain`` fields: name → (confidence, value read)."""
    fields = {}
    for page, s in enumerate(f.samples):
        for name, value in s.fields.items():
            fb = s.field_box(name)
            confidence, read = uncertain.get(name, (0.99, value))
            fields[name] = OcrField(
                value=read,
                confidence=confidence,
                page=page,
                box=tuple(int(v) for v in fb.box) if fb else None,
            )
    types = [s.doc_type for s in f.samples]
    sides = tuple(t.removeprefix("id_card_") for t in types if t.startswith("id_card_"))
    return OcrDocument(
        doc_type=types[0],
        confidence=0.99,
        pages=len(f.samples),
        quality=Quality(ok=True),
        fields=fields,
        sides=sides,
    )


def _seed(live: Live) -> tuple[str, str]:
    """A submitted second-hand-house case, complete; the seller's ID number read at 55 %, the
    buyer's address read wrongly at 60 %. Returns (case id, the buyer's true address)."""
    from synthdocs.applications import build_application

    application = build_application(seed=3)
    services = live.app.state.services
    buyer_front = next(f for f in application.files if f.filename == "buyer1_id_front.jpg")
    true_address = str(buyer_front.samples[0].fields["address"])
    now = datetime.now(UTC)
    with cases.transaction(services.sessions) as s:
        owner = accounts.create_user(s, username="keyboard-citizen", password=PASSWORD)
        accounts.create_user(
            s,
            username="keyboard-reviewer",
            password=PASSWORD,
            name="审核员",
            role=accounts.Role.REVIEWER,
            matters=[MATTER],
        )
        app = Application(
            matter_id=MATTER,
            answers=dict(application.answers),
            state="prechecking",
            owner_id=owner.id,
            submitted_at=now - timedelta(hours=1),
            due_at=now + timedelta(days=3),
        )
        s.add(app)
        s.flush()
        for f in application.files:
            info = services.store.put_content(kind=Bucket.UPLOADS, prefix=app.id, data=f.data)
            up = Upload(
                application_id=app.id,
                slot=f.slot,
                filename=f.filename,
                content_type="application/octet-stream",
                size=len(f.data),
                sha256=info.sha256,
                object_key=info.key,
                status="done",
            )
            s.add(up)
            s.flush()
            uncertain: dict[str, tuple[float, Any]] = {}
            if f.slot == "seller_id_card":
                uncertain["id_number"] = (0.55, f.samples[0].fields["id_number"])
            if f is buyer_front:
                uncertain["address"] = (0.6, true_address[:-3] + WRONG_ADDRESS_SUFFIX)
            doc = _truth(f, uncertain=uncertain)
            s.add(
                Document(
                    upload_id=up.id,
                    sha256=info.sha256,
                    doc_type=doc.doc_type.value,
                    confidence=doc.confidence,
                    pages=doc.pages,
                    quality={"ok": True, "issues": []},
                    fields_enc=services.cipher.encrypt_json({"document": document_to_dict(doc)}),
                )
            )
        # the real pre-check job writes the report and the state
        outbox.enqueue(s, "precheck_application", application_id=app.id)
        return app.id, true_address


def _case(live: Live, case_id: str) -> tuple[str, list[tuple[str, str | None]]]:
    services = live.app.state.services
    with services.sessions() as s:
        app = s.get(Application, case_id)
        assert app is not None
        reviews = [
            (r.decision, r.field)
            for r in s.query(Review).filter(Review.application_id == case_id).order_by(Review.id)
        ]
        return app.state, reviews


def _corrected(live: Live, case_id: str) -> Any:
    """The value of the case's last correction (stored encrypted)."""
    services = live.app.state.services
    with services.sessions() as s:
        row = (
            s.query(Review)
            .filter(Review.application_id == case_id, Review.decision == "correct")
            .order_by(Review.id.desc())
            .first()
        )
        assert row is not None and row.correction_enc is not None
        return services.cipher.decrypt_json(row.correction_enc)["value"]


def _wait_state(live: Live, case_id: str, states: set[str], timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        state, _ = _case(live, case_id)
        if state in states:
            return state
        assert time.monotonic() < deadline, f"still {state}, waiting for {states}"
        time.sleep(0.2)


def _active(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => { const e = document.activeElement;
        return {id: e.id, tag: e.tagName, name: e.getAttribute('name'),
                value: e.value === undefined ? null : e.value,
                text: (e.innerText || '').trim()}; }"""
    )


def _tab_to(page: Any, text: str, limit: int = 20) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _active(page)["text"] == text:
            return
    pytest.fail(f"Tab never reached “{text}”")


def test_a_reviewer_confirms_corrects_and_approves_by_keyboard_alone(
    browser: Any, live: Live
) -> None:
    case_id, true_address = _seed(live)
    # in the queue (the ID number agrees with the contract's, so the rules may pass it; the
    # console still asks a person to look at every field read below the threshold)
    assert _wait_state(live, case_id, {"needs_review", "ready", "needs_fix"}) != "needs_fix"

    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(live.url + "/login")
    page.get_by_label("用户名").focus()
    page.keyboard.type("keyboard-reviewer")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="待审核办件").wait_for()
    page.goto(f"{live.url}/review/{case_id}")
    page.get_by_role("heading", name="待确认字段（2）").wait_for()
    # claimed by Tab and Enter from the top of the page
    _tab_to(page, "领取本办件")
    page.keyboard.press("Enter")
    page.get_by_text("已领取本办件").wait_for()

    # J / K: next and previous flagged field (sorted by file, then confidence)
    page.locator("body").focus()
    page.keyboard.press("j")
    assert _active(page)["id"] == "flag-1"
    assert "公民身份号码" in page.locator("#flag-1 h3").inner_text()
    page.keyboard.press("j")
    assert _active(page)["id"] == "flag-2"
    assert "住址" in page.locator("#flag-2 h3").inner_text()
    page.keyboard.press("j")  # the last stays current
    assert _active(page)["id"] == "flag-2"
    page.keyboard.press("k")
    assert _active(page)["id"] == "flag-1"
    assert page.locator("#flag-1").get_attribute("class") == "flag is-current"

    # C: confirm the ID number; the rules run again and only the address is left
    page.keyboard.press("c")
    page.get_by_text("已确认“公民身份号码”，系统正在重新预审").wait_for()
    assert _case(live, case_id)[1] == [("confirm", "id_number")]
    _wait_state(live, case_id, {"needs_review", "ready", "needs_fix"})
    page.reload()
    page.get_by_role("heading", name="待确认字段（1）").wait_for()

    # E: into the correction of the current field, its value selected; typing replaces it
    page.locator("body").focus()
    page.keyboard.press("j")
    assert "住址" in page.locator("#flag-1 h3").inner_text()
    page.keyboard.press("e")
    active = _active(page)
    assert active["tag"] == "INPUT" and active["name"] == "value"
    assert active["value"].endswith(WRONG_ADDRESS_SUFFIX)
    page.keyboard.press("a")  # inside a text box a shortcut is just a letter
    assert not page.get_by_label("核准（签发电子证照）").is_checked()
    page.keyboard.press("Control+a")
    page.keyboard.type(true_address)
    page.keyboard.press("Enter")
    page.get_by_text("已更正“住址”，系统正在重新预审").wait_for()
    assert _case(live, case_id)[1] == [("confirm", "id_number"), ("correct", "address")]
    assert _corrected(live, case_id) == true_address
    assert _wait_state(live, case_id, {"needs_review", "ready", "needs_fix"}) == "ready"
    page.reload()
    page.get_by_text("没有需要确认的字段。").wait_for()
    history = page.locator("section[aria-labelledby=history-h]").inner_text()
    assert "application.field_confirmed" in history and "application.field_corrected" in history

    # A: approval chosen (focus on it), then Tab to the submit button and Enter
    page.locator("body").focus()
    page.keyboard.press("a")
    assert _active(page)["value"] == "approve"
    assert page.get_by_label("核准（签发电子证照）").is_checked()
    _tab_to(page, "提交决定")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="待审核办件").wait_for()
    page.get_by_text(f"已核准，系统正在签发电子证照（办件 {case_id[:8]}）").wait_for()
    assert _case(live, case_id)[0] in ("approved", "issued")
    context.close()
