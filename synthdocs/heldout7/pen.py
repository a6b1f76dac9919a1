"""This family's pens: a name written as a signature, one alpha map of ink and its colour.

Each character is cut from a hand face (:data:`.faces.HAND`, one character at a time), slanted,
turned and squeezed like a hurried hand, set closer than print and on a drifting baseline, its
strokes thinned to the pen's width; in running hands the characters are joined by connecting
strokes, and some signatures end in a tail or a stroke under the name. The whole is warped by
a smooth random field, and its ink varies with pressure (ballpoint skips, gel pens do not).
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass

import cv2
import numpy as np

from . import faces

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Pen:
    name: str
    colour: RGB
    width: float  # stroke width in px per 40 px of letter height
    grain: float  # share of a stroke's pixels the ball skips
    pressure: float  # how much the ink thins where the hand pressed less


PENS: tuple[Pen, ...] = (
    Pen("ballpoint_blue", (36, 56, 152), 2.2, 0.22, 0.45),
    Pen("ballpoint_black", (42, 42, 52), 2.0, 0.2, 0.45),
    Pen("gel_black", (16, 16, 20), 2.8, 0.02, 0.15),
    Pen("gel_blue", (22, 40, 128), 2.6, 0.03, 0.2),
    Pen("signing_pen", (26, 28, 70), 1.5, 0.05, 0.3),
    Pen("rollerball_blue_black", (30, 38, 92), 2.4, 0.06, 0.25),
)


@dataclass(frozen=True)
class Ink:
    """Ink to lay on a page: ``alpha`` (float32, 0 outside the strokes) and its colour."""

    alpha: np.ndarray
    colour: RGB


def _glyph(ch: str, face: str, size: int) -> np.ndarray:
    f = faces.font(face, size)
    m = f.getmask(ch, "L")
    g = np.asarray(m, dtype=np.uint8).reshape(m.size[1], m.size[0])
    return g.astype(np.float32) / 255.0


def _thin(g: np.ndarray, target: float) -> np.ndarray:
    """Strokes of ``g`` eroded towards ``target`` px wide (brush faces are broad)."""
    binary = (g > 0.5).astype(np.uint8)
    if not binary.any():
        return g
    dist = cv2.distanceTransform(binary, cv2.DIST_L2, 3)
    width = 2.0 * float(np.percentile(dist[binary > 0], 80))
    k = int((width - target) / 2)
    if k >= 1:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * k + 1, 2 * k + 1))
        g = cv2.erode(g, kernel)
    return g


def _curve(
    mask: np.ndarray,
    pts: list[tuple[float, float]],
    width: float,
    rng: random.Random,
    taper: bool = True,
) -> None:
    """A quadratic Bézier through ``pts`` (3 points) drawn into ``mask``, thinning at its end."""
    (x0, y0), (x1, y1), (x2, y2) = pts
    n = 40
    prev = None
    for i in range(n + 1):
        t = i / n
        x = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * x1 + t**2 * x2
        y = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * y1 + t**2 * y2
        w = width * ((1.0 - 0.6 * t) if taper else 1.0) * rng.uniform(0.9, 1.1)
        if prev is not None:
            cv2.line(
                mask,
                (round(prev[0] * 4), round(prev[1] * 4)),
                (round(x * 4), round(y * 4)),
                1.0,
                max(1, round(w)),
                cv2.LINE_AA,
                2,
            )
        prev = (x, y)


def _smooth_field(shape: tuple[int, int], sigma: float, rng: random.Random) -> np.ndarray:
    nrng = np.random.default_rng(rng.getrandbits(32))
    f = nrng.standard_normal(shape).astype(np.float32)
    f = cv2.GaussianBlur(f, (0, 0), max(0.5, sigma))
    s = float(f.std()) or 1.0
    return f / s


def signature(
    name: str, *, height: int, rng: random.Random, max_width: int, pen: Pen | None = None
) -> Ink:
    """``name`` signed about ``height`` px tall, at most ``max_width`` wide."""
    pen = pen or rng.choice(PENS)
    style = rng.choice(("cursive", "cursive", "running", "running", "plain", "school", "kai"))
    chain = faces.HAND[style]
    hurried = rng.random() < 0.45
    joined = style in ("cursive", "running") or (hurried and rng.random() < 0.6)
    target = pen.width * height / 40
    pad = int(height * 0.6)
    W = int(height * (1.3 * len(name) + 1.6)) + 2 * pad
    H = int(height * 2.0) + 2 * pad
    mask = np.zeros((H, W), np.float32)
    x = float(pad)
    base = pad + height * 1.05
    slant = rng.uniform(0.05, 0.35) if hurried else rng.uniform(-0.05, 0.2)
    squeeze = rng.uniform(0.7, 0.9) if hurried else rng.uniform(0.85, 1.05)
    anchors: list[tuple[float, float, float, float]] = []
    for i, ch in enumerate(name):
        face = next((f for f in chain if faces.inked(f, ch)), faces.LAST)
        scale = 1.0 if i == 0 else rng.uniform(0.7, 0.95) * (0.92 if hurried else 1.0)
        size = max(8, round(height * scale * rng.uniform(0.92, 1.08)))
        g = _glyph(ch, face, size)
        g = _thin(g, target)
        gh, gw = g.shape
        ang = math.radians(rng.uniform(-9, 7))
        ca, sa = math.cos(ang), math.sin(ang)
        # scale x, shear (slant to the right), rotate; about the glyph's centre
        a = np.array([[squeeze, -slant], [0.0, 1.0]], np.float64)
        r = np.array([[ca, -sa], [sa, ca]], np.float64)
        m = r @ a
        ow, oh = int(gw * 1.6) + 4, int(gh * 1.6) + 4
        c_in = np.array([gw / 2, gh / 2])
        c_out = np.array([ow / 2, oh / 2])
        t = c_out - m @ c_in
        aff = np.hstack([m, t[:, None]]).astype(np.float32)
        gg = cv2.warpAffine(g, aff, (ow, oh), flags=cv2.INTER_LINEAR)
        ys, xs = np.nonzero(gg > 0.3)
        if xs.size == 0:
            continue
        bx0, bx1, by0, by1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
        gg = gg[by0:by1, bx0:bx1]
        gh2, gw2 = gg.shape
        top = int(base - gh2 + rng.uniform(-0.1, 0.12) * height)
        left = int(x)
        if left + gw2 >= W - 2 or top < 0 or top + gh2 >= H:
            break
        region = mask[top : top + gh2, left : left + gw2]
        np.maximum(region, gg, out=region)
        anchors.append((left, top, left + gw2, top + gh2))
        overlap = rng.uniform(0.62, 0.82) if hurried else rng.uniform(0.8, 1.0)
        x = left + gw2 * overlap + rng.uniform(0, 0.08) * height
        base += rng.uniform(-0.12, 0.1) * height
    if joined:
        for (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) in itertools.pairwise(anchors):
            p0 = (ax1 - 0.15 * (ax1 - ax0), ay0 + 0.75 * (ay1 - ay0))
            p2 = (bx0 + 0.2 * (bx1 - bx0), by0 + 0.25 * (by1 - by0))
            p1 = ((p0[0] + p2[0]) / 2 + rng.uniform(-3, 3), max(p0[1], p2[1]) + 0.15 * height)
            _curve(mask, [p0, p1, p2], target * 0.75, rng)
    if anchors and rng.random() < (0.6 if hurried else 0.3):
        lx0, ly0, lx1, ly1 = anchors[-1]
        if rng.random() < 0.5:  # a tail sweeping down and right
            p0 = (lx1 - 0.2 * (lx1 - lx0), ly0 + 0.6 * (ly1 - ly0))
            p2 = (min(W - pad / 2, lx1 + rng.uniform(0.6, 1.4) * height), ly1 + 0.3 * height)
            p1 = ((p0[0] + p2[0]) / 2, ly1 + 0.5 * height)
        else:  # a stroke back under the whole name
            fx0 = anchors[0][0]
            p0 = (lx1, ly1 - 0.1 * height)
            p2 = (fx0 + rng.uniform(-0.2, 0.3) * height, ly1 + 0.25 * height)
            p1 = ((p0[0] + p2[0]) / 2, ly1 + 0.45 * height)
        _curve(mask, [p0, p1, p2], target * 0.9, rng)
    # smooth warp of the whole hand
    disp_x = _smooth_field((H, W), height * 0.35, rng) * height * 0.04
    disp_y = _smooth_field((H, W), height * 0.35, rng) * height * 0.04
    gx, gy = np.meshgrid(np.arange(W, dtype=np.float32), np.arange(H, dtype=np.float32))
    mask = cv2.remap(mask, gx + disp_x, gy + disp_y, cv2.INTER_LINEAR)
    # pressure along the stroke and the ball's skips
    press = 1.0 - pen.pressure * np.clip(0.5 + 0.5 * _smooth_field((H, W), height * 0.4, rng), 0, 1)
    nrng = np.random.default_rng(rng.getrandbits(32))
    grain = (nrng.random((H, W)) > pen.grain).astype(np.float32) * 0.55 + 0.45
    alpha = np.clip(mask * 1.25, 0, 1) * press * (grain if pen.grain > 0.05 else 1.0)
    alpha *= rng.uniform(0.85, 1.0)
    alpha[alpha < 0.08] = 0
    ys, xs = np.nonzero(alpha)
    if xs.size == 0:
        raise ValueError(f"no ink for {name!r}")
    alpha = alpha[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    if alpha.shape[1] > max_width:
        k = max_width / alpha.shape[1]
        alpha = cv2.resize(
            alpha, (max_width, max(1, int(alpha.shape[0] * k))), interpolation=cv2.INTER_AREA
        )
        alpha[alpha < 0.08] = 0
    return Ink(alpha.astype(np.float32), pen.colour)
