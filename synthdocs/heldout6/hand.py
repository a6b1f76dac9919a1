"""This family's pen: a signature written fast, as strokes of Bezier curves.

A name is written one character cell at a time, each character a handful of strokes (横, 竖, 撇,
捺, 点, 折, and the loops cursive makes of 口 and 日), in cells that shrink after the surname;
in 连笔 styles the pen stays down between strokes and draws a hairline from one to the next.
Width follows pressure: strokes start thin, swell, and taper (撇 and 捺 most). The whole name is
slanted, turned a little off the line and sometimes ends in a long flourish. Pens: blue and
faint blue ballpoints (thin, even, skipping a little), black and blue-black gel (fuller), a
fibre-tip (thick)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Pen:
    name: str
    color: RGB
    width: float  # at a 40 px character height
    swell: float  # how much pressure widens a stroke
    skip: float  # share of the ink skipped (ballpoint)


PENS: dict[str, Pen] = {
    "ballpoint_blue": Pen("ballpoint_blue", (28, 52, 150), 1.7, 0.35, 0.06),
    "ballpoint_faint": Pen("ballpoint_faint", (62, 86, 176), 1.4, 0.25, 0.12),
    "gel_black": Pen("gel_black", (18, 18, 24), 2.4, 0.5, 0.0),
    "gel_blueblack": Pen("gel_blueblack", (22, 30, 74), 2.2, 0.6, 0.0),
    "fibre_tip": Pen("fibre_tip", (16, 16, 20), 3.6, 0.3, 0.02),
}
SS = 3  # supersampling of the stroke raster


def _bez(p0, p1, p2, p3, n: int) -> np.ndarray:
    t = np.linspace(0.0, 1.0, n)[:, None]
    return (
        (1 - t) ** 3 * np.asarray(p0)
        + 3 * (1 - t) ** 2 * t * np.asarray(p1)
        + 3 * (1 - t) * t**2 * np.asarray(p2)
        + t**3 * np.asarray(p3)
    )


def _stroke(kind: str, r: random.Random) -> tuple[np.ndarray, float]:
    """One stroke in a unit cell (x right, y down): its points and how much it tapers."""
    j = lambda s=0.08: r.uniform(-s, s)  # noqa: E731
    if kind == "heng":
        y = r.uniform(0.15, 0.85)
        a, b = (r.uniform(0.0, 0.3), y), (r.uniform(0.7, 1.05), y - r.uniform(0.0, 0.15))
        return _bez(a, (a[0] + 0.3, y + j()), (b[0] - 0.3, b[1] + j()), b, 16), 0.3
    if kind == "shu":
        x = r.uniform(0.2, 0.8)
        a, b = (x, r.uniform(0.0, 0.25)), (x + j(0.1), r.uniform(0.75, 1.05))
        pts = _bez(a, (x + j(), 0.4), (x + j(), 0.7), b, 16)
        if r.random() < 0.4:  # a hook up-left at the foot
            pts = np.vstack([pts, [[b[0] - 0.15, b[1] - 0.12]]])
        return pts, 0.4
    if kind == "pie":
        a = (r.uniform(0.45, 0.8), r.uniform(0.0, 0.3))
        b = (r.uniform(0.0, 0.25), r.uniform(0.7, 1.0))
        return _bez(a, (a[0], 0.5), (0.4, 0.8), b, 18), 0.8
    if kind == "na":
        a = (r.uniform(0.25, 0.5), r.uniform(0.2, 0.45))
        b = (r.uniform(0.85, 1.1), r.uniform(0.8, 1.0))
        return _bez(a, (0.55, 0.55), (0.7, 0.9), b, 18), 0.7
    if kind == "dian":
        a = (r.uniform(0.1, 0.9), r.uniform(0.0, 0.5))
        b = (a[0] + r.uniform(0.05, 0.15), a[1] + r.uniform(0.08, 0.18))
        return _bez(a, a, b, b, 6), 0.5
    if kind == "zhe":
        a = (r.uniform(0.1, 0.3), r.uniform(0.1, 0.4))
        c = (r.uniform(0.7, 0.95), a[1] + j(0.05))
        b = (c[0] - r.uniform(0.0, 0.2), r.uniform(0.75, 1.0))
        return np.vstack([_bez(a, a, c, c, 10), _bez(c, c, b, b, 10)]), 0.3
    # "loop": the ring cursive writes for 口, 日, 目
    cx, cy = r.uniform(0.35, 0.65), r.uniform(0.35, 0.7)
    rx, ry = r.uniform(0.18, 0.35), r.uniform(0.15, 0.3)
    t0 = r.uniform(0, 2 * math.pi)
    t = np.linspace(t0, t0 + r.uniform(1.7, 2.1) * math.pi, 26)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1), 0.2


_KINDS = ("heng", "heng", "shu", "pie", "na", "dian", "zhe", "loop")


def _character(r: random.Random, linked: bool) -> list[tuple[np.ndarray, float, bool]]:
    """The strokes of one character: (points, taper, is a hairline join)."""
    out: list[tuple[np.ndarray, float, bool]] = []
    prev: np.ndarray | None = None
    for _ in range(r.randint(3, 6)):
        pts, taper = _stroke(r.choice(_KINDS), r)
        if prev is not None and linked and r.random() < 0.75:
            a, b = prev[-1], pts[0]
            mid = (a + b) / 2 + np.array([r.uniform(-0.15, 0.15), r.uniform(-0.15, 0.15)])
            out.append((_bez(a, mid, mid, b, 8), 0.0, True))
        out.append((pts, taper, False))
        prev = pts
    return out


def signature(
    name: str, height: float, rng: random.Random, *, pen: str | None = None, scale: float = 1.0
) -> tuple[np.ndarray, RGB, tuple[int, int], str]:
    """``name`` signed with characters about ``height`` px tall (times ``scale``).

    Returns (coverage, ink colour, (dx, dy) offset of the coverage's top-left from the nominal
    top-left of the writing, pen name)."""
    p = PENS[pen or rng.choice(tuple(PENS))]
    linked = rng.random() < 0.7
    h = height * scale
    slant = math.radians(rng.uniform(4, 22))
    turn = math.radians(rng.uniform(-7, 4))
    strokes: list[tuple[np.ndarray, float, bool, float]] = []
    x = 0.0
    n = max(1, len(name))
    last_end: np.ndarray | None = None
    for i in range(n):
        k = (1.15 if i == 0 else 0.95 - 0.08 * i) * rng.uniform(0.85, 1.1)
        cw, ch = h * k * rng.uniform(0.7, 0.95), h * k
        oy = h * rng.uniform(-0.08, 0.12) + (h - ch) * 0.6
        for pts, taper, join in _character(rng, linked):
            q = np.stack([x + pts[:, 0] * cw, oy + pts[:, 1] * ch], axis=1)
            if last_end is not None and not join and linked and rng.random() < 0.5:
                mid = (last_end + q[0]) / 2 + np.array([0.0, -h * 0.15])
                strokes.append((_bez(last_end, mid, mid, q[0], 10), 0.0, True, 1.0))
                last_end = None
            strokes.append((q, taper, join, rng.uniform(0.8, 1.2)))
            if not join:
                last_end = q[-1]
        x += cw * rng.uniform(0.72, 0.95)
    if rng.random() < 0.35:  # a flourish: a long tail under or past the name
        a = strokes[-1][0][-1]
        b = np.array([x + h * rng.uniform(0.3, 1.2), h * rng.uniform(0.6, 1.1)])
        c1 = a + np.array([h * 0.4, h * 0.6])
        c2 = b + np.array([-h * 0.8, h * 0.2])
        strokes.append((_bez(a, c1, c2, b, 30), 0.9, False, 0.9))
    # slant and turn the whole name
    sh = np.array([[1.0, -math.tan(slant)], [0.0, 1.0]])
    rot = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    T = rot @ sh
    allp = np.vstack([s[0] for s in strokes]) @ T.T
    base_w = p.width * max(0.6, h / 40.0)
    pad = base_w * 3 + 4
    lo = allp.min(axis=0) - pad
    hi = allp.max(axis=0) + pad
    W, H = int((hi[0] - lo[0]) * SS) + 1, int((hi[1] - lo[1]) * SS) + 1
    im = Image.new("L", (W, H), 0)
    dr = ImageDraw.Draw(im)
    for pts, taper, join, speed in strokes:
        q = ((pts @ T.T) - lo) * SS
        m = len(q)
        t = np.linspace(0.0, 1.0, m)
        press = np.minimum(1.0, 0.35 + 3.0 * t) * (1.0 - taper * np.clip((t - 0.6) / 0.4, 0, 1))
        w = base_w * (1.0 - p.swell + p.swell * 1.6 * press) / speed
        if join:
            w = np.full(m, base_w * 0.45)
        tone = int(255 * (0.75 if join else rng.uniform(0.88, 1.0)))
        for k in range(m - 1):
            wk = max(1.0, float(w[k]) * SS)
            dr.line([tuple(q[k]), tuple(q[k + 1])], fill=tone, width=round(wk))
            rr = wk / 2
            dr.ellipse(
                (q[k + 1][0] - rr, q[k + 1][1] - rr, q[k + 1][0] + rr, q[k + 1][1] + rr), fill=tone
            )
    a = np.asarray(im, dtype=np.float32) / 255.0
    a = cv2.resize(a, (max(1, W // SS), max(1, H // SS)), interpolation=cv2.INTER_AREA)
    if p.skip:
        g = np.random.default_rng(rng.randrange(2**32))
        holes = cv2.GaussianBlur(g.random(a.shape).astype(np.float32), (0, 0), 1.2)
        a = a * np.where(holes < np.quantile(holes, p.skip), 0.45, 1.0)
    a = np.clip(a * 1.15, 0.0, 1.0)
    dx, dy = int(np.round(lo[0])), int(np.round(lo[1]))
    return a, p.color, (dx, dy), p.name
