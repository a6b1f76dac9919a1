"""This family's seals: a round official seal, cut as the public-security rules have it — a
double rim (thick outer ring, thin inner line on some), the organ's name running clockwise
round the top of the rim, a five-point star in the middle and an optional line of text under
it (不动产登记专用章). The impression is uneven: paste thin in patches, one side pressed
lighter, a little oval, turned off the level."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .faces import SEAL, font, pick

RGB = tuple[int, int, int]
REDS: tuple[RGB, ...] = ((220, 36, 38), (206, 28, 46), (232, 60, 40), (196, 40, 60))
SS = 2


def _star(dr: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.382
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    dr.polygon(pts, fill=255)


def _glyph(ch: str, size: int, chain: tuple[str, ...], squeeze: float) -> Image.Image:
    f = font(pick(chain, ch), size)
    im = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(im).text((size, size), ch, font=f, fill=255, anchor="mm")
    bb = im.getbbox() or (0, 0, 1, 1)
    im = im.crop(bb)
    return im.resize((max(1, int(im.width * squeeze)), im.height), Image.LANCZOS)


def seal(
    org: str,
    radius: float,
    rng: random.Random,
    *,
    under: str = "",
    faded: float | None = None,
) -> tuple[np.ndarray, RGB]:
    """A round seal of ``org`` about ``radius`` px (coverage centred in its array, colour)."""
    r = radius * SS
    n = int(2 * r + 8 * SS)
    c = n / 2
    im = Image.new("L", (n, n), 0)
    dr = ImageDraw.Draw(im)
    ring = r * rng.uniform(0.045, 0.065)
    dr.ellipse((c - r, c - r, c + r, c + r), outline=255, width=int(ring))
    if rng.random() < 0.35:
        ri = r - ring - r * 0.04
        dr.ellipse((c - ri, c - ri, c + ri, c + ri), outline=255, width=max(1, int(ring * 0.3)))
    chain = SEAL[rng.choice(tuple(SEAL))]
    # rim text: clockwise over the top, centred on 12 o'clock
    k = len(org)
    span = math.radians(min(232.0, 120.0 + 9.5 * k))
    gsize = int(r * rng.uniform(0.26, 0.3))
    rt = r - ring - gsize * 0.62
    for i, ch in enumerate(org):
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / k
        g = _glyph(ch, gsize, chain, squeeze=0.78 if k > 10 else 0.88)
        g = g.rotate(-math.degrees(a + math.pi / 2), resample=Image.BICUBIC, expand=True)
        x, y = c + rt * math.cos(a), c + rt * math.sin(a)
        im.paste(255, (int(x - g.width / 2), int(y - g.height / 2)), g)
    _star(dr, c, c, r * rng.uniform(0.27, 0.32))
    if under:
        us = int(r * rng.uniform(0.12, 0.14))
        f = font(pick(chain, under), us)
        w = f.getlength(under)
        dr.text((c - w / 2, c + r * 0.5), under, font=f, fill=255, anchor="ls")
    a = np.asarray(im, dtype=np.float32) / 255.0
    a = cv2.GaussianBlur(a, (0, 0), 0.6 * SS)
    a = cv2.resize(a, (n // SS, n // SS), interpolation=cv2.INTER_AREA)
    m = a.shape[0]
    # oval and turned
    M = cv2.getRotationMatrix2D((m / 2, m / 2), rng.uniform(-28, 28), 1.0)
    sy = rng.uniform(0.9, 1.0)
    M[1] *= sy
    M[1, 2] += (1 - sy) * m / 2
    a = cv2.warpAffine(a, M, (m, m), flags=cv2.INTER_LINEAR)
    # uneven paste: patches thin, one side lighter, speckled gaps
    g = np.random.default_rng(rng.randrange(2**32))
    patches = cv2.resize(g.random((7, 7)).astype(np.float32), (m, m), interpolation=cv2.INTER_CUBIC)
    speck = cv2.GaussianBlur(g.random((m, m)).astype(np.float32), (0, 0), 1.0)
    t = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:m, 0:m].astype(np.float32)
    side = ((xx - m / 2) * math.cos(t) + (yy - m / 2) * math.sin(t)) / (m / 2)
    fade = faded if faded is not None else rng.uniform(0.0, 0.45)
    k_ = np.clip(1.0 - fade * (side + 1) / 2, 0.25, 1.0) * np.clip(0.7 + 0.5 * patches, 0, 1)
    k_ = k_ * np.where(speck < np.quantile(speck, rng.uniform(0.02, 0.07)), 0.2, 1.0)
    return np.clip(a * k_ * rng.uniform(0.85, 0.97), 0, 1).astype(np.float32), rng.choice(REDS)
