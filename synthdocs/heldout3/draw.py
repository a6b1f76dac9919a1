"""A page of the third held-out family: runs in this family's faces with tight golden boxes
(the box of the pixels drawn), dot-matrix runs printed a little off their line, ruled tables
whose values wrap inside narrow cells, underlined blanks, and the places that carry marks."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from ..canvas import Box, FieldBox, Mark, Sample, box_quad, line_parts, to_bgr, union
from . import fonts

RGB = tuple[int, int, int]
INK: RGB = (24, 24, 28)
DPI = 160
A4 = (1323, 1871)  # 160 dpi
A4_LANDSCAPE = (1871, 1323)


@dataclass
class Sheet:
    """One page being drawn."""

    width: int
    height: int
    index: int = 0
    paper: RGB = (252, 251, 247)
    img: Image.Image = field(init=False)
    boxes: dict[str, list[Box]] = field(init=False, default_factory=dict)
    marks: list[Mark] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.img = Image.new("RGB", (self.width, self.height), self.paper)
        self.draw = ImageDraw.Draw(self.img)

    def refresh(self) -> None:
        self.draw = ImageDraw.Draw(self.img)

    # --- text ------------------------------------------------------------------------------
    def width_of(self, s: str, size: int, faces: Sequence[str]) -> float:
        return float(fonts.font(fonts.covering(faces, s), size).getlength(s))

    def text(
        self,
        x: float,
        top: float,
        s: str,
        *,
        size: int,
        faces: Sequence[str] = fonts.SONG,
        fill: RGB = INK,
        key: str | None = None,
        spacing: float = 0.0,
        jitter: random.Random | None = None,
        align: str = "left",
        shift: tuple[float, float] = (0.0, 0.0),
    ) -> Box:
        """``s`` with its em box's top-left at (x, top) (``align="right"``: x is its right
        edge, ``"center"``: its middle) in the first face of ``faces`` covering it.
        ``spacing`` adds em between characters; ``jitter`` (a dot-matrix printer) moves each
        character a pixel or two; ``shift`` (in em) moves the whole run off its place, as a
        printer's misregistration does. Returns the ink box, marked under ``key``."""
        x, top = x + shift[0] * size, top + shift[1] * size
        face = fonts.covering(faces, s)
        f = fonts.font(face, size)
        width = float(f.getlength(s)) + spacing * size * max(0, len(s) - 1)
        if align == "right":
            x -= width
        elif align == "center":
            x -= width / 2
        baseline = top + fonts.baseline(face) * size
        per_char = bool(spacing) or jitter is not None
        runs = list(s) if per_char else [s]
        boxes: list[Box] = []
        cx = x
        for run in runs:
            if run.strip():
                dy = jitter.uniform(-0.05, 0.05) * size if jitter is not None else 0.0
                dx = jitter.uniform(-0.03, 0.03) * size if jitter is not None else 0.0
                bx_, by_ = cx + dx, baseline + dy
                self.draw.text((bx_, by_), run, font=f, fill=fill, anchor="ls")
                start = (bx_ - int(bx_), by_ - int(by_))
                mask, (ox, oy) = f.getmask2(run, "L", anchor="ls", start=start)
                ink = mask.getbbox()
                if ink is not None:
                    bx, by = int(bx_) + ox, int(by_) + oy
                    boxes.append((bx + ink[0], by + ink[1], bx + ink[2], by + ink[3]))
            cx += f.getlength(run) + spacing * size
        if not boxes:
            return (int(x), int(top), int(x) + 1, int(top) + 1)
        b = union(boxes)
        if key is not None:
            self.boxes.setdefault(key, []).append(b)
        return b

    def wrap(self, s: str, width: float, size: int, faces: Sequence[str]) -> list[str]:
        """``s`` cut into lines no wider than ``width`` (per character; ASCII runs whole;
        closing punctuation never starts a line)."""
        face = fonts.covering(faces, s)
        f = fonts.font(face, size)
        tokens: list[str] = []
        for ch in s:
            last = tokens[-1][-1:] if tokens else ""
            if ch.isascii() and ch.isalnum() and last.isascii() and last.isalnum():
                tokens[-1] += ch
            else:
                tokens.append(ch)
        lines = [""]
        for tok in tokens:
            if lines[-1] and f.getlength(lines[-1] + tok) > width and tok not in "，。、）；：":
                lines.append(tok)
            else:
                lines[-1] += tok
        return lines

    def cell(
        self,
        box: Sequence[float],
        s: str,
        *,
        size: int,
        faces: Sequence[str] = fonts.SONG,
        key: str | None = None,
        align: str = "left",
        pad: float = 10,
        leading: float = 1.3,
        fill: RGB = INK,
        jitter: random.Random | None = None,
        valign: str = "middle",
        shift: tuple[float, float] = (0.0, 0.0),
    ) -> float:
        """``s`` inside a table cell, wrapped onto as many lines as it needs; returns the
        height the lines take."""
        x0, y0, x1, y1 = box
        lines = self.wrap(s, x1 - x0 - 2 * pad, size, faces)
        h = size * (1 + leading * (len(lines) - 1))
        y = (y0 + y1) / 2 - h / 2 if valign == "middle" else y0 + pad
        for line in lines:
            if align == "center":
                self.text(
                    (x0 + x1) / 2,
                    y,
                    line,
                    size=size,
                    faces=faces,
                    key=key,
                    fill=fill,
                    align="center",
                    jitter=jitter,
                    shift=shift,
                )
            else:
                self.text(
                    x0 + pad,
                    y,
                    line,
                    size=size,
                    faces=faces,
                    key=key,
                    fill=fill,
                    jitter=jitter,
                    shift=shift,
                )
            y += size * leading
        return h

    def lines_needed(self, s: str, width: float, size: int, faces: Sequence[str]) -> int:
        return len(self.wrap(s, width, size, faces))

    # --- rules -----------------------------------------------------------------------------
    def hline(self, x0: float, x1: float, y: float, width: int = 2, fill: RGB = INK) -> None:
        self.draw.line([(x0, y), (x1, y)], fill=fill, width=width)

    def vline(self, x: float, y0: float, y1: float, width: int = 2, fill: RGB = INK) -> None:
        self.draw.line([(x, y0), (x, y1)], fill=fill, width=width)

    def rect(self, b: Sequence[float], width: int = 2, fill: RGB = INK) -> None:
        self.draw.rectangle(list(b), outline=fill, width=width)

    def dashed(self, x0: float, x1: float, y: float, fill: RGB = (120, 120, 120)) -> None:
        x = x0
        while x < x1:
            self.draw.line([(x, y), (min(x1, x + 8), y)], fill=fill, width=1)
            x += 13

    def paste_layer(self, layer: Image.Image, xy: tuple[int, int], *, multiply: bool) -> None:
        """An RGBA layer composited onto the page (``multiply``: ink over print)."""
        x, y = xy
        w, h = layer.size
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(self.width, x + w), min(self.height, y + h)
        if x1 <= x0 or y1 <= y0:
            return
        layer = layer.crop((x0 - x, y0 - y, x1 - x, y1 - y))
        base = np.asarray(self.img.crop((x0, y0, x1, y1)).convert("RGB"), dtype=np.float32)
        rgba = np.asarray(layer, dtype=np.float32)
        a = rgba[:, :, 3:4] / 255
        col = rgba[:, :, :3]
        out = base * (1 - a + a * col / 255) if multiply else base * (1 - a) + col * a
        self.img.paste(Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)), (x0, y0))
        self.refresh()

    def paper_tone(self, rng: random.Random, strength: float = 3.0) -> None:
        """Paper: a faint warm/cool gradient and fine grain (no blotches)."""
        h, w = self.height, self.width
        nrng = np.random.default_rng(rng.randint(0, 2**31))
        gx = np.linspace(-1, 1, w, dtype=np.float32)[None, :] * rng.uniform(-2.5, 2.5)
        gy = np.linspace(-1, 1, h, dtype=np.float32)[:, None] * rng.uniform(-2.5, 2.5)
        grain = nrng.normal(0, strength / 2.5, (h, w)).astype(np.float32)
        arr = np.asarray(self.img, dtype=np.float32) + (gx + gy + grain)[:, :, None]
        self.img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        self.refresh()


def finish(
    doc_type: str,
    fields: dict[str, object],
    sheets: Sequence[Sheet],
    *,
    seed: int,
    layout: str,
    facts: object = None,
    dpi: int = DPI,
) -> Sample:
    """Freeze drawn sheets into a Sample: a key's golden box is on the first page where it is
    drawn, one part per printed line."""
    boxes: dict[str, FieldBox] = {}
    for sh in sheets:
        for key, bs in sh.boxes.items():
            if key in boxes:
                continue
            b = union(bs)
            boxes[key] = FieldBox(sh.index, b, box_quad(b), line_parts(bs))
    return Sample(
        doc_type=doc_type,
        fields=fields,
        pages=tuple(to_bgr(sh.img) for sh in sheets),
        boxes=boxes,
        dpi=dpi,
        seed=seed,
        facts=facts,
        layout=layout,
        marks=tuple(m for sh in sheets for m in sh.marks),
    )
