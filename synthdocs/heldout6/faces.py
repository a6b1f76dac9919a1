"""The faces of the sixth held-out family: simplified Song, Kai and Hei faces of the AR PL GB,
LXGW WenKai, WenQuanYi Zen Hei, HanaMin and Droid Sans Fallback files, in chains of its own.

A run is drawn in the first face of its chain that has ink for every character of it; every
chain ends in Droid Sans Fallback, which covers all of GB 2312.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

_T = "/usr/share/fonts/truetype"

FACES: dict[str, str] = {
    "gbsong": f"{_T}/arphic-gbsn00lp/gbsn00lp.ttf",  # fonts-arphic-gbsn00lp
    "gbkai": f"{_T}/arphic-gkai00mp/gkai00mp.ttf",  # fonts-arphic-gkai00mp
    "wenkai": f"{_T}/lxgw-wenkai/LXGWWenKai-Regular.ttf",  # fonts-lxgw-wenkai
    "wenkai_bold": f"{_T}/lxgw-wenkai/LXGWWenKai-Bold.ttf",
    "wenkai_light": f"{_T}/lxgw-wenkai/LXGWWenKai-Light.ttf",
    "wenkai_mono": f"{_T}/lxgw-wenkai/LXGWWenKaiMono-Regular.ttf",
    "zenhei": f"{_T}/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "hanamin": f"{_T}/hanazono/HanaMinA.ttf",  # fonts-hanazono
    "babel": f"{_T}/babelstone/BabelStoneHan.ttf",  # fonts-babelstone-han
    "droid": f"{_T}/droid/DroidSansFallbackFull.ttf",  # fonts-droid-fallback
}
LAST = "droid"

#: chains a document prints in (labels, body, values)
PRINT: dict[str, tuple[str, ...]] = {
    "song": ("gbsong", "hanamin", "babel", LAST),
    "hei": ("zenhei", LAST),
    "kai": ("gbkai", "wenkai", LAST),
    "wenkai": ("wenkai", "gbkai", LAST),
    "mincho": ("hanamin", "gbsong", LAST),
    "babel": ("babel", "gbsong", LAST),
}
#: chains a title is set in
TITLE: dict[str, tuple[str, ...]] = {
    "hei": ("zenhei", LAST),
    "song": ("gbsong", "hanamin", LAST),
    "kai_bold": ("wenkai_bold", "gbkai", LAST),
}
#: chains a clerk fills a blank in by hand (ballpoint on a printed form)
FILL: dict[str, tuple[str, ...]] = {
    "wenkai": ("wenkai_light", "wenkai", LAST),
    "gbkai": ("gbkai", "wenkai", LAST),
    "mono": ("wenkai_mono", "wenkai", LAST),
}
#: chains the seal's rim text is cut in
SEAL: dict[str, tuple[str, ...]] = {
    "song": ("gbsong", "hanamin", LAST),
    "hei": ("zenhei", LAST),
}


def fonts_missing() -> list[str]:
    """Font files of this family that are not installed (empty when all are)."""
    return sorted(p for p in set(FACES.values()) if not Path(p).exists())


@functools.lru_cache(maxsize=512)
def font(face: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FACES[face], max(4, int(size)))


@functools.cache
def _cmap(face: str) -> frozenset[int]:
    return frozenset(TTFont(FACES[face], lazy=True, fontNumber=0).getBestCmap())


@functools.cache
def _inked(face: str, ch: str) -> bool:
    if ord(ch) not in _cmap(face):
        return False
    return font(face, 40).getmask(ch).getbbox() is not None


def pick(chain: Sequence[str], text: str) -> str:
    """The first face of ``chain`` with ink for every character of ``text``."""
    for face in (*chain, LAST):
        if all(_inked(face, c) for c in text if not c.isspace()):
            return face
    return LAST
