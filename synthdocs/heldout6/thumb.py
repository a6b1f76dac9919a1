"""This family's fingerprints: a thumb pressed in 印泥.

Ridges are the level lines of a phase field: a loop (semicircles over the core running into
parallel lines below it, opening to one side) or a whorl (rings round the core), bent by a
slow warp and cut off by the oval of the pad. Pressure is strongest at the centre of the pad;
the paste breaks up where it is thin. Looks: full, light, partial (one side lifted), smudged
(dragged), double (pressed twice, the second off a little). Inks: vermilion, crimson and a
dark oily red."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np

RGB = tuple[int, int, int]
INKS: dict[str, RGB] = {
    "vermilion": (212, 48, 44),
    "crimson": (178, 24, 48),
    "oily": (150, 20, 30),
}
LOOKS = ("full", "full", "light", "partial", "smudged", "double")


def _pad(w: int, h: int, g: np.random.Generator, kind: str, period: float) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (xx - w / 2) / (w / 2)
    v = (yy - h / 2) / (h / 2)
    turn = g.uniform(-0.5, 0.5)
    ur = u * math.cos(turn) - v * math.sin(turn)
    vr = u * math.sin(turn) + v * math.cos(turn)
    cy = g.uniform(-0.25, 0.1)
    warp = 0.06 * np.sin(ur * g.uniform(2, 4) + g.uniform(0, 6)) + 0.05 * np.sin(
        vr * g.uniform(2, 5) + g.uniform(0, 6)
    )
    if kind == "whorl":
        phase = np.sqrt((ur / 0.9) ** 2 + ((vr - cy) / 1.15) ** 2)
    else:  # a loop opening to one side
        side = 1.0 if g.random() < 0.5 else -1.0
        above = np.sqrt(ur**2 + (vr - cy) ** 2)
        below = np.abs(ur + side * 0.35 * np.clip(vr - cy, 0, None) ** 1.5)
        phase = np.where(vr < cy, above, below)
        arch = 0.9 + (vr + 0.6 * ur**2) * 0.8  # the arches over the loop's top
        phase = np.where(phase > 0.75, np.maximum(phase, arch), phase)
    phase = phase + warp
    ridges = 0.5 + 0.5 * np.cos(2 * math.pi * phase * (w / 2) / period)
    oval = (u / 0.95) ** 2 + (v / 0.98) ** 2
    cover = np.clip((1.0 - oval) * 3.0, 0, 1)
    press = np.clip(1.15 - 0.6 * oval, 0, 1)
    grain = cv2.GaussianBlur(g.random((h, w)).astype(np.float32), (0, 0), 1.6)
    grain = (grain - grain.mean()) / (grain.std() + 1e-6)
    a = ridges**1.3 * cover * press * np.clip(0.9 + 0.25 * grain, 0, 1)
    return a.astype(np.float32)


def fingerprint(
    size: float, rng: random.Random, *, look: str | None = None, ink: str | None = None
) -> tuple[np.ndarray, RGB, str]:
    """A print about ``size`` px wide (its height 1.3 times that). Returns (coverage, ink
    colour, look)."""
    look = look or rng.choice(LOOKS)
    color = INKS[ink or rng.choice(tuple(INKS))]
    g = np.random.default_rng(rng.randrange(2**32))
    w = max(24, int(size))
    h = int(w * rng.uniform(1.2, 1.4))
    kind = "whorl" if rng.random() < 0.4 else "loop"
    a = _pad(w, h, g, kind, period=rng.uniform(4.2, 5.6) * max(0.7, w / 90))
    strength = rng.uniform(0.8, 0.95)
    if look == "light":
        strength = rng.uniform(0.55, 0.7)
    if look == "partial":
        t = rng.uniform(0, 2 * math.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        d = (xx - w / 2) * math.cos(t) + (yy - h / 2) * math.sin(t)
        a = a * np.clip((rng.uniform(0.0, 0.35) * w - d) / 6.0, 0, 1)
    if look == "smudged":
        k = max(3, int(w * rng.uniform(0.08, 0.16)))
        kern = np.zeros((k, k), np.float32)
        kern[k // 2, :] = 1.0 / k
        R = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1.0)
        kern = cv2.warpAffine(kern, R, (k, k))
        kern /= max(float(kern.sum()), 1e-6)
        pad = k
        big = cv2.copyMakeBorder(a, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
        a = np.maximum(cv2.filter2D(big, -1, kern) * 1.1, 0.0)
    if look == "double":
        ox, oy = rng.randint(3, max(4, w // 7)), rng.randint(-w // 8, w // 8)
        big = np.zeros((h + abs(oy) * 2, w + ox), np.float32)
        big[abs(oy) : abs(oy) + h, 0:w] = a
        second = np.zeros_like(big)
        second[abs(oy) + oy : abs(oy) + oy + h, ox : ox + w] = a * rng.uniform(0.45, 0.7)
        a = np.maximum(big, second)
    return np.clip(a * strength, 0.0, 1.0), color, look
