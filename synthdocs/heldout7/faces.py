"""The faces of the seventh held-out family: the CNS 11643 Sung and Kai files, the thinnest
weights of Noto CJK (ExtraLight Serif, Thin Sans), the Seto hand and the Kouzan brush faces.

A run of print is set in the first face of its chain with ink for every character of it; a
hand is written one character at a time, each in the first face of its chain with ink for it.
Every chain ends in the CNS Sung face, which has ink for every character the facts use.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

_T = "/usr/share/fonts/truetype"
_O = "/usr/share/fonts/opentype"

#: name → (file, face index)
FACES: dict[str, tuple[str, int]] = {
    "twsung": (f"{_T}/cns11643/TW-Sung-98_1.ttf", 0),  # fonts-cns11643-sung
    "twkai": (f"{_T}/cns11643/TW-Kai-98_1.ttf", 0),  # fonts-cns11643-kai
    "serif_xlight": (f"{_O}/noto/NotoSerifCJK-ExtraLight.ttc", 2),  # fonts-noto-cjk-extra
    "sans_thin": (f"{_O}/noto/NotoSansCJK-Thin.ttc", 2),  # fonts-noto-cjk-extra
    "seto": (f"{_T}/seto/setofont.ttf", 0),  # fonts-seto
    "sousyo": (f"{_T}/kouzan-mouhitsu/KouzanBrushFontSousyo.ttf", 0),  # fonts-kouzan-mouhitsu
    "gyosho": (f"{_T}/kouzan-mouhitsu/kouzan-mouhitsu-gyosho.ttf", 0),
    "klee": (f"{_T}/klee/KleeOne-Regular.ttf", 0),  # fonts-klee
}
LAST = "twsung"

#: chains print is set in
PRINT: dict[str, tuple[str, ...]] = {
    "sung": ("twsung",),
    "xlight": ("serif_xlight", LAST),
    "thin": ("sans_thin", LAST),
    "kai": ("twkai", LAST),
}
#: chains a signature is written in (one character at a time)
HAND: dict[str, tuple[str, ...]] = {
    "cursive": ("sousyo", "gyosho", "seto", "twkai"),
    "running": ("gyosho", "seto", "twkai"),
    "plain": ("seto", "klee", "twkai"),
    "school": ("klee", "seto", "twkai"),
    "kai": ("twkai",),
}


def fonts_missing() -> list[str]:
    """Font files of this family that are not installed (empty when all are)."""
    return sorted({p for p, _ in FACES.values() if not Path(p).exists()})


@functools.lru_cache(maxsize=512)
def font(face: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = FACES[face]
    return ImageFont.truetype(path, max(4, int(size)), index=index)


@functools.cache
def _cmap(face: str) -> frozenset[int]:
    path, index = FACES[face]
    return frozenset(TTFont(path, lazy=True, fontNumber=index).getBestCmap())


@functools.cache
def inked(face: str, ch: str) -> bool:
    """Whether ``face`` draws ink for ``ch`` (some faces map characters to empty glyphs)."""
    if ord(ch) not in _cmap(face):
        return False
    return font(face, 40).getmask(ch).getbbox() is not None


def pick(chain: Sequence[str], text: str) -> str:
    """The first face of ``chain`` with ink for every character of ``text``."""
    for face in (*chain, LAST):
        if all(inked(face, c) for c in text if not c.isspace()):
            return face
    return LAST
