"""Cross-document consistency for people, properties and principal/agent.

Parameterised by slot names so any matter can use them; the house-transfer matter is the first.
Every comparison is exact after ``normalize``: a difference between two trusted values is a
defect (``field_mismatch``), a difference involving an untrusted value is ``low_confidence``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocr.document import DocType
from precheck import normalize
from precheck.findings import Finding, FindingCode, Severity
from precheck.rules.base import (
    Card,
    CheckContext,
    FactKind,
    Person,
    Read,
    as_unsure,
    cards,
    list_trusted,
    low_confidence,
    merged_read,
    people_of,
    person_of,
    reviewed,
    shown_as_mismatch,
)


def _who(p: Person) -> str:
    return f"“{p.name or p.id_number or '（未识别）'}”"


def _find_card(person: Person, pool: list[Card]) -> Card | None:
    """The card with the person's number, else the card with the person's name (exact)."""
    for c in pool:
        if person.id_number and c.person.id_number == person.id_number:
            return c
    for c in pool:
        if person.name and c.person.name == person.name:
            return c
    return None


@dataclass(frozen=True)
class _Roster:
    """People listed on a document (``read``), to be matched with the ID cards of a slot."""

    read: Read
    people: list[Person]
    role: str  # 卖方
    doc_slot: str
    doc_field: str
    card_slot: str
    what_doc: str  # 买卖合同

    def unsure(self, what: str) -> Finding:
        return low_confidence(
            self.read, slot=self.doc_slot, field_name=self.doc_field, what=f"{self.role}{what}"
        )


def _match_people(
    ctx: CheckContext, roster: _Roster, pool: list[Card], *, report_extra_cards: bool
) -> list[Finding]:
    """Pair listed people with ID cards (exact number, else exact name) and compare the pairs;
    people without a card and cards without a person are findings too."""
    trusted = list_trusted(ctx, roster.read, roster.people)
    pairs, unpaired, free = _pair(roster.people, pool)
    out = [f for p, c in pairs for f in _compare_card(ctx, roster, p, c, person_trusted=trusted)]
    sure = trusted and all(c.trusted(ctx) for c in free)
    found, free = _unpaired_findings(ctx, roster, unpaired, free, sure=sure)
    out.extend(found)
    if report_extra_cards:
        out.extend(_extra_card_findings(ctx, roster, free, sure=sure))
    return out


def _pair(
    people: list[Person], pool: list[Card]
) -> tuple[list[tuple[Person, Card]], list[Person], list[Card]]:
    """Each person with the first free card of their number, else of their name; the people
    left without a card; the cards left without a person."""
    free = list(pool)
    pairs: list[tuple[Person, Card]] = []
    unpaired: list[Person] = []
    for p in people:
        card = _find_card(p, free)
        if card is None:
            unpaired.append(p)
        else:
            free.remove(card)
            pairs.append((p, card))
    return pairs, unpaired, free


def _compare_card(
    ctx: CheckContext, roster: _Roster, person: Person, card: Card, *, person_trusted: bool
) -> list[Finding]:
    """Name and number of a listed person against the card found for them."""
    same_id = person.id_number is not None and card.person.id_number == person.id_number
    same_name = person.name is not None and card.person.name == person.name
    if same_id and same_name:
        return []
    if same_id:
        what, mine, theirs = "姓名", person.name, card.person.name
    else:
        what, mine, theirs = "身份证号码", person.id_number, card.person.id_number
    if mine is None:
        return [
            low_confidence(
                None,
                slot=roster.doc_slot,
                field_name=roster.doc_field,
                what=f"{roster.what_doc}中{roster.role}的{what}",
            )
        ]
    mismatch = Finding(
        FindingCode.FIELD_MISMATCH,
        Severity.ERROR,
        roster.doc_slot,
        roster.doc_field,
        f"{roster.what_doc}中{roster.role}{_who(person)}的{what}“{mine}”"
        f"与其身份证上的“{theirs}”不一致，请核对并更正",
        (roster.read.evidence(mine), *card.evidence()),
    )
    if person_trusted and card.trusted(ctx):
        return [mismatch]
    return [reviewed(mismatch, roster.unsure(what))]


def _unpaired_findings(
    ctx: CheckContext, roster: _Roster, unpaired: list[Person], free: list[Card], *, sure: bool
) -> tuple[list[Finding], list[Card]]:
    """A listed person without a card: a card that names someone else is theirs with the wrong
    name and number; no card left at all means theirs is missing. Returns the findings and the
    cards still without a person."""
    free = list(free)
    # A card slot holding a file that could not be used (unreadable, wrong or unknown type):
    # the person's card may be that file, and another rule has already said what is wrong.
    blocked = any(not ctx.is_usable(u) for u in ctx.in_slot(roster.card_slot))
    out: list[Finding] = []
    for p in unpaired:
        if blocked and not free:
            continue
        if free:
            card = free.pop(0)
            mismatch = Finding(
                FindingCode.FIELD_MISMATCH,
                Severity.ERROR,
                roster.doc_slot,
                roster.doc_field,
                f"{roster.what_doc}中的{roster.role}{_who(p)}与上传的身份证"
                f"（{_who(card.person)}）姓名、号码均不一致，"
                f"请核对{roster.what_doc}或上传本人身份证",
                (roster.read.evidence(p.name), *card.evidence()),
            )
            if sure:
                out.append(mismatch)
            elif card.person.name or card.person.id_number:
                out.append(reviewed(mismatch, roster.unsure("信息")))
            else:  # a card with nothing read on it shows no difference
                out.append(roster.unsure("信息"))
        elif not sure:
            out.append(roster.unsure("信息"))
        else:
            out.append(
                Finding(
                    FindingCode.MISSING_MATERIAL,
                    Severity.ERROR,
                    roster.card_slot,
                    None,
                    f"{roster.what_doc}中的{roster.role}{_who(p)}未提供身份证，"
                    "请上传其身份证人像面和国徽面",
                    (roster.read.evidence(p.name),),
                )
            )
    return out, free


def _extra_card_findings(
    ctx: CheckContext, roster: _Roster, free: list[Card], *, sure: bool
) -> list[Finding]:
    """A card in the slot whose holder the document does not list."""
    out: list[Finding] = []
    for c in free:
        if sure and c.trusted(ctx):
            extra = Finding(
                FindingCode.FIELD_MISMATCH,
                Severity.ERROR,
                roster.card_slot,
                "name",
                f"上传的{roster.role}身份证{_who(c.person)}不是{roster.what_doc}中的"
                f"{roster.role}，请核对{roster.what_doc}或更换身份证",
                (*c.evidence(), roster.read.evidence()),
            )
            if roster.read.field.confidence < ctx.settings.certain_confidence:
                # "not listed" rests on the list having been read whole, which the listed
                # people agreeing with their own cards does not show
                extra = as_unsure(extra)
            out.append(extra)
        else:
            out.append(
                low_confidence(c.name, slot=roster.card_slot, field_name="name", what="身份证姓名")
            )
    return out


@dataclass(frozen=True)
class PartiesHaveIdCards:
    """Every party listed in a document has an ID card whose name and number match, and every
    ID card in the slot belongs to a listed party."""

    doc_slot: str  # e.g. sale_contract
    doc_type: DocType  # e.g. sale_contract
    doc_field: str  # e.g. sellers
    card_slot: str  # e.g. seller_id_card
    role: str  # 卖方
    what_doc: str = "买卖合同"

    def check(self, ctx: CheckContext) -> list[Finding]:
        if not ctx.usable(self.doc_slot, self.doc_type):
            return []  # missing or unusable: completeness/type/quality rules have said so
        r = merged_read(ctx, self.doc_slot, self.doc_type, self.doc_field)
        people = people_of(r.value) if r is not None else None
        if r is None or not people:
            return [
                low_confidence(
                    r,
                    slot=self.doc_slot,
                    field_name=self.doc_field,
                    what=f"{self.what_doc}中的{self.role}",
                )
            ]
        pool = cards(ctx, self.card_slot)
        if not pool and not ctx.in_slot(self.card_slot):
            return []  # SlotsComplete reports the missing card slot
        roster = _Roster(r, people, self.role, self.doc_slot, self.doc_field, self.card_slot,
                         self.what_doc)  # fmt: skip
        return _match_people(ctx, roster, pool, report_extra_cards=True)


@dataclass(frozen=True)
class OwnersAreSellers:
    """The sellers in the contract are exactly the owners on the property certificate."""

    contract_slot: str = "sale_contract"
    certificate_slot: str = "property_certificate"
    card_slot: str = "seller_id_card"

    def check(self, ctx: CheckContext) -> list[Finding]:
        if not ctx.usable(self.contract_slot, DocType.SALE_CONTRACT) or not ctx.usable(
            self.certificate_slot, DocType.PROPERTY_CERTIFICATE
        ):
            return []
        rs = merged_read(ctx, self.contract_slot, DocType.SALE_CONTRACT, "sellers")
        ro = merged_read(ctx, self.certificate_slot, DocType.PROPERTY_CERTIFICATE, "owners")
        sellers = people_of(rs.value) if rs is not None else None
        owners = people_of(ro.value) if ro is not None else None
        if rs is None or not sellers:
            return [
                low_confidence(
                    rs, slot=self.contract_slot, field_name="sellers", what="合同中的卖方"
                )
            ]
        if ro is None or not owners:
            return [
                low_confidence(
                    ro,
                    slot=self.certificate_slot,
                    field_name="owners",
                    what="不动产权证书上的权利人",
                )
            ]
        seller_names = {p.name for p in sellers if p.name}
        owner_names = {p.name for p in owners if p.name}
        if seller_names == owner_names:
            return []
        out: list[Finding] = []
        # an owner who is not a seller: the contract must add them (co-owners sell together)
        carded = {c.person.name for c in cards(ctx, self.card_slot)}
        for name in sorted(owner_names - seller_names):
            card_note = "" if name in carded else "，并上传其身份证人像面和国徽面"
            out.append(
                Finding(
                    FindingCode.FIELD_MISMATCH,
                    Severity.ERROR,
                    self.contract_slot,
                    "sellers",
                    f"不动产权证书上的权利人“{name}”不是买卖合同中的卖方：房屋共有人须共同作为卖方"
                    f"签署合同，请补充或更正合同{card_note}",
                    (rs.evidence(), ro.evidence(name)),
                )
            )
        # a seller who is not an owner: the certificate does not support the sale
        for name in sorted(seller_names - owner_names):
            out.append(
                Finding(
                    FindingCode.FIELD_MISMATCH,
                    Severity.ERROR,
                    self.certificate_slot,
                    "owners",
                    f"买卖合同中的卖方“{name}”不是不动产权证书上的权利人，请核对不动产权证书或卖方",
                    (ro.evidence(), rs.evidence(name)),
                )
            )
        if list_trusted(ctx, rs, sellers) and list_trusted(ctx, ro, owners):
            return out
        unsure = low_confidence(
            ro, slot=self.certificate_slot, field_name="owners", what="权利人与卖方"
        )
        if all(shown_as_mismatch(f) for f in out):
            return [reviewed(f, unsure) for f in out]
        return [unsure]


@dataclass(frozen=True)
class PropertyMatchesContract:
    """The contract's property location and certificate number are those on the certificate."""

    contract_slot: str = "sale_contract"
    certificate_slot: str = "property_certificate"

    def check(self, ctx: CheckContext) -> list[Finding]:
        if not ctx.usable(self.contract_slot, DocType.SALE_CONTRACT) or not ctx.usable(
            self.certificate_slot, DocType.PROPERTY_CERTIFICATE
        ):
            return []
        out: list[Finding] = []
        for field_name, norm, what in (
            ("location", normalize.location, "房屋坐落"),
            ("certificate_number", normalize.certificate_number, "不动产权证书号"),
        ):
            rc = merged_read(ctx, self.contract_slot, DocType.SALE_CONTRACT, field_name)
            rp = merged_read(ctx, self.certificate_slot, DocType.PROPERTY_CERTIFICATE, field_name)
            if (
                rc is None
                or rp is None
                or not isinstance(rc.value, str)
                or not isinstance(rp.value, str)
            ):
                missing = rc if rc is None or not isinstance(rc.value, str) else rp
                slot = self.contract_slot if missing is rc else self.certificate_slot
                out.append(low_confidence(missing, slot=slot, field_name=field_name, what=what))
                continue
            if norm(rc.value) == norm(rp.value):
                continue
            mismatch = Finding(
                FindingCode.FIELD_MISMATCH,
                Severity.ERROR,
                self.contract_slot,
                field_name,
                f"买卖合同中的{what}“{rc.value}”与不动产权证书上的“{rp.value}”不一致，"
                "请核对并更正合同",
                (rc.evidence(), rp.evidence()),
            )
            if rc.confident and rp.confident:
                out.append(mismatch)
            else:
                weak = rc if not rc.confident else rp
                unsure = low_confidence(
                    weak, slot=weak.upload.slot, field_name=field_name, what=what
                )
                out.append(reviewed(mismatch, unsure))
        return out


@dataclass(frozen=True)
class MarriageCertificateNamesSeller:
    """A married seller's marriage certificate names that seller (name and number)."""

    answer: str = "seller_married"
    certificate_slot: str = "seller_marriage_certificate"
    contract_slot: str = "sale_contract"
    card_slot: str = "seller_id_card"

    def check(self, ctx: CheckContext) -> list[Finding]:
        if not ctx.answers.get(self.answer) or not ctx.usable(
            self.certificate_slot, DocType.MARRIAGE_CERTIFICATE
        ):
            return []
        rsp = merged_read(ctx, self.certificate_slot, DocType.MARRIAGE_CERTIFICATE, "spouses")
        spouses = people_of(rsp.value) if rsp is not None else None
        if rsp is None or not spouses:
            return [
                low_confidence(
                    rsp, slot=self.certificate_slot, field_name="spouses", what="结婚证上的夫妻双方"
                )
            ]
        sellers: list[Person] = [c.person for c in cards(ctx, self.card_slot)]
        rs = merged_read(ctx, self.contract_slot, DocType.SALE_CONTRACT, "sellers")
        sellers += (people_of(rs.value) or []) if rs is not None else []
        if not sellers:
            return []
        for s in sellers:
            for sp in spouses:
                same_id = s.id_number is not None and s.id_number == sp.id_number
                same_name = s.name is not None and s.name == sp.name
                if same_id and (same_name or sp.name is None or s.name is None):
                    return []
                if same_name and (sp.id_number is None or s.id_number is None):
                    return []
        mismatch = Finding(
            FindingCode.FIELD_MISMATCH,
            Severity.ERROR,
            self.certificate_slot,
            "spouses",
            "结婚证上的夫妻双方中没有卖方（姓名与身份证号码须一致），请上传卖方本人的结婚证",
            (rsp.evidence(),),
        )
        if list_trusted(ctx, rsp, spouses):
            return [mismatch]
        unsure = low_confidence(
            rsp, slot=self.certificate_slot, field_name="spouses", what="结婚证上的夫妻双方"
        )
        return [reviewed(mismatch, unsure)]


@dataclass(frozen=True)
class PrincipalIsParty:
    """The power of attorney's principal is one of the parties (e.g. a seller or buyer)."""

    answer: str = "via_agent"
    poa_slot: str = "power_of_attorney"
    party_fields: tuple[tuple[str, DocType, str], ...] = (
        ("sale_contract", DocType.SALE_CONTRACT, "sellers"),
        ("sale_contract", DocType.SALE_CONTRACT, "buyers"),
    )
    party_card_slots: tuple[str, ...] = ("seller_id_card", "buyer_id_card")

    def check(self, ctx: CheckContext) -> list[Finding]:
        if not ctx.answers.get(self.answer) or not ctx.usable(
            self.poa_slot, DocType.POWER_OF_ATTORNEY
        ):
            return []
        rp = merged_read(ctx, self.poa_slot, DocType.POWER_OF_ATTORNEY, "principal")
        principal = person_of(rp.value) if rp is not None else None
        if rp is None or principal is None or principal.name is None:
            return [low_confidence(rp, slot=self.poa_slot, field_name="principal", what="委托人")]
        parties: list[Person] = []
        for slot, doc_type, name in self.party_fields:
            r = merged_read(ctx, slot, doc_type, name)
            parties += (people_of(r.value) or []) if r is not None else []
        for slot in self.party_card_slots:
            parties += [c.person for c in cards(ctx, slot)]
        if not parties:
            return []
        if any(p.name == principal.name for p in parties):
            return []
        mismatch = Finding(
            FindingCode.FIELD_MISMATCH,
            Severity.ERROR,
            self.poa_slot,
            "principal",
            f"授权委托书的委托人“{principal.name}”不是本次申请的当事人（卖方或买方），"
            "请由当事人本人出具委托书",
            (rp.evidence(),),
        )
        if ctx.trusted(rp, FactKind.NAME, principal.name):
            return [mismatch]
        unsure = low_confidence(rp, slot=self.poa_slot, field_name="principal", what="委托人")
        return [reviewed(mismatch, unsure)]


@dataclass(frozen=True)
class AgentMatchesIdCard:
    """The agent named in the power of attorney is the person whose ID card was uploaded."""

    answer: str = "via_agent"
    poa_slot: str = "power_of_attorney"
    card_slot: str = "agent_id_card"

    def check(self, ctx: CheckContext) -> list[Finding]:
        if not ctx.answers.get(self.answer) or not ctx.usable(
            self.poa_slot, DocType.POWER_OF_ATTORNEY
        ):
            return []
        ra = merged_read(ctx, self.poa_slot, DocType.POWER_OF_ATTORNEY, "agent")
        agent = person_of(ra.value) if ra is not None else None
        if ra is None or agent is None:
            return [low_confidence(ra, slot=self.poa_slot, field_name="agent", what="受托人")]
        pool = cards(ctx, self.card_slot)
        if not pool:
            return []  # SlotsComplete / type rules report the missing or wrong card
        roster = _Roster(
            ra, [agent], "受托人", self.poa_slot, "agent", self.card_slot, "授权委托书"
        )
        return _match_people(ctx, roster, pool, report_extra_cards=False)


@dataclass(frozen=True)
class HouseholdIncludesBuyer:
    """For the first-home tax relief the household register lists a buyer."""

    answer: str = "first_home_tax_relief"
    register_slot: str = "household_register"
    contract_slot: str = "sale_contract"
    card_slot: str = "buyer_id_card"

    def check(self, ctx: CheckContext) -> list[Finding]:
        if not ctx.answers.get(self.answer) or not ctx.usable(
            self.register_slot, DocType.HOUSEHOLD_REGISTER
        ):
            return []
        # a household register is often photographed page by page: members from every page
        reads = [
            r for up, _doc in ctx.usable(self.register_slot, DocType.HOUSEHOLD_REGISTER)
            if (r := ctx.read(up, "members")) is not None
        ]  # fmt: skip
        pages = [(r, people_of(r.value) or []) for r in reads]
        members = [m for _r, ms in pages for m in ms]
        rm = reads[0] if reads else None
        if rm is None or not members:
            return [
                low_confidence(rm, slot=self.register_slot, field_name="members", what="户口簿成员")
            ]
        buyers = [c.person for c in cards(ctx, self.card_slot)]
        rb = merged_read(ctx, self.contract_slot, DocType.SALE_CONTRACT, "buyers")
        buyers += (people_of(rb.value) or []) if rb is not None else []
        if not buyers:
            return []
        for b in buyers:
            for m in members:
                if b.id_number is not None and b.id_number == m.id_number:
                    return []
                if (
                    b.name is not None
                    and b.name == m.name
                    and (m.id_number is None or b.id_number is None)
                ):
                    return []
        mismatch = Finding(
            FindingCode.FIELD_MISMATCH,
            Severity.ERROR,
            self.register_slot,
            "members",
            "户口簿中没有买方（姓名与身份证号码须一致），申请契税优惠须提供买方家庭的户口簿",
            (rm.evidence(),),
        )
        if all(list_trusted(ctx, r, ms) for r, ms in pages):
            return [mismatch]
        unsure = low_confidence(
            rm, slot=self.register_slot, field_name="members", what="户口簿成员"
        )
        return [reviewed(mismatch, unsure)]
