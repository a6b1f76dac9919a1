"""Handwritten signatures of the fifth held-out family, drawn as pen strokes.

Four hands: ``flowing`` (a cursive trace from coupled oscillations, the pen lifted between some
characters), ``scrawl`` (a connected scribble of loops ending in a long tail), ``printed``
(each character of the name written out stroke by stroke: the skeleton of a hand face's glyph,
bent by a smooth displacement field and re-inked with a pen whose width follows the pressure)
and ``initials`` (the surname alone, printed that way, with a flourish). Pressure swells and
thins every stroke; fast strokes skip ink.
"""

from __future__ import annotations

import math
import random
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .faces import HAND_CHAINS, font, pick

RGB = tuple[int, int, int]
PENS: dict[str, RGB] = {
    "black": (20, 20, 24),
    "blue_black": (30, 38, 92),
    "blue": (28, 64, 172),
}
STYLES = ("flowing", "scrawl", "printed", "initials")
_SS = 3  # supersampling


def _f32(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=np.float32)


def _pressure(n: int, rng: random.Random) -> np.ndarray:
    """A pressure profile of ``n`` samples in (0, 1]: a few slow waves, tapered at both ends."""
    t = np.linspace(0, 1, max(2, n))
    p = np.full_like(t, 0.65)
    for _ in range(3):
        p += rng.uniform(0.05, 0.18) * np.sin(
            2 * math.pi * rng.uniform(0.5, 4) * t + rng.uniform(0, 6)
        )
    taper = np.minimum(1, np.minimum(t, 1 - t) * rng.uniform(6, 14) + 0.25)
    return np.clip(p * taper, 0.12, 1.0)


def _stroke(dr: ImageDraw.ImageDraw, pts: np.ndarray, width: float, rng: random.Random) -> None:
    """Ink the polyline ``pts`` (supersampled pixels) with pressure; fast parts skip."""
    if len(pts) < 2:
        return
    p = _pressure(len(pts), rng)
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    fast = seg / max(1e-6, float(np.median(seg)) if len(seg) else 1.0)
    for i in range(len(pts) - 1):
        if fast[i] > 2.6 and rng.random() < 0.35:
            continue  # the pen skated
        w = max(1.0, width * p[i])
        a = int(255 * min(1.0, 0.78 + 0.3 * p[i]))
        (xa, ya), (xb, yb) = pts[i], pts[i + 1]
        dr.line((xa, ya, xb, yb), fill=a, width=round(w))
        r = w / 2
        dr.ellipse((xb - r, yb - r, xb + r, yb + r), fill=a)


def _flowing(dr, w: float, h: float, n_chars: int, rng: random.Random, width: float) -> None:
    """Cursive: x drifts right while x and y oscillate; amplitudes change per character."""
    steps_per = 90
    x = w * rng.uniform(0.02, 0.08)
    cw = w * 0.9 / n_chars
    phase_x, phase_y = rng.uniform(0, 6), rng.uniform(0, 6)
    pts: list[tuple[float, float]] = []
    for k in range(n_chars):
        ax, ay = cw * rng.uniform(0.12, 0.3), h * rng.uniform(0.18, 0.36)
        fx, fy = rng.uniform(2.0, 4.5), rng.uniform(2.0, 4.5)
        cy = h * rng.uniform(0.42, 0.58)
        for s in range(steps_per):
            t = s / steps_per
            xx = x + cw * t + ax * math.sin(2 * math.pi * fx * t + phase_x)
            yy = cy + ay * math.sin(2 * math.pi * fy * t + phase_y) * (
                0.6 + 0.4 * math.sin(math.pi * t)
            )
            pts.append((xx, yy))
        x += cw
        phase_x += rng.uniform(0.5, 2.0)
        if k < n_chars - 1 and rng.random() < 0.35:  # the pen lifts
            _stroke(dr, np.array(pts), width, rng)
            pts = []
    if rng.random() < 0.5:  # a closing stroke back under the name
        y0 = pts[-1][1] if pts else h * 0.6
        tail = [
            (x + (x * 0.15) * math.cos(math.pi * t) - x * 0.15, y0 + h * 0.25 * t)
            for t in np.linspace(0, 1, 30)
        ]
        pts += tail
    _stroke(dr, np.array(pts), width, rng)


def _scrawl(dr, w: float, h: float, rng: random.Random, width: float) -> None:
    """A connected scribble: a few loops of drifting centre, then a long tail with a flick."""
    pts: list[tuple[float, float]] = []
    cx, cy = w * rng.uniform(0.08, 0.18), h * 0.5
    loops = rng.randint(2, 4)
    for _ in range(loops):
        r = h * rng.uniform(0.18, 0.38)
        a0 = rng.uniform(0, 2 * math.pi)
        turns = rng.uniform(0.9, 1.6)
        for t in np.linspace(0, 1, 80):
            a = a0 + 2 * math.pi * turns * t
            pts.append((cx + r * 1.3 * math.cos(a) + w * 0.12 * t, cy + r * math.sin(a)))
        cx += w * rng.uniform(0.14, 0.22)
        cy = h * rng.uniform(0.4, 0.6)
    end_x = w * rng.uniform(0.85, 0.97)
    x0, y0 = pts[-1]
    for t in np.linspace(0, 1, 60):
        pts.append(
            (x0 + (end_x - x0) * t, y0 + h * 0.12 * math.sin(math.pi * t * 3) - h * 0.3 * t**3)
        )
    _stroke(dr, np.array(pts), width, rng)


def _skeleton(mask: np.ndarray) -> np.ndarray:
    """The morphological skeleton of a binary mask (uint8 0/255)."""
    el = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
    skel = np.zeros_like(mask)
    img = mask.copy()
    while cv2.countNonZero(img):
        eroded = cv2.erode(img, el)
        opened = cv2.dilate(eroded, el)
        skel = cv2.bitwise_or(skel, cv2.subtract(img, opened))
        img = eroded
    return skel


def _printed(text: str, W: int, H: int, rng: random.Random, width: float, chain) -> np.ndarray:
    """``text`` written out as pen strokes: glyph skeletons bent and re-inked (an L mask)."""
    face = pick(chain, text)
    n = len(text)
    size = int(min(H * rng.uniform(0.72, 0.9), W / max(1, n) * rng.uniform(0.85, 1.0)))
    mask = Image.new("L", (W, H), 0)
    dr = ImageDraw.Draw(mask)
    x = W * rng.uniform(0.0, 0.06)
    f = font(face, size)
    for ch in text:
        sz = max(8, round(size * rng.uniform(0.85, 1.1)))
        fc = font(face, sz)
        y = H * 0.5 + rng.uniform(-0.08, 0.08) * H
        dr.text((x, y), ch, font=fc, fill=255, anchor="lm")
        x += fc.getlength(ch) * rng.uniform(0.8, 0.98)
    del f
    m = np.asarray(mask, np.uint8)
    m = np.where(m > 110, 255, 0).astype(np.uint8)
    skel = _skeleton(m)
    # bend: a smooth displacement field, and a slant
    gh, gw = 4, max(4, n * 3)
    dx = cv2.resize(_f32([[rng.uniform(-1, 1) for _ in range(gw)] for _ in range(gh)]), (W, H))
    dy = cv2.resize(_f32([[rng.uniform(-1, 1) for _ in range(gw)] for _ in range(gh)]), (W, H))
    amp = size * rng.uniform(0.03, 0.07)
    slant = rng.uniform(-0.28, 0.05)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    mapx = xx + dx * amp + slant * (yy - H / 2)
    mapy = yy + dy * amp
    bent = cv2.remap(skel, mapx, mapy, cv2.INTER_LINEAR, borderValue=0)
    bent = np.where(bent > 60, 255, 0).astype(np.uint8)
    thin = max(1, round(width * 0.55))
    thick = max(thin + 1, round(width * 1.15))
    a = cv2.dilate(bent, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (thin, thin)))
    b = cv2.dilate(bent, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (thick, thick)))
    field = cv2.resize(_f32([[rng.random() for _ in range(gw)] for _ in range(gh)]), (W, H))
    out = np.where(field > 0.45, b, a)
    return cv2.GaussianBlur(out, (0, 0), 0.8)


def _flourish(dr, w: float, h: float, x0: float, rng: random.Random, width: float) -> None:
    y = h * rng.uniform(0.72, 0.9)
    k = rng.uniform(1.0, 2.2)
    pts = [
        (x0 + (w - x0) * t, y + h * 0.1 * math.sin(math.pi * t * k) - h * 0.25 * t**4)
        for t in np.linspace(0, 1, 70)
    ]
    _stroke(dr, np.array(pts), width, rng)


def signature(
    name: str,
    w: int,
    h: int,
    *,
    rng: random.Random,
    style: str | None = None,
    pen: str | None = None,
) -> Image.Image:
    """``name`` signed in a ``w`` × ``h`` box (RGBA, transparent around the ink)."""
    style = style or rng.choice(STYLES)
    ink = PENS[pen or rng.choice(tuple(PENS))]
    W, H = w * _SS, h * _SS
    width = max(2.0, h * _SS * rng.uniform(0.04, 0.075))
    if style in ("printed", "initials"):
        chain = HAND_CHAINS[rng.choice(tuple(HAND_CHAINS))]
        text = name if style == "printed" else name[0]
        tw = W if style == "printed" else int(W * rng.uniform(0.35, 0.5))
        m = _printed(text, tw, H, rng, width, chain)
        mask = Image.new("L", (W, H), 0)
        mask.paste(Image.fromarray(m), (0, 0))
        if style == "initials" or rng.random() < 0.25:
            _flourish(ImageDraw.Draw(mask), W, H, tw * rng.uniform(0.4, 0.9), rng, width * 0.8)
    else:
        mask = Image.new("L", (W, H), 0)
        dr = ImageDraw.Draw(mask)
        if style == "flowing":
            _flowing(dr, W, H, max(2, min(4, len(name))), rng, width)
        else:
            _scrawl(dr, W, H, rng, width)
    mask = mask.resize((w, h), Image.Resampling.LANCZOS)
    im = Image.new("RGBA", (w, h), (*ink, 0))
    tone = rng.randint(-10, 10)
    im.paste(Image.new("RGB", (w, h), tuple(max(0, min(255, c + tone)) for c in ink)), (0, 0))
    im.putalpha(mask)
    return im
