"""A page being drawn by the held-out renderers, and the golden boxes it records.

Coordinates: pixels of the page image, origin top-left, x right, y down; boxes ``(x0, y0, x1,
y1)`` with ``x1``/``y1`` exclusive (as in :mod:`synthdocs.canvas`). Text is placed by its
*baseline* (as a print driver does), so values in another face than their labels sit on the same
line whatever the faces' ascents.

A value wrapped onto several lines is recorded as one :class:`PartedFieldBox`: ``box`` is the
union, ``parts`` one box per printed line.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .. import canvas
from ..canvas import Box, FieldBox, Surface, box_quad, union
from .fonts import font, runs

RGB = tuple[int, int, int]
INK: RGB = (24, 24, 28)


@dataclass(frozen=True)
class PartedFieldBox(FieldBox):
    """A value printed on several lines: ``box`` is their union, ``parts`` the box of each line
    (top to bottom), all in pixels of page ``page``."""

    parts: tuple[Box, ...] = ()


def field_parts(fb: FieldBox) -> tuple[Box, ...]:
    """The per-line boxes of a golden value (its one box when printed on one line)."""
    parts = getattr(fb, "parts", ())
    return tuple(parts) if parts else (fb.box,)


# Line-breaking rules of Chinese typesetting (GB/T 15834 禁则): no line starts with closing
# punctuation, none ends with an opening one; ASCII words and numbers stay whole.
_NO_START = set("，。、；：？！）》」』”’%）】,.;:!?)]")
_NO_END = set("（《「『“‘(【[")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/\-]*|.", re.S)


Span = tuple[str, str | None] | tuple[str, str | None, str]  # (text, key[, face])


def tokens(s: str) -> list[str]:
    return [m.group(0) for m in _TOKEN.finditer(s)]


class Sheet(Surface):
    """One page: an RGB image and the marked value boxes."""

    def __init__(
        self,
        width: int,
        height: int,
        *,
        paper: RGB | Image.Image = (255, 255, 255),
        index: int = 0,
    ):
        if isinstance(paper, Image.Image):
            self.img = paper.convert("RGB").resize((width, height))
        else:
            self.img = Image.new("RGB", (width, height), paper)
        self.draw = ImageDraw.Draw(self.img)
        self.index = index
        self.boxes: dict[str, list[Box]] = {}

    # graphics --------------------------------------------------------------------------------
    def line(self, xy: Sequence[float], *, fill: RGB = INK, width: int = 1) -> None:
        self.draw.line([float(v) for v in xy], fill=fill, width=max(1, int(width)))

    def rect(
        self,
        xy: Sequence[float],
        *,
        outline: RGB | None = INK,
        width: int = 1,
        fill: RGB | None = None,
    ) -> None:
        self.draw.rectangle(
            [float(v) for v in xy], outline=outline, width=max(1, int(width)), fill=fill
        )

    def dotted(self, x0: float, x1: float, y: float, *, fill: RGB = INK, step: int = 4) -> None:
        for x in np.arange(x0, x1, step):
            self.draw.line([float(x), y, float(min(x + step / 2, x1)), y], fill=fill, width=1)

    def paste(self, im: Image.Image, xy: tuple[int, int], mask: Image.Image | None = None) -> None:
        self.img.paste(im, xy, mask)

    def stamp(self, rgba: Image.Image, xy: tuple[int, int]) -> None:
        """Ink of a colour ``rgba`` printed over the page: multiplied, so text below shows
        through a seal as it does on paper."""
        _multiply(self.img, rgba, xy)

    # text ------------------------------------------------------------------------------------
    def measure(self, s: str, *, face: str, size: int, tracking: float = 0.0) -> float:
        w = sum(float(font(f, size).getlength(chunk)) for f, chunk in runs(face, s))
        return w + tracking * size * max(0, len(s) - 1)

    def text(
        self,
        x: float,
        baseline: float,
        s: str,
        *,
        face: str,
        size: int,
        fill: RGB = INK,
        key: str | None = None,
        tracking: float = 0.0,
        align: str = "left",
        bold: bool = False,
    ) -> Box:
        """Draw ``s`` on ``baseline`` starting at ``x`` (or centred on / ending at ``x`` for
        ``align`` ``center`` / ``right``); ``tracking`` adds em between characters. Returns the
        ink box (and marks it under ``key``)."""
        width = self.measure(s, face=face, size=size, tracking=tracking)
        if align == "center":
            x -= width / 2
        elif align == "right":
            x -= width
        stroke = max(1, size // 28) if bold else 0
        boxes: list[Box] = []
        cx = x
        pieces: Iterable[tuple[str, str]]
        if tracking:
            pieces = [(f, ch) for f, chunk in runs(face, s) for ch in chunk]
        else:
            pieces = runs(face, s)
        for f, chunk in pieces:
            ft = font(f, size)
            if chunk.strip():
                ink = self._glyphs(ft, chunk, cx, baseline, stroke, fill)
                if ink is not None:
                    boxes.append(ink)
            cx += float(ft.getlength(chunk)) + (tracking * size if tracking else 0.0)
        if not boxes:
            return (int(x), int(baseline - size), int(x) + 1, int(baseline))
        b = union(boxes)
        if key is not None:
            self.mark(key, b)
        return b

    def _glyphs(
        self,
        ft: ImageFont.FreeTypeFont,
        text: str,
        x: float,
        baseline: float,
        stroke: int,
        fill: RGB,
    ) -> Box | None:
        """Ink ``text`` anchored "ls" at (x, baseline) as ``ImageDraw.text`` places it, and
        return the box of the inked pixels: the glyphs' own extent, not their advance (which
        adds side bearings)."""
        mask, offset = ft.getmask2(
            text,
            mode="L",
            stroke_width=stroke,
            anchor="ls",
            start=(math.modf(x)[0], math.modf(baseline)[0]),
            stroke_filled=True,
        )
        w, h = mask.size
        if not w or not h:
            return None
        ox, oy = int(x) + offset[0], int(baseline) + offset[1]
        alpha = Image.frombuffer("L", (w, h), bytes(mask), "raw", "L", 0, 1)
        self.img.paste(fill, (ox, oy, ox + w, oy + h), alpha)
        arr = np.asarray(alpha)
        ys, xs = np.nonzero(arr > 40)
        if not len(xs):
            return None
        return (
            ox + int(xs.min()),
            oy + int(ys.min()),
            ox + int(xs.max()) + 1,
            oy + int(ys.max()) + 1,
        )

    def mark(self, key: str, b: Box) -> None:
        self.boxes.setdefault(key, []).append(b)

    def wrap(
        self, s: str, *, face: str, size: int, width: float, first: float | None = None
    ) -> list[str]:
        """Break ``s`` into lines no wider than ``width`` (the first line ``first``)."""
        lines: list[str] = [""]
        limit = width if first is None else first
        for tok in tokens(s):
            cand = lines[-1] + tok
            if lines[-1] and self.measure(cand, face=face, size=size) > limit:
                if tok[0] in _NO_START and len(lines[-1]) > 1:
                    # carry the last character down with the closing punctuation
                    carry = lines[-1][-1]
                    lines[-1] = lines[-1][:-1]
                    lines.append(carry + tok)
                elif lines[-1][-1] in _NO_END:
                    carry = lines[-1][-1]
                    lines[-1] = lines[-1][:-1]
                    lines.append(carry + tok)
                else:
                    lines.append(tok)
                limit = width
            else:
                lines[-1] = cand
        return [ln for ln in lines if ln]

    def cell(
        self,
        box: Sequence[float],
        s: str,
        *,
        face: str,
        size: int,
        key: str | None = None,
        fill: RGB = INK,
        align: str = "left",
        valign: str = "middle",
        pad: float = 0.0,
        leading: float = 1.3,
        tracking: float = 0.0,
    ) -> int:
        """Typeset ``s`` inside a table cell, wrapping it onto as many lines as it needs (each
        line a part of ``key``). Returns the number of lines."""
        x0, y0, x1, y1 = box
        width = x1 - x0 - 2 * pad
        lines = (
            [s]
            if self.measure(s, face=face, size=size, tracking=tracking) <= width
            else self.wrap(s, face=face, size=size, width=width)
        )
        baselines = _cell_baselines(
            y0, y1, len(lines), size=size, leading=leading, pad=pad, valign=valign
        )
        for ln, baseline in zip(lines, baselines, strict=True):
            if align == "center":
                x, a = (x0 + x1) / 2, "center"
            else:
                x, a = x0 + pad, "left"
            self.text(
                x,
                baseline,
                ln,
                face=face,
                size=size,
                key=key,
                fill=fill,
                align=a,
                tracking=tracking,
            )
        return len(lines)

    def flow(
        self,
        spans: Sequence[Span],
        *,
        width: float,
        face: str,
        size: int,
        indent: float = 0.0,
    ) -> list[list[tuple[str, str | None, str]]]:
        """Break ``(text, key[, face])`` spans into lines of at most ``width`` (the first line
        indented by ``indent`` em); keyed spans wrap like any other text."""
        lines: list[list[tuple[str, str | None, str]]] = [[]]
        x = indent * size
        for sp in spans:
            text, key = sp[0], sp[1]
            f = sp[2] if len(sp) > 2 else face
            for tok in tokens(text):
                w = self.measure(tok, face=f, size=size)
                if lines[-1] and x + w > width and tok[0] not in _NO_START:
                    if lines[-1][-1][0][-1:] in _NO_END:
                        carry = lines[-1].pop()
                        lines.append([carry])
                        x = self.measure(carry[0], face=carry[2], size=size)
                    else:
                        lines.append([])
                        x = 0.0
                lines[-1].append((tok, key, f))
                x += w
        return [ln for ln in lines if ln]

    def draw_line(
        self,
        line: Sequence[tuple[str, str | None, str]],
        *,
        x: float,
        baseline: float,
        size: int,
        fill: RGB = INK,
        value_fill: RGB | None = None,
    ) -> float:
        """Draw one line of :meth:`flow`; returns the x after it."""
        merged: list[list[Any]] = []
        for tok, key, f in line:
            if merged and merged[-1][1] == key and merged[-1][2] == f:
                merged[-1][0] += tok
            else:
                merged.append([tok, key, f])
        for tok, key, f in merged:
            colour = value_fill if (key is not None and value_fill is not None) else fill
            if tok.strip():
                lead = len(tok) - len(tok.lstrip())
                lx = x + self.measure(tok[:lead], face=f, size=size)
                self.text(lx, baseline, tok.strip(), face=f, size=size, fill=colour, key=key)
            x += self.measure(tok, face=f, size=size)
        return x

    def prose(
        self,
        spans: Sequence[Span],
        *,
        x0: float,
        x1: float,
        baseline: float,
        face: str,
        size: int,
        leading: float = 1.8,
        indent: float = 2.0,
        fill: RGB = INK,
        value_fill: RGB | None = None,
    ) -> float:
        """A paragraph of spans wrapped between ``x0`` and ``x1``. Returns the baseline of the
        next line below the paragraph."""
        lines = self.flow(spans, width=x1 - x0, face=face, size=size, indent=indent)
        y = baseline
        for i, line in enumerate(lines):
            self.draw_line(
                line,
                x=x0 + (indent * size if i == 0 else 0.0),
                baseline=y,
                size=size,
                fill=fill,
                value_fill=value_fill,
            )
            y += size * leading
        return y

    def cell_spans(
        self,
        box: Sequence[float],
        spans: Sequence[Span],
        *,
        face: str,
        size: int,
        pad: float,
        leading: float = 1.35,
        valign: str = "middle",
        fill: RGB = INK,
    ) -> int:
        """Spans typeset inside a table cell (wrapping as needed). Returns the line count."""
        x0, y0, x1, y1 = box
        lines = self.flow(spans, width=x1 - x0 - 2 * pad, face=face, size=size)
        baselines = _cell_baselines(
            y0, y1, len(lines), size=size, leading=leading, pad=pad, valign=valign
        )
        for line, baseline in zip(lines, baselines, strict=True):
            self.draw_line(line, x=x0 + pad, baseline=baseline, size=size, fill=fill)
        return len(lines)

    def count_lines(self, spans: Sequence[Span], *, width: float, face: str, size: int) -> int:
        return len(self.flow(spans, width=width, face=face, size=size))


def _cell_baselines(
    y0: float, y1: float, n: int, *, size: int, leading: float, pad: float, valign: str
) -> list[float]:
    """The baselines of ``n`` lines set in a table cell from ``y0`` to ``y1``: from its top
    (``valign="top"``) or centred."""
    step = size * leading
    block = size + step * (n - 1)
    top, centred = y0 + pad + size * 0.9, y0 + (y1 - y0 - block) / 2 + size * 0.88
    base = top if valign == "top" else centred
    return [base + i * step for i in range(n)]


def _multiply(target: Image.Image, rgba: Image.Image, xy: tuple[int, int]) -> None:
    x, y = xy
    w, h = rgba.size
    tx0, ty0 = max(0, x), max(0, y)
    tx1, ty1 = min(target.width, x + w), min(target.height, y + h)
    if tx0 >= tx1 or ty0 >= ty1:
        return
    src = np.asarray(rgba.convert("RGBA"), dtype=np.float32)[ty0 - y : ty1 - y, tx0 - x : tx1 - x]
    region = np.asarray(target.crop((tx0, ty0, tx1, ty1)), dtype=np.float32)
    a = src[:, :, 3:4] / 255.0
    tint = 1.0 - a * (1.0 - src[:, :, :3] / 255.0)
    out = np.clip(region * tint, 0, 255).astype(np.uint8)
    target.paste(Image.fromarray(out, "RGB"), (tx0, ty0))


def _lines_of(boxes: list[Box]) -> list[Box]:
    """Group the boxes of one value into printed lines (boxes overlapping vertically by more
    than half the smaller height share a line)."""
    out: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        for group in out:
            g = union(group)
            overlap = min(g[3], b[3]) - max(g[1], b[1])
            if overlap > 0.5 * min(g[3] - g[1], b[3] - b[1]):
                group.append(b)
                break
        else:
            out.append([b])
    return [union(g) for g in out]


def golden_box(page: int, boxes: list[Box]) -> FieldBox:
    parts = _lines_of(boxes)
    b = union(parts)
    if len(parts) == 1:
        return FieldBox(page, b, box_quad(b))
    return PartedFieldBox(page, b, box_quad(b), tuple(parts))


# The held-out pages' Sample: a value printed on several lines is a PartedFieldBox. No
# ``backgrounds``/``texts``: a text-layer PDF (synthdocs.encode) would set the text in a
# training-family face.
finish = functools.partial(canvas.finish, golden=golden_box)
