"""Whole applications of the third held-out family: :mod:`synthdocs.drawn_apps` (the shared
parties logic, defects and golden findings, and the three mark defects) over this family's
documents and captures."""

from __future__ import annotations

import random
from typing import Unpack

from .. import data as d
from ..applications import Application, ApplicationOptions
from ..drawn_apps import ALL_DEFECTS, MARK_DEFECTS, Drawing
from ..drawn_apps import application_orders as application_orders
from ..drawn_apps import application_set as _application_set
from ..drawn_apps import build_application as _build_application
from . import facts
from .capture import capture
from .documents import render
from .encode import pdf_of, to_jpeg, to_png

__all__ = [
    "ALL_DEFECTS",
    "MARK_DEFECTS",
    "application_orders",
    "application_set",
    "build_application",
]


def _foreign_seal_org(prop: d.Property, rng: random.Random) -> str:
    others = sorted(
        {c for _, pref, county, _ in facts.PLACES for c in (pref, county)} - {prop.registry}
    )
    others = [c for c in others if c not in prop.registry]
    return facts.registry_org(rng.choice(others))


DRAWING = Drawing(
    name="heldout3",
    render=render,
    capture=capture,
    facts=facts,
    # how documents uploaded in each style are captured, with their shares
    looks={
        "scan": (
            ("clean", 0.2),
            ("scan150", 0.3),
            ("photocopy", 0.2),
            ("fax", 0.1),
            ("viewer", 0.2),
        ),
        "photo": (("desk_photo", 0.4), ("glare", 0.2), ("warm_light", 0.3), ("sideways", 0.1)),
    },
    photo_condition="desk_photo",
    foreign_seal_org=_foreign_seal_org,
    to_jpeg=to_jpeg,
    to_png=to_png,
    pdf_of=pdf_of,
)


def build_application(**options: Unpack[ApplicationOptions]) -> Application:
    """A complete application (the keywords of :class:`synthdocs.applications.Order`);
    ``defect`` may also be one of :data:`MARK_DEFECTS`."""
    return _build_application(DRAWING, **options)


def application_set(*, seed: int = 0, style: str = "scan") -> list[Application]:
    """:func:`application_orders` built (8 clean + 14 shared defects + 3 mark defects)."""
    return _application_set(DRAWING, seed=seed, style=style)
