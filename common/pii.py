"""How personal identifiers look wherever they must not be read whole."""

from __future__ import annotations

import re

# 18-character citizen ID numbers (GB 11643) and 15-digit legacy ones, not inside a longer token
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{3})\d{8,11}(\d{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_id_number(value: str | None) -> str | None:
    """``330106198503120016`` → ``330***********0016``: enough to tell people apart, no more."""
    if not value:
        return value
    if len(value) <= 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_ids(text: str) -> str:
    """Every ID number inside ``text`` masked as :func:`mask_id_number` does."""
    return _ID_RE.sub(lambda m: mask_id_number(m.group(0)) or "", text)
