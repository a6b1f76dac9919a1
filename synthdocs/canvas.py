"""Pages, fonts, text layout with golden boxes, and the :class:`Sample` result.

Coordinates: pixels of the page image, origin top-left, x right, y down; a box is
``(x0, y0, x1, y1)`` with ``x1``/``y1`` exclusive, like the ``ocr`` package's ``Box``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

Box = tuple[int, int, int, int]
Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left
RGB = tuple[int, int, int]

NOTO_SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_SANS_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
NOTO_SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
NOTO_SERIF_BOLD = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
WQY_MICROHEI = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DEJAVU_MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"

# name → (file, face index). Index 2 of the Noto CJK collections is the Simplified Chinese face.
FONTS: Mapping[str, tuple[str, int]] = {
    "sans": (NOTO_SANS, 2),
    "sans_bold": (NOTO_SANS_BOLD, 2),
    "serif": (NOTO_SERIF, 2),
    "serif_bold": (NOTO_SERIF_BOLD, 2),
    "hei": (WQY_MICROHEI, 0),
    "mono": (DEJAVU_MONO_BOLD, 0),
}

BLACK: RGB = (20, 20, 20)
LABEL_BLUE: RGB = (30, 100, 165)
SEAL_RED: RGB = (214, 40, 40)

# Baseline sits this far below the top of the em box (CJK fonts: ascender ≈ 0.88 em).
ASCENT = 0.88


def fonts_available() -> list[str]:
    """Font files the generator needs that are missing (empty when all are installed)."""
    return [path for path, _ in FONTS.values() if not Path(path).exists()]


@functools.lru_cache(maxsize=256)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = FONTS[name]
    return ImageFont.truetype(path, size, index=index)


@dataclass(frozen=True)
class FieldBox:
    """Where a golden field value is printed: page index, axis-aligned box and exact quad."""

    page: int
    box: Box
    quad: Quad


@dataclass(frozen=True)
class TextItem:
    """One run of text as drawn, so a PDF writer can re-emit it as real (selectable) text."""

    page: int
    text: str
    x: float
    baseline: float
    size: int
    font: str
    fill: RGB
    key: str | None = None


@dataclass(frozen=True)
class Sample:
    """One rendered document with its golden truth.

    ``pages`` are BGR ``uint8`` arrays (OpenCV order); ``image`` is the first page.
    ``fields`` is exactly the CONTRACT §3 shape for ``doc_type``.
    ``boxes`` maps a field path to where its value is printed: ``"name"``, ``"owners[1]"``,
    ``"sellers[0].id_number"``, ``"agent.name"``, ``"members[2].relation"``; a whole-field key
    (e.g. ``"sellers"``) is not stored, use :meth:`field_box` for the union. After degradations
    the boxes are mapped through the same geometry; a box pushed entirely outside the image
    (``cropped``) is dropped, one partly outside is clipped.
    ``backgrounds``/``texts`` (clean samples only) let ``to_pdf(text_layer=True)`` re-emit the
    page as graphics + real text.
    ``expected_issues`` lists the quality issue codes a degradation is meant to trigger.
    """

    doc_type: str
    fields: Mapping[str, Any]
    pages: tuple[np.ndarray, ...]
    boxes: Mapping[str, FieldBox]
    dpi: int
    seed: int
    degradations: tuple[str, ...] = ()
    expected_issues: tuple[str, ...] = ()
    backgrounds: tuple[np.ndarray, ...] = ()
    texts: tuple[TextItem, ...] = ()
    facts: Any = field(default=None, compare=False, repr=False)

    @property
    def image(self) -> np.ndarray:
        return self.pages[0]

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the first page."""
        h, w = self.pages[0].shape[:2]
        return w, h

    def field_box(self, path: str) -> FieldBox | None:
        """Box of ``path`` or the union of its parts (``"sellers"`` → all seller names+numbers)
        on the first page where it appears; ``None`` when not visible."""
        if path in self.boxes:
            return self.boxes[path]
        parts = [fb for k, fb in self.boxes.items() if re.match(re.escape(path) + r"(\[|\.)", k)]
        if not parts:
            return None
        page = min(p.page for p in parts)
        same = [p.box for p in parts if p.page == page]
        b = union(same)
        return FieldBox(page, b, box_quad(b))

    def with_(self, **changes: Any) -> Sample:
        return replace(self, **changes)


def union(boxes: Iterable[Box]) -> Box:
    bs = list(boxes)
    return (
        min(b[0] for b in bs),
        min(b[1] for b in bs),
        max(b[2] for b in bs),
        max(b[3] for b in bs),
    )


def box_quad(b: Box) -> Quad:
    x0, y0, x1, y1 = (float(v) for v in b)
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


class Page:
    """A page being drawn: the full image, a graphics-only twin, text runs and golden boxes."""

    def __init__(self, base: Image.Image, *, index: int = 0, keep_background: bool = True):
        self.index = index
        self.img = base.convert("RGB")
        self.draw = ImageDraw.Draw(self.img)
        self.bg: Image.Image | None = self.img.copy() if keep_background else None
        self.bg_draw = ImageDraw.Draw(self.bg) if self.bg is not None else None
        self.texts: list[TextItem] = []
        self.boxes: dict[str, list[Box]] = {}

    @property
    def width(self) -> int:
        return self.img.width

    @property
    def height(self) -> int:
        return self.img.height

    # graphics go to both images -------------------------------------------------------------
    def graphics(self) -> list[ImageDraw.ImageDraw]:
        return [d for d in (self.draw, self.bg_draw) if d is not None]

    def line(self, xy: Sequence[float], fill: RGB = BLACK, width: int = 1) -> None:
        for d in self.graphics():
            d.line(list(xy), fill=fill, width=width)

    def rect(
        self, xy: Sequence[float], outline: RGB | None = BLACK, width: int = 1, fill: Any = None
    ) -> None:
        for d in self.graphics():
            d.rectangle(list(xy), outline=outline, width=width, fill=fill)

    def paste(self, im: Image.Image, xy: tuple[int, int], mask: Image.Image | None = None) -> None:
        for target in (self.img, self.bg):
            if target is not None:
                target.paste(im, xy, mask)

    # text -------------------------------------------------------------------------------------
    def text(
        self,
        x: float,
        top: float,
        s: str,
        *,
        size: int,
        face: str = "sans",
        fill: RGB = BLACK,
        key: str | None = None,
        spacing: float = 0.0,
    ) -> Box:
        """Draw ``s`` with its em box's top-left at (x, top); ``spacing`` adds em fractions
        between characters (real cards letter-space their titles). Returns the ink box."""
        f = font(face, size)
        baseline = top + ASCENT * size
        if spacing:
            boxes = []
            cx = x
            for ch in s:
                boxes.append(self._run(cx, baseline, ch, f, face, size, fill, key))
                cx += f.getlength(ch) + spacing * size
            b = union(boxes)
        else:
            b = self._run(x, baseline, s, f, face, size, fill, key)
        if key is not None:
            self.mark(key, b)
        return b

    def _run(
        self,
        x: float,
        baseline: float,
        s: str,
        f: ImageFont.FreeTypeFont,
        face: str,
        size: int,
        fill: RGB,
        key: str | None,
    ) -> Box:
        self.draw.text((x, baseline), s, font=f, fill=fill, anchor="ls")
        self.texts.append(TextItem(self.index, s, x, baseline, size, face, fill, key))
        x0, y0, x1, y1 = self.draw.textbbox((x, baseline), s, font=f, anchor="ls")
        return (int(x0), int(y0), int(x1) + 1, int(y1) + 1)

    def text_width(self, s: str, *, size: int, face: str = "sans") -> float:
        return float(font(face, size).getlength(s))

    def mark(self, key: str, b: Box) -> None:
        self.boxes.setdefault(key, []).append(b)


Span = tuple[str, str | None]  # (text, key)
_WORD = re.compile(r"[A-Za-z0-9.,:()\-/%]+|.", re.S)


class Flow:
    """Left-to-right, top-to-bottom text flow inside a column, wrapping CJK text per character
    (ASCII words stay whole, keyed values stay on one line when they fit)."""

    def __init__(
        self,
        page: Page,
        *,
        x0: float,
        x1: float,
        top: float,
        size: int,
        face: str = "serif",
        leading: float = 1.75,
        fill: RGB = BLACK,
    ):
        self.page, self.x0, self.x1, self.y = page, x0, x1, top
        self.size, self.face, self.leading, self.fill = size, face, leading, fill

    def gap(self, lines: float = 0.5) -> None:
        self.y += lines * self.size * self.leading

    def para(
        self,
        spans: Sequence[Span] | str,
        *,
        indent: float = 2.0,
        size: int | None = None,
        face: str | None = None,
        align: str = "left",
    ) -> None:
        """Typeset one paragraph. ``indent`` is in em (Chinese paragraphs indent two chars)."""
        size = size or self.size
        face = face or self.face
        f = font(face, size)
        if isinstance(spans, str):
            spans = [(spans, None)]
        tokens: list[tuple[str, str | None, float]] = []
        for text, key in spans:
            w = float(f.getlength(text))
            if key is not None and w <= self.x1 - self.x0:
                tokens.append((text, key, w))
                continue
            for m in _WORD.finditer(text):
                tokens.append((m.group(0), key, float(f.getlength(m.group(0)))))
        lines: list[list[tuple[str, str | None, float]]] = [[]]
        x = self.x0 + indent * size
        width = self.x1
        for tok in tokens:
            closing = tok[0] in "，。；：、）》”！？"
            if x + tok[2] > width and lines[-1] and not closing:
                lines.append([])
                x = self.x0
            lines[-1].append(tok)
            x += tok[2]
        for i, line in enumerate(lines):
            lx = self.x0 + (indent * size if i == 0 else 0)
            if align == "center":
                lx = (self.x0 + self.x1 - sum(t[2] for t in line)) / 2
            # merge consecutive tokens with the same key into one draw call
            runs: list[tuple[str, str | None]] = []
            for text, key, _w in line:
                if runs and runs[-1][1] == key:
                    runs[-1] = (runs[-1][0] + text, key)
                else:
                    runs.append((text, key))
            for text, key in runs:
                if text.strip():
                    self.page.text(lx, self.y, text, size=size, face=face, fill=self.fill, key=key)
                lx += float(f.getlength(text))
            self.y += size * self.leading


def to_bgr(img: Image.Image) -> np.ndarray:
    arr = np.asarray(img.convert("RGB"), dtype=np.uint8)
    return np.ascontiguousarray(arr[:, :, ::-1])


def to_pil(bgr: np.ndarray) -> Image.Image:
    if bgr.ndim == 2:
        return Image.fromarray(bgr)
    return Image.fromarray(np.ascontiguousarray(bgr[:, :, ::-1]))


def finish(
    *,
    doc_type: str,
    fields: Mapping[str, Any],
    pages: Sequence[Page],
    dpi: int,
    seed: int,
    facts: Any = None,
) -> Sample:
    """Freeze drawn pages into a :class:`Sample` (boxes of a key are united per page)."""
    boxes: dict[str, FieldBox] = {}
    for p in pages:
        for key, bs in p.boxes.items():
            if key in boxes:
                continue  # the first page where a value is printed is its golden place
            b = union(bs)
            boxes[key] = FieldBox(p.index, b, box_quad(b))
    return Sample(
        doc_type=doc_type,
        fields=fields,
        pages=tuple(to_bgr(p.img) for p in pages),
        boxes=boxes,
        dpi=dpi,
        seed=seed,
        backgrounds=tuple(to_bgr(p.bg) for p in pages if p.bg is not None),
        texts=tuple(t for p in pages for t in p.texts),
        facts=facts,
    )
