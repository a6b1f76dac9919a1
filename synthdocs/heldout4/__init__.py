"""The fourth held-out family of synthetic documents (``heldout4``), drawn independently:
its own faces (:mod:`.faces`), layouts (:data:`LAYOUTS`), marks and captures
(:data:`conditions`). Only ever measured, never tuned on.

    from synthdocs import heldout4
    s = heldout4.generate("sale_contract", seed=3)
    s = heldout4.capture(s, "lid_scan", seed=1)
    apps = heldout4.application_set(seed=0)   # 25: 8 clean, 14 shared + 3 mark defects
"""

from __future__ import annotations

import random
from typing import Any, Unpack

from .. import drawn_apps
from ..applications import Application, ApplicationOptions
from ..canvas import Sample
from . import facts
from .capture import CONDITIONS, capture
from .docs import LAYOUTS, RENDER, registry_organ, unknown
from .encode import pdf_of, to_jpeg, to_png
from .faces import fonts_missing

name = "heldout4"
conditions: tuple[str, ...] = CONDITIONS
DOC_TYPES: tuple[str, ...] = tuple(RENDER)
ALL_DEFECTS = drawn_apps.ALL_DEFECTS
MARK_DEFECTS = drawn_apps.MARK_DEFECTS


def _layout(doc_type: str, seed: int, layout: str | None) -> str:
    if doc_type not in LAYOUTS:
        raise ValueError(f"unknown doc_type {doc_type!r}; known: {[*DOC_TYPES, 'unknown']}")
    if layout is None:
        return random.Random(f"heldout4-layout:{doc_type}:{seed}").choice(LAYOUTS[doc_type])
    if layout not in LAYOUTS[doc_type]:
        raise ValueError(f"unknown layout {layout!r} for {doc_type}; known: {LAYOUTS[doc_type]}")
    return layout


def render(
    doc_type: str, facts_: Any, *, seed: int, layout: str | None = None, **kw: Any
) -> Sample:
    """``facts_`` drawn as ``doc_type`` (layout by seed unless asked); property_certificate
    takes ``seal_org=``, sale_contract ``signed=`` (per seller then buyer) and ``agent=``."""
    chosen = _layout(doc_type, seed, layout)
    rng = random.Random(f"heldout4-render:{doc_type}:{seed}:{chosen}")
    return RENDER[doc_type](facts_, seed=seed, layout=chosen, rng=rng, **kw)


def generate(doc_type: str, *, seed: int, layout: str | None = None) -> Sample:
    """A document of ``doc_type`` (a CONTRACT §3 type or ``"unknown"``) with facts, layout and
    faces picked by ``seed``."""
    chosen = _layout(doc_type, seed, layout)
    if doc_type == "unknown":
        return unknown(seed, layout=chosen, rng=random.Random(f"heldout4-unknown:{seed}:{chosen}"))
    f = facts.random_facts(doc_type, random.Random(f"heldout4-facts:{doc_type}:{seed}"))
    return render(doc_type, f, seed=seed, layout=chosen)


def _foreign_seal_org(prop: Any, rng: random.Random) -> str:
    own = registry_organ(prop)
    cities = (
        "杭州市",
        "宁波市",
        "温州市",
        "嘉兴市",
        "湖州市",
        "绍兴市",
        "金华市",
        "衢州市",
        "舟山市",
    )
    other = rng.choice([c for c in cities if not own.startswith(c)])
    return f"{other}自然资源和规划局"


DRAWING = drawn_apps.Drawing(
    name="heldout4",
    render=render,
    capture=capture,
    facts=facts,
    looks={
        "scan": (
            ("scan", 0.3),
            ("photocopy", 0.15),
            ("lid_scan", 0.15),
            ("moire", 0.1),
            ("fax", 0.05),
        ),
        "photo": (("photo", 0.75), ("wechat", 0.25)),
    },
    photo_condition="photo",
    foreign_seal_org=_foreign_seal_org,
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
    "ALL_DEFECTS",
    "DOC_TYPES",
    "DRAWING",
    "LAYOUTS",
    "MARK_DEFECTS",
    "application_set",
    "build_application",
    "capture",
    "conditions",
    "fonts_missing",
    "generate",
    "name",
    "render",
]
