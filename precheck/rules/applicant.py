"""The applicant is a party: the signed-in citizen's verified identity (实名认证) is one of the
application's parties — a seller, a buyer or their agent — where the matter has parties.

The verified identity is certain; the parties are read from documents, perhaps by OCR. A
party is the applicant when its ID number equals the verified one (or, for a party whose number
was not read, its name). When no party is the applicant the finding is an error resting on the
parties' reads as evidence, so :func:`~precheck.rules.base.lean` makes it a reviewer's warning
when any of them is uncertain: a misread contract never tells a real party to fix anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocr.document import DocType
from precheck.findings import Evidence, Finding, FindingCode, Severity
from precheck.rules.base import CheckContext, Person, cards, merged_read, people_of, person_of

__all__ = ["ApplicantIsParty"]


def _is(me: Person, other: Person) -> bool:
    if other.id_number:
        return other.id_number == me.id_number
    return other.name is not None and other.name == me.name


@dataclass(frozen=True)
class ApplicantIsParty:
    """``party_fields``: (slot, document type, field holding a list of people or one person);
    ``card_slots``: the slots whose ID cards are the parties' (and the agent's)."""

    party_fields: tuple[tuple[str, DocType, str], ...] = (
        ("sale_contract", DocType.SALE_CONTRACT, "sellers"),
        ("sale_contract", DocType.SALE_CONTRACT, "buyers"),
        ("power_of_attorney", DocType.POWER_OF_ATTORNEY, "agent"),
    )
    card_slots: tuple[str, ...] = ("seller_id_card", "buyer_id_card", "agent_id_card")
    parties_words: str = "卖方、买方或其委托代理人"

    def check(self, ctx: CheckContext) -> list[Finding]:
        me = ctx.applicant
        if me is None or not me.id_number:
            return []
        evidence: list[Evidence] = []
        slot: str | None = None
        for s, doc_type, name in self.party_fields:
            r = merged_read(ctx, s, doc_type, name)
            if r is None:
                continue
            people = people_of(r.value)
            if people is None:
                one = person_of(r.value)
                people = [one] if one is not None else []
            if any(_is(me, p) for p in people):
                return []
            evidence.append(r.evidence())
            slot = slot or s
        for s in self.card_slots:
            for card in cards(ctx, s):
                if _is(me, card.person):
                    return []
                evidence.extend(card.evidence())
                slot = slot or s
        if not evidence:
            return []  # no party read yet: completeness and reading rules speak first
        return [
            Finding(
                FindingCode.APPLICANT_NOT_PARTY,
                Severity.ERROR,
                slot,
                None,
                f"登录申请的账号（实名认证：{me.name}）不是本次申请的当事人（{self.parties_words}）；"
                "请由当事人本人登录申请，或办理委托并由受托代理人登录申请",
                tuple(evidence),
            )
        ]
