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
from datetime import timedelta
from typing import Unpack

from .. import data as d
from ..applications import (
    MARK_DEFECTS,
    Application,
    ApplicationOptions,
    Order,
    UploadedFile,
    application_orders,
    assemble,
    draw_parties,
    id_card_uploads,
    split_pages,
)
from ..canvas import Sample
from . import capture as cap
from . import civil, contract, facts, idcard, license, property
from .encode import to_jpeg, to_pdf, to_png


def _split(s: Sample) -> list[Sample]:
    return [s] if len(s.pages) == 1 else split_pages(s)


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


def build_application(**options: Unpack[ApplicationOptions]) -> Application:
    """A complete held-out application (the keywords of
    :class:`~synthdocs.applications.Order`); ``defect`` (a key of ``DEFECTS``) plants exactly one
    defect and may force what it needs (agent_mismatch → via_agent,
    marriage_certificate_other_person → seller_married, co_owner_not_signing → an extra owner)."""
    order = Order.of(**options)
    seed, defect, style = order.seed, order.defect, order.style
    if defect in MARK_DEFECTS:
        raise ValueError(f"held-out v1 draws no signatures or seals: it cannot plant {defect!r}")
    rng = random.Random(f"heldout-application:{seed}:{defect}")
    as_of = d.REFERENCE_DATE
    parties = draw_parties(order, rng, facts, as_of=as_of)
    seller_t, buyer_t = parties.sellers, parties.buyers
    prop, deal = parties.prop, parties.contract

    up = _Uploads(rng, style=style, seed=seed)
    # ID cards ---------------------------------------------------------------------------------
    for card in id_card_uploads(order, parties):
        up.id_card(
            card.slot,
            card.person,
            stem=card.stem,
            bad_front=card.bad_front,
            with_back=card.with_back,
        )
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
    if order.seller_married:
        if defect == "marriage_certificate_other_person":
            other = facts.person(rng, sex=seller_t[0].sex, min_age=26)
            marriage = facts.random_marriage(rng, holder=other)
        elif order.married_pair:
            marriage = facts.random_marriage(rng, holder=seller_t[0], spouse=seller_t[1])
        else:
            marriage = facts.random_marriage(rng, holder=seller_t[0])
        up.document(
            "seller_marriage_certificate",
            civil.render_marriage(marriage, seed=up.next_seed()),
            stem="marriage_certificate",
        )
    if order.via_agent:
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
    if order.first_home_tax_relief:
        hh = facts.random_household(rng, head=buyer_t[0], size=rng.randint(1, 4))
        up.document(
            "household_register",
            civil.render_household(hh, seed=up.next_seed()),
            stem="household_register",
        )

    return assemble(order, rng, files=up.files, parties=parties, agent=agent, as_of=as_of)


def application_set(*, seed: int = 0, style: str = "scan") -> list[Application]:
    """One clean application per answer combination (1-2 sellers and buyers) and one per
    defect: 22 applications."""
    # v1 draws no signatures or seals: it cannot plant their defects
    orders = application_orders(seed=seed, style=style, relief_with_defects=True, marks=False)
    return [build_application(**o) for o in orders]
