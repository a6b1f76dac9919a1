"""The finding vocabulary: codes, severities and verdicts are enums; JSON keeps their strings."""

from __future__ import annotations

import json

import pytest

from precheck import CODES, SEVERITIES, VERDICTS, Finding, FindingCode, Severity, Verdict, run
from tests.precheck.factory import AS_OF, clean_house, uploads

#: CONTRACT §1's finding codes, every one of which precheck must be able to report.
CONTRACT_CODES = {
    "missing_material", "missing_page", "wrong_document", "unreadable", "expired_document",
    "invalid_id_number", "field_mismatch", "low_confidence", "missing_signature", "missing_seal",
    "seal_mismatch", "certificate_invalid", "certificate_revoked",
}  # fmt: skip


def test_codes_cover_the_contract_and_are_the_enum_values() -> None:
    assert set(CODES) >= CONTRACT_CODES
    assert tuple(c.value for c in FindingCode) == CODES
    assert {"unknown_document", "manual_review", "accepted_pending"} <= set(CODES)
    assert SEVERITIES == ("error", "warning", "info") == tuple(s.value for s in Severity)
    assert VERDICTS == ("ready", "needs_fix", "needs_review") == tuple(v.value for v in Verdict)


def test_finding_takes_strings_stores_enums_and_serialises_strings() -> None:
    f = Finding("missing_seal", "error", "sale_contract", None, "合同缺少公章，请盖章后重新上传")  # type: ignore[arg-type]
    assert f.code is FindingCode.MISSING_SEAL and f.severity is Severity.ERROR
    out = json.loads(json.dumps(f.to_json()))
    assert (out["code"], out["severity"]) == ("missing_seal", "error")
    assert type(f.to_json()["code"]) is str


@pytest.mark.parametrize("code,severity", [("no_such_code", "error"), ("unreadable", "fatal")])
def test_finding_refuses_words_outside_the_vocabulary(code: str, severity: str) -> None:
    with pytest.raises(ValueError, match="unknown"):
        Finding(code, severity, None, None, "…")  # type: ignore[arg-type]


def test_report_verdict_is_an_enum_and_its_json_a_string() -> None:
    answers, docs = clean_house()
    report = run(
        matter="second-hand-house-transfer", answers=answers, documents=uploads(docs), as_of=AS_OF
    )
    assert report.verdict is Verdict.READY
    assert type(report.to_json()["verdict"]) is str and report.to_json()["verdict"] == "ready"
