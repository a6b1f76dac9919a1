"""This family's fingerprints pressed in 印泥: ridges grown from an orientation field.

The field is the zero-pole model of a loop (one core, one delta), a whorl (two cores, two
deltas) or a plain arch; ridges grow from noise filtered a few times with Gabor filters along
it, so they split and end like real ridges. The print is an uneven oval, heavier where the
thumb pressed, sometimes only partly inked (rolled off one side) or smudged along a drag.
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np

from .pen import Ink, _smooth_field

#: 印泥 reds: cinnabar, vermilion, a purplish pad, a dark crimson
PADS: tuple[tuple[int, int, int], ...] = (
    (196, 30, 42),
    (212, 54, 40),
    (150, 30, 92),
    (168, 22, 44),
    (185, 40, 70),
)
_BINS = 12


def _orientation(w: int, h: int, kind: str, rng: random.Random) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    z = (x - w / 2) + 1j * (y - h / 2)
    if kind == "arch":
        amp = rng.uniform(0.5, 0.9)
        return (amp * np.sin(np.pi * np.real(z) / w) * np.exp(-np.imag(z) / h)).astype(np.float32)
    side = 1 if kind == "loop_right" else -1
    if kind == "whorl":
        cores = [(-0.07 * w, -0.05 * h), (0.07 * w, 0.04 * h)]
        deltas = [(-0.48 * w, 0.38 * h), (0.48 * w, 0.4 * h)]
    else:
        cores = [(side * 0.05 * w, -0.08 * h)]
        deltas = [(-side * 0.42 * w, 0.36 * h)]
    theta = np.zeros((h, w), np.float64)
    for cx, cy in cores:
        theta += np.angle(z - complex(cx, cy))
    for dx, dy in deltas:
        theta -= np.angle(z - complex(dx, dy))
    return (0.5 * theta).astype(np.float32)


def _ridges(theta: np.ndarray, period: float, rng: random.Random) -> np.ndarray:
    h, w = theta.shape
    nrng = np.random.default_rng(rng.getrandbits(32))
    img = nrng.standard_normal((h, w)).astype(np.float32)
    ksize = int(period * 3) | 1
    kernels = [
        cv2.getGaborKernel(
            (ksize, ksize), period * 0.55, b * math.pi / _BINS + math.pi / 2, period, 1.0, 0
        )
        for b in range(_BINS)
    ]
    bins = (np.round(np.mod(theta, math.pi) / (math.pi / _BINS)).astype(int)) % _BINS
    for _ in range(6):
        out = np.zeros_like(img)
        for b, k in enumerate(kernels):
            sel = bins == b
            if sel.any():
                out[sel] = cv2.filter2D(img, -1, k)[sel]
        img = np.tanh(out / (out.std() + 1e-6) * 1.5)
    return img


def fingerprint(*, height: int, rng: random.Random) -> Ink:
    """A thumb or finger print about ``height`` px tall."""
    h = height
    w = int(h * rng.uniform(0.66, 0.8))
    kind = rng.choice(("loop_left", "loop_right", "loop_right", "whorl", "whorl", "arch"))
    period = rng.uniform(3.1, 4.3) * h / 100
    theta = _orientation(w, h, kind, rng) + rng.uniform(-0.15, 0.15)
    r = _ridges(theta, max(2.8, period), rng)
    ridge = np.clip((r - rng.uniform(-0.3, 0.1)) * 1.6, 0, 1)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    e = ((x - w / 2) / (w / 2)) ** 2 + ((y - h / 2) / (h / 2)) ** 2
    e += 0.12 * _smooth_field((h, w), h * 0.12, rng)
    shape = np.clip((1 - e) * 5, 0, 1)
    ang = rng.uniform(0, 2 * math.pi)
    ramp = ((x - w / 2) * math.cos(ang) + (y - h / 2) * math.sin(ang)) / (h / 2)
    press = np.clip(0.75 + 0.35 * ramp, 0.3, 1.0)
    density = np.clip(0.8 + 0.25 * _smooth_field((h, w), h * 0.1, rng), 0.35, 1)
    alpha = ridge * shape * press * density
    if rng.random() < 0.3:  # partly inked: the finger rolled off one side
        a2 = rng.uniform(0, 2 * math.pi)
        d = (x - w / 2) * math.cos(a2) + (y - h / 2) * math.sin(a2) - rng.uniform(0, 0.3) * h
        alpha *= np.clip(-d / 4, 0, 1)
    if rng.random() < 0.3:  # smudged along a drag
        n = rng.randint(5, 11)
        k = np.zeros((n, n), np.float32)
        a3 = rng.uniform(0, math.pi)
        c = n // 2
        cv2.line(
            k,
            (round(c - c * math.cos(a3)), round(c - c * math.sin(a3))),
            (round(c + c * math.cos(a3)), round(c + c * math.sin(a3))),
            1.0,
            1,
        )
        k /= k.sum()
        smear = cv2.filter2D(alpha, -1, k)
        alpha = np.maximum(alpha * 0.7, smear * 0.9)
    alpha = np.clip(alpha * rng.uniform(0.7, 0.95), 0, 1).astype(np.float32)
    alpha[alpha < 0.08] = 0
    ys, xs = np.nonzero(alpha)
    alpha = alpha[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    return Ink(np.ascontiguousarray(alpha), rng.choice(PADS))
