"""The applicant is a party (``ApplicantIsParty``): the signed-in citizen's verified identity
against the sellers, buyers and agent, leaning to a reviewer when the parties' reads are
uncertain; and the verified identity corroborates an identical read."""

from __future__ import annotations

from precheck import FactKind, Person, PrecheckSettings, load_catalogue, run
from precheck.rules.base import CheckContext
from tests.precheck.factory import (
    AGENT,
    AS_OF,
    BUYER,
    SELLER,
    clean_house,
    contract,
    idn,
    uploads,
    with_field,
)

M = "second-hand-house-transfer"
LINES = PrecheckSettings(min_field_confidence=0.8, certain_confidence=0.995)
STRANGER = Person("钱七", idn("33010619900101123"))


def check(answers, docs, applicant):
    return run(
        matter=M, answers=answers, documents=uploads(docs), as_of=AS_OF, settings=LINES,
        applicant=applicant,
    )  # fmt: skip


def of(p: dict[str, str]) -> Person:
    return Person(p["name"], p["id_number"])


def test_a_seller_buyer_or_agent_applicant_is_ready() -> None:
    answers, docs = clean_house()
    for who in (SELLER, BUYER):
        report = check(answers, docs, of(who))
        assert report.verdict == "ready", report.findings
    answers, docs = clean_house(agent=True)
    assert check(answers, docs, of(AGENT)).verdict == "ready"
    # no verified identity: the rule says nothing
    assert check(answers, docs, None).verdict == "ready"


def test_someone_else_is_told_to_fix_it() -> None:
    answers, docs = clean_house()
    report = check(answers, docs, STRANGER)
    assert [(f.code, f.severity) for f in report.findings] == [("applicant_not_party", "error")]
    assert report.verdict == "needs_fix" and "钱七" in report.findings[0].message
    # the same name with another number is still someone else
    report = check(answers, docs, Person(SELLER["name"], STRANGER.id_number))
    assert {f.code for f in report.findings} == {"applicant_not_party"}


def test_uncertain_parties_go_to_a_reviewer() -> None:
    # only the contract names the parties, read below certainty: a misread must not send a
    # real party away
    doc = contract()
    doc = with_field(with_field(doc, "sellers", confidence=0.9), "buyers", confidence=0.9)
    report = check({}, [("sale_contract", doc)], STRANGER)
    [finding] = [f for f in report.findings if f.code == "applicant_not_party"]
    assert finding.severity == "warning" and report.verdict != "ready"


def test_a_verified_identity_corroborates_an_identical_read() -> None:
    matter = load_catalogue().get(M)
    answers, docs = clean_house()
    ups = uploads(docs)
    ctx = CheckContext.build(
        matter=matter, answers=answers, uploads=ups, as_of=AS_OF, settings=LINES,
        applicant=Person("钱七", STRANGER.id_number),
    )  # fmt: skip
    assert ctx.corroborated(FactKind.NAME, "钱七", besides=0)
    assert ctx.corroborated(FactKind.ID_NUMBER, str(STRANGER.id_number), besides=0)
    plain = CheckContext.build(
        matter=matter, answers=answers, uploads=ups, as_of=AS_OF, settings=LINES
    )
    assert not plain.corroborated(FactKind.NAME, "钱七", besides=0)
