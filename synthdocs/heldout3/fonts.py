"""The faces of the third held-out family: none of them is used by any other family.

TW-Sung and TW-Kai (the CNS 11643 Song and Kai faces, very wide coverage: the fallback of
every run), cwTeX 仿宋 and 粗黑 (Big5 designs: their simplified coverage is partial), 得意黑
(Smiley Sans, a condensed oblique display face), GNU Unifont (a bitmap look, like a dot-matrix
print), BIZ UD Gothic / Mincho and M+ 2 for digits and Latin. A run is drawn only in a face
that covers every character of it (:func:`covering`), so no tofu is ever printed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

_T = "/usr/share/fonts/truetype"
_O = "/usr/share/fonts/opentype"

# name → (file, face index)
FACES: Mapping[str, tuple[str, int]] = {
    "twsung": (f"{_T}/cns11643/TW-Sung-98_1.ttf", 0),
    "twkai": (f"{_T}/cns11643/TW-Kai-98_1.ttf", 0),
    "fangsong": (f"{_T}/cwtex/cwfs.ttf", 0),
    "cuhei": (f"{_T}/cwtex/cwheib.ttf", 0),
    "smiley": (f"{_T}/smiley-sans/SmileySans-Oblique.ttf", 0),
    "unifont": (f"{_O}/unifont/unifont.otf", 0),
    "bizgothic": (f"{_T}/bizud-gothic/BIZUDGothic-Regular.ttf", 0),
    "bizgothic_bold": (f"{_T}/bizud-gothic/BIZUDGothic-Bold.ttf", 0),
    "bizmincho": (f"{_T}/bizud-mincho/BIZUDMincho-Regular.ttf", 0),
    "mplus": (f"{_O}/mplus/Mplus2-Medium.otf", 0),
}
FONT_FILES: frozenset[str] = frozenset(p for p, _ in FACES.values())
# Debian packages that install them (scripts/install-system-deps.sh)
PACKAGES = (
    "fonts-cns11643-sung",
    "fonts-cns11643-kai",
    "fonts-cwtex-fs",
    "fonts-cwtex-heib",
    "fonts-smiley-sans",
    "fonts-unifont",
    "fonts-morisawa-bizud-gothic",
    "fonts-morisawa-bizud-mincho",
    "fonts-mplus",
)

# What kind of face each is, so a layout asks for "a Song face", "a FangSong face"...
SONG = ("twsung", "bizmincho")
FANG = ("fangsong", "twsung")
KAI = ("twkai", "twsung")
HEI = ("cuhei", "bizgothic", "twsung")
DISPLAY = ("smiley", "cuhei", "twsung")
DOT = ("unifont",)
DIGITS = ("bizgothic", "mplus", "bizmincho", "twsung")
# the last resort of every run: TW-Sung and TW-Kai cover everything this family prints
_LAST = ("twsung", "twkai", "unifont")


def fonts_missing() -> list[str]:
    """Font files this family needs that are not installed (empty when all are)."""
    return sorted(p for p in FONT_FILES if not Path(p).exists())


@functools.cache
def _cmap(name: str) -> frozenset[int]:
    path, _index = FACES[name]
    tt = TTFont(path, lazy=True)
    return frozenset(tt.getBestCmap() or {})


def covers(name: str, text: str) -> bool:
    """Whether face ``name`` has a glyph for every character of ``text`` (spaces aside)."""
    cmap = _cmap(name)
    return all(ord(c) in cmap for c in text if not c.isspace())


def covering(prefs: Sequence[str], text: str) -> str:
    """The first face of ``prefs`` that covers ``text``, else TW-Sung / TW-Kai / Unifont."""
    for name in (*prefs, *_LAST):
        if covers(name, text):
            return name
    raise ValueError(f"no heldout3 face covers {text!r}")


@functools.lru_cache(maxsize=512)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = FACES[name]
    return ImageFont.truetype(path, size, index=index)


@functools.cache
def baseline(name: str) -> float:
    """The baseline below a line's top, in em, that centres an ideograph's ink on the line
    (the faces' vertical metrics differ)."""
    f = font(name, 1000)
    _x0, y0, _x1, y1 = f.getbbox("国", anchor="ls")
    return 0.5 - (y0 + y1) / 2 / 1000
