"""The faces of the fifth held-out family.

Every CJK face Debian ships is already drawn by some family, so this one takes files and
collection members no other family opens (WenQuanYi Zen Hei's *Sharp* and *Mono* members, the
light LXGW WenKai Mono, the proportional Japanese Mincho/Gothic twins, M+ 1, the upright
Kouzan brush and its Sousho twin) and combines them in its own chains. A run is drawn in the
first face of its chain that covers every character of it (the Japanese faces lack many
simplified characters, so a chain always ends in a face with full GB 2312 coverage).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

_T = "/usr/share/fonts/truetype"
_O = "/usr/share/fonts/opentype"

# key → (font file, face index); the Debian package in the comment
FACES: dict[str, tuple[str, int]] = {
    "zen_sharp": (f"{_T}/wqy/wqy-zenhei.ttc", 2),  # fonts-wqy-zenhei (member 2: Zen Hei Sharp)
    "zen_mono": (f"{_T}/wqy/wqy-zenhei.ttc", 1),  # fonts-wqy-zenhei (member 1: Zen Hei Mono)
    "wk_light": (f"{_T}/lxgw-wenkai/LXGWWenKaiMono-Light.ttf", 0),  # fonts-lxgw-wenkai
    "bizud_pm": (f"{_T}/bizud-mincho/BIZUDPMincho-Regular.ttf", 0),  # fonts-morisawa-bizud-mincho
    "bizud_pg": (f"{_T}/bizud-gothic/BIZUDPGothic-Bold.ttf", 0),  # fonts-morisawa-bizud-gothic
    "takao_p": (f"{_T}/takao-mincho/TakaoPMincho.ttf", 0),  # fonts-takao-mincho
    "ipagp": (f"{_O}/ipafont-gothic/ipagp.ttf", 0),  # fonts-ipafont-gothic
    "mplus1": (f"{_O}/mplus/Mplus1-Regular.otf", 0),  # fonts-mplus
    "mplus1_bold": (f"{_O}/mplus/Mplus1-Bold.otf", 0),  # fonts-mplus
    "kouzan": (f"{_T}/kouzan-mouhitsu/kouzan-mouhitsu.ttf", 0),  # fonts-kouzan-mouhitsu
    "sousyo": (f"{_T}/kouzan-mouhitsu/KouzanBrushFontSousyo.ttf", 0),  # fonts-kouzan-mouhitsu
}
FONT_FILES = frozenset(p for p, _i in FACES.values())
FULL = ("zen_sharp", "zen_mono", "wk_light")  # the faces that cover every GB 2312 character

# the chains a document draws its print in
PRINT_CHAINS: dict[str, tuple[str, ...]] = {
    "sharp": ("zen_sharp",),
    "mono": ("zen_mono",),
    "pmincho": ("bizud_pm", "takao_p", "zen_sharp"),
    "pgothic": ("ipagp", "bizud_pg", "zen_mono"),
    "mplus": ("mplus1", "zen_mono"),
    "kaiprint": ("wk_light",),
}
# the faces hand-printed signatures are traced from, and the seals' rim faces
HAND_CHAINS: dict[str, tuple[str, ...]] = {
    "kai": ("wk_light",),
    "brush": ("kouzan", "wk_light"),
    "sousho": ("sousyo", "kouzan", "wk_light"),
}
SEAL_CHAINS: dict[str, tuple[str, ...]] = {
    "hei": ("zen_sharp",),
    "mono": ("zen_mono",),
    "gothic": ("bizud_pg", "mplus1_bold", "zen_sharp"),
    "kai": ("wk_light",),
}


def fonts_missing() -> list[str]:
    """Font files of this family that are not installed (empty when all are)."""
    return sorted({p for p, _i in FACES.values() if not Path(p).exists()})


@functools.cache
def _cmap(face: str) -> frozenset[int]:
    path, index = FACES[face]
    return frozenset(TTFont(path, lazy=True, fontNumber=index).getBestCmap())


@functools.cache
def _has(face: str, ch: str) -> bool:
    """``ch`` is mapped by ``face`` and draws ink there."""
    if ord(ch) not in _cmap(face):
        return False
    return font(face, 32).getmask(ch).getbbox() is not None


def covers(face: str, text: str) -> bool:
    return all(_has(face, c) for c in text if not c.isspace())


def pick(chain: Sequence[str], text: str) -> str:
    """The first face of ``chain`` that covers every character of ``text``."""
    for face in (*chain, *FULL):
        if covers(face, text):
            return face
    raise ValueError(f"no heldout5 face covers {text!r}")


@functools.lru_cache(maxsize=512)
def font(face: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = FACES[face]
    return ImageFont.truetype(path, size, index=index)
