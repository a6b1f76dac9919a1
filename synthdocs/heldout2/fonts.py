"""The faces of the second held-out family: none of them is used by any other family.

BabelStone Han (a Song/Ming face), HanaMin A (a Mincho), IPAmj Mincho, IPAex Mincho and Gothic
(Japanese designs: their simplified coverage is partial, so a run is only drawn in a face that
covers every character of it, see :func:`covering`), and the two Noto CJK SC weights no other
family draws with (Sans Thin, Serif ExtraLight).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont
from PIL import ImageFont

_T = "/usr/share/fonts/truetype"
_O = "/usr/share/fonts/opentype"

# name → (file, face index in a collection)
FACES: Mapping[str, tuple[str, int]] = {
    "babel": (f"{_T}/babelstone/BabelStoneHan.ttf", 0),
    "hana": (f"{_T}/hanazono/HanaMinA.ttf", 0),
    "ipamj": (f"{_T}/ipamj/ipamjm.ttf", 0),
    "ipam": (f"{_O}/ipaexfont-mincho/ipaexm.ttf", 0),
    "ipag": (f"{_O}/ipaexfont-gothic/ipaexg.ttf", 0),
    "thin": (f"{_O}/noto/NotoSansCJK-Thin.ttc", 2),
    "xlight": (f"{_O}/noto/NotoSerifCJK-ExtraLight.ttc", 2),
}
FONT_FILES: frozenset[str] = frozenset(p for p, _ in FACES.values())
# Debian packages that install them (scripts/install-system-deps.sh)
PACKAGES = (
    "fonts-babelstone-han",
    "fonts-hanazono",
    "fonts-ipamj-mincho",
    "fonts-ipaexfont-mincho",
    "fonts-ipaexfont-gothic",
    "fonts-noto-cjk-extra",
)

# What kind of face each is, so a layout can ask for "a Song face" or "a Gothic face".
SONG = ("babel", "hana", "ipamj", "ipam", "xlight")
HEI = ("ipag", "thin")


def fonts_missing() -> list[str]:
    """Font files this family needs that are not installed (empty when all are)."""
    return sorted(p for p in FONT_FILES if not Path(p).exists())


@functools.cache
def _cmap(name: str) -> frozenset[int]:
    path, index = FACES[name]
    tt = TTCollection(path).fonts[index] if path.endswith(".ttc") else TTFont(path, lazy=True)
    cmap = tt.getBestCmap() or {}
    return frozenset(cmap)


def covers(name: str, text: str) -> bool:
    """Whether face ``name`` has a glyph for every character of ``text`` (spaces aside)."""
    cmap = _cmap(name)
    return all(ord(c) in cmap for c in text if not c.isspace())


def covering(prefs: Sequence[str], text: str) -> str:
    """The first face of ``prefs`` that covers ``text``, else the first face of the whole
    family that does (BabelStone Han covers everything this family prints)."""
    for name in (*prefs, *FACES):
        if covers(name, text):
            return name
    raise ValueError(f"no held-out face covers {text!r}")


@functools.lru_cache(maxsize=512)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = FACES[name]
    return ImageFont.truetype(path, size, index=index)


@functools.cache
def baseline(name: str) -> float:
    """Where to put the baseline below a line's top, in em, so that an ideograph's ink is
    centred on the line whatever the face's vertical metrics (faces of this family differ)."""
    f = font(name, 1000)
    _x0, y0, _x1, y1 = f.getbbox("国", anchor="ls")
    return 0.5 - (y0 + y1) / 2 / 1000
