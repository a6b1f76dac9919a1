"""Whole synthetic applications for the matter ``second-hand-house-transfer`` (CONTRACT §2),
clean or with exactly one named defect, with the golden verdict and findings.

    app = build_application(seed=3, seller_married=True, defect="expired_id")
    for slot, filename, data in app.uploads: ...
    app.expected_verdict            # "ready" (clean) or "needs_fix" (any defect)
    app.expected_findings           # (ExpectedFinding(code, slot, field), ...) - each must appear

``as_of`` for the pre-check is ``app.as_of`` (= ``REFERENCE_DATE``): every ID card is valid on
that date unless the defect says otherwise.

:func:`build_application` draws the classic documents. The same builder draws other documents
through a :class:`Kit` (how people are drawn, documents rendered and captured):
``synthdocs.families`` passes the training family's kit (varied facts, layouts, fonts and
captures) to :func:`build_with`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Protocol, Required, TypedDict, Unpack

from . import data as d
from .canvas import Sample
from .degrade import blur, photo, tiny
from .encode import samples_to_pdf, to_jpeg, to_pdf, to_png
from .marks import MarkPlan, other_registry_organ
from .render import RENDERERS
from .validators import id_check_char

MATTER = "second-hand-house-transfer"
ANSWERS = ("seller_married", "via_agent", "first_home_tax_relief")
STYLES = ("scan", "photo")


@dataclass(frozen=True)
class DefectSpec:
    """A defect the builder can plant, with the finding it must cause."""

    name: str
    code: str  # CONTRACT §1 finding code
    slot: str
    field: str | None
    description: str


DEFECTS: Mapping[str, DefectSpec] = {
    s.name: s
    for s in (
        DefectSpec(
            "missing_material",
            "missing_material",
            "property_certificate",
            None,
            "a required material is not uploaded (slot chosen by seed)",
        ),
        DefectSpec(
            "missing_id_back",
            "missing_page",
            "seller_id_card",
            None,
            "the first seller's ID card has only its front",
        ),
        DefectSpec(
            "wrong_document",
            "wrong_document",
            "property_certificate",
            None,
            "a business licence uploaded in the property-certificate slot",
        ),
        DefectSpec(
            "expired_id",
            "expired_document",
            "seller_id_card",
            "valid_until",
            "the first seller's ID card expired before as_of",
        ),
        DefectSpec(
            "owner_differs_from_seller",
            "field_mismatch",
            "property_certificate",
            "owners",
            "the certificate's owner is not the contract's seller",
        ),
        DefectSpec(
            "contract_id_typo",
            "field_mismatch",
            "sale_contract",
            "sellers",
            "the contract prints the seller's ID number with one digit changed "
            "(check character recomputed, so only the cross-check can catch it)",
        ),
        DefectSpec(
            "location_differs",
            "field_mismatch",
            "sale_contract",
            "location",
            "the contract's location has another building number",
        ),
        DefectSpec(
            "certificate_number_differs",
            "field_mismatch",
            "sale_contract",
            "certificate_number",
            "the contract's certificate number differs by a digit",
        ),
        DefectSpec(
            "blurry_photo",
            "unreadable",
            "seller_id_card",
            None,
            "the first seller's ID card front is a strongly blurred photo",
        ),
        DefectSpec(
            "tiny_photo",
            "unreadable",
            "seller_id_card",
            None,
            "the first seller's ID card front is a thumbnail",
        ),
        DefectSpec(
            "agent_mismatch",
            "field_mismatch",
            "power_of_attorney",
            "agent",
            "the power of attorney names another agent than the agent's ID card",
        ),
        DefectSpec(
            "co_owner_not_signing",
            "field_mismatch",
            "sale_contract",
            "sellers",
            "two owners on the certificate, only one seller in the contract",
        ),
        DefectSpec(
            "forged_check_digit",
            "invalid_id_number",
            "seller_id_card",
            "id_number",
            "the first seller's card (and the contract) print a wrong check character",
        ),
        DefectSpec(
            "marriage_certificate_other_person",
            "field_mismatch",
            "seller_marriage_certificate",
            "spouses",
            "the marriage certificate is of two other people",
        ),
        DefectSpec(
            "unsigned",
            "missing_signature",
            "sale_contract",
            None,
            "no party signed or fingerprinted the sale contract",
        ),
        DefectSpec(
            "one_party_unsigned",
            "missing_signature",
            "sale_contract",
            None,
            "the first buyer did not sign or fingerprint the sale contract",
        ),
        DefectSpec(
            "foreign_seal",
            "seal_mismatch",
            "property_certificate",
            None,
            "the property certificate's seal names another registration organ",
        ),
    )
}
# the defects that live in signatures and seals: a family that draws no marks (held-out v1)
# cannot plant them, and one that draws its own (held-out v2) orders them itself
MARK_DEFECTS: tuple[str, ...] = ("unsigned", "one_party_unsigned", "foreign_seal")


@dataclass(frozen=True)
class ExpectedFinding:
    code: str
    slot: str
    field: str | None = None


@dataclass(frozen=True)
class UploadedFile:
    """One uploaded file with its golden content (``samples``: the rendered documents in it,
    after degradations; several for a PDF holding an ID card's two sides)."""

    slot: str
    filename: str
    data: bytes
    doc_types: tuple[str, ...]
    samples: tuple[Sample, ...] = field(repr=False, default=())


@dataclass(frozen=True)
class Application:
    matter: str
    answers: Mapping[str, bool]
    files: tuple[UploadedFile, ...]
    as_of: date
    defect: str | None
    expected_verdict: str
    expected_findings: tuple[ExpectedFinding, ...]
    sellers: tuple[d.Person, ...] = field(repr=False, default=())
    buyers: tuple[d.Person, ...] = field(repr=False, default=())
    agent: d.Person | None = field(repr=False, default=None)
    contract: d.Contract | None = field(repr=False, default=None)
    seed: int = 0

    @property
    def uploads(self) -> list[tuple[str, str, bytes]]:
        """``(slot, filename, bytes)`` in upload order."""
        return [(f.slot, f.filename, f.data) for f in self.files]

    @property
    def slots(self) -> dict[str, list[UploadedFile]]:
        out: dict[str, list[UploadedFile]] = {}
        for f in self.files:
            out.setdefault(f.slot, []).append(f)
        return out

    def cli_args(self, paths: Mapping[str, str] | None = None) -> list[str]:
        """``--file SLOT=PATH`` arguments, given where each filename was written."""
        args: list[str] = []
        for f in self.files:
            path = (paths or {}).get(f.filename, f.filename)
            args += ["--file", f"{f.slot}={path}"]
        return args


class ApplicationOptions(TypedDict, total=False):
    """The keyword arguments of every family's ``build_application`` (see :class:`Order`)."""

    seed: Required[int]
    seller_married: bool
    via_agent: bool
    first_home_tax_relief: bool
    sellers: int
    buyers: int
    defect: str | None
    style: str


@dataclass(frozen=True)
class Order:
    """What an application is asked to be: the answers, how many sellers and buyers, the one
    ``defect`` to plant (a key of :data:`DEFECTS`, or None) and the upload ``style``
    (``"scan"`` or ``"photo"``). Build one with :meth:`of`, which checks it and sets the answers
    a defect needs."""

    seed: int
    seller_married: bool = False
    via_agent: bool = False
    first_home_tax_relief: bool = False
    sellers: int = 1
    buyers: int = 1
    defect: str | None = None
    style: str = "scan"

    @classmethod
    def of(cls, **options: Unpack[ApplicationOptions]) -> Order:
        """The checked order: agent_mismatch forces via_agent, marriage_certificate_other_person
        forces seller_married."""
        o = cls(**options)
        if o.defect is not None and o.defect not in DEFECTS:
            raise ValueError(f"unknown defect {o.defect!r}; known: {sorted(DEFECTS)}")
        if o.style not in STYLES:
            raise ValueError("style must be 'scan' or 'photo'")
        if o.sellers < 1 or o.buyers < 1:
            raise ValueError("need at least one seller and one buyer")
        return replace(
            o,
            via_agent=o.via_agent or o.defect == "agent_mismatch",
            seller_married=o.seller_married or o.defect == "marriage_certificate_other_person",
        )

    @property
    def answers(self) -> dict[str, bool]:
        return {
            "seller_married": self.seller_married,
            "via_agent": self.via_agent,
            "first_home_tax_relief": self.first_home_tax_relief,
        }

    @property
    def married_pair(self) -> bool:
        """The first two sellers are the married couple."""
        return self.seller_married and self.sellers >= 2


def application_orders(
    *,
    seed: int = 0,
    style: str = "scan",
    relief_with_defects: bool = False,
    marks: bool = True,
) -> list[ApplicationOptions]:
    """A benchmark set's orders: one clean application per answer combination (with 1-2
    sellers and buyers) and one per defect - 25; ``relief_with_defects``: a quarter of the
    defective ones also claim the first-home tax relief; ``marks=False`` leaves out the
    :data:`MARK_DEFECTS` (22)."""
    out: list[ApplicationOptions] = []
    for i, answers in enumerate(answer_combinations()):
        out.append(
            ApplicationOptions(
                seed=seed * 100 + i,
                sellers=1 + i % 2,
                buyers=1 + (i // 2) % 2,
                style=style,
                seller_married=answers["seller_married"],
                via_agent=answers["via_agent"],
                first_home_tax_relief=answers["first_home_tax_relief"],
            )
        )
    for j, name in enumerate(DEFECTS):
        if not marks and name in MARK_DEFECTS:
            continue
        o = ApplicationOptions(
            seed=seed * 100 + 50 + j, defect=name, style=style, seller_married=bool(j % 2)
        )
        if relief_with_defects:
            o["first_home_tax_relief"] = j % 4 == 1
        o["sellers"] = 1 + (j % 3 == 0)
        out.append(o)
    return out


class Pool(Protocol):
    """Where a builder draws people and the deal from: a family's fact pools (the held-out
    ``facts`` module is one as it is)."""

    def person(
        self, rng: random.Random, *, sex: str | None = None, expired: bool = False
    ) -> d.Person: ...

    def random_property(
        self, rng: random.Random, *, owners: tuple[d.Person, ...], as_of: date
    ) -> d.Property: ...

    def random_contract(
        self,
        rng: random.Random,
        *,
        sellers: tuple[d.Person, ...],
        buyers: tuple[d.Person, ...],
        prop: d.Property,
        as_of: date,
    ) -> d.Contract: ...

    def retyped_id(self, rng: random.Random, number: str) -> str: ...

    def other_building(self, location: str) -> str: ...

    def other_certificate_number(self, number: str) -> str: ...


@dataclass(frozen=True)
class Parties:
    """The sellers, buyers, property and contract of an application, defects planted."""

    sellers: tuple[d.Person, ...]
    buyers: tuple[d.Person, ...]
    prop: d.Property
    contract: d.Contract


def draw_parties(order: Order, rng: random.Random, pool: Pool, *, as_of: date) -> Parties:
    """The parties and the deal for ``order``, drawn from ``pool``, with the order's defect
    planted where it lives in the facts (an expired or forged ID, an extra or another owner,
    a contract that mistypes an ID number, names another building or certificate)."""
    defect = order.defect
    seller_list = [pool.person(rng, expired=(defect == "expired_id"))]
    for _ in range(order.sellers - 1):
        if order.married_pair and len(seller_list) == 1:
            sex = "女" if seller_list[0].sex == "男" else "男"
            seller_list.append(pool.person(rng, sex=sex))
        else:
            seller_list.append(pool.person(rng))
    buyers = tuple(pool.person(rng) for _ in range(order.buyers))
    if defect == "forged_check_digit":
        s0 = seller_list[0]
        seller_list[0] = replace(s0, id_number=d.forge_check_char(s0.id_number))
    sellers = tuple(seller_list)

    owners = sellers
    if defect == "co_owner_not_signing":
        # the certificate has one more owner than the sellers who sign the contract
        owners = (*sellers, pool.person(rng))
    if defect == "owner_differs_from_seller":
        owners = (pool.person(rng, sex=sellers[0].sex), *sellers[1:])
    prop = pool.random_property(rng, owners=owners, as_of=as_of)
    if len(owners) > 1 and order.married_pair:
        prop = replace(prop, co_ownership="共同共有")
    deal = pool.random_contract(rng, sellers=sellers, buyers=buyers, prop=prop, as_of=as_of)
    if defect == "contract_id_typo":
        s0 = sellers[0]
        deal = replace(deal, party_id_numbers=((s0.name, pool.retyped_id(rng, s0.id_number)),))
    if defect == "location_differs":
        deal = replace(deal, location=pool.other_building(prop.location))
    if defect == "certificate_number_differs":
        deal = replace(
            deal, certificate_number=pool.other_certificate_number(prop.certificate_number)
        )
    return Parties(sellers=sellers, buyers=buyers, prop=prop, contract=deal)


@dataclass(frozen=True)
class IdCardUpload:
    """One party's ID card as an application uploads it."""

    slot: str
    person: d.Person
    stem: str
    with_back: bool = True
    bad_front: str | None = None  # "blurry" / "tiny": the front is a bad phone photo


def id_card_uploads(order: Order, parties: Parties) -> list[IdCardUpload]:
    """The sellers' and buyers' ID cards, in upload order, with the order's card defect (the
    first seller's back missing, or its front blurry or tiny)."""
    bad = {"blurry_photo": "blurry", "tiny_photo": "tiny"}.get(order.defect or "")
    cards = [
        IdCardUpload(
            "seller_id_card",
            p,
            f"seller{i + 1}_id",
            with_back=not (i == 0 and order.defect == "missing_id_back"),
            bad_front=bad if i == 0 else None,
        )
        for i, p in enumerate(parties.sellers)
    ]
    cards += [
        IdCardUpload("buyer_id_card", p, f"buyer{i + 1}_id") for i, p in enumerate(parties.buyers)
    ]
    return cards


def assemble(
    order: Order,
    rng: random.Random,
    *,
    files: list[UploadedFile],
    parties: Parties,
    agent: d.Person | None,
    as_of: date,
) -> Application:
    """The application of ``files`` with its golden verdict and findings (a missing material
    is withheld here, its slot drawn from ``rng``)."""
    defect = order.defect
    uploaded = files
    expected: list[ExpectedFinding] = []
    if defect is not None:
        spec = DEFECTS[defect]
        slot = spec.slot
        if defect == "missing_material":
            candidates = ["property_certificate", "sale_contract"]
            candidates += ["seller_marriage_certificate"] if order.seller_married else []
            candidates += ["power_of_attorney"] if order.via_agent else []
            candidates += ["household_register"] if order.first_home_tax_relief else []
            slot = rng.choice(candidates)
            uploaded = [f for f in uploaded if f.slot != slot]
        expected.append(ExpectedFinding(spec.code, slot, spec.field))
        if defect == "forged_check_digit":
            # the contract copies the forged number, so it is invalid there too
            expected.append(ExpectedFinding("invalid_id_number", "sale_contract", "sellers"))
    return Application(
        matter=MATTER,
        answers=order.answers,
        files=tuple(uploaded),
        as_of=as_of,
        defect=defect,
        expected_verdict="ready" if defect is None else "needs_fix",
        expected_findings=tuple(expected),
        sellers=parties.sellers,
        buyers=parties.buyers,
        agent=agent,
        contract=parties.contract,
        seed=order.seed,
    )


def split_pages(s: Sample) -> list[Sample]:
    """One single-page sample per page of ``s`` (boxes moved to page 0)."""
    return [
        s.with_(
            pages=(page,),
            boxes={k: replace(fb, page=0) for k, fb in s.boxes.items() if fb.page == i},
        )
        for i, page in enumerate(s.pages)
    ]


def _retype(rng: random.Random, id_number: str) -> str:
    """One digit of the sequence code changed (same sex parity), check character recomputed."""
    body = list(id_number[:17])
    pos = rng.choice((14, 15))
    body[pos] = str((int(body[pos]) + rng.randint(1, 9)) % 10)
    b = "".join(body)
    return b + id_check_char(b)


def _other_building(location: str) -> str:
    import re

    m = re.search(r"(\d+)幢", location)
    if m is None:
        return location.replace("号", "号附", 1)
    return d.shift_number(location, m, 1)


def _other_certificate_number(number: str) -> str:
    i = number.rindex("号") - 1
    digit = int(number[i])
    return number[:i] + str((digit + 3) % 10) + number[i + 1 :]


Renderer = Callable[..., Sample]  # render_*(facts, *, seed, ...) -> Sample
Look = Callable[[Sample, str, int], Sample]  # (sample, style, seed) -> the captured sample


def _classic_look(s: Sample, style: str, seed: int) -> Sample:
    return photo(s, seed=seed) if style == "photo" else s


@dataclass(frozen=True)
class Kit:
    """How an application's documents are made.

    ``varied``: people, properties and companies drawn from the widened pools (see
    ``synthdocs.data``); ``renderers``: one per document type, called as the classic
    ``render_*`` functions are; ``look(sample, style, seed)``: the capture of a document
    uploaded in ``style`` (``"scan"`` or ``"photo"``)."""

    varied: bool = False
    renderers: Mapping[str, Renderer] = field(default_factory=lambda: dict(RENDERERS))
    look: Look = _classic_look


CLASSIC = Kit()


class _Files:
    """Renders documents and encodes them, alternating formats deterministically."""

    def __init__(self, rng: random.Random, *, style: str, seed: int, kit: Kit = CLASSIC):
        self.rng, self.style, self.seed, self.kit = rng, style, seed, kit
        self.files: list[UploadedFile] = []
        self.counter = 0
        self.looks = 0

    def _next_seed(self) -> int:
        self.counter += 1
        return self.seed * 1000 + self.counter

    def render(self, doc_type: str, facts: Any, **kw: Any) -> Sample:
        return self.kit.renderers[doc_type](facts, seed=self._next_seed(), **kw)

    def _look(self, s: Sample) -> Sample:
        if self.style == "photo":
            return self.kit.look(s, self.style, self._next_seed())
        if self.kit is CLASSIC:
            return s  # classic scans are the clean renders themselves
        self.looks += 1
        return self.kit.look(s, self.style, self.seed * 1000 + 500 + self.looks)

    def image(self, slot: str, s: Sample, *, stem: str) -> None:
        s = self._look(s)
        if self.style == "photo" or self.rng.random() < 0.7:
            data, ext = to_jpeg(s, quality=88), ".jpg"
        else:
            data, ext = to_png(s), ".png"
        self.files.append(UploadedFile(slot, f"{stem}{ext}", data, (s.doc_type,), (s,)))

    def id_card(
        self,
        slot: str,
        person: d.Person,
        *,
        stem: str,
        printed_id: str | None = None,
        front_override: Sample | None = None,
        with_back: bool = True,
    ) -> None:
        front = front_override or self.render("id_card_front", person, printed_id=printed_id)
        back = self.render("id_card_back", person)
        if (
            self.style == "scan"
            and with_back
            and front_override is None
            and (self.rng.random() < 0.25)
        ):
            if self.kit is not CLASSIC:
                front, back = self._look(front), self._look(back)
            data = samples_to_pdf([front, back])
            self.files.append(
                UploadedFile(
                    slot, f"{stem}.pdf", data, ("id_card_front", "id_card_back"), (front, back)
                )
            )
            return
        if front_override is not None:
            self.files.append(
                UploadedFile(slot, f"{stem}_front.jpg", to_jpeg(front), (front.doc_type,), (front,))
            )
        else:
            self.image(slot, front, stem=f"{stem}_front")
        if with_back:
            self.image(slot, back, stem=f"{stem}_back")

    def document(self, slot: str, s: Sample, *, stem: str) -> None:
        if self.style == "photo":
            s = self._look(s)
            for i, one in enumerate(split_pages(s)):
                suffix = f"_p{i + 1}" if len(s.pages) > 1 else ""
                self.files.append(
                    UploadedFile(slot, f"{stem}{suffix}.jpg", to_jpeg(one), (s.doc_type,), (one,))
                )
            return
        s = self._look(s)
        text_layer = s.doc_type in ("sale_contract", "power_of_attorney") and (
            self.rng.random() < 0.5
        )
        text_layer = text_layer and not s.degradations  # a text layer needs the clean page
        self.files.append(
            UploadedFile(slot, f"{stem}.pdf", to_pdf(s, text_layer=text_layer), (s.doc_type,), (s,))
        )


def build_application(**options: Unpack[ApplicationOptions]) -> Application:
    """A complete application (the keywords of :class:`Order`: ``seed``, the answers
    ``seller_married``, ``via_agent``, ``first_home_tax_relief``, ``sellers``, ``buyers``,
    ``defect``, ``style``); ``defect`` (a key of :data:`DEFECTS`) plants exactly one defect
    and may force the answers or party counts it needs (agent_mismatch → via_agent,
    marriage_certificate_other_person → seller_married, co_owner_not_signing → 2 owners).
    ``style``: ``"scan"`` (clean images and PDFs, some with a text layer) or ``"photo"``
    (every document photographed on a desk, one JPEG per page)."""
    return build_with(CLASSIC, **options)


@dataclass(frozen=True)
class _DataPool:
    """:mod:`synthdocs.data`'s pools as a :class:`Pool` (``varied``: the widened ones)."""

    varied: bool

    def person(self, rng: random.Random, **kw: Any) -> d.Person:
        return d.random_person(rng, varied=self.varied, **kw)

    def random_property(
        self, rng: random.Random, *, owners: tuple[d.Person, ...], as_of: date
    ) -> d.Property:
        return d.random_property(rng, owners=owners, as_of=as_of, varied=self.varied)

    # not widened: the same for the plain and the varied pools
    random_contract = staticmethod(d.random_contract)
    retyped_id = staticmethod(_retype)
    other_building = staticmethod(_other_building)
    other_certificate_number = staticmethod(_other_certificate_number)


def build_with(kit: Kit, **options: Unpack[ApplicationOptions]) -> Application:
    """:func:`build_application` with the documents made by ``kit`` (the same parties,
    answers, defects and golden findings; :data:`CLASSIC` is build_application itself)."""
    order = Order.of(**options)
    seed, defect, style = order.seed, order.defect, order.style
    rng = random.Random(f"application:{seed}:{defect}")
    as_of = d.REFERENCE_DATE
    v = kit.varied
    pool = _DataPool(v)

    def person(**kw: Any) -> d.Person:
        return pool.person(rng, **kw)

    parties = draw_parties(order, rng, pool, as_of=as_of)
    seller_t, buyer_list = parties.sellers, parties.buyers
    prop, contract = parties.prop, parties.contract

    files = _Files(rng, style=style, seed=seed, kit=kit)
    # seller and buyer ID cards ------------------------------------------------------------
    for card in id_card_uploads(order, parties):
        override = None
        if card.bad_front is not None:
            front = kit.renderers["id_card_front"](card.person, seed=seed * 1000 + 900)
            override = (blur if card.bad_front == "blurry" else tiny)(
                photo(front, seed=seed), seed=seed
            )
        files.id_card(
            card.slot,
            card.person,
            stem=card.stem,
            front_override=override,
            with_back=card.with_back,
        )
    # property certificate and contract -----------------------------------------------------
    render = kit.renderers
    if defect == "wrong_document":
        company = d.random_company(rng, varied=True) if v else d.random_company(rng)
        files.document(
            "property_certificate",
            render["business_license"](company, seed=seed),
            stem="property_certificate",
        )
    else:
        seal_plan = MarkPlan()
        if defect == "foreign_seal":
            seal_plan = MarkPlan(seal_org=other_registry_organ(prop.registry, rng))
        files.document(
            "property_certificate",
            render["property_certificate"](prop, seed=seed, marks=seal_plan),
            stem="property_certificate",
        )
    sign_plan = MarkPlan()
    if defect == "unsigned":
        sign_plan = MarkPlan(absent=frozenset({"*"}))
    elif defect == "one_party_unsigned":
        sign_plan = MarkPlan(absent=frozenset({"buyer[0]"}))
    files.document(
        "sale_contract",
        render["sale_contract"](contract, seed=seed, marks=sign_plan),
        stem="sale_contract",
    )
    # conditional materials ----------------------------------------------------------------
    agent: d.Person | None = None
    if order.seller_married:
        wide = {"varied": True} if v else {}
        if defect == "marriage_certificate_other_person":
            a = person(sex=seller_t[0].sex, min_age=25)
            marriage = d.random_marriage(rng, holder=a, **wide)
        elif order.married_pair:
            marriage = d.random_marriage(rng, holder=seller_t[0], spouse=seller_t[1])
        else:
            marriage = d.random_marriage(rng, holder=seller_t[0], **wide)
        files.document(
            "seller_marriage_certificate",
            render["marriage_certificate"](marriage, seed=seed),
            stem="marriage_certificate",
        )
    if order.via_agent:
        agent = person()
        named = person() if defect == "agent_mismatch" else agent
        poa = d.random_power_of_attorney(
            rng, principal=seller_t[0], agent=named, location=prop.location
        )
        poa = replace(poa, signed_date=contract.signed_date - timedelta(days=rng.randint(1, 20)))
        files.document(
            "power_of_attorney",
            render["power_of_attorney"](poa, seed=seed),
            stem="power_of_attorney",
        )
        files.id_card("agent_id_card", agent, stem="agent_id")
    if order.first_home_tax_relief:
        size = rng.randint(1, 4)
        if v:
            hh = d.random_household(rng, head=buyer_list[0], size=size, varied=True)
        else:
            hh = d.random_household(rng, head=buyer_list[0], size=size)
        files.document(
            "household_register",
            render["household_register"](hh, seed=seed),
            stem="household_register",
        )

    return assemble(order, rng, files=files.files, parties=parties, agent=agent, as_of=as_of)


def answer_combinations() -> list[dict[str, bool]]:
    """All 8 combinations of the matter's answers."""
    return [
        {
            "seller_married": bool(i & 1),
            "via_agent": bool(i & 2),
            "first_home_tax_relief": bool(i & 4),
        }
        for i in range(8)
    ]


def application_set(*, seed: int = 0, style: str = "scan") -> list[Application]:
    """A benchmark set: one clean application per answer combination (with 1-2 sellers and
    buyers) and one per defect - 25 applications; call with several seeds for more."""
    return application_set_with(CLASSIC, seed=seed, style=style)


def application_set_with(kit: Kit, *, seed: int = 0, style: str = "scan") -> list[Application]:
    """:func:`application_set` with the documents made by ``kit``."""
    return [build_with(kit, **o) for o in application_orders(seed=seed, style=style)]


def describe(app: Application) -> dict[str, Any]:
    """A JSON-able summary (for bench logs and failure messages)."""
    return {
        "seed": app.seed,
        "defect": app.defect,
        "answers": dict(app.answers),
        "files": [(f.slot, f.filename, len(f.data), list(f.doc_types)) for f in app.files],
        "expected_verdict": app.expected_verdict,
        "expected_findings": [vars(e) for e in app.expected_findings],
    }
