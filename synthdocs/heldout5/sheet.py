"""Pages of the fifth held-out family: text runs with tight ink boxes, wrapped paragraphs,
ruled cells, and ink layers (pen, fingerprint, seal) composited as ink darkens paper."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from ..canvas import Box, Mark, Surface, TextItem, union
from .faces import font, pick

RGB = tuple[int, int, int]
INK: RGB = (24, 24, 28)
Span = tuple[str, str | None]  # (text, golden key)
_TOKEN = re.compile(r"[A-Za-z0-9.\-()/]+|.", re.S)


class Sheet(Surface):
    """One page being drawn (RGB): its golden ink boxes per key and its mark places."""

    def __init__(self, w: int, h: int, *, index: int = 0, paper: RGB = (251, 250, 246)):
        self.img = Image.new("RGB", (w, h), paper)
        self.draw = ImageDraw.Draw(self.img)
        self.index = index
        self.boxes: dict[str, list[Box]] = {}
        self.bg = None
        self.texts: list[TextItem] = []
        self.marks: list[Mark] = []

    def mark(self, key: str, b: Box) -> None:
        self.boxes.setdefault(key, []).append(b)

    # text ------------------------------------------------------------------------------------
    def run(
        self,
        x: float,
        top: float,
        s: str,
        *,
        size: int,
        chain: Sequence[str],
        fill: RGB = INK,
        key: str | None = None,
        spacing: float = 0.0,
    ) -> Box:
        """``s`` with its em box's top-left at (x, top) in the first face of ``chain`` that
        covers it; ``spacing`` adds em fractions between characters. Returns the ink box."""
        f = font(pick(chain, s), size)
        base = top + 0.88 * size
        boxes: list[Box] = []
        if spacing:
            cx = x
            for ch in s:
                b = self._ink(cx, base, ch, f, fill) if ch.strip() else None
                if b is not None:
                    boxes.append(b)
                cx += f.getlength(ch) + spacing * size
        else:
            b = self._ink(x, base, s, f, fill)
            if b is not None:
                boxes.append(b)
        out = union(boxes) if boxes else (int(x), int(top), int(x) + 1, int(top) + 1)
        if key is not None:
            self.mark(key, out)
        return out

    def _ink(self, x: float, base: float, s: str, f, fill: RGB) -> Box | None:
        self.draw.text((x, base), s, font=f, fill=fill, anchor="ls")
        start = (math.modf(x)[0], math.modf(base)[0])
        mask, (ox, oy) = f.getmask2(s, "L", anchor="ls", start=start)
        ink = mask.getbbox()
        if ink is None:
            return None
        bx, by = int(x) + ox, int(base) + oy
        return (bx + ink[0], by + ink[1], bx + ink[2], by + ink[3])

    def measure(self, s: str, *, size: int, chain: Sequence[str], spacing: float = 0.0) -> float:
        f = font(pick(chain, s), size)
        return float(f.getlength(s)) + spacing * size * max(0, len(s) - 1)

    def centred(self, x0: float, x1: float, top: float, s: str, *, size: int, chain, **kw) -> Box:
        w = self.measure(s, size=size, chain=chain, spacing=kw.get("spacing", 0.0))
        return self.run((x0 + x1 - w) / 2, top, s, size=size, chain=chain, **kw)

    # graphics --------------------------------------------------------------------------------
    def line(self, xy: Sequence[float], fill: RGB = INK, width: int = 1) -> None:
        self.draw.line(list(xy), fill=fill, width=width)

    def rect(self, xy: Sequence[float], outline: RGB | None = INK, width: int = 1, fill=None):
        self.draw.rectangle(list(xy), outline=outline, width=width, fill=fill)

    def ink(self, layer: Image.Image, xy: tuple[int, int]) -> Box | None:
        """Composite the RGBA ``layer`` at ``xy``: the ink multiplies the page under it.
        Returns the box of the pixels it visibly inked (None when it left none)."""
        x, y = xy
        page = np.asarray(self.img, dtype=np.float32).copy()
        h, w = page.shape[:2]
        a = np.asarray(layer.convert("RGBA"), np.float32)
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(w, x + a.shape[1]), min(h, y + a.shape[0])
        if x1 <= x0 or y1 <= y0:
            return None
        src = a[y0 - y : y1 - y, x0 - x : x1 - x]
        alpha = src[:, :, 3:4] / 255.0
        dst = page[y0:y1, x0:x1]
        page[y0:y1, x0:x1] = dst * (1 - alpha) + dst * (src[:, :, :3] / 255.0) * alpha
        self.img = Image.fromarray(np.clip(page + 0.5, 0, 255).astype(np.uint8))
        self.draw = ImageDraw.Draw(self.img)
        ys, xs = np.nonzero(src[:, :, 3] > 40)
        if len(xs) == 0:
            return None
        return (
            x0 + int(xs.min()),
            y0 + int(ys.min()),
            x0 + int(xs.max()) + 1,
            y0 + int(ys.max()) + 1,
        )


class Flow:
    """Paragraphs set from ``top`` down the column ``x0``–``x1``, wrapped per character (ASCII
    words whole; a keyed value stays on one line when it fits)."""

    def __init__(
        self,
        sheet: Sheet,
        x0: float,
        x1: float,
        top: float,
        size: int,
        chain: Sequence[str],
        *,
        leading: float = 1.8,
    ):
        self.sheet, self.x0, self.x1, self.y = sheet, x0, x1, top
        self.size, self.chain, self.leading = size, chain, leading

    def gap(self, k: float = 0.6) -> None:
        self.y += k * self.size * self.leading

    def para(self, spans: Sequence[Span] | str, *, indent: float = 2.0) -> None:
        if isinstance(spans, str):
            spans = [(spans, None)]
        size, sh = self.size, self.sheet
        # one face for the whole paragraph: what is measured is what is drawn
        chain = (pick(self.chain, "".join(t for t, _k in spans)),)
        toks: list[tuple[str, str | None]] = []
        for text, key in spans:
            if key is not None and sh.measure(text, size=size, chain=chain) < self.x1 - self.x0:
                toks.append((text, key))
            else:
                toks += [(m.group(0), key) for m in _TOKEN.finditer(text)]
        lines: list[list[tuple[str, str | None]]] = [[]]
        x = self.x0 + indent * size
        for text, key in toks:
            w = sh.measure(text, size=size, chain=chain)
            if x + w > self.x1 and lines[-1] and text not in "，。；：、）”":
                lines.append([])
                x = self.x0
            lines[-1].append((text, key))
            x += w
        for i, line in enumerate(lines):
            x = self.x0 + (indent * size if i == 0 else 0)
            runs: list[tuple[str, str | None]] = []
            for text, key in line:
                if runs and runs[-1][1] == key:
                    runs[-1] = (runs[-1][0] + text, key)
                else:
                    runs.append((text, key))
            for text, key in runs:
                if text.strip():
                    sh.run(x, self.y, text, size=size, chain=chain, key=key)
                x += sh.measure(text, size=size, chain=chain)
            self.y += size * self.leading
