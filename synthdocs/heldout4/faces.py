"""The faces of the fourth held-out family, none of them used by another family.

A run is drawn in a face only when that face covers every character of it; otherwise the next
face of its chain is tried (a face must map the character and draw ink for it). None of the
Japanese, Korean and Big5 faces has every simplified character, so chains end in a light
weight of Noto CJK no other family uses.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

_T = "/usr/share/fonts/truetype"
_O = "/usr/share/fonts/opentype"

# key → font file (Debian package in the comment)
FACES: dict[str, str] = {
    "cwming": f"{_T}/cwtex/cwming.ttf",  # fonts-cwtex-ming
    "cwkai": f"{_T}/cwtex/cwkai.ttf",  # fonts-cwtex-kai
    "cwyen": f"{_T}/cwtex/cwyen.ttf",  # fonts-cwtex-yen
    "bsmi": f"{_T}/arphic-bsmi00lp/bsmi00lp.ttf",  # fonts-arphic-bsmi00lp
    "bkai": f"{_T}/arphic-bkai00mp/bkai00mp.ttf",  # fonts-arphic-bkai00mp
    "ipam": f"{_O}/ipafont-mincho/ipam.ttf",  # fonts-ipafont-mincho
    "ipag": f"{_O}/ipafont-gothic/ipag.ttf",  # fonts-ipafont-gothic
    "takao": f"{_T}/takao-mincho/TakaoMincho.ttf",  # fonts-takao-mincho
    "vlgothic": f"{_T}/vlgothic/VL-Gothic-Regular.ttf",  # fonts-vlgothic
    "ume": f"{_T}/horai-umefont/ume-hgo4.ttf",  # fonts-horai-umefont
    "unbatang": f"{_T}/unfonts-core/UnBatang.ttf",  # fonts-unfonts-core
    "undotum": f"{_T}/unfonts-core/UnDotumBold.ttf",  # fonts-unfonts-core
    "klee": f"{_T}/klee/KleeOne-SemiBold.ttf",  # fonts-klee
    "kiloji": f"{_T}/kiloji/kiloji.ttf",  # fonts-kiloji
    "seto": f"{_T}/seto/setofont.ttf",  # fonts-seto
    "dot": f"{_T}/dotgothic16/DotGothic16-Regular.ttf",  # fonts-dotgothic16
    "migmix": f"{_T}/migmix/migmix-1m-bold.ttf",  # fonts-migmix
    "kouzan": f"{_T}/kouzan-mouhitsu/kouzan-mouhitsu-gyosho.ttf",  # fonts-kouzan-mouhitsu
    # the last resort for simplified characters none of the faces above has: two weights of
    # fonts-noto-cjk-extra that no other family draws with (its SC faces, index 2)
    "noto_xl": f"{_O}/noto/NotoSerifCJK-ExtraLight.ttc",
    "noto_thin": f"{_O}/noto/NotoSansCJK-Thin.ttc",
}
INDEX: dict[str, int] = {"noto_xl": 2, "noto_thin": 2}
PACKAGES = (
    "fonts-cwtex-ming",
    "fonts-cwtex-kai",
    "fonts-cwtex-yen",
    "fonts-arphic-bsmi00lp",
    "fonts-arphic-bkai00mp",
    "fonts-ipafont-mincho",
    "fonts-ipafont-gothic",
    "fonts-takao-mincho",
    "fonts-vlgothic",
    "fonts-horai-umefont",
    "fonts-unfonts-core",
    "fonts-klee",
    "fonts-kiloji",
    "fonts-seto",
    "fonts-dotgothic16",
    "fonts-migmix",
    "fonts-kouzan-mouhitsu",
    "fonts-noto-cjk-extra",
)
FONT_FILES = frozenset(FACES.values())
LAST = "noto_xl"

# chains a document style draws its print in (the last face always covers)
PRINT_CHAINS: dict[str, tuple[str, ...]] = {
    "ming": ("cwming", "bsmi", "ipam", LAST),
    "mincho": ("ipam", "takao", "unbatang", LAST),
    "gothic": ("ipag", "vlgothic", "ume", "noto_thin"),
    "kai": ("cwkai", "bkai", LAST),
    "round": ("cwyen", "vlgothic", "noto_thin"),
    "dot": ("dot", "ipag", "noto_thin"),
    "hangul": ("undotum", "unbatang", "noto_thin"),
}
HAND_CHAINS: dict[str, tuple[str, ...]] = {
    "pen": ("klee", "kiloji", "seto", LAST),
    "kiloji": ("kiloji", "seto", "klee", LAST),
    "seto": ("seto", "kiloji", LAST),
    "brush": ("kouzan", "seto", LAST),
}
DIGITS: dict[str, tuple[str, ...]] = {
    "ocrish": ("migmix", LAST),
    "mincho": ("ipam", LAST),
    "gothic": ("vlgothic", LAST),
    "ming": ("bsmi", LAST),
}


def fonts_missing() -> list[str]:
    """Font files of this family that are not installed (empty when all are)."""
    return [p for p in FACES.values() if not Path(p).exists()]


@functools.cache
def _cmap(face: str) -> frozenset[int]:
    return frozenset(TTFont(FACES[face], lazy=True, fontNumber=INDEX.get(face, 0)).getBestCmap())


@functools.cache
def _has(face: str, ch: str) -> bool:
    """``ch`` is mapped by ``face`` and its glyph has ink (some faces map empty glyphs)."""
    if ord(ch) not in _cmap(face):
        return False
    return font(face, 32).getmask(ch).getbbox() is not None


def covers(face: str, text: str) -> bool:
    return all(_has(face, c) for c in text if not c.isspace())


def pick(chain: Sequence[str], text: str) -> str:
    """The first face of ``chain`` that covers every character of ``text``."""
    for face in chain:
        if covers(face, text):
            return face
    if covers(LAST, text):
        return LAST
    raise ValueError(f"no heldout4 face covers {text!r}")


@functools.lru_cache(maxsize=512)
def font(face: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FACES[face], size, index=INDEX.get(face, 0))
