"""Pages of the fourth held-out family: text runs with tight ink boxes, hand fill, wrapped
cells and paragraphs, and the marks (seals, fingerprints, signatures)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ..canvas import Box, Mark, Surface, TextItem, union
from .faces import HAND_CHAINS, font, pick

RGB = tuple[int, int, int]
INK: RGB = (28, 26, 30)
PEN: RGB = (22, 38, 112)
RED: RGB = (205, 32, 38)


class Sheet(Surface):
    """One page being drawn (RGB), its golden ink boxes per key and its marks."""

    def __init__(self, w: int, h: int, *, index: int = 0, paper: RGB = (252, 251, 247)):
        self.img = Image.new("RGB", (w, h), paper)
        self.draw = ImageDraw.Draw(self.img)
        self.index = index
        self.boxes: dict[str, list[Box]] = {}
        self.bg = None
        self.texts: list[TextItem] = []
        self.marks: list[Mark] = []

    # golden ------------------------------------------------------------------------------
    def mark(self, key: str, b: Box) -> None:
        self.boxes.setdefault(key, []).append(b)

    # text --------------------------------------------------------------------------------
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
        """Draw ``s`` with its em top-left at (x, top) in the first face of ``chain`` covering
        it; ``spacing`` adds em fractions between characters. Returns the tight ink box."""
        face = pick(chain, s)
        f = font(face, size)
        base = top + 0.86 * size
        boxes = []
        if spacing:
            cx = x
            for ch in s:
                if ch.strip():
                    boxes.append(self._ink(cx, base, ch, f, fill))
                cx += f.getlength(ch) + spacing * size
        else:
            boxes.append(self._ink(x, base, s, f, fill))
        boxes = [b for b in boxes if b is not None]
        b = union(boxes) if boxes else (int(x), int(top), int(x) + 1, int(top) + 1)
        if key is not None:
            self.mark(key, b)
        return b

    def _ink(self, x: float, base: float, s: str, f, fill: RGB) -> Box | None:
        self.draw.text((x, base), s, font=f, fill=fill, anchor="ls")
        start = (math.modf(x)[0], math.modf(base)[0])
        mask, (ox, oy) = f.getmask2(s, "L", anchor="ls", start=start)
        ink = mask.getbbox()
        if ink is None:
            return None
        bx, by = int(x) + ox, int(base) + oy
        return (bx + ink[0], by + ink[1], bx + ink[2], by + ink[3])

    def width(self, s: str, *, size: int, chain: Sequence[str], spacing: float = 0.0) -> float:
        f = font(pick(chain, s), size)
        return float(f.getlength(s)) + spacing * size * max(0, len(s) - 1)

    def hand(
        self,
        x: float,
        top: float,
        s: str,
        *,
        size: int,
        rng: random.Random,
        chain: Sequence[str] = HAND_CHAINS["pen"],
        fill: RGB = PEN,
        key: str | None = None,
    ) -> tuple[Box, float]:
        """Handwritten fill, one character at a time, wobbling; returns (ink box, end x)."""
        face = pick(chain, s)
        boxes = []
        cx = x
        for ch in s:
            sz = max(8, round(size * rng.uniform(0.9, 1.12)))
            f = font(face, sz)
            base = top + 0.86 * size + rng.uniform(-0.08, 0.08) * size
            if ch.strip():
                t = rng.randint(-14, 14)
                ink = tuple(min(255, max(0, c + t)) for c in fill)
                b = self._ink(cx, base, ch, f, ink)  # type: ignore[arg-type]
                if b is not None:
                    boxes.append(b)
            cx += f.getlength(ch) * rng.uniform(0.93, 1.02) + rng.uniform(0.0, 0.03) * size
        b = union(boxes)
        if key is not None:
            for part in boxes:
                self.mark(key, part)
        return b, cx

    def wrap(
        self,
        x0: float,
        x1: float,
        top: float,
        s: str,
        *,
        size: int,
        chain: Sequence[str],
        key: str | None = None,
        fill: RGB = INK,
        leading: float = 1.3,
    ) -> float:
        """``s`` wrapped per character between x0 and x1 from ``top``; returns the y after."""
        face = pick(chain, s)
        f = font(face, size)
        lines, cur = [], ""
        for ch in s:
            if cur and f.getlength(cur + ch) > x1 - x0:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        lines.append(cur)
        y = top
        for line in lines:
            self.run(x0, y, line, size=size, chain=(face,), key=key, fill=fill)
            y += size * leading
        return y

    def line(self, xy: Sequence[float], fill: RGB = INK, width: int = 1) -> None:
        self.draw.line(list(xy), fill=fill, width=width)

    def rect(self, xy: Sequence[float], outline: RGB | None = INK, width: int = 1, fill=None):
        self.draw.rectangle(list(xy), outline=outline, width=width, fill=fill)


Span = tuple[str, str | None, str]  # text, key, "p" print / "h" hand (underlined blank)


@dataclass
class Flow:
    """Paragraphs set from ``y`` between x0 and x1; hand spans are written over a blank line."""

    sheet: Sheet
    x0: float
    x1: float
    y: float
    size: int
    chain: Sequence[str]
    rng: random.Random
    hand_chain: Sequence[str] = HAND_CHAINS["pen"]
    leading: float = 1.9

    def para(self, spans: Sequence[Span] | str, *, indent: float = 2.0) -> None:
        if isinstance(spans, str):
            spans = [(spans, None, "p")]
        sz = self.size
        # tokens: (text, key, mode, face, width)
        toks: list[tuple[str, str | None, str, str, float]] = []
        for text, key, mode in spans:
            if not text:
                continue
            chain = self.hand_chain if mode == "h" else self.chain
            face = pick(chain, text)
            f = font(face, sz)
            if mode == "h":
                w = f.getlength(text) * 1.06 + sz * 0.8
                if w > self.x1 - self.x0 - sz:  # a long value wraps per character
                    for ch in text:
                        toks.append((ch, key, "h", face, f.getlength(ch) * 1.06 + 1))
                else:
                    toks.append((text, key, "h", face, w))
            else:
                for ch in text:
                    toks.append((ch, key, "p", face, float(f.getlength(ch))))
        lines: list[list[tuple[str, str | None, str, str, float]]] = [[]]
        x = self.x0 + indent * sz
        for t in toks:
            if x + t[4] > self.x1 and lines[-1] and t[0] not in "，。；：、）":
                lines.append([])
                x = self.x0
            lines[-1].append(t)
            x += t[4]
        for i, line in enumerate(lines):
            x = self.x0 + (indent * sz if i == 0 else 0)
            runs: list[list] = []
            for text, key, mode, face, w in line:
                last = runs[-1] if runs else None
                if last and last[1] == key and last[2] == mode and last[3] == face:
                    last[0] += text
                    last[4] += w
                else:
                    runs.append([text, key, mode, face, w])
            for text, key, mode, face, w in runs:
                if mode == "h":
                    uy = self.y + sz * 1.12
                    self.sheet.line((x, uy, x + w, uy), width=1)
                    self.sheet.hand(
                        x + sz * 0.3 if w > sz * 1.5 else x,
                        self.y - sz * 0.05,
                        text,
                        size=sz,
                        rng=self.rng,
                        chain=(face,),
                        key=key,
                    )
                elif text.strip():
                    self.sheet.run(x, self.y, text, size=sz, chain=(face,), key=key)
                x += w
            self.y += sz * self.leading

    def gap(self, k: float = 0.6) -> None:
        self.y += self.size * k


# marks ------------------------------------------------------------------------------------


def _layer_onto(sheet: Sheet, layer: Image.Image, xy: tuple[int, int]) -> Box:
    """Darken the page with an RGBA ``layer`` (ink over print, as a stamp sits on paper)."""
    x, y = xy
    w, h = layer.size
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(sheet.img.width, x + w), min(sheet.img.height, y + h)
    if x1 <= x0 or y1 <= y0:
        return (x0, y0, x0 + 1, y0 + 1)
    crop = layer.crop((x0 - x, y0 - y, x1 - x, y1 - y))
    page = np.asarray(sheet.img.crop((x0, y0, x1, y1)), dtype=np.float32)
    lay = np.asarray(crop, dtype=np.float32)
    a = lay[:, :, 3:4] / 255.0
    mixed = page * (1 - a) + np.minimum(page, lay[:, :, :3]) * a
    sheet.img.paste(Image.fromarray(mixed.astype(np.uint8)), (x0, y0))
    sheet.draw = ImageDraw.Draw(sheet.img)
    bb = crop.getchannel("A").point(lambda v: 255 if v > 40 else 0).getbbox()
    if bb is None:
        return (x0, y0, x0 + 1, y0 + 1)
    return (x0 + bb[0], y0 + bb[1], x0 + bb[2], y0 + bb[3])


def _glyph(ch: str, face: str, size: int, color: RGB) -> Image.Image:
    f = font(face, size)
    im = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
    ImageDraw.Draw(im).text((size, size), ch, font=f, fill=(*color, 255), anchor="mm")
    return im


def _star(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, color) -> None:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.4
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=color)


def seal(
    sheet: Sheet,
    cx: float,
    cy: float,
    r: float,
    org: str,
    rng: random.Random,
    *,
    bottom: str = "",
    shape: str = "round",
    color: RGB = RED,
    chain: Sequence[str] = ("cwming", "bsmi", "ipam", "noto_xl"),
) -> Box:
    """A red seal centred at (cx, cy): round (rim text and star), oval or square; returns its
    ink box. The ink is uneven, as a stamp pressed by hand."""
    face = pick(chain, org + bottom)
    sc = 3  # drawn large and reduced, for smooth edges
    R = int(r * sc)
    ry = R if shape != "oval" else int(R * 0.7)
    W, H = 2 * R + 8 * sc, 2 * ry + 8 * sc
    lay = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(lay)
    c = (*color, 255)
    ox, oy = W / 2, H / 2
    lw = max(3, int(R * 0.055))
    if shape == "square":
        d.rectangle((ox - R, oy - ry, ox + R, oy + ry), outline=c, width=lw)
        n = len(org)
        cols = 2 if n <= 6 else 3
        rows = math.ceil(n / cols)
        cell_w, cell_h = 1.7 * R / cols, 1.7 * ry / rows
        gs = int(min(cell_w, cell_h) * 0.92)
        # read top-to-bottom, right column first, as square seals do
        for i, ch in enumerate(org):
            col, row = i // rows, i % rows
            gx = ox + R * 0.85 - cell_w * (col + 0.5)
            gy = oy - ry * 0.85 + cell_h * (row + 0.5)
            g = _glyph(ch, face, gs, color)
            lay.alpha_composite(g, (int(gx - g.width / 2), int(gy - g.height / 2)))
    else:
        d.ellipse((ox - R, oy - ry, ox + R, oy + ry), outline=c, width=lw)
        _star(d, ox, oy, R * 0.28, c)
        n = len(org)
        gs = int(R * (0.27 if n <= 12 else 0.23 if n <= 16 else 0.19))
        span = math.radians(min(250, 18 * n + 40))
        rad_x, rad_y = R - lw - gs * 0.62, ry - lw - gs * 0.62
        for i, ch in enumerate(org):
            a = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
            gx, gy = ox + rad_x * math.cos(a), oy + rad_y * math.sin(a)
            g = _glyph(ch, face, gs, color).rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
            lay.alpha_composite(g, (int(gx - g.width / 2), int(gy - g.height / 2)))
        if bottom:
            bs = int(R * 0.16)
            bw = font(face, bs).getlength(bottom)
            d.text((ox - bw / 2, oy + ry * 0.55), bottom, font=font(face, bs), fill=c, anchor="ls")
    # uneven ink: a smooth random field thins the alpha in places
    arr = np.array(lay)
    g = np.random.default_rng(rng.randrange(2**32))
    low = g.random((8, 8)).astype(np.float32)
    field = np.asarray(Image.fromarray((low * 255).astype(np.uint8)).resize((W, H), Image.BICUBIC))
    k = 0.55 + 0.45 * field / 255.0
    speck = g.random((H, W)) > 0.06
    arr[:, :, 3] = (arr[:, :, 3] * k * speck).astype(np.uint8)
    lay = Image.fromarray(arr).resize((W // sc, H // sc), Image.LANCZOS)
    lay = lay.rotate(rng.uniform(-14, 14), resample=Image.BICUBIC, expand=True)
    return _layer_onto(sheet, lay, (int(cx - lay.width / 2), int(cy - lay.height / 2)))


def fingerprint(sheet: Sheet, cx: float, cy: float, size: float, rng: random.Random) -> Box:
    """A red ridged oval, ridges broken as a pressed thumb leaves them."""
    sc = 2
    w, h = int(size * 0.75 * sc), int(size * sc)
    lay = Image.new("RGBA", (w + 8, h + 8), (0, 0, 0, 0))
    d = ImageDraw.Draw(lay)
    ox, oy = (w + 8) / 2, (h + 8) / 2 + rng.uniform(-0.05, 0.05) * h
    n = 11
    col = (190 + rng.randint(0, 30), 30, 40, 230)
    for i in range(n, 0, -1):
        rx, ry = w / 2 * i / n, h / 2 * i / n
        start = rng.uniform(0, 360)
        for seg in range(3):
            a0 = start + seg * 120 + rng.uniform(5, 25)
            a1 = a0 + rng.uniform(70, 110)
            d.arc((ox - rx, oy - ry * 1.05, ox + rx, oy + ry), a0, a1, fill=col, width=2 * sc)
    lay = lay.filter(ImageFilter.GaussianBlur(0.8)).resize((lay.width // sc, lay.height // sc))
    lay = lay.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC, expand=True)
    return _layer_onto(sheet, lay, (int(cx - lay.width / 2), int(cy - lay.height / 2)))


def signature(sheet: Sheet, x: float, y: float, name: str, size: int, rng: random.Random) -> Box:
    """A hurried signature: the name in a cursive face, slanted, pressed together, with a
    trailing stroke; (x, y) is its top-left."""
    from .faces import HAND_CHAINS as HC

    face = pick(HC[rng.choice(("brush", "kiloji", "seto"))], name)
    f = font(face, size)
    W = int(size * (len(name) + 2))
    H = int(size * 2)
    lay = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(lay)
    ink = (15 + rng.randint(0, 30), 20 + rng.randint(0, 20), 60 + rng.randint(0, 70), 255)
    cx = size * 0.3
    for ch in name:
        d.text((cx, H * 0.72 + rng.uniform(-0.1, 0.1) * size), ch, font=f, fill=ink, anchor="ls")
        cx += f.getlength(ch) * rng.uniform(0.62, 0.8)
    # a trailing flourish
    pts = []
    x0, y0 = cx - size * 0.2, H * 0.62
    for t in np.linspace(0, 1, 14):
        pts.append(
            (x0 + t * size * 1.1, y0 + math.sin(t * math.pi * rng.uniform(1.2, 2.2)) * size * 0.25)
        )
    d.line(pts, fill=ink, width=max(2, size // 12), joint="curve")
    lay = lay.transform(
        lay.size, Image.AFFINE, (1, rng.uniform(0.15, 0.35), -H * 0.1, 0, 1, 0), Image.BICUBIC
    )
    lay = lay.rotate(rng.uniform(-6, 6), resample=Image.BICUBIC, expand=True)
    return _layer_onto(sheet, lay, (int(x), int(y - lay.height * 0.2)))
