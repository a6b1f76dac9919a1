"""The marks rule on hand-built documents: who must sign where, certain absence → needs_fix,
uncertain detection or a grey (photocopied) seal → needs_review, never ready; an absence is
certain only at or above the measured line ``CERTAIN_ABSENCE``."""

from __future__ import annotations

import dataclasses

from ocr.marks import ABSENT, MAX_ABSENT, PRESENT, UNCERTAIN, MarkResult
from precheck import PrecheckSettings, run
from precheck.rules import marks as marks_rule
from precheck.rules.base import UNSURE_NOTE
from tests.precheck.factory import AS_OF, certificate, clean_house, contract, replace, uploads

M = "second-hand-house-transfer"
LINES = PrecheckSettings(min_field_confidence=0.8, certain_confidence=0.995)
BOX = (400, 600, 800, 720)


def check(answers, docs):
    return run(matter=M, answers=answers, documents=uploads(docs), as_of=AS_OF, settings=LINES)


def signed(place: str, who: str, status: str, conf: float = 0.9) -> tuple[MarkResult, ...]:
    return (
        MarkResult("signature", place, who, 1, status, conf, BOX),
        MarkResult("fingerprint", place, who, 1, status if status != PRESENT else ABSENT, 0.9, BOX),
    )


def with_contract_marks(*marks: MarkResult):
    answers, docs = clean_house()
    c = dataclasses.replace(contract(), marks=marks)
    return answers, replace(docs, "sale_contract", "sale_contract", c)


def with_seal(**kw):
    answers, docs = clean_house()
    m = MarkResult(
        **{
            "kind": "seal",
            "place": "registry",
            "who": "登记机构",
            "page": 0,
            "status": PRESENT,
            "confidence": 0.9,
            "box": BOX,
            **kw,
        }
    )
    cert = dataclasses.replace(certificate(), marks=(m,))
    return answers, replace(docs, "property_certificate", "property_certificate", cert)


def codes(report):
    return [(x.code, x.severity, x.slot) for x in report.findings]


def test_all_signed_is_ready():
    report = check(
        *with_contract_marks(
            *signed("seller[0]", "出卖人", PRESENT), *signed("buyer[0]", "买受人", PRESENT)
        )
    )
    assert report.verdict == "ready", codes(report)


def test_empty_place_below_the_measured_line_is_reviewed_with_who_and_where():
    # training could not show any absence call certain (CERTAIN_ABSENCE is above every
    # confidence the detector gives): an empty place is a reviewer's warning, never ready
    assert marks_rule.CERTAIN_ABSENCE > MAX_ABSENT
    report = check(
        *with_contract_marks(
            *signed("seller[0]", "出卖人", ABSENT, MAX_ABSENT),
            *signed("buyer[0]", "买受人", PRESENT),
        )
    )
    assert report.verdict == "needs_review", codes(report)
    (f,) = [x for x in report.findings if x.code == "missing_signature"]
    assert f.severity == "warning" and f.message.startswith(UNSURE_NOTE)
    assert "买卖合同第 2 页出卖人签章处" in f.message and "出卖人张三" in f.message, f.message
    # the evidence carries the detection confidence (the least sure kind of the place)
    assert f.evidence[0].box == BOX and f.evidence[0].confidence == 0.9
    r = check(*with_seal(status=ABSENT, confidence=MAX_ABSENT))
    assert r.verdict == "needs_review" and {x.code for x in r.findings} == {"missing_seal"}


def test_empty_place_at_or_above_the_line_is_needs_fix_with_who_and_where(monkeypatch):
    # were the line measured lower, an absence at or above it rests a needs_fix on it
    monkeypatch.setattr(marks_rule, "CERTAIN_ABSENCE", 0.9)
    r = check(*with_seal(status=ABSENT, confidence=0.9))
    assert r.verdict == "needs_fix" and {x.code for x in r.findings} == {"missing_seal"}
    r = check(*with_seal(status=ABSENT, confidence=0.89))
    assert r.verdict == "needs_review"
    report = check(
        *with_contract_marks(
            *signed("seller[0]", "出卖人", ABSENT), *signed("buyer[0]", "买受人", PRESENT)
        )
    )
    assert report.verdict == "needs_fix"
    (f,) = [x for x in report.findings if x.code == "missing_signature"]
    assert f.severity == "error" and f.slot == "sale_contract"
    # page 2 of the contract, the seller by name (the contract's first seller)
    assert f.message.startswith("买卖合同第 2 页出卖人签章处为空，请出卖人张三签字并按手印"), (
        f.message
    )
    assert f.evidence[0].box == BOX and f.evidence[0].page == 1


def test_uncertain_place_leans_to_review():
    report = check(
        *with_contract_marks(
            *signed("seller[0]", "出卖人", PRESENT), *signed("buyer[0]", "买受人", UNCERTAIN, 0.5)
        )
    )
    assert report.verdict == "needs_review", codes(report)
    (f,) = [x for x in report.findings if x.code == "missing_signature"]
    assert f.severity == "warning" and f.message.startswith(UNSURE_NOTE)


def test_absence_on_a_grey_page_is_not_certain():
    report = check(
        *with_contract_marks(
            *signed("seller[0]", "出卖人", ABSENT, 0.75), *signed("buyer[0]", "买受人", PRESENT)
        )
    )
    assert report.verdict == "needs_review", codes(report)


def test_seal_cases():
    assert check(*with_seal(org_match=True, text="杭州市自然资源和规划局")).verdict == "ready"
    r = check(*with_seal(org_match=False, text="宁波市自然资源和规划局", expected_org="杭州市"))
    assert r.verdict == "needs_fix"
    (f,) = [x for x in r.findings if x.code == "seal_mismatch"]
    assert "宁波市自然资源和规划局" in f.message and "杭州市" in f.message
    r = check(*with_seal(copy=True, confidence=0.6))
    assert r.verdict == "needs_review"
    assert any("疑似复印件，请携带原件" in x.message for x in r.findings)
    r = check(*with_seal(status=UNCERTAIN, confidence=0.5))
    assert r.verdict == "needs_review"


def test_a_red_seal_whose_rim_is_unread_is_reviewed_never_ready():
    # another organisation's red seal looks the same as the registry's until its rim is read:
    # a seal in its place with nothing told of its text is a reviewer's seal_mismatch warning
    for unread in ({"text": ""}, {"text": "州自然资源", "expected_org": "杭州市"}):
        r = check(*with_seal(org_match=None, confidence=0.9, **unread))
        assert r.verdict == "needs_review", codes(r)
        (f,) = [x for x in r.findings if x.code == "seal_mismatch"]
        assert f.severity == "warning" and f.message.startswith(UNSURE_NOTE)
        assert "印章文字未能识别" in f.message and f.evidence[0].box == BOX
    assert "（杭州市）" in f.message and f.evidence[0].value == "州自然资源"


def test_document_marks_round_trip():
    _, docs = with_seal(org_match=False, text="宁波市", expected_org="杭州市")
    cert = next(d for s, d in docs if s == "property_certificate")
    from ocr.document import Document

    back = Document.from_dict(cert.to_dict())
    assert back.marks == cert.marks
    assert cert.to_json()["marks"][0]["text"] == "宁波市"
    assert "marks" not in contract().to_json()  # types without places keep CONTRACT §1 as is


def test_a_listed_party_without_a_found_place_is_reviewed():
    # the contract lists one seller and one buyer; only the seller's place was found
    report = check(*with_contract_marks(*signed("seller[0]", "出卖人", PRESENT)))
    assert report.verdict == "needs_review", codes(report)
    (f,) = [x for x in report.findings if x.code == "missing_signature"]
    assert f.severity == "warning" and "买受人" in f.message and f.message.startswith(UNSURE_NOTE)


def test_a_read_document_with_no_place_found_is_reviewed_never_ready():
    # the detector looked (marks_read) and found none of the places: not signed as far as
    # anyone can tell, so a reviewer checks; a hand-built document it never looked at is not
    answers, docs = clean_house()
    looked = dataclasses.replace(contract(), marks=(), marks_read=True)
    report = check(answers, replace(docs, "sale_contract", "sale_contract", looked))
    assert report.verdict == "needs_review", codes(report)
    (f,) = [x for x in report.findings if x.code == "missing_signature"]
    assert f.severity == "warning" and f.message.startswith(UNSURE_NOTE)
    assert "未能找到签章处" in f.message
    cert = dataclasses.replace(certificate(), marks=(), marks_read=True)
    report = check(answers, replace(docs, "property_certificate", "property_certificate", cert))
    assert ("missing_seal", "warning", "property_certificate") in codes(report)
    assert report.verdict != "ready"


def test_marks_read_round_trips_through_json():
    from ocr.document import Document

    looked = dataclasses.replace(contract(), marks=(), marks_read=True)
    assert looked.to_json()["marks"] == []
    assert Document.from_dict(looked.to_dict()).marks_read
    assert "marks" not in contract().to_json()
    assert not Document.from_dict(contract().to_dict()).marks_read


def test_an_agents_empty_place_asks_the_agent_to_sign_only(monkeypatch):
    """The agent's place (受托人（签字）) carries a signature only: its empty place asks the
    agent to sign, not to fingerprint, and a signed one is ready."""
    monkeypatch.setattr(marks_rule, "CERTAIN_ABSENCE", 0.9)
    answers, docs = clean_house(agent=True)

    def with_poa(status: str):
        poa = next(d for s, d in docs if s == "power_of_attorney")
        marks = (
            *signed("principal", "委托人", PRESENT),
            MarkResult("signature", "agent", "受托人", 0, status, 0.95, BOX),
        )
        return replace(docs, "power_of_attorney", "power_of_attorney", replace_marks(poa, marks))

    assert check(answers, with_poa(PRESENT)).verdict == "ready"
    report = check(answers, with_poa(ABSENT))
    assert report.verdict == "needs_fix", codes(report)
    (f,) = [x for x in report.findings if x.code == "missing_signature"]
    assert f.slot == "power_of_attorney" and "受托人签章处为空" in f.message, f.message
    assert f.message.endswith("签字") and "按手印" not in f.message, f.message


def replace_marks(doc, marks):
    return dataclasses.replace(doc, marks=marks)
