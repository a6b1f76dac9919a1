"""Official seals of the fifth held-out family: round (one or two rim rings) or oval, the
organisation's name set along an arc of 220°–300° in one of this family's seal faces (tall,
narrow characters, sometimes boldened as an engraver cuts them), a five-pointed star or none,
a horizontal line of text under the centre or none; then inked unevenly (faded patches, an
over-inked blotch, speckle where the rubber did not touch), tinted orange-red to crimson and
turned slightly."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .faces import SEAL_CHAINS, font, pick

RGB = tuple[int, int, int]
SEAL_INKS: tuple[RGB, ...] = (
    (228, 78, 46),  # orange-red
    (222, 50, 42),
    (208, 34, 40),
    (190, 26, 44),
    (168, 20, 42),  # deep crimson
)


@dataclass(frozen=True)
class SealStyle:
    shape: str  # "round" / "oval"
    double: bool  # a thin inner ring inside the rim
    star: bool
    arc: float  # degrees the rim text spans
    bottom: str  # the horizontal line under the centre ("" for none)
    chain: str  # a key of SEAL_CHAINS
    bold: int  # extra stroke width of the characters (an engraver's cut)
    ink: RGB
    turn: float  # degrees


def random_style(rng: random.Random, *, bottom: str = "", oval: float = 0.2) -> SealStyle:
    with_bottom = bool(bottom) and rng.random() < 0.8
    return SealStyle(
        shape="oval" if rng.random() < oval else "round",
        double=rng.random() < 0.35,
        star=rng.random() < 0.7,
        arc=rng.uniform(220, 255) if with_bottom else rng.uniform(220, 300),
        bottom=bottom if with_bottom else "",
        chain=rng.choice(tuple(SEAL_CHAINS)),
        bold=rng.choice((0, 0, 1, 2)),
        ink=rng.choice(SEAL_INKS),
        turn=rng.uniform(-14, 14),
    )


def _star(dr: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.382
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    dr.polygon(pts, fill=255)


def _glyph(ch: str, face: str, size: int, squeeze: float, bold: int) -> Image.Image:
    """One character (L mask), squeezed narrower as seal characters are."""
    f = font(face, size)
    im = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(im).text(
        (size, size), ch, font=f, fill=255, anchor="mm", stroke_width=bold, stroke_fill=255
    )
    bb = im.getbbox() or (0, 0, 1, 1)
    im = im.crop(bb)
    return im.resize(
        (max(1, round(im.width * squeeze)), max(1, im.height)), Image.Resampling.LANCZOS
    )


def _texture(alpha: np.ndarray, rng: random.Random) -> np.ndarray:
    """Uneven ink: faded patches, one over-inked blotch, speckle."""
    h, w = alpha.shape
    rs = np.random.default_rng(rng.randint(0, 2**31))
    coarse = cv2.resize(
        rs.uniform(0, 1, (6, 6)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC
    )
    fade = np.clip(0.35 + 0.9 * coarse, 0.3, 1.0) if rng.random() < 0.7 else np.ones_like(coarse)
    out = alpha * fade
    if rng.random() < 0.5:  # an over-inked side: the ink spreads there
        bx, by = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        near = np.exp(-(((xx - bx) ** 2 + (yy - by) ** 2) / (2 * (0.18 * w) ** 2)))
        spread = cv2.dilate(alpha, np.ones((3, 3), np.uint8))
        spread = cv2.GaussianBlur(spread, (0, 0), 1.2)
        out = np.maximum(out, spread * near * 1.1)
    speck = rs.uniform(0, 1, (h, w)).astype(np.float32)
    out = np.where(speck < rng.uniform(0.02, 0.1), out * 0.3, out)
    return np.clip(out, 0, 1)


def seal(org: str, diameter: int, *, rng: random.Random, style: SealStyle) -> Image.Image:
    """The seal of ``org`` about ``diameter`` pixels across (an oval is wider), RGBA."""
    ss = 2
    rx = diameter / 2 * (1.28 if style.shape == "oval" else 1.0) * ss
    ry = diameter / 2 * (0.86 if style.shape == "oval" else 1.0) * ss
    W, H = int(2 * rx + 8 * ss), int(2 * ry + 8 * ss)
    cx, cy = W / 2, H / 2
    m = Image.new("L", (W, H), 0)
    dr = ImageDraw.Draw(m)
    ring = max(2, round(ry * rng.uniform(0.055, 0.08)))
    dr.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), outline=255, width=ring)
    inset = ring
    if style.double:
        gap = ring + max(2, round(ry * 0.04))
        dr.ellipse(
            (cx - rx + gap, cy - ry + gap, cx + rx - gap, cy + ry - gap),
            outline=255,
            width=max(1, ring // 3),
        )
        inset = gap + ring // 3
    face = pick(SEAL_CHAINS[style.chain], org + style.bottom)
    size = max(10, round(ry * rng.uniform(0.27, 0.33)))
    trx, try_ = rx - inset - size * 0.62, ry - inset - size * 0.62
    n = len(org)
    span = math.radians(style.arc)
    # from the lower left, over the top, to the lower right (angle measured from the top),
    # spaced evenly along the curve (an oval's ends are tighter in angle)
    ts = np.linspace(-span / 2, span / 2, 721)
    xs, ys = trx * np.sin(ts), -try_ * np.cos(ts)
    run = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(xs), np.diff(ys)))])
    for i, ch in enumerate(org):
        t = float(np.interp(run[-1] * (i + 0.5) / n, run, ts))
        px, py = cx + trx * math.sin(t), cy - try_ * math.cos(t)
        g = _glyph(ch, face, size, rng.uniform(0.68, 0.8), style.bold * ss)
        # the character's foot points at the centre: turn it by the normal of the ellipse
        nx, ny = math.sin(t) / max(trx, 1), -math.cos(t) / max(try_, 1)
        deg = math.degrees(math.atan2(nx, -ny))
        g = g.rotate(-deg, resample=Image.Resampling.BICUBIC, expand=True)
        m.paste(255, (round(px - g.width / 2), round(py - g.height / 2)), g)
    if style.star:
        _star(dr, cx, cy - (ry * 0.05 if style.bottom else 0), ry * rng.uniform(0.2, 0.26))
    if style.bottom:
        bsize = max(8, round(ry * rng.uniform(0.15, 0.19)))
        f = font(face, bsize)
        bw = f.getlength(style.bottom)
        limit = rx * 1.2
        if bw > limit:
            bsize = max(8, int(bsize * limit / bw))
            f = font(face, bsize)
        dr.text(
            (cx, cy + ry * 0.42),
            style.bottom,
            font=f,
            fill=255,
            anchor="mm",
            stroke_width=style.bold,
        )
    alpha = np.asarray(m, np.float32) / 255.0
    alpha = _texture(alpha, rng)
    a = Image.fromarray((alpha * 255).astype(np.uint8))
    a = a.rotate(style.turn, resample=Image.Resampling.BICUBIC, expand=True)
    a = a.resize((max(1, a.width // ss), max(1, a.height // ss)), Image.Resampling.LANCZOS)
    im = Image.new("RGBA", a.size, (*style.ink, 0))
    im.putalpha(a)
    return im
