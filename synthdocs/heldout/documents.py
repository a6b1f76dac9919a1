"""One entry point per document type: random held-out facts, a layout, a clean render."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from ..canvas import Sample
from . import civil, contract, facts, idcard, license, property

DOC_TYPES: tuple[str, ...] = (
    "id_card_front",
    "id_card_back",
    "property_certificate",
    "sale_contract",
    "marriage_certificate",
    "power_of_attorney",
    "household_register",
    "business_license",
)

LAYOUTS: Mapping[str, tuple[str, ...]] = {
    "id_card_front": idcard.LAYOUTS,
    "id_card_back": idcard.LAYOUTS,
    "property_certificate": property.LAYOUTS,
    "sale_contract": contract.LAYOUTS,
    "marriage_certificate": civil.MARRIAGE_LAYOUTS,
    "power_of_attorney": civil.POA_LAYOUTS,
    "household_register": civil.HOUSEHOLD_LAYOUTS,
    "business_license": license.LICENSE_LAYOUTS,
    "unknown": license.UNKNOWN_LAYOUTS,
}

Renderer = Callable[..., Sample]

RENDERERS: Mapping[str, Renderer] = {
    "id_card_front": idcard.render_front,
    "id_card_back": idcard.render_back,
    "property_certificate": property.render,
    "sale_contract": contract.render,
    "marriage_certificate": civil.render_marriage,
    "power_of_attorney": civil.render_power_of_attorney,
    "household_register": civil.render_household,
    "business_license": license.render_license,
}


def random_facts(doc_type: str, rng: random.Random) -> Any:
    """The facts one document of ``doc_type`` is drawn from."""
    if doc_type in ("id_card_front", "id_card_back"):
        return facts.person(rng)
    if doc_type == "property_certificate":
        owners = tuple(facts.person(rng) for _ in range(rng.choice((1, 1, 2))))
        return facts.random_property(rng, owners=owners)
    if doc_type == "sale_contract":
        sellers = tuple(facts.person(rng) for _ in range(rng.choice((1, 1, 2))))
        buyers = tuple(facts.person(rng) for _ in range(rng.choice((1, 2))))
        prop = facts.random_property(rng, owners=sellers)
        return facts.random_contract(rng, sellers=sellers, buyers=buyers, prop=prop)
    if doc_type == "marriage_certificate":
        return facts.random_marriage(rng, holder=facts.person(rng, min_age=25))
    if doc_type == "power_of_attorney":
        _code, loc = facts.property_location(rng)
        signed = facts.REFERENCE_DATE - timedelta(days=rng.randint(3, 60))
        return facts.random_power_of_attorney(
            rng, principal=facts.person(rng), agent=facts.person(rng), location=loc, signed=signed
        )
    if doc_type == "household_register":
        head = facts.person(rng, min_age=28, max_age=60)
        return facts.random_household(rng, head=head, size=rng.randint(1, 4))
    if doc_type == "business_license":
        return facts.random_business(rng)
    raise ValueError(f"unknown document type {doc_type!r}")


def render(doc_type: str, what: Any, *, seed: int, layout: str | None = None) -> Sample:
    if doc_type == "unknown":
        return license.render_unknown(seed=seed, layout=layout)
    if doc_type not in RENDERERS:
        raise ValueError(f"unknown document type {doc_type!r}; known: {[*DOC_TYPES, 'unknown']}")
    return RENDERERS[doc_type](what, seed=seed, layout=layout)


def generate(doc_type: str, *, seed: int, layout: str | None = None) -> Sample:
    """Random held-out facts and a clean render of ``doc_type`` (or ``"unknown"``); the layout
    is drawn from the seed unless given."""
    if doc_type != "unknown" and doc_type not in RENDERERS:
        raise ValueError(f"unknown document type {doc_type!r}; known: {[*DOC_TYPES, 'unknown']}")
    if layout is not None and layout not in LAYOUTS[doc_type]:
        raise ValueError(f"unknown layout {layout!r} for {doc_type}; known: {LAYOUTS[doc_type]}")
    rng = random.Random(f"heldout-generate:{doc_type}:{seed}")
    what = None if doc_type == "unknown" else random_facts(doc_type, rng)
    return render(doc_type, what, seed=seed, layout=layout)
