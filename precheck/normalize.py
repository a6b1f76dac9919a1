"""Normalisation before comparing facts read from different documents.

Only presentation differences are removed: whitespace, full-width vs half-width forms, bracket
and colon forms, the 幢/栋/号楼 building-word variants and the 室/号 unit-word variants that the
property guides and real certificates use interchangeably. Nothing here makes two different
names or numbers equal; there is no fuzzy matching.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Building / unit words: "5幢", "5栋", "5号楼" and "5 幢" all name building 5.
_BUILDING = re.compile(r"(\d+)(?:号楼|幢|栋|座)")
_UNIT = re.compile(r"(\d+)(?:单元)")
_ROOM = re.compile(r"(\d+)(?:室|号房)$")


def text(value: str) -> str:
    """Whitespace removed, full-width ASCII folded to half-width (NFKC), brackets as ASCII."""
    folded = unicodedata.normalize("NFKC", value)
    folded = folded.replace("〔", "(").replace("〕", ")").replace("【", "(").replace("】", ")")
    return _SPACE.sub("", folded)


def name(value: str) -> str:
    """A person's name as printed, whitespace and width differences removed (and the ·/• dot)."""
    return text(value).replace("•", "·").replace("．", "·")


def id_number(value: str) -> str:
    """An ID number: whitespace removed, lowercase x as X."""
    return text(value).upper()


def credit_code(value: str) -> str:
    """A unified social credit code: whitespace removed, letters upper-case."""
    return text(value).upper()


def certificate_number(value: str) -> str:
    return text(value)


def location(value: str) -> str:
    """A property location: building/room word variants mapped to one spelling."""
    out = text(value)
    out = _BUILDING.sub(r"\1幢", out)
    out = _UNIT.sub(r"\1单元", out)
    out = _ROOM.sub(r"\1室", out)
    return out
