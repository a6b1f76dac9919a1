"""Whole held-out applications for ``second-hand-house-transfer``, clean or with one defect.

Same :class:`~synthdocs.applications.Application` type, answers, slots, defect names
(:data:`~synthdocs.applications.DEFECTS`) and golden findings as the training family's builder;
the documents, captures and upload habits are this family's:

- ``style="scan"``: ID cards as separate scans (PNG/JPEG, sometimes the card alone on a whole
  A4 scan), a two-page PDF, or one photocopied A4 sheet with both sides (PDF or PNG); other
  documents as multi-page PDFs (some greyscale or photocopied first) or one PNG per page;
- ``style="photo"``: every side and page a phone photo (JPEG), now and then the photocopied
  sheet photographed.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

from .. import data as d
from ..applications import (
    DEFECTS,
    MATTER,
    Application,
    ExpectedFinding,
    UploadedFile,
    answer_combinations,
)
from ..canvas import Sample
from . import capture as cap
from . import civil, contract, facts, idcard, license, property
from .encode import to_jpeg, to_pdf, to_png

STYLES = ("scan", "photo")


def _split(s: Sample) -> list[Sample]:
    """One single-page sample per page (boxes moved to page 0)."""
    if len(s.pages) == 1:
        return [s]
    return [
        s.with_(
            pages=(page,),
            boxes={k: replace(fb, page=0) for k, fb in s.boxes.items() if fb.page == i},
        )
        for i, page in enumerate(s.pages)
    ]


class _Uploads:
    """Captures and encodes documents the way one citizen does, deterministically."""

    def __init__(self, rng: random.Random, *, style: str, seed: int):
        self.rng, self.style, self.seed = rng, style, seed
        self.files: list[UploadedFile] = []
        self.n = 0

    def next_seed(self) -> int:
        self.n += 1
        return self.seed * 1000 + self.n

    def _name(self, stem: str, ext: str) -> str:
        return f"{stem}_{self.n:02d}{ext}"

    def _add(
        self, slot: str, stem: str, ext: str, data: bytes, samples: tuple[Sample, ...]
    ) -> None:
        self.files.append(
            UploadedFile(
                slot, self._name(stem, ext), data, tuple(s.doc_type for s in samples), samples
            )
        )

    def _raster(self, slot: str, stem: str, s: Sample, *, photo: bool) -> None:
        if photo or self.rng.random() < 0.55:
            self._add(slot, stem, ".jpg", to_jpeg(s, quality=self.rng.randint(78, 92)), (s,))
        else:
            self._add(slot, stem, ".png", to_png(s), (s,))

    def id_card(
        self,
        slot: str,
        person: d.Person,
        *,
        stem: str,
        with_back: bool = True,
        bad_front: str | None = None,
    ) -> None:
        front = idcard.render_front(person, seed=self.next_seed())
        back = idcard.render_back(person, seed=self.next_seed())
        s = self.next_seed()
        if bad_front is not None:
            shot = cap.photo(front, seed=s)
            bad = (
                cap.blurred(shot, seed=s) if bad_front == "blurry" else cap.thumbnail(shot, seed=s)
            )
            self._add(slot, f"{stem}_front", ".jpg", to_jpeg(bad, quality=82), (bad,))
            if with_back:
                self._raster(slot, f"{stem}_back", cap.photo(back, seed=s + 1), photo=True)
            return
        roll = self.rng.random()
        if with_back and (
            (self.style == "scan" and roll < 0.3) or (self.style == "photo" and roll < 0.15)
        ):
            fs, bs = idcard.copy_sheet(front, back, seed=s)
            shared = cap.photocopy(_pair(fs, bs), seed=s)
            shared = (
                cap.photo(shared, seed=s) if self.style == "photo" else cap.scan(shared, seed=s)
            )
            fs, bs = _unpair(shared, fs, bs)
            if self.style == "photo":
                self._add(slot, f"{stem}_copy", ".jpg", to_jpeg(fs, quality=85), (fs, bs))
            elif self.rng.random() < 0.5:
                self._add(
                    slot,
                    f"{stem}_copy",
                    ".pdf",
                    to_pdf([fs], quality=self.rng.choice((75, 85))),
                    (fs, bs),
                )
            else:
                self._add(slot, f"{stem}_copy", ".png", to_png(fs), (fs, bs))
            return
        if self.style == "photo":
            self._raster(slot, f"{stem}_front", cap.photo(front, seed=s), photo=True)
            if with_back:
                self._raster(slot, f"{stem}_back", cap.photo(back, seed=s + 1), photo=True)
            return
        if with_back and roll < 0.55:
            a, b = cap.scan(front, seed=s), cap.scan(back, seed=s + 1)
            self._add(slot, stem, ".pdf", to_pdf([a, b], quality=self.rng.choice((80, 90))), (a, b))
            return
        for side, sample, k in (("front", front, 0), ("back", back, 1)):
            if side == "back" and not with_back:
                break
            if self.rng.random() < 0.3:
                sample = idcard.card_on_a4(sample, seed=s + k)
            self._raster(slot, f"{stem}_{side}", cap.scan(sample, seed=s + k), photo=False)

    def document(self, slot: str, s: Sample, *, stem: str) -> None:
        seed = self.next_seed()
        if self.style == "photo":
            shot = cap.photo(s, seed=seed)
            for i, one in enumerate(_split(shot)):
                suffix = f"_p{i + 1}" if len(shot.pages) > 1 else ""
                self._add(
                    slot,
                    f"{stem}{suffix}",
                    ".jpg",
                    to_jpeg(one, quality=self.rng.randint(76, 90)),
                    (one,),
                )
            return
        if self.rng.random() < 0.2:
            s = cap.photocopy(s, seed=seed)
        scanned = cap.scan(s, seed=seed)
        if self.rng.random() < 0.75:
            quality = self.rng.choice((70, 80, 85, 90, 90, 95, 95, None))  # None: lossless
            self._add(slot, stem, ".pdf", to_pdf([scanned], quality=quality), (scanned,))
            return
        for i, one in enumerate(_split(scanned)):
            suffix = f"_p{i + 1}" if len(scanned.pages) > 1 else ""
            self._raster(slot, f"{stem}{suffix}", one, photo=False)


def _pair(front: Sample, back: Sample) -> Sample:
    """Both sides of a copy sheet as one sample (boxes prefixed), so one capture moves both."""
    boxes = {f"front:{k}": v for k, v in front.boxes.items()}
    boxes.update({f"back:{k}": v for k, v in back.boxes.items()})
    return front.with_(boxes=boxes)


def _unpair(shared: Sample, front: Sample, back: Sample) -> tuple[Sample, Sample]:
    def part(prefix: str, s: Sample) -> Sample:
        boxes = {k.split(":", 1)[1]: v for k, v in shared.boxes.items() if k.startswith(prefix)}
        return s.with_(
            pages=shared.pages, boxes=boxes, dpi=shared.dpi, degradations=shared.degradations
        )

    return part("front:", front), part("back:", back)


def build_application(
    *,
    seed: int,
    seller_married: bool = False,
    via_agent: bool = False,
    first_home_tax_relief: bool = False,
    sellers: int = 1,
    buyers: int = 1,
    defect: str | None = None,
    style: str = "scan",
) -> Application:
    """A complete held-out application; ``defect`` (a key of ``DEFECTS``) plants exactly one
    defect and may force what it needs (agent_mismatch → via_agent,
    marriage_certificate_other_person → seller_married, co_owner_not_signing → an extra owner)."""
    if defect is not None and defect not in DEFECTS:
        raise ValueError(f"unknown defect {defect!r}; known: {sorted(DEFECTS)}")
    if style not in STYLES:
        raise ValueError("style must be 'scan' or 'photo'")
    if sellers < 1 or buyers < 1:
        raise ValueError("need at least one seller and one buyer")
    if defect == "agent_mismatch":
        via_agent = True
    if defect == "marriage_certificate_other_person":
        seller_married = True
    rng = random.Random(f"heldout-application:{seed}:{defect}")
    as_of = d.REFERENCE_DATE

    # parties and facts ---------------------------------------------------------------------
    seller_list = [facts.person(rng, expired=defect == "expired_id")]
    married_pair = seller_married and sellers >= 2
    for _ in range(sellers - 1):
        if married_pair and len(seller_list) == 1:
            sex = "女" if seller_list[0].sex == "男" else "男"
            seller_list.append(facts.person(rng, sex=sex))
        else:
            seller_list.append(facts.person(rng))
    buyer_t = tuple(facts.person(rng) for _ in range(buyers))
    if defect == "forged_check_digit":
        s0 = seller_list[0]
        seller_list[0] = replace(s0, id_number=d.forge_check_char(s0.id_number))
    seller_t = tuple(seller_list)
    owners = seller_t
    if defect == "co_owner_not_signing":
        owners = (*seller_t, facts.person(rng))
    if defect == "owner_differs_from_seller":
        owners = (facts.person(rng, sex=seller_t[0].sex), *seller_t[1:])
    prop = facts.random_property(rng, owners=owners, as_of=as_of)
    if len(owners) > 1 and married_pair:
        prop = replace(prop, co_ownership="共同共有")
    deal = facts.random_contract(rng, sellers=seller_t, buyers=buyer_t, prop=prop, as_of=as_of)
    if defect == "contract_id_typo":
        s0 = seller_t[0]
        deal = replace(deal, party_id_numbers=((s0.name, facts.retyped_id(rng, s0.id_number)),))
    if defect == "location_differs":
        deal = replace(deal, location=facts.other_building(prop.location))
    if defect == "certificate_number_differs":
        deal = replace(
            deal, certificate_number=facts.other_certificate_number(prop.certificate_number)
        )

    up = _Uploads(rng, style=style, seed=seed)
    # ID cards ---------------------------------------------------------------------------------
    for i, p in enumerate(seller_t):
        bad = None
        if i == 0 and defect in ("blurry_photo", "tiny_photo"):
            bad = "blurry" if defect == "blurry_photo" else "tiny"
        up.id_card(
            "seller_id_card",
            p,
            stem=f"seller{i + 1}_id",
            bad_front=bad,
            with_back=not (i == 0 and defect == "missing_id_back"),
        )
    for i, p in enumerate(buyer_t):
        up.id_card("buyer_id_card", p, stem=f"buyer{i + 1}_id")
    # certificate and contract -------------------------------------------------------------------
    if defect == "wrong_document":
        licence = license.render_license(facts.random_business(rng), seed=up.next_seed())
        up.document("property_certificate", licence, stem="property_certificate")
    else:
        up.document(
            "property_certificate",
            property.render(prop, seed=up.next_seed()),
            stem="property_certificate",
        )
    up.document("sale_contract", contract.render(deal, seed=up.next_seed()), stem="sale_contract")
    # conditional materials ----------------------------------------------------------------------
    agent: d.Person | None = None
    if seller_married:
        if defect == "marriage_certificate_other_person":
            other = facts.person(rng, sex=seller_t[0].sex, min_age=26)
            marriage = facts.random_marriage(rng, holder=other)
        elif married_pair:
            marriage = facts.random_marriage(rng, holder=seller_t[0], spouse=seller_t[1])
        else:
            marriage = facts.random_marriage(rng, holder=seller_t[0])
        up.document(
            "seller_marriage_certificate",
            civil.render_marriage(marriage, seed=up.next_seed()),
            stem="marriage_certificate",
        )
    if via_agent:
        agent = facts.person(rng)
        named = facts.person(rng) if defect == "agent_mismatch" else agent
        signed = deal.signed_date - timedelta(days=rng.randint(1, 20))
        poa = facts.random_power_of_attorney(
            rng, principal=seller_t[0], agent=named, location=prop.location, signed=signed
        )
        up.document(
            "power_of_attorney",
            civil.render_power_of_attorney(poa, seed=up.next_seed()),
            stem="power_of_attorney",
        )
        up.id_card("agent_id_card", agent, stem="agent_id")
    if first_home_tax_relief:
        hh = facts.random_household(rng, head=buyer_t[0], size=rng.randint(1, 4))
        up.document(
            "household_register",
            civil.render_household(hh, seed=up.next_seed()),
            stem="household_register",
        )

    uploaded = up.files
    expected: list[ExpectedFinding] = []
    if defect is not None:
        spec = DEFECTS[defect]
        slot = spec.slot
        if defect == "missing_material":
            candidates = ["property_certificate", "sale_contract"]
            candidates += ["seller_marriage_certificate"] if seller_married else []
            candidates += ["power_of_attorney"] if via_agent else []
            candidates += ["household_register"] if first_home_tax_relief else []
            slot = rng.choice(candidates)
            uploaded = [f for f in uploaded if f.slot != slot]
        expected.append(ExpectedFinding(spec.code, slot, spec.field))
        if defect == "forged_check_digit":
            expected.append(ExpectedFinding("invalid_id_number", "sale_contract", "sellers"))
    return Application(
        matter=MATTER,
        answers={
            "seller_married": seller_married,
            "via_agent": via_agent,
            "first_home_tax_relief": first_home_tax_relief,
        },
        files=tuple(uploaded),
        as_of=as_of,
        defect=defect,
        expected_verdict="ready" if defect is None else "needs_fix",
        expected_findings=tuple(expected),
        sellers=seller_t,
        buyers=buyer_t,
        agent=agent,
        contract=deal,
        seed=seed,
    )


def application_set(*, seed: int = 0, style: str = "scan") -> list[Application]:
    """One clean application per answer combination (1-2 sellers and buyers) and one per
    defect: 22 applications."""
    out: list[Application] = []
    for i, answers in enumerate(answer_combinations()):
        out.append(
            build_application(
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
        out.append(
            build_application(
                seed=seed * 100 + 50 + j,
                defect=name,
                style=style,
                seller_married=bool(j % 2),
                first_home_tax_relief=j % 4 == 1,
                sellers=1 + (j % 3 == 0),
            )
        )
    return out
