"""generate(): random facts of this family's pools drawn in one of its layouts."""

from __future__ import annotations

import random

from ..canvas import Sample
from .docs import LAYOUTS, RENDERERS
from .facts import facts_for

DOC_TYPES: tuple[str, ...] = tuple(t for t in LAYOUTS if t != "unknown")


def render(
    doc_type: str, facts: object, *, seed: int, layout: str | None = None, **kw: object
) -> Sample:
    """``facts`` drawn as ``doc_type`` in ``layout`` (default: one chosen by seed)."""
    if doc_type not in LAYOUTS:
        raise ValueError(f"unknown doc_type {doc_type!r}; known: {[*LAYOUTS]}")
    chosen = layout or random.Random(f"heldout3-layout:{doc_type}:{seed}").choice(LAYOUTS[doc_type])
    if chosen not in LAYOUTS[doc_type]:
        raise ValueError(f"unknown layout {chosen!r} for {doc_type}; known: {LAYOUTS[doc_type]}")
    return RENDERERS[doc_type](facts, seed=seed, layout=chosen, **kw)


def generate(doc_type: str, *, seed: int, layout: str | None = None) -> Sample:
    """A document of ``doc_type`` (CONTRACT §3 types and ``"unknown"``) from random facts."""
    if doc_type not in LAYOUTS:
        raise ValueError(f"unknown doc_type {doc_type!r}; known: {[*LAYOUTS]}")
    facts = facts_for(doc_type, random.Random(f"heldout3-facts:{doc_type}:{seed}"))
    return render(doc_type, facts, seed=seed, layout=layout)
