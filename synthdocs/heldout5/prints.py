"""Fingerprints (手印) of the fifth held-out family: ridges of a whorl, loop or arch pattern as
a cosine of a bent phase field, inside a ragged oval; pressure sets how thick and dark the
ridges print, a partial print is cut by the edge of the finger's roll, a smudge drags the ink."""

from __future__ import annotations

import math
import random
from typing import Any

import cv2
import numpy as np
from PIL import Image

RGB = tuple[int, int, int]
#: ink-pad colours from orange-red to crimson
PAD_INKS: tuple[RGB, ...] = (
    (214, 52, 44),
    (196, 30, 40),
    (172, 22, 46),
    (222, 74, 52),
    (150, 18, 38),
)
PATTERNS = ("whorl", "loop", "arch")


def _f32(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=np.float32)


def _smooth_noise(h: int, w: int, cells: int, rng: random.Random) -> np.ndarray:
    g = _f32([[rng.uniform(-1, 1) for _ in range(cells)] for _ in range(cells)])
    return cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)


def fingerprint(
    w: int,
    h: int,
    *,
    rng: random.Random,
    pressure: float | None = None,
    partial: bool | None = None,
    smudge: bool | None = None,
    pattern: str | None = None,
) -> Image.Image:
    """A print filling about a ``w`` × ``h`` box (RGBA). ``pressure`` in [0, 1] from faint to
    heavy; ``partial`` cuts a side off; ``smudge`` drags it."""
    pressure = rng.uniform(0.25, 1.0) if pressure is None else pressure
    partial = rng.random() < 0.25 if partial is None else partial
    smudge = rng.random() < 0.2 if smudge is None else smudge
    pattern = pattern or rng.choice(PATTERNS)
    ink = rng.choice(PAD_INKS)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = w / 2, h / 2
    ang = math.radians(rng.uniform(-25, 25))
    u = ((xx - cx) * math.cos(ang) + (yy - cy) * math.sin(ang)) / (w / 2)
    v = (-(xx - cx) * math.sin(ang) + (yy - cy) * math.cos(ang)) / (h / 2)
    ridges = rng.uniform(9, 14)  # ridges across the half height
    core = rng.uniform(-0.2, 0.15)
    if pattern == "whorl":
        r = np.sqrt((u * 1.15) ** 2 + (v - core) ** 2)
        phase = ridges * r + rng.uniform(0.3, 0.9) * np.arctan2(v - core, u) / (2 * math.pi)
    elif pattern == "loop":
        r = np.sqrt(u**2 + (v - core) ** 2)
        below = np.clip((v - core) * 2.5, 0, 1)
        flat = (v - core) + 0.25 * u * rng.choice((-1, 1))
        phase = ridges * ((1 - below) * r + below * (0.5 * r + 0.5 * flat))
    else:
        phase = ridges * (v + 0.45 * np.exp(-(u**2) * 3.5) * (1 - np.abs(v)))
    phase = phase + 0.35 * _smooth_noise(h, w, 5, rng)
    ridge = 0.5 + 0.5 * np.cos(2 * math.pi * phase)
    # minutiae: ridges end and fork where a fine noise dips
    breaks = _smooth_noise(h, w, 14, rng) > rng.uniform(0.55, 0.75)
    thr = 0.62 - 0.3 * pressure
    inked = np.clip((ridge - thr) / 0.18, 0, 1)
    inked[breaks] *= 0.15
    # the finger's oval, its edge ragged, pressure fading to the rim
    rr = np.sqrt(u**2 + v**2) + 0.07 * _smooth_noise(h, w, 6, rng)
    env = np.clip((0.95 - rr) / 0.12, 0, 1) * (1 - 0.55 * np.clip(rr, 0, 1) ** 2)
    alpha = inked * env
    if partial:
        a = rng.uniform(0, 2 * math.pi)
        d = u * math.cos(a) + v * math.sin(a)
        alpha *= np.clip((rng.uniform(0.2, 0.5) - d) / 0.08, 0, 1)
    # uneven pad: heavy prints fill the furrows, faint ones lose patches
    blot = _smooth_noise(h, w, 4, rng)
    if pressure > 0.7:
        alpha = np.maximum(alpha, env * np.clip(blot, 0, 1) * 0.55)
    else:
        alpha *= np.clip(0.75 + 0.6 * blot, 0.25, 1)
    alpha *= 0.6 + 0.4 * pressure
    if smudge:
        k = max(3, int(min(w, h) * rng.uniform(0.12, 0.22)))
        kern: np.ndarray = np.zeros((k, k), np.float32)
        kern[k // 2, :] = 1.0 / k
        R = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1.0)
        kern = cv2.warpAffine(kern, R, (k, k))
        kern = (kern / max(float(kern.sum()), 1e-6)).astype(np.float32)
        alpha = np.maximum(cv2.filter2D(alpha.astype(np.float32), -1, kern) * 0.9, alpha * 0.6)
    alpha = cv2.GaussianBlur(alpha.astype(np.float32), (0, 0), 0.6)
    im = Image.new("RGBA", (w, h), (*ink, 0))
    im.putalpha(Image.fromarray(np.clip(alpha * 255, 0, 255).astype(np.uint8)))
    return im
