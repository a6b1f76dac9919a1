"""The verdict leans the right way: a finding that tells the applicant to fix something rests
only on values read at ``certain_confidence`` (or read identically twice); resting on anything
less it goes to a reviewer (needs_review), never to needs_fix and never to ready."""

from __future__ import annotations

import pydantic
import pytest

from precheck import PrecheckSettings, run
from precheck.rules.base import UNSURE_NOTE
from precheck.settings import CERTAIN_CONFIDENCE
from tests.precheck.factory import (
    AS_OF,
    SELLER,
    back,
    certificate,
    clean_house,
    contract,
    f,
    front,
    idn,
    person,
    replace,
    uploads,
    with_field,
)

M = "second-hand-house-transfer"
# the lines these tests run with (not the calibrated default: that one is measured, and may move)
LINES = PrecheckSettings(min_field_confidence=0.8, certain_confidence=0.995)
OTHER_LOCATION = "杭州市西湖区文三路100号6幢1单元1201室"


def check(answers, docs, settings=LINES):
    return run(matter=M, answers=answers, documents=uploads(docs), as_of=AS_OF, settings=settings)


def only(report):
    return [(x.code, x.severity, x.slot, x.field) for x in report.findings]


def location_differs(confidence: float):
    """The contract's location is another building, both locations read at ``confidence``."""
    answers, docs = clean_house()
    cert = certificate(location=f(certificate().fields["location"].value, confidence))
    docs = replace(docs, "property_certificate", "property_certificate", cert)
    docs = replace(
        docs, "sale_contract", "sale_contract", contract(location=f(OTHER_LOCATION, confidence))
    )
    return answers, docs


def test_mismatch_on_certain_values_is_needs_fix():
    report = check(*location_differs(0.999))
    assert report.verdict == "needs_fix"
    assert only(report) == [("field_mismatch", "error", "sale_contract", "location")]
    assert not report.findings[0].message.startswith(UNSURE_NOTE)


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.99, 0.9949])
def test_mismatch_on_trusted_but_uncertain_values_is_review(confidence):
    """Read above the trusted line but below the certain one: a reviewer looks; the applicant
    is not told to correct a document that may be right."""
    report = check(*location_differs(confidence))
    assert report.verdict == "needs_review"
    assert only(report) == [("field_mismatch", "warning", "sale_contract", "location")]
    finding = report.findings[0]
    assert finding.message.startswith(UNSURE_NOTE) and "无需更正" in finding.message
    # the evidence is kept, with both readings, for the reviewer
    assert {e.file for e in finding.evidence} == {4, 5}


def test_one_uncertain_side_is_enough_for_review():
    answers, docs = location_differs(0.999)
    docs = replace(
        docs, "sale_contract", "sale_contract", contract(location=f(OTHER_LOCATION, 0.97))
    )
    report = check(answers, docs)
    assert report.verdict == "needs_review"
    assert only(report) == [("field_mismatch", "warning", "sale_contract", "location")]


def test_the_line_is_the_setting():
    docs = location_differs(0.99)
    assert check(*docs).verdict == "needs_review"
    lower = PrecheckSettings(min_field_confidence=0.8, certain_confidence=0.99)
    assert check(*docs, settings=lower).verdict == "needs_fix"


def test_expired_card_read_uncertainly_is_review_not_fix_nor_ready():
    answers, docs = clean_house()
    docs = replace(docs, "seller_id_card", "id_card_back", back(valid_until=f("2026-05-31", 0.95)))
    report = check(answers, docs)
    assert report.verdict == "needs_review"
    assert only(report) == [("expired_document", "warning", "seller_id_card", "valid_until")]
    sure = replace(docs, "seller_id_card", "id_card_back", back(valid_until=f("2026-05-31", 0.999)))
    assert check(answers, sure).verdict == "needs_fix"


def test_invalid_number_read_uncertainly_is_review():
    """A wrong check character read at 0.95 on the card alone: maybe a misread digit."""
    forged = SELLER["id_number"][:17] + ("0" if SELLER["id_number"][17] != "0" else "1")
    answers, docs = clean_house()
    card = front(SELLER, id_number=f(forged, 0.95))
    docs = replace(docs, "seller_id_card", "id_card_front", card)
    report = check(answers, docs)
    assert report.verdict == "needs_review"
    assert ("invalid_id_number", "error") not in {(x.code, x.severity) for x in report.findings}


def test_uncertain_values_read_identically_twice_are_certain():
    """The card's number, read at 0.95 on the card and the same on the contract: two
    independent readings agreeing. A wrong check character in it is the applicant's to fix."""
    body = "33010619850312001"
    forged = body + ("0" if idn(body)[17] != "0" else "1")
    seller = {**SELLER, "id_number": forged}
    answers, docs = clean_house()
    docs = replace(
        docs, "seller_id_card", "id_card_front", front(seller, id_number=f(forged, 0.95))
    )
    docs = replace(
        docs,
        "sale_contract",
        "sale_contract",
        contract(sellers=f([person(seller)], 0.95)),
    )
    report = check(answers, docs)
    assert report.verdict == "needs_fix"
    assert ("invalid_id_number", "error", "seller_id_card", "id_number") in only(report)


def _card_misread_and_echoed(echo_confidence: float):
    """The seller's card read 张二 at 0.93 (not certain), the contract certain on 张三, and the
    certificate's owner read 张二 too, at ``echo_confidence``."""
    answers, docs = clean_house()
    docs = replace(docs, "seller_id_card", "id_card_front", front(SELLER, name=f("张二", 0.93)))
    docs = replace(
        docs, "sale_contract", "sale_contract", contract(sellers=f([person(SELLER)], 0.999))
    )
    cert = certificate(owners=f(["张二"], echo_confidence))
    docs = replace(docs, "property_certificate", "property_certificate", cert)
    return answers, docs


def test_a_doubtful_name_corroborates_nothing():
    """Two readings of a name agreeing make it certain only when the echo is itself trusted: the
    same recogniser misreads a rare character alike on two documents (湉 read 活 on the card and
    on the marriage certificate, a clean application told to fix its contract)."""
    report = check(*_card_misread_and_echoed(0.5))
    assert report.verdict == "needs_review"
    assert ("field_mismatch", "warning", "sale_contract", "sellers") in only(report)
    assert "error" not in {x.severity for x in report.findings}
    trusted_echo = check(*_card_misread_and_echoed(0.85))
    assert trusted_echo.verdict == "needs_fix"
    assert ("field_mismatch", "error", "sale_contract", "sellers") in only(trusted_echo)


def _rare_name_misread(card_name: str):
    """The seller is 郑娴湉 (湉 is outside GB 2312): the card and the contract read it right at
    0.999; the certificate's owner read ``card_name``, echoed by a trusted second reading."""
    rare = {**SELLER, "name": "郑娴湉"}
    answers, docs = clean_house()
    docs = replace(docs, "seller_id_card", "id_card_front", front(rare, name=f("郑娴湉", 0.999)))
    docs = replace(
        docs, "sale_contract", "sale_contract", contract(sellers=f([person(rare)], 0.999))
    )
    cert = certificate(owners=f([card_name], 0.999))
    docs = replace(docs, "property_certificate", "property_certificate", cert)
    return answers, docs


def test_names_differing_only_at_a_rare_character_are_reviewed():
    """郑娴湉 / 郑娴活, each read certain: a look-alike misreading of a rare character, which the
    recogniser repeats on every copy; a reviewer looks, the applicant is not told to fix it.
    A difference in common characters (郑娴湉 / 郑丽湉) is still the applicant's to fix."""
    report = check(*_rare_name_misread("郑娴活"))
    assert report.verdict == "needs_review"
    assert "error" not in {x.severity for x in report.findings}
    assert ("field_mismatch", "warning", "property_certificate", "owners") in only(report)
    assert check(*_rare_name_misread("郑丽湉")).verdict == "needs_fix"


def test_owner_mismatch_rests_on_the_reading_of_the_owner():
    answers, docs = clean_house()
    cert = certificate(owners=f(["孙七"], 0.97))
    docs = replace(docs, "property_certificate", "property_certificate", cert)
    report = check(answers, docs)
    assert report.verdict == "needs_review"
    assert {x.severity for x in report.findings} == {"warning"}
    cert = with_field(cert, "owners", confidence=0.999)
    docs = replace(docs, "property_certificate", "property_certificate", cert)
    assert check(answers, docs).verdict == "needs_fix"


def test_clean_application_with_trusted_values_stays_ready():
    """Agreeing values between the two lines are not a defect: nothing to lean."""
    answers, docs = clean_house()
    docs = replace(
        docs,
        "sale_contract",
        "sale_contract",
        contract(location=f(certificate().fields["location"].value, 0.85)),
    )
    assert check(answers, docs).verdict == "ready"


def test_findings_not_resting_on_values_are_unchanged():
    answers, docs = clean_house()
    docs = [d for d in docs if d[0] != "property_certificate"]
    report = check(answers, docs)
    assert report.verdict == "needs_fix"
    assert only(report) == [("missing_material", "error", "property_certificate", None)]


def test_certain_line_is_validated():
    assert PrecheckSettings().certain_confidence == CERTAIN_CONFIDENCE
    assert PrecheckSettings().min_field_confidence <= CERTAIN_CONFIDENCE <= 1.0
    with pytest.raises(pydantic.ValidationError):
        PrecheckSettings(min_field_confidence=0.9, certain_confidence=0.85)
    with pytest.raises(pydantic.ValidationError):
        PrecheckSettings(certain_confidence=1.5)


def test_certain_line_from_the_environment(monkeypatch):
    monkeypatch.setenv("PAOYICI_PRECHECK_CERTAIN_CONFIDENCE", "0.97")
    assert PrecheckSettings().certain_confidence == 0.97
    monkeypatch.setenv("PAOYICI_PRECHECK_CERTAIN_CONFIDENCE", "0.5")
    with pytest.raises(pydantic.ValidationError):
        PrecheckSettings()


def _changed(value):
    """``value`` altered the way a misread or a real defect alters it (another digit, another
    last character, a past date, another person first in a list)."""
    if isinstance(value, list):
        return [_changed(value[0]), *value[1:]] if value else value
    if isinstance(value, dict):
        return {k: _changed(v) if k in ("name", "id_number") else v for k, v in value.items()}
    s = str(value)
    if len(s) == 10 and s[4] == "-" and s[7] == "-":
        return "2001-01-01"
    if s[-1:].isdigit():
        return s[:-1] + str((int(s[-1]) + 3) % 10)
    return s[:-1] + ("乙" if s[-1:] != "乙" else "丙")


def _sweep_cases():
    for married, agent, relief in ((False, False, False), (True, True, True)):
        _, docs = clean_house(married=married, agent=agent, relief=relief)
        for i, (slot, d) in enumerate(docs):
            for name in d.fields:
                yield (married, agent, relief), i, slot, name


@pytest.mark.parametrize("confidence", [0.85, 0.99])
def test_no_rule_tells_the_applicant_to_fix_a_value_read_uncertainly(confidence):
    """Every rule module, through the engine: each read value of a clean application altered
    in turn, everything read between the trusted and the certain line. Whatever a rule finds,
    a finding about a read value is never needs_fix (a reviewer checks it first), and no
    finding about a field comes without the reading it rests on (without it lean could not
    tell). Fails when precheck.engine skips ``lean``."""
    seen_findings = 0
    for (married, agent, relief), i, slot, name in _sweep_cases():
        answers, docs = clean_house(married=married, agent=agent, relief=relief)
        docs = [(s, _all_read_at(d, confidence)) for s, d in docs]
        s, d = docs[i]
        docs[i] = (s, with_field(d, name, _changed(d.fields[name].value)))
        report = check(answers, docs)
        for x in report.findings:
            seen_findings += 1
            if x.field is not None:
                assert x.evidence, (slot, name, x.code)
            assert x.severity != "error" or all(e.confidence is None for e in x.evidence), (
                slot,
                name,
                x.code,
                [e.confidence for e in x.evidence],
            )
        assert report.verdict != "needs_fix", (slot, name, only(report))
    assert seen_findings > 10  # the alterations were noticed: the sweep is not vacuous


def _all_read_at(d, confidence):
    for name in d.fields:
        d = with_field(d, name, confidence=confidence)
    return d


def test_a_doubtful_name_that_differs_is_shown_to_the_reviewer_as_a_mismatch():
    """The contract's seller read 张二 at the doubtful-name cap (a name under the recogniser's
    sure score), the card certain on 张三: the reviewer sees the difference with its code and
    both boxes, the applicant is told nothing to fix. A value that does not even look like its
    field (0.5) stays an unsure reading."""
    from ocr.plausibility import IMPLAUSIBLE_CAP, UNSURE_CAP

    def with_seller(confidence: float):
        answers, docs = clean_house()
        misread = {**SELLER, "name": "张二"}
        docs = replace(
            docs,
            "sale_contract",
            "sale_contract",
            contract(sellers=f([person(misread)], confidence)),
        )
        return check(answers, docs)

    report = with_seller(UNSURE_CAP)
    assert report.verdict == "needs_review"
    assert ("field_mismatch", "warning", "sale_contract", "sellers") in only(report)
    assert "error" not in {x.severity for x in report.findings}
    (mm,) = [x for x in report.findings if x.code == "field_mismatch" and "身份证上" in x.message]
    assert len(mm.evidence) >= 2 and "张二" in mm.message and "张三" in mm.message
    low = with_seller(IMPLAUSIBLE_CAP)
    assert low.verdict == "needs_review"
    assert "field_mismatch" not in {x.code for x in low.findings}
    assert "low_confidence" in {x.code for x in low.findings}
