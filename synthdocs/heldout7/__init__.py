"""The seventh held-out family of synthetic documents (``heldout7``), drawn independently to
measure the detector of signatures, fingerprints and seals: its own sale contracts, powers of
attorney and property certificates with their signing places (:data:`LAYOUTS`, :mod:`.papers`),
its own pens (:mod:`.pen`), fingerprints (:mod:`.prints`), seals (:mod:`.stamp`), faces
(:mod:`.faces`) and captures (:data:`conditions`). The other document types are heldout4's.
Only ever measured.

    from synthdocs import heldout7
    s = heldout7.generate("sale_contract", seed=3)   # about 30 % of its signatures left empty
    s = heldout7.capture(s, "fax_bilevel", seed=1)
    apps = heldout7.application_set(seed=0)          # 25: 8 clean, 14 shared + 3 mark defects

``generate`` leaves marks empty so absence can be measured: each signature and fingerprint
place with a chance of 30 %, each seal 20 %, by a hash of (seed, document type, place, kind),
recorded in ``Sample.marks`` (``present=False``, the box where the mark should be). ``render``
(and so every application) draws every mark unless told otherwise (``absent=``). Marks are
laid after all print from their own random streams: a page with a mark left empty is the
same print as with it.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any, Unpack

from .. import drawn_apps
from ..applications import Application, ApplicationOptions
from ..canvas import Sample
from ..heldout4 import facts
from ..heldout4 import fonts_missing as _h4_fonts_missing
from ..heldout4.docs import LAYOUTS as _H4_LAYOUTS
from ..heldout4.docs import RENDER as _H4_RENDER
from ..heldout4.docs import unknown as _h4_unknown
from ..heldout4.encode import pdf_of, to_jpeg, to_png
from .capture import CONDITIONS, capture
from .faces import fonts_missing as _own_fonts_missing
from .papers import LAYOUTS as _OWN_LAYOUTS
from .papers import RENDER, foreign_organ, registry_organ

name = "heldout7"
conditions: tuple[str, ...] = CONDITIONS
DOC_TYPES: tuple[str, ...] = (
    "id_card_front",
    "id_card_back",
    "property_certificate",
    "sale_contract",
    "marriage_certificate",
    "household_register",
    "power_of_attorney",
    "business_license",
)
DELEGATED = tuple(t for t in DOC_TYPES if t not in RENDER)
LAYOUTS: dict[str, tuple[str, ...]] = {
    **{t: _H4_LAYOUTS[t] for t in DELEGATED},
    **_OWN_LAYOUTS,
    "unknown": _H4_LAYOUTS["unknown"],
}
ALL_DEFECTS = drawn_apps.ALL_DEFECTS
MARK_DEFECTS = drawn_apps.MARK_DEFECTS
#: the share of places ``generate`` leaves empty, per kind of mark
ABSENT_SHARE = {"signature": 0.3, "fingerprint": 0.3, "seal": 0.2}


def fonts_missing() -> list[str]:
    """Font files this family draws with (its own and heldout4's) that are not installed."""
    return sorted({*_own_fonts_missing(), *_h4_fonts_missing()})


def _layout(doc_type: str, seed: int, layout: str | None) -> str:
    if doc_type not in LAYOUTS:
        raise ValueError(f"unknown doc_type {doc_type!r}; known: {[*DOC_TYPES, 'unknown']}")
    if layout is None:
        return random.Random(f"heldout7-layout|{doc_type}|{seed}").choice(LAYOUTS[doc_type])
    if layout not in LAYOUTS[doc_type]:
        raise ValueError(f"unknown layout {layout!r} for {doc_type}; known: {LAYOUTS[doc_type]}")
    return layout


def render(
    doc_type: str, facts_: Any, *, seed: int, layout: str | None = None, **kw: Any
) -> Sample:
    """``facts_`` drawn as ``doc_type`` (layout by seed unless asked). Every mark is drawn
    unless ``absent=`` names ``(place, kind)`` pairs to leave empty; ``sale_contract`` also
    takes ``signed=`` (per seller then buyer) and ``agent=``, ``property_certificate``
    ``seal_org=`` (the organ a foreign seal names)."""
    chosen = _layout(doc_type, seed, layout)
    if doc_type in RENDER:
        rng = random.Random(f"heldout7-render|{doc_type}|{seed}|{chosen}")
        return RENDER[doc_type](facts_, seed=seed, layout=chosen, rng=rng, **kw)
    kw.pop("absent", None)
    rng = random.Random(f"heldout7-render4|{doc_type}|{seed}|{chosen}")
    return _H4_RENDER[doc_type](facts_, seed=seed, layout=chosen, rng=rng, **kw)


def mark_places(doc_type: str, facts_: Any) -> list[tuple[str, str]]:
    """The ``(place, kind)`` marks a document of ``doc_type`` with ``facts_`` must carry (the
    sale contract's agent is not among them: it is drawn only in applications)."""
    if doc_type == "sale_contract":
        places = [f"seller[{i}]" for i in range(len(facts_.sellers))]
        places += [f"buyer[{j}]" for j in range(len(facts_.buyers))]
        return [(p, k) for p in places for k in ("signature", "fingerprint")]
    if doc_type == "power_of_attorney":
        return [("principal", "signature"), ("principal", "fingerprint"), ("agent", "signature")]
    if doc_type == "property_certificate":
        return [("registry", "seal")]
    return []


def _share(key: str) -> float:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") / 2**64


def absent_marks(doc_type: str, facts_: Any, seed: int) -> frozenset[tuple[str, str]]:
    """The marks :func:`generate` leaves empty for ``seed`` (by :data:`ABSENT_SHARE`)."""
    return frozenset(
        (place, kind)
        for place, kind in mark_places(doc_type, facts_)
        if _share(f"heldout7-absent|{seed}|{doc_type}|{place}|{kind}") < ABSENT_SHARE[kind]
    )


def generate(doc_type: str, *, seed: int, layout: str | None = None) -> Sample:
    """A document of ``doc_type`` (a CONTRACT §3 type or ``"unknown"``) with facts, layout and
    faces picked by ``seed``, some of its marks left empty (:func:`absent_marks`)."""
    chosen = _layout(doc_type, seed, layout)
    if doc_type == "unknown":
        return _h4_unknown(
            seed, layout=chosen, rng=random.Random(f"heldout7-unknown|{seed}|{chosen}")
        )
    f = facts.random_facts(doc_type, random.Random(f"heldout7-facts|{doc_type}|{seed}"))
    if doc_type in RENDER:
        return render(doc_type, f, seed=seed, layout=chosen, absent=absent_marks(doc_type, f, seed))
    return render(doc_type, f, seed=seed, layout=chosen)


DRAWING = drawn_apps.Drawing(
    name="heldout7",
    render=render,
    capture=capture,
    facts=facts,
    looks={
        "scan": (
            ("scan", 0.3),
            ("grey_lowres", 0.1),
            ("fax_bilevel", 0.05),
            ("photocopy", 0.1),
            ("inkjet_banding", 0.1),
            ("crumpled", 0.05),
            ("heavy_jpeg", 0.05),
        ),
        "photo": (("photo", 0.8), ("crumpled", 0.2)),
    },
    photo_condition="photo",
    foreign_seal_org=foreign_organ,
    to_jpeg=to_jpeg,
    to_png=to_png,
    pdf_of=pdf_of,
)


def build_application(**options: Unpack[ApplicationOptions]) -> Application:
    """A whole application drawn by this family (:func:`synthdocs.drawn_apps.build_application`)."""
    return drawn_apps.build_application(DRAWING, **options)


def application_set(*, seed: int = 0, style: str = "scan") -> list[Application]:
    """8 clean applications, one per shared defect and one per mark defect (25)."""
    return drawn_apps.application_set(DRAWING, seed=seed, style=style)


__all__ = [
    "ABSENT_SHARE",
    "ALL_DEFECTS",
    "DOC_TYPES",
    "DRAWING",
    "LAYOUTS",
    "MARK_DEFECTS",
    "absent_marks",
    "application_set",
    "build_application",
    "capture",
    "conditions",
    "fonts_missing",
    "foreign_organ",
    "generate",
    "mark_places",
    "name",
    "pdf_of",
    "registry_organ",
    "render",
    "to_jpeg",
    "to_png",
]
