"""A page of the sixth held-out family being drawn: print runs with tight ink boxes per golden
key, paragraphs wrapped per character, hand-filled blanks, and marks laid on as ink (a
multiplying layer: print under a seal or a print stays visible)."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from ..canvas import Box, Mark, Surface, union
from .faces import font, pick

RGB = tuple[int, int, int]
INK: RGB = (24, 24, 26)
#: a span of a paragraph: (text, golden key or None, "p" printed or "h" filled by hand)
Span = tuple[str, str | None, str]
_TOKEN = re.compile(r"[A-Za-z0-9.,:()\-/%]+|.", re.S)


class Leaf(Surface):
    """One page: ``img`` (RGB), golden ``boxes`` per key, the ``marks`` placed on it."""

    def __init__(self, w: int, h: int, *, index: int = 0, paper: RGB = (252, 252, 249)):
        self.index = index
        self.img = Image.new("RGB", (w, h), paper)
        self.draw = ImageDraw.Draw(self.img)
        self.boxes: dict[str, list[Box]] = {}
        self.marks: list[Mark] = []
        self.bg = None
        self.texts = ()

    # print ------------------------------------------------------------------------------------
    def measure(self, s: str, *, size: int, chain: Sequence[str], spacing: float = 0.0) -> float:
        f = font(pick(chain, s), size)
        return float(f.getlength(s)) + spacing * size * max(0, len(s) - 1)

    def text(
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
        """``s`` with its em box's top-left at (x, top); returns the box of its ink."""
        face = pick(chain, s)
        f = font(face, size)
        base = top + 0.88 * size
        boxes: list[Box] = []
        runs = [s] if not spacing else list(s)
        cx = x
        for r in runs:
            if r.strip():
                self.draw.text((cx, base), r, font=f, fill=fill, anchor="ls")
                start = (math.modf(cx)[0], math.modf(base)[0])
                mask, (ox, oy) = f.getmask2(r, "L", anchor="ls", start=start)
                bb = mask.getbbox()
                if bb is not None:
                    bx, by = int(cx) + ox, int(base) + oy
                    boxes.append((bx + bb[0], by + bb[1], bx + bb[2], by + bb[3]))
            cx += f.getlength(r) + spacing * size
        if not boxes:
            return (int(x), int(top), int(x) + 1, int(top) + 1)
        b = union(boxes)
        if key is not None:
            self.mark(key, b)
        return b

    def hand(
        self,
        x: float,
        top: float,
        s: str,
        *,
        size: int,
        chain: Sequence[str],
        rng: random.Random,
        fill: RGB = (32, 48, 128),
        key: str | None = None,
    ) -> Box:
        """A blank filled in by hand: one character at a time, each a little off the line."""
        boxes: list[Box] = []
        cx = x
        for ch in s:
            sz = max(8, round(size * rng.uniform(0.88, 1.08)))
            t = top + rng.uniform(-0.08, 0.08) * size
            tone = rng.randint(-14, 14)
            ink = tuple(min(255, max(0, c + tone)) for c in fill)
            if ch.strip():
                boxes.append(self.text(cx, t, ch, size=sz, chain=chain, fill=ink))  # type: ignore[arg-type]
            cx += font(pick(chain, ch), sz).getlength(ch) + rng.uniform(-0.02, 0.1) * size
        b = union(boxes) if boxes else (int(x), int(top), int(x) + 1, int(top) + 1)
        if key is not None:
            for part in boxes:
                self.mark(key, part)
        return b

    def para(
        self,
        x0: float,
        x1: float,
        top: float,
        spans: Sequence[Span] | str,
        *,
        size: int,
        chain: Sequence[str],
        hand_chain: Sequence[str] = (),
        rng: random.Random | None = None,
        leading: float = 1.8,
        indent: float = 2.0,
        fill: RGB = INK,
    ) -> float:
        """A paragraph wrapped per character between ``x0`` and ``x1`` (a keyed value stays
        whole when it fits on a line); returns the top of the next line."""
        if isinstance(spans, str):
            spans = [(spans, None, "p")]
        toks: list[tuple[str, str | None, str, float]] = []
        for text, key, how in spans:
            ch = hand_chain if how == "h" and hand_chain else chain
            w = self.measure(text, size=size, chain=ch)
            if key is not None and w <= (x1 - x0) * 0.8:
                toks.append((text, key, how, w * (1.04 if how == "h" else 1.0)))
                continue
            for m in _TOKEN.finditer(text):
                t = m.group(0)
                toks.append((t, key, how, self.measure(t, size=size, chain=ch)))
        lines: list[list[tuple[str, str | None, str, float]]] = [[]]
        x = x0 + indent * size
        for tok in toks:
            if x + tok[3] > x1 and lines[-1] and tok[0] not in "，。；：、）》”！？":
                lines.append([])
                x = x0
            lines[-1].append(tok)
            x += tok[3]
        y = top
        for i, line in enumerate(lines):
            lx = x0 + (indent * size if i == 0 else 0)
            merged: list[list[Any]] = []
            for t, k, how, w in line:
                if merged and merged[-1][1] == k and merged[-1][2] == how:
                    merged[-1][0] += t
                    merged[-1][3] += w
                else:
                    merged.append([t, k, how, w])
            for t, k, how, w in merged:
                if t.strip():
                    if how == "h" and hand_chain and rng is not None:
                        self.hand(lx, y, t, size=size, chain=hand_chain, rng=rng, key=k)
                    else:
                        self.text(lx, y, t, size=size, chain=chain, fill=fill, key=k)
                lx += w
            y += size * leading
        return y

    # graphics ---------------------------------------------------------------------------------
    def line(self, xy: Sequence[float], fill: RGB = INK, width: int = 1) -> None:
        self.draw.line(list(xy), fill=fill, width=width)

    def rect(
        self, xy: Sequence[float], outline: RGB | None = INK, width: int = 1, fill: Any = None
    ) -> None:
        self.draw.rectangle(list(xy), outline=outline, width=width, fill=fill)

    def mark(self, key: str, b: Box) -> None:
        self.boxes.setdefault(key, []).append(b)

    # ink --------------------------------------------------------------------------------------
    def lay(self, alpha: np.ndarray, x: int, y: int, color: np.ndarray | RGB) -> Box | None:
        """Lay ink of coverage ``alpha`` (h, w floats 0..1) with its top-left at (x, y),
        multiplying the page (``color`` an RGB triple or an (h, w, 3) array). Returns the box
        of the ink that landed on the page (coverage above 0.2), None when none did."""
        h, w = alpha.shape
        X0, Y0 = max(0, x), max(0, y)
        X1, Y1 = min(self.img.width, x + w), min(self.img.height, y + h)
        if X1 <= X0 or Y1 <= Y0:
            return None
        a = alpha[Y0 - y : Y1 - y, X0 - x : X1 - x].astype(np.float32)[:, :, None]
        col = np.asarray(color, dtype=np.float32)
        if col.ndim == 3:
            col = col[Y0 - y : Y1 - y, X0 - x : X1 - x]
        region = np.asarray(self.img.crop((X0, Y0, X1, Y1)), dtype=np.float32)
        out = region * (1.0 - a + a * col / 255.0)
        self.img.paste(Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8)), (X0, Y0))
        self.draw = ImageDraw.Draw(self.img)
        ys, xs = np.nonzero(a[:, :, 0] > 0.2)
        if len(xs) == 0:
            return None
        return (
            X0 + int(xs.min()),
            Y0 + int(ys.min()),
            X0 + int(xs.max()) + 1,
            Y0 + int(ys.max()) + 1,
        )
