"""The held-out family's typefaces, with per-character fallback.

Only these files are ever opened by the held-out renderers (no face of the training family is
used here, digits of ID numbers included)::

    zenhei, zenhei_mono, zenhei_sharp   WenQuanYi Zen Hei (.ttc faces 0, 1, 2)
    wenkai, wenkai_bold, wenkai_light   LXGW WenKai
    wenkai_mono, wenkai_mono_bold       LXGW WenKai Mono (digits of ID numbers)
    sung                                AR PL SungtiL GB (GB 2312 only)
    kai                                 AR PL KaitiM GB (GB 2312 only)
    droid                               Droid Sans Fallback (CJK only: no ASCII digits)

A face that lacks a character (Droid has no digits, the AR PL faces no ㎡) draws it with the
face's fallback, as a phone or a print driver substitutes glyphs.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
WENKAI_DIR = "/usr/share/fonts/truetype/lxgw-wenkai"
SUNG = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
KAI = "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
DROID = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"

FACES: Mapping[str, tuple[str, int]] = {
    "zenhei": (ZENHEI, 0),
    "zenhei_mono": (ZENHEI, 1),
    "zenhei_sharp": (ZENHEI, 2),
    "wenkai": (f"{WENKAI_DIR}/LXGWWenKai-Regular.ttf", 0),
    "wenkai_bold": (f"{WENKAI_DIR}/LXGWWenKai-Bold.ttf", 0),
    "wenkai_light": (f"{WENKAI_DIR}/LXGWWenKai-Light.ttf", 0),
    "wenkai_mono": (f"{WENKAI_DIR}/LXGWWenKaiMono-Regular.ttf", 0),
    "wenkai_mono_bold": (f"{WENKAI_DIR}/LXGWWenKaiMono-Bold.ttf", 0),
    "sung": (SUNG, 0),
    "kai": (KAI, 0),
    "droid": (DROID, 0),
}

# A face's substitute for characters it does not have.
FALLBACK: Mapping[str, str] = {
    "droid": "zenhei",
    "sung": "wenkai",
    "kai": "wenkai",
    "zenhei": "wenkai",
    "zenhei_mono": "zenhei",
    "zenhei_sharp": "zenhei",
    "wenkai": "zenhei",
    "wenkai_bold": "zenhei",
    "wenkai_light": "zenhei",
    "wenkai_mono": "wenkai",
    "wenkai_mono_bold": "wenkai_bold",
}

FONT_FILES: frozenset[str] = frozenset(path for path, _ in FACES.values())


def fonts_missing() -> list[str]:
    """Held-out font files not installed (empty when all are)."""
    return sorted(p for p in FONT_FILES if not Path(p).exists())


@functools.lru_cache(maxsize=512)
def font(face: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = FACES[face]
    return ImageFont.truetype(path, max(4, int(size)), index=index)


def _mask(f: ImageFont.FreeTypeFont, ch: str) -> bytes:
    im = Image.new("L", (64, 64))
    ImageDraw.Draw(im).text((8, 48), ch, font=f, fill=255, anchor="ls")
    return np.asarray(im).tobytes()


@functools.lru_cache(maxsize=32)
def _notdef(face: str) -> bytes:
    return _mask(font(face, 40), "\U0010fffd")


@functools.lru_cache(maxsize=20000)
def has_glyph(face: str, ch: str) -> bool:
    """Whether ``face`` draws ``ch`` itself (whitespace counts as present)."""
    if ch.isspace():
        return True
    return _mask(font(face, 40), ch) != _notdef(face)


def runs(face: str, text: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``(face, chunk)`` runs, each character drawn by the first face of the
    fallback chain that has it."""
    out: list[tuple[str, str]] = []
    for ch in text:
        f, seen = face, set()
        while not has_glyph(f, ch) and f in FALLBACK and f not in seen:
            seen.add(f)
            f = FALLBACK[f]
        if out and out[-1][0] == f:
            out[-1] = (f, out[-1][1] + ch)
        else:
            out.append((f, ch))
    return out
