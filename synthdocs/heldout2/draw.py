"""A page of the second held-out family: text in this family's faces with tight golden boxes,
ruled tables whose values wrap inside their cells, and the places that carry marks."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ..canvas import Box, FieldBox, Mark, Sample, box_quad, to_bgr, union
from . import fonts

RGB = tuple[int, int, int]
INK: RGB = (28, 26, 30)
ASC = 0.88


@dataclass
class Sheet:
    """One page being drawn."""

    width: int
    height: int
    index: int = 0
    paper: RGB = (250, 249, 245)
    img: Image.Image = field(init=False)
    boxes: dict[str, list[Box]] = field(init=False, default_factory=dict)
    marks: list[Mark] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.img = Image.new("RGB", (self.width, self.height), self.paper)
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
        faces: Sequence[str] = ("babel",),
        fill: RGB = INK,
        key: str | None = None,
        spacing: float = 0.0,
    ) -> Box:
        """``s`` with its em box's top-left at (x, top) in the first face of ``faces`` that
        covers it; ``spacing`` adds em between characters. Returns the ink box (and marks it
        under ``key``)."""
        face = fonts.covering(faces, s)
        f = fonts.font(face, size)
        baseline = top + fonts.baseline(face) * size
        runs = list(s) if spacing else [s]
        boxes: list[Box] = []
        cx = x
        for run in runs:
            if run.strip():
                self.draw.text((cx, baseline), run, font=f, fill=fill, anchor="ls")
                start = (cx - int(cx), baseline - int(baseline))
                mask, (ox, oy) = f.getmask2(run, "L", anchor="ls", start=start)
                ink = mask.getbbox()
                if ink is not None:
                    bx, by = int(cx) + ox, int(baseline) + oy
                    boxes.append((bx + ink[0], by + ink[1], bx + ink[2], by + ink[3]))
            cx += f.getlength(run) + spacing * size
        if not boxes:
            return (int(x), int(top), int(x) + 1, int(top) + 1)
        b = union(boxes)
        if key is not None:
            self.boxes.setdefault(key, []).append(b)
        return b

    def wrap(self, s: str, width: float, size: int, faces: Sequence[str]) -> list[str]:
        """``s`` cut into lines no wider than ``width`` (per character; ASCII runs whole)."""
        face = fonts.covering(faces, s)
        f = fonts.font(face, size)
        lines: list[str] = [""]
        tokens: list[str] = []
        for ch in s:
            last = tokens[-1][-1:] if tokens else ""
            if ch.isascii() and ch.isalnum() and last.isascii() and last.isalnum():
                tokens[-1] += ch
                continue
            tokens.append(ch)
        for tok in tokens:
            if lines[-1] and f.getlength(lines[-1] + tok) > width and tok not in "，。、）":
                lines.append(tok)
            else:
                lines[-1] += tok
        return lines

    def block(
        self,
        x: float,
        top: float,
        s: str,
        *,
        width: float,
        size: int,
        faces: Sequence[str] = ("babel",),
        key: str | None = None,
        leading: float = 1.35,
        fill: RGB = INK,
    ) -> float:
        """``s`` wrapped into ``width``; returns the y below it."""
        y = top
        for line in self.wrap(s, width, size, faces):
            self.text(x, y, line, size=size, faces=faces, key=key, fill=fill)
            y += size * leading
        return y

    def cell(
        self,
        box: tuple[float, float, float, float],
        s: str,
        *,
        size: int,
        faces: Sequence[str] = ("babel",),
        key: str | None = None,
        align: str = "left",
        pad: float = 8,
        leading: float = 1.3,
    ) -> None:
        """``s`` inside a table cell, wrapped onto as many lines as it needs, centred
        vertically (``align``: ``left`` or ``center``)."""
        x0, y0, x1, y1 = box
        lines = self.wrap(s, x1 - x0 - 2 * pad, size, faces)
        h = size * (1 + leading * (len(lines) - 1))
        y = (y0 + y1) / 2 - h / 2
        for line in lines:
            w = self.width_of(line, size, faces)
            x = x0 + pad if align == "left" else (x0 + x1 - w) / 2
            self.text(x, y, line, size=size, faces=faces, key=key)
            y += size * leading

    # --- rules -----------------------------------------------------------------------------
    def hline(self, x0: float, x1: float, y: float, width: int = 2, fill: RGB = INK) -> None:
        self.draw.line([(x0, y), (x1, y)], fill=fill, width=width)

    def vline(self, x: float, y0: float, y1: float, width: int = 2, fill: RGB = INK) -> None:
        self.draw.line([(x, y0), (x, y1)], fill=fill, width=width)

    def rect(self, b: Sequence[float], width: int = 2, fill: RGB = INK) -> None:
        self.draw.rectangle(list(b), outline=fill, width=width)

    def dots(self, x0: float, x1: float, y: float, fill: RGB = (90, 90, 90)) -> None:
        """A dotted leader from x0 to x1 on the line y."""
        x = x0
        while x < x1:
            self.draw.ellipse([x, y - 1, x + 2, y + 1], fill=fill)
            x += 7

    def underline(self, x0: float, x1: float, y: float) -> None:
        self.draw.line([(x0, y), (x1, y)], fill=(60, 60, 60), width=1)

    def paste_layer(self, layer: Image.Image, xy: tuple[int, int], *, multiply: bool) -> None:
        """An RGBA layer composited onto the page (``multiply``: like ink over print)."""
        x, y = xy
        w, h = layer.size
        region = (x, y, x + w, y + h)
        base = self.img.crop(region).convert("RGB")
        top = Image.new("RGB", layer.size, (255, 255, 255))
        top.paste(layer.convert("RGB"), (0, 0), layer.split()[3])
        if multiply:
            arr = np.asarray(base, dtype=np.uint16) * np.asarray(top, dtype=np.uint16) // 255
            out = Image.fromarray(arr.astype(np.uint8))
        else:
            out = base.copy()
            out.paste(layer, (0, 0), layer.split()[3])
        self.img.paste(out, region[:2])

    def texture(self, rng: random.Random, strength: float = 4.0) -> None:
        """Paper fibre: low-frequency blotches and fine grain."""
        h, w = self.height, self.width
        nrng = np.random.default_rng(rng.randint(0, 2**31))
        small = nrng.normal(0, strength * 0.5, (h // 60 + 2, w // 60 + 2)).astype(np.float32)
        big = np.asarray(
            Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC), dtype=np.float32
        )
        grain = nrng.normal(0, strength / 3, (h, w)).astype(np.float32)
        arr = np.asarray(self.img, dtype=np.float32) + (big + grain)[:, :, None]
        self.img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        self.draw = ImageDraw.Draw(self.img)

    def soften(self) -> None:
        self.img = self.img.filter(ImageFilter.GaussianBlur(0.35))
        self.draw = ImageDraw.Draw(self.img)


def finish(
    doc_type: str,
    fields: dict[str, object],
    sheets: Sequence[Sheet],
    *,
    dpi: int,
    seed: int,
    layout: str,
    facts: object = None,
) -> Sample:
    """Freeze drawn sheets into a Sample: a key's golden box is on the first page where it is
    drawn, one part per printed line."""
    boxes: dict[str, FieldBox] = {}
    for sh in sheets:
        for key, bs in sh.boxes.items():
            if key in boxes:
                continue
            b = union(bs)
            boxes[key] = FieldBox(sh.index, b, box_quad(b), _lines(bs))
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


def _lines(bs: Sequence[Box]) -> tuple[Box, ...]:
    rows: list[list[Box]] = []
    for b in sorted(bs, key=lambda b: (b[1] + b[3]) / 2):
        for row in rows:
            u = union(row)
            if min(u[3], b[3]) - max(u[1], b[1]) >= 0.5 * min(u[3] - u[1], b[3] - b[1]):
                row.append(b)
                break
        else:
            rows.append([b])
    return tuple(sorted((union(r) for r in rows), key=lambda b: (b[1], b[0])))
