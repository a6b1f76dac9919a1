"""Whole applications of an independently drawn family (``heldout2``, ``heldout3``, …).

The parties logic, defects and golden findings are :mod:`synthdocs.applications`'; what a drawn
family brings is its :class:`Drawing`: its renderer, captures, encoders, fact pools and how its
uploads are captured. The three mark defects (an unsigned contract, one party unsigned, a
foreign seal) are added here, the same for every drawn family::

    DRAWING = Drawing(name="heldout3", render=render, capture=capture, facts=facts, ...)
    build_application(DRAWING, seed=3, defect="foreign_seal", style="photo")
    application_set(DRAWING, seed=0)        # 8 clean + 14 shared defects + 3 mark defects
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from types import ModuleType
from typing import Unpack

import cv2

from . import data as d
from .applications import (
    DEFECTS,
    Application,
    ApplicationOptions,
    DefectSpec,
    ExpectedFinding,
    Order,
    UploadedFile,
    assemble,
    draw_parties,
    id_card_uploads,
)
from .applications import (
    application_orders as shared_orders,
)
from .canvas import Sample

MARK_DEFECTS: Mapping[str, DefectSpec] = {
    s.name: s
    for s in (
        DefectSpec(
            "unsigned",
            "missing_signature",
            "sale_contract",
            None,
            "no seller and no buyer signed the sale contract",
        ),
        DefectSpec(
            "one_party_unsigned",
            "missing_signature",
            "sale_contract",
            None,
            "the first buyer's signature place of the sale contract is empty",
        ),
        DefectSpec(
            "foreign_seal",
            "seal_mismatch",
            "property_certificate",
            None,
            "the property certificate's registry seal names another registration organ",
        ),
    )
}
ALL_DEFECTS: Mapping[str, DefectSpec] = {**DEFECTS, **MARK_DEFECTS}

Looks = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Drawing:
    """What a drawn family lends its applications.

    ``facts`` offers ``POOL``, ``person``, ``company``, ``marriage``, ``power_of_attorney`` and
    ``household`` as :mod:`synthdocs.heldout3.facts` does; ``looks`` gives, per upload style
    (``scan``, ``photo``), the captures uploads are made with and their shares (the rest:
    uploaded as rendered); ``photo_condition`` is the capture a blurred or tiny ID-card photo
    starts from; ``foreign_seal_org`` names the organ of a seal that is not the registry's.
    """

    name: str
    render: Callable[..., Sample]
    capture: Callable[..., Sample]
    facts: ModuleType
    looks: Mapping[str, Looks]
    photo_condition: str
    foreign_seal_org: Callable[[d.Property, random.Random], str]
    to_jpeg: Callable[..., bytes]
    to_png: Callable[[Sample], bytes]
    pdf_of: Callable[[list[Sample]], bytes]


def _order(options: ApplicationOptions) -> Order:
    opts = dict(options)
    defect = opts.get("defect")
    if defect in MARK_DEFECTS:
        opts["defect"] = None
        return replace(Order.of(**opts), defect=defect)  # type: ignore[arg-type]
    if defect is not None and defect not in DEFECTS:
        raise ValueError(f"unknown defect {defect!r}; known: {sorted(ALL_DEFECTS)}")
    return Order.of(**opts)  # type: ignore[arg-type]


class _Files:
    def __init__(self, drawing: Drawing, order: Order, rng: random.Random):
        self.drawing, self.order, self.rng = drawing, order, rng
        self.files: list[UploadedFile] = []
        self.n = 0

    def seed(self) -> int:
        self.n += 1
        return self.order.seed * 1000 + self.n

    def look(self, s: Sample) -> Sample:
        r = self.rng.random()
        for condition, p in self.drawing.looks[self.order.style]:
            if r < p:
                return self.drawing.capture(s, condition, seed=self.seed())
            r -= p
        return s

    def image(self, slot: str, s: Sample, stem: str) -> None:
        s = self.look(s)
        if self.order.style == "photo" or self.rng.random() < 0.75:
            data, ext = self.drawing.to_jpeg(s, quality=self.rng.randint(80, 92)), ".jpg"
        else:
            data, ext = self.drawing.to_png(s), ".png"
        self.files.append(UploadedFile(slot, f"{stem}{ext}", data, (s.doc_type,), (s,)))

    def _bad_front(self, front: Sample, bad: str) -> Sample:
        shot = self.drawing.capture(front, self.drawing.photo_condition, seed=self.seed())
        if bad == "blurry":
            img = cv2.GaussianBlur(shot.pages[0], (0, 0), 7)
            return shot.with_(
                pages=(img,),
                degradations=(*shot.degradations, "blurry"),
                expected_issues=("blurry",),
            )
        h, w = shot.pages[0].shape[:2]
        k = 150 / w
        img = cv2.resize(shot.pages[0], (150, max(1, round(h * k))), interpolation=cv2.INTER_AREA)
        return shot.with_(
            pages=(img,),
            boxes={},
            marks=(),
            degradations=(*shot.degradations, "too_small"),
            expected_issues=("too_small",),
        )

    def id_card(
        self, slot: str, p: d.Person, stem: str, *, with_back: bool, bad: str | None
    ) -> None:
        front = self.drawing.render("id_card_front", p, seed=self.seed())
        back = self.drawing.render("id_card_back", p, seed=self.seed())
        if bad is not None:
            bad_front = self._bad_front(front, bad)
            self.files.append(
                UploadedFile(
                    slot,
                    f"{stem}_front.jpg",
                    self.drawing.to_jpeg(bad_front),
                    ("id_card_front",),
                    (bad_front,),
                )
            )
            if with_back:
                self.image(slot, back, f"{stem}_back")
            return
        if with_back and self.order.style == "scan" and self.rng.random() < 0.3:
            f2, b2 = self.look(front), self.look(back)
            self.files.append(
                UploadedFile(
                    slot,
                    f"{stem}.pdf",
                    self.drawing.pdf_of([f2, b2]),
                    ("id_card_front", "id_card_back"),
                    (f2, b2),
                )
            )
            return
        self.image(slot, front, f"{stem}_front")
        if with_back:
            self.image(slot, back, f"{stem}_back")

    def document(self, slot: str, s: Sample, stem: str) -> None:
        s = self.look(s)
        if self.order.style == "photo":
            for i, page in enumerate(s.pages):
                one = s.with_(
                    pages=(page,),
                    boxes={k: replace(fb, page=0) for k, fb in s.boxes.items() if fb.page == i},
                    marks=tuple(replace(m, page=0) for m in s.marks if m.page == i),
                )
                suffix = f"_p{i + 1}" if len(s.pages) > 1 else ""
                self.files.append(
                    UploadedFile(
                        slot,
                        f"{stem}{suffix}.jpg",
                        self.drawing.to_jpeg(one),
                        (s.doc_type,),
                        (one,),
                    )
                )
            return
        self.files.append(
            UploadedFile(slot, f"{stem}.pdf", self.drawing.pdf_of([s]), (s.doc_type,), (s,))
        )


def build_application(drawing: Drawing, **options: Unpack[ApplicationOptions]) -> Application:
    """A complete application of ``drawing``'s family (the keywords of
    :class:`synthdocs.applications.Order`); ``defect`` may also be one of :data:`MARK_DEFECTS`."""
    order = _order(options)
    defect = order.defect
    facts, render = drawing.facts, drawing.render
    rng = random.Random(f"{drawing.name}-application:{order.seed}:{defect}")
    as_of = d.REFERENCE_DATE
    plain = replace(order, defect=None) if defect in MARK_DEFECTS else order
    parties = draw_parties(plain, rng, facts.POOL, as_of=as_of)
    files = _Files(drawing, order, rng)
    bad = {"blurry_photo": "blurry", "tiny_photo": "tiny"}
    for card in id_card_uploads(plain, parties):
        files.id_card(
            card.slot,
            card.person,
            card.stem,
            with_back=card.with_back,
            bad=bad.get(defect or "") if card.bad_front else None,
        )
    if defect == "wrong_document":
        files.document(
            "property_certificate",
            render("business_license", facts.company(rng), seed=files.seed()),
            "property_certificate",
        )
    else:
        seal_org = drawing.foreign_seal_org(parties.prop, rng) if defect == "foreign_seal" else None
        files.document(
            "property_certificate",
            render("property_certificate", parties.prop, seed=files.seed(), seal_org=seal_org),
            "property_certificate",
        )
    agent: d.Person | None = facts.person(rng) if order.via_agent else None
    n_sellers, n_buyers = len(parties.sellers), len(parties.buyers)
    signed = [True] * (n_sellers + n_buyers)
    if defect == "unsigned":
        signed = [False] * len(signed)
    if defect == "one_party_unsigned":
        signed[n_sellers] = False
    files.document(
        "sale_contract",
        render("sale_contract", parties.contract, seed=files.seed(), signed=signed, agent=agent),
        "sale_contract",
    )
    s0 = parties.sellers[0]
    if order.seller_married:
        if defect == "marriage_certificate_other_person":
            m = facts.marriage(rng, holder=facts.person(rng, sex=s0.sex))
        elif order.married_pair:
            m = facts.marriage(rng, holder=s0, spouse=parties.sellers[1])
        else:
            m = facts.marriage(rng, holder=s0)
        files.document(
            "seller_marriage_certificate",
            render("marriage_certificate", m, seed=files.seed()),
            "marriage_certificate",
        )
    if agent is not None:
        named = facts.person(rng) if defect == "agent_mismatch" else agent
        poa = facts.power_of_attorney(
            rng,
            principal=s0,
            agent=named,
            location=parties.prop.location,
            signed=parties.contract.signed_date - timedelta(days=rng.randint(1, 20)),
        )
        files.document(
            "power_of_attorney",
            render("power_of_attorney", poa, seed=files.seed()),
            "power_of_attorney",
        )
        files.id_card("agent_id_card", agent, "agent_id", with_back=True, bad=None)
    if order.first_home_tax_relief:
        hh = facts.household(rng, head=parties.buyers[0], size=rng.randint(1, 4))
        files.document(
            "household_register",
            render("household_register", hh, seed=files.seed()),
            "household_register",
        )
    app = assemble(plain, rng, files=files.files, parties=parties, agent=agent, as_of=as_of)
    if defect in MARK_DEFECTS:
        spec = MARK_DEFECTS[defect]
        app = replace(
            app,
            defect=defect,
            expected_verdict="needs_fix",
            expected_findings=(ExpectedFinding(spec.code, spec.slot, spec.field),),
        )
    return app


def application_orders(*, seed: int = 0, style: str = "scan") -> list[ApplicationOptions]:
    """One clean application per answer combination, one per shared defect and one per mark
    defect (25)."""
    out = list(shared_orders(seed=seed, style=style, marks=False))  # the mark defects below
    for j, name in enumerate(MARK_DEFECTS):
        out.append(
            ApplicationOptions(
                seed=seed * 100 + 80 + j,
                defect=name,
                style=style,
                sellers=1 + j % 2,
                buyers=1 + (j + 1) % 2,
                via_agent=j == 2,
            )
        )
    return out


def application_set(drawing: Drawing, *, seed: int = 0, style: str = "scan") -> list[Application]:
    """:func:`application_orders` built (8 clean + 14 shared defects + 3 mark defects)."""
    return [build_application(drawing, **o) for o in application_orders(seed=seed, style=style)]
