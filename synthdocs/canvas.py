"""Pages, fonts, text layout with golden boxes, and the :class:`Sample` result.

Coordinates: pixels of the page image, origin top-left, x right, y down; a box is
``(x0, y0, x1, y1)`` with ``x1``/``y1`` exclusive, like the ``ocr`` package's ``Box``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

Box = tuple[int, int, int, int]
Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left
RGB = tuple[int, int, int]

_NOTO = "/usr/share/fonts/opentype/noto"
NOTO_SANS = f"{_NOTO}/NotoSansCJK-Regular.ttc"
NOTO_SANS_BOLD = f"{_NOTO}/NotoSansCJK-Bold.ttc"
NOTO_SERIF = f"{_NOTO}/NotoSerifCJK-Regular.ttc"
NOTO_SERIF_BOLD = f"{_NOTO}/NotoSerifCJK-Bold.ttc"
WQY_MICROHEI = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
AR_PL_UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"
AR_PL_UKAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"
DEJAVU_MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
DEJAVU_MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"

# name → (file, face index). Index 2 of the Noto CJK collections is the Simplified Chinese face,
# index 7 its monospaced twin; index 0 of the AR PL collections is the CN face. These are the
# training family's fonts (and the classic documents'): the held-out family draws with others.
FONTS: Mapping[str, tuple[str, int]] = {
    "sans": (NOTO_SANS, 2),
    "sans_bold": (NOTO_SANS_BOLD, 2),
    "serif": (NOTO_SERIF, 2),
    "serif_bold": (NOTO_SERIF_BOLD, 2),
    "hei": (WQY_MICROHEI, 0),
    "mono": (DEJAVU_MONO_BOLD, 0),
    # the widened (training) documents
    "sans_light": (f"{_NOTO}/NotoSansCJK-Light.ttc", 2),
    "sans_demilight": (f"{_NOTO}/NotoSansCJK-DemiLight.ttc", 2),
    "sans_medium": (f"{_NOTO}/NotoSansCJK-Medium.ttc", 2),
    "sans_black": (f"{_NOTO}/NotoSansCJK-Black.ttc", 2),
    "serif_light": (f"{_NOTO}/NotoSerifCJK-Light.ttc", 2),
    "serif_medium": (f"{_NOTO}/NotoSerifCJK-Medium.ttc", 2),
    "serif_semibold": (f"{_NOTO}/NotoSerifCJK-SemiBold.ttc", 2),
    "serif_black": (f"{_NOTO}/NotoSerifCJK-Black.ttc", 2),
    "uming": (AR_PL_UMING, 0),
    "ukai": (AR_PL_UKAI, 0),
    "noto_mono": (NOTO_SANS, 7),
    "noto_mono_bold": (NOTO_SANS_BOLD, 7),
    "dejavu_mono": (DEJAVU_MONO, 0),
}

# The bold twin of a face, for documents drawn in one requested face (``font=``).
BOLD: Mapping[str, str] = {
    "sans": "sans_bold",
    "sans_light": "sans_medium",
    "sans_demilight": "sans_bold",
    "sans_medium": "sans_bold",
    "serif": "serif_bold",
    "serif_light": "serif_semibold",
    "serif_medium": "serif_bold",
    "serif_semibold": "serif_black",
}

BLACK: RGB = (20, 20, 20)
LABEL_BLUE: RGB = (30, 100, 165)
SEAL_RED: RGB = (214, 40, 40)

# Baseline sits this far below the top of the em box (CJK fonts: ascender ≈ 0.88 em).
ASCENT = 0.88


FONT_FILES: frozenset[str] = frozenset(path for path, _ in FONTS.values())


def fonts_available() -> list[str]:
    """Font files the generator needs that are missing (empty when all are installed)."""
    return [path for path in dict.fromkeys(p for p, _ in FONTS.values()) if not Path(path).exists()]


@functools.lru_cache(maxsize=256)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = FONTS[name]
    return ImageFont.truetype(path, size, index=index)


@dataclass(frozen=True)
class FieldBox:
    """Where a golden field value is printed: page index, axis-aligned box and exact quad.

    ``parts`` are the value's printed lines, top to bottom, each the box tight around that
    line's characters (one part for a value on one line; two or three for a value wrapped in
    a table cell); ``box`` is their union. Boxes built elsewhere may leave ``parts`` empty."""

    page: int
    box: Box
    quad: Quad
    parts: tuple[Box, ...] = ()


@dataclass(frozen=True)
class Mark:
    """Golden truth of one place that must carry a handwritten or stamped mark.

    ``kind``: ``"signature"``, ``"fingerprint"`` or ``"seal"``. ``place``: whose mark it is, as
    the document's printed label names it (``"seller"``, ``"buyer"``, ``"principal"``,
    ``"agent"``, ``"registry"``, ``"issuer"``; a party list adds its index, ``"seller[1]"``).
    ``box``: the place on ``page`` (pixels of the delivered page) where the mark is or should
    be; ``present``: whether a mark was drawn there; ``copy``: a seal that is grey because the
    page is a photocopy; ``org``: the organisation a seal's rim text names (None for other
    kinds); ``expected_org``: the organisation the document says the seal belongs to (a seal
    whose ``org`` differs is a foreign seal). Boxes follow every capture's geometry like
    :attr:`Sample.boxes`."""

    kind: str
    place: str
    page: int
    box: Box
    present: bool = True
    copy: bool = False
    org: str | None = None
    expected_org: str | None = None


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
    ``layout`` names the layout it was drawn in (``synthdocs.layouts.LAYOUTS``); a box's
    ``parts`` are the lines of a value wrapped over several.
    ``marks`` are the places that must carry a signature, fingerprint or seal (:class:`Mark`),
    drawn or left empty; empty for documents drawn without them.
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
    layout: str = "classic"
    marks: tuple[Mark, ...] = ()

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
        same = [p for p in parts if p.page == page]
        b = union(p.box for p in same)
        return FieldBox(page, b, box_quad(b), tuple(q for p in same for q in p.parts))

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


def line_parts(boxes: Iterable[Box]) -> tuple[Box, ...]:
    """Group the ink boxes of one value's runs into printed lines (boxes that share at least
    half of the smaller height are one line) and return each line's union, top to bottom."""
    lines: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        for line in lines:
            u = union(line)
            overlap = min(u[3], b[3]) - max(u[1], b[1])
            if overlap >= 0.5 * min(u[3] - u[1], b[3] - b[1]):
                line.append(b)
                break
        else:
            lines.append([b])
    return tuple(sorted((union(line) for line in lines), key=lambda b: (b[1], b[0])))


class Surface:
    """A page of either family drawn on the RGB image ``img``: page ``index``, the ink boxes
    marked per golden key, and (training pages) a clean background and the text runs drawn."""

    img: Image.Image
    index: int
    boxes: dict[str, list[Box]]
    bg: Image.Image | None = None
    texts: Sequence[TextItem] = ()

    @property
    def width(self) -> int:
        return self.img.width

    @property
    def height(self) -> int:
        return self.img.height


class Page(Surface):
    """A page being drawn: the full image, a graphics-only twin, text runs and golden boxes.

    ``faces`` renames faces at draw time (``{"serif": "uming"}`` draws every ``serif`` run in
    AR PL UMing): a renderer written for some faces can be drawn in others.
    ``tight``: a run's box is the box of its rendered pixels; otherwise (the classic
    documents, whose golden boxes stay as they were) the font's box of the run, which also
    spans the side bearings of its first and last characters."""

    def __init__(
        self,
        base: Image.Image,
        *,
        index: int = 0,
        keep_background: bool = True,
        faces: Mapping[str, str] | None = None,
        tight: bool = False,
    ):
        self.index = index
        self.faces: Mapping[str, str] = dict(faces or {})
        self.tight = tight
        self.img = base.convert("RGB")
        self.draw = ImageDraw.Draw(self.img)
        self.bg: Image.Image | None = self.img.copy() if keep_background else None
        self.bg_draw = ImageDraw.Draw(self.bg) if self.bg is not None else None
        self.texts: list[TextItem] = []
        self.boxes: dict[str, list[Box]] = {}

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
        face = self.face(face)
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
        if self.tight:
            # the pixels ImageDraw.text just drew: same mask, same integer origin
            start = (math.modf(x)[0], math.modf(baseline)[0])
            mask, (ox, oy) = f.getmask2(s, "L", anchor="ls", start=start)
            ink = mask.getbbox()
            if ink is not None:
                bx, by = int(x) + ox, int(baseline) + oy
                return (bx + ink[0], by + ink[1], bx + ink[2], by + ink[3])
        x0, y0, x1, y1 = self.draw.textbbox((x, baseline), s, font=f, anchor="ls")
        return (int(x0), int(y0), int(x1) + 1, int(y1) + 1)

    def hand(
        self,
        x: float,
        top: float,
        s: str,
        *,
        size: int,
        rng: Any,
        face: str = "ukai",
        fill: RGB = (25, 35, 110),
        key: str | None = None,
    ) -> Box:
        """Handwriting-like fill: ``s`` one character at a time in ``face`` (a brush face),
        each a little bigger or smaller, higher or lower and further apart than print, in pen
        ink. ``rng`` (a ``random.Random``) makes the wobble. Returns the ink box."""
        face = self.face(face)
        boxes = []
        cx = x
        for ch in s:
            sz = max(6, round(size * rng.uniform(0.9, 1.1)))
            f = font(face, sz)
            baseline = top + ASCENT * size + rng.uniform(-0.07, 0.07) * size
            if ch.strip():
                tone = rng.randint(-12, 12)
                ink: RGB = (
                    min(255, max(0, fill[0] + tone)),
                    min(255, max(0, fill[1] + tone)),
                    min(255, max(0, fill[2] + tone)),
                )
                boxes.append(self._run(cx, baseline, ch, f, face, sz, ink, key))
            cx += f.getlength(ch) + rng.uniform(0.0, 0.12) * size
        if not boxes:
            raise ValueError("nothing to write by hand")
        b = union(boxes)
        if key is not None:
            for part in boxes:
                self.mark(key, part)
        return b

    def face(self, name: str) -> str:
        """The face actually drawn for ``name`` (after :attr:`faces`)."""
        return self.faces.get(name, name)

    def font(self, face: str, size: int) -> ImageFont.FreeTypeFont:
        return font(self.face(face), size)

    def text_width(self, s: str, *, size: int, face: str = "sans") -> float:
        return float(font(self.face(face), size).getlength(s))

    def mark(self, key: str, b: Box) -> None:
        self.boxes.setdefault(key, []).append(b)


Span = tuple[str, str | None]  # (text, key)
_WORD = re.compile(r"[A-Za-z0-9.,:()\-/%]+|.", re.S)


class Cursor:
    """Paragraphs set down a page from ``y``: body ``size`` and ``face``, ``leading`` the line
    pitch in sizes. A subclass sets one paragraph in :meth:`_set`."""

    y: float
    size: int
    face: str
    leading: float

    def gap(self, lines: float = 0.5) -> None:
        self.y += lines * self.size * self.leading

    def para(
        self,
        spans: Sequence[Any] | str,
        *,
        indent: float = 2.0,
        size: int | None = None,
        face: str | None = None,
        **style: Any,
    ) -> None:
        """Set one paragraph. ``indent`` is in em (Chinese paragraphs indent two chars); a
        plain string is one span with no key; ``style``: the subclass's own options."""
        if isinstance(spans, str):
            spans = [(spans, None)]
        self._set(spans, indent=indent, size=size or self.size, face=face or self.face, **style)

    def _set(
        self, spans: Sequence[Any], *, indent: float, size: int, face: str, **style: Any
    ) -> None:
        raise NotImplementedError


class Flow(Cursor):
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

    def _set(  # type: ignore[override]  # align: this flow's own option
        self, spans: Sequence[Span], *, indent: float, size: int, face: str, align: str = "left"
    ) -> None:
        f = self.page.font(face, size)
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


def _united(index: int, bs: list[Box]) -> FieldBox:
    """Boxes of a key united on their page, one part per printed line."""
    b = union(bs)
    return FieldBox(index, b, box_quad(b), line_parts(bs))


def finish(
    *,
    doc_type: str,
    fields: Mapping[str, Any],
    pages: Sequence[Surface],
    dpi: int,
    seed: int,
    facts: Any = None,
    layout: str = "classic",
    golden: Callable[[int, list[Box]], FieldBox] = _united,
) -> Sample:
    """Freeze drawn pages (of either family) into a :class:`Sample`. A value's golden place is
    the first page where it is marked, its box ``golden(page, boxes)`` (by default the boxes
    united, one part per printed line); backgrounds and text runs go with the pages that keep
    them."""
    boxes: dict[str, FieldBox] = {}
    for p in pages:
        for key, bs in p.boxes.items():
            if key not in boxes:
                boxes[key] = golden(p.index, bs)
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
        layout=layout,
    )
