"""The CJK font that rendered PDFs (certificates, checklists) embed.

reportlab embeds TrueType outlines only: a ``.ttc`` works through its subfont index when its
outlines are TrueType, as with WenQuanYi Micro Hei (Debian ``fonts-wqy-microhei``); CFF-outlined
fonts such as Noto CJK do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CJK_FONT_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)


@dataclass(frozen=True)
class CjkFont:
    path: Path
    index: int = 0


def cjk_font(path: Path | None = None, index: int = 0) -> CjkFont | None:
    """``path`` if given, else the first installed candidate; None when none is installed."""
    if path is not None:
        return CjkFont(path, index)
    found = next((p for p in CJK_FONT_CANDIDATES if p.exists()), None)
    return CjkFont(found, 0) if found is not None else None
