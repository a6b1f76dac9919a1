"""Backgrounds and printed graphics: card guilloche, paper, seals, emblem, portrait, desk, and the
marks put on papers after printing (copy stamps, red fingerprints)."""

from __future__ import annotations

import functools
import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .canvas import SEAL_RED, font


@functools.lru_cache(maxsize=8)
def _card_base(w: int, h: int, back: bool) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = xx / w, yy / h
    # pale blue-green to warm, as on the real card, plus fine guilloche line work
    r = 232 + 14 * u - 6 * v
    g = 238 + 6 * np.sin(3.0 * u + 1.0) + 4 * v
    b = 236 + 10 * (1 - u) - 10 * v
    waves = np.zeros((h, w), np.float32)
    for k in range(4):
        phase = np.sin(xx / (37.0 + 11 * k) + k) * (14 + 5 * k)
        waves += np.clip(1.0 - np.abs(((yy + phase + 9 * k) % (23 + 4 * k)) - 1.5), 0, 1)
    rings = np.sin(np.hypot(xx - (0.25 if back else 0.8) * w, yy - 0.45 * h) / 5.0)
    waves += 0.5 * np.clip(rings - 0.93, 0, 1) / 0.07
    rgb = np.stack([r - 9 * waves, g - 6 * waves, b - 2 * waves], axis=-1)
    return np.clip(rgb, 0, 255).astype(np.uint8)


def card_background(w: int, h: int, *, back: bool, rng: random.Random) -> Image.Image:
    """A resident-card blank with rounded corners on a white scanner bed."""
    base = _card_base(w, h, back).astype(np.int16)
    tint = np.array([rng.randint(-6, 4), rng.randint(-4, 4), rng.randint(-6, 6)], np.int16)
    card = Image.fromarray(np.clip(base + tint, 0, 255).astype(np.uint8))
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w - 1, h - 1), radius=int(0.04 * w), fill=255)
    out = Image.new("RGB", (w, h), (250, 250, 250))
    out.paste(card, (0, 0), mask)
    return out


@functools.lru_cache(maxsize=8)
def _paper(w: int, h: int, tone: tuple[int, int, int]) -> np.ndarray:
    rs = np.random.default_rng(w * 7 + h)
    small = rs.normal(0, 1, (h // 8 + 1, w // 8 + 1)).astype(np.float32)
    noise = np.asarray(
        Image.fromarray(((small * 20) + 128).clip(0, 255).astype(np.uint8)).resize(
            (w, h), Image.Resampling.BILINEAR
        ),
        np.float32,
    )
    grain = (noise - 128) / 40.0
    rgb = np.stack([np.full((h, w), c, np.float32) + grain * 2 for c in tone], axis=-1)
    return np.clip(rgb, 0, 255).astype(np.uint8)


def paper(w: int, h: int, *, tone: tuple[int, int, int] = (250, 250, 247)) -> Image.Image:
    return Image.fromarray(_paper(w, h, tone))


@functools.lru_cache(maxsize=32)
def _seal(text: str, center: str, diameter: int, face: str = "sans_bold") -> Image.Image:
    """A round red official seal: ring, star and the organ's name around the top."""
    d = diameter
    im = Image.new("RGBA", (d, d), (0, 0, 0, 0))
    dr = ImageDraw.Draw(im)
    ring = max(3, d // 28)
    dr.ellipse((ring, ring, d - ring, d - ring), outline=(*SEAL_RED, 255), width=ring)
    cx = cy = d / 2
    star_r = d * 0.15
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = star_r if i % 2 == 0 else star_r * 0.4
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    dr.polygon(pts, fill=(*SEAL_RED, 255))
    n = len(text)
    span = min(math.radians(250), math.radians(24) * n)
    # long organ names get smaller characters so they stay inside the ring
    size = max(10, int(min(d * 0.13, (d / 2 - ring * 2 - d * 0.08) * span / n * 0.95)))
    f = font(face, size)
    radius = d / 2 - ring * 2 - size * 0.65
    for i, ch in enumerate(text):
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        glyph = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size, size), ch, font=f, fill=(*SEAL_RED, 255), anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        gx = cx + radius * math.cos(a) - size
        gy = cy + radius * math.sin(a) - size
        im.alpha_composite(glyph, (int(gx), int(gy)))
    if center:
        cf = font(face, max(8, int(d * 0.09)))
        dr.text((cx, cy + d * 0.28), center, font=cf, fill=(*SEAL_RED, 255), anchor="mm")
    return im


def seal(
    text: str, *, diameter: int, rng: random.Random, center: str = "", face: str = "sans_bold"
) -> Image.Image:
    """A seal with uneven ink (RGBA), slightly rotated; ``face`` draws its characters."""
    im = _seal(text, center, diameter, face).copy()
    alpha = np.asarray(im.getchannel("A"), np.float32)
    rs = np.random.default_rng(rng.randint(0, 2**31))
    coarse = rs.uniform(0.55, 1.0, (diameter // 12 + 1, diameter // 12 + 1)).astype(np.float32)
    blot = np.asarray(
        Image.fromarray((coarse * 255).astype(np.uint8)).resize(
            (diameter, diameter), Image.Resampling.BILINEAR
        ),
        np.float32,
    )
    im.putalpha(Image.fromarray((alpha * blot / 255 * 0.85).astype(np.uint8)))
    return im.rotate(rng.uniform(-15, 15), resample=Image.Resampling.BICUBIC)


def emblem(diameter: int) -> Image.Image:
    """A stylised national emblem (red disc, gold stars and gate, gold wreath ring)."""
    d = diameter
    im = Image.new("RGBA", (d, d), (0, 0, 0, 0))
    dr = ImageDraw.Draw(im)
    gold = (226, 178, 50, 255)
    red = (205, 30, 35, 255)
    dr.ellipse((0, 0, d - 1, d - 1), fill=gold)
    dr.ellipse((d * 0.08, d * 0.08, d * 0.92, d * 0.92), fill=red)

    def star(cx: float, cy: float, r: float) -> None:
        pts = []
        for i in range(10):
            a = -math.pi / 2 + i * math.pi / 5
            rr = r if i % 2 == 0 else r * 0.4
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
        dr.polygon(pts, fill=gold)

    star(d * 0.5, d * 0.28, d * 0.1)
    for k, (sx, sy) in enumerate(((0.33, 0.22), (0.38, 0.36), (0.62, 0.36), (0.67, 0.22))):
        del k
        star(d * sx, d * sy, d * 0.04)
    # Tiananmen gate silhouette
    dr.rectangle((d * 0.3, d * 0.55, d * 0.7, d * 0.68), fill=gold)
    dr.polygon(
        [(d * 0.26, d * 0.55), (d * 0.74, d * 0.55), (d * 0.66, d * 0.47), (d * 0.34, d * 0.47)],
        fill=gold,
    )
    dr.rectangle((d * 0.2, d * 0.72, d * 0.8, d * 0.76), fill=gold)
    return im


def portrait(w: int, h: int, *, rng: random.Random, female: bool) -> Image.Image:
    """A neutral head-and-shoulders silhouette (no real face) on the card's photo background."""
    im = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    dr = ImageDraw.Draw(im)
    skin = (rng.randint(200, 230), rng.randint(160, 190), rng.randint(130, 160), 255)
    hair = (rng.randint(15, 45),) * 3 + (255,)
    cloth = (rng.randint(20, 90), rng.randint(20, 90), rng.randint(30, 120), 255)
    cx = w / 2 + rng.uniform(-0.03, 0.03) * w
    dr.ellipse((cx - w * 0.48, h * 0.72, cx + w * 0.48, h * 1.35), fill=cloth)
    dr.rectangle((cx - w * 0.09, h * 0.55, cx + w * 0.09, h * 0.78), fill=skin)
    if female:
        dr.ellipse((cx - w * 0.3, h * 0.1, cx + w * 0.3, h * 0.78), fill=hair)
    dr.ellipse((cx - w * 0.22, h * 0.16, cx + w * 0.22, h * 0.66), fill=skin)
    dr.chord((cx - w * 0.24, h * 0.1, cx + w * 0.24, h * 0.5), 180, 360, fill=hair)
    for ex in (-0.08, 0.08):
        dr.ellipse(
            (cx + w * ex - w * 0.025, h * 0.38, cx + w * ex + w * 0.025, h * 0.41), fill=hair
        )
    dr.line((cx - w * 0.05, h * 0.55, cx + w * 0.05, h * 0.55), fill=(150, 80, 80, 255), width=2)
    return im.filter(ImageFilter.GaussianBlur(0.8))


@functools.lru_cache(maxsize=4)
def _desk(w: int, h: int, kind: int) -> np.ndarray:
    rs = np.random.default_rng(kind)
    if kind == 0:  # wood
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        n = rs.normal(0, 1, (h // 16 + 2, 8)).astype(np.float32)
        small = Image.fromarray(((n * 40) + 128).clip(0, 255).astype(np.uint8))
        streak = np.asarray(small.resize((w, h), Image.Resampling.BICUBIC), np.float32) - 128
        grain = np.sin((yy + 0.04 * xx + streak * 0.8) / 3.2) * 10 + streak * 0.3
        base = np.array([150, 104, 64], np.float32)
        rgb = base[None, None, :] + grain[..., None] * np.array([1.0, 0.8, 0.6], np.float32)
    else:  # grey fabric / laminate
        n = rs.normal(0, 1, (h // 3 + 1, w // 3 + 1)).astype(np.float32)
        small = Image.fromarray(((n * 25) + 128).clip(0, 255).astype(np.uint8))
        tex = np.asarray(small.resize((w, h), Image.Resampling.BILINEAR), np.float32) - 128
        base = np.array([118, 120, 124], np.float32)
        rgb = base[None, None, :] + tex[..., None] * 0.6
    return np.clip(rgb, 0, 255).astype(np.uint8)


def desk(w: int, h: int, *, rng: random.Random) -> np.ndarray:
    """A textured desk surface (RGB) to photograph a document on."""
    kind = rng.randint(0, 1)
    base = _desk(1200, 1200, kind)
    x0, y0 = rng.randint(0, 200), rng.randint(0, 200)
    tile = base[y0 : y0 + 1000, x0 : x0 + 1000]
    out = cv2.resize(tile, (w, h), interpolation=cv2.INTER_LINEAR)
    shift = rng.randint(-20, 20)
    return np.clip(out.astype(np.int16) + shift, 0, 255).astype(np.uint8)


def copy_stamp(
    text: str,
    *,
    height: int,
    rng: random.Random,
    face: str = "sans_bold",
    color: tuple[int, int, int] = SEAL_RED,
) -> Image.Image:
    """A rectangular rubber stamp (``与原件核对一致``, ``复印件``) with a double frame, patchy ink
    and a tilt of up to 12 degrees (RGBA, transparent around it)."""
    size = max(8, round(height * 0.42))
    f = font(face, size)
    tw = int(f.getlength(text))
    w, h = tw + round(height * 0.8), height
    im = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    dr = ImageDraw.Draw(im)
    line = max(2, h // 14)
    dr.rectangle((0, 0, w - 1, h - 1), outline=(*color, 255), width=line)
    inner = line * 2
    dr.rectangle((inner, inner, w - 1 - inner, h - 1 - inner), outline=(*color, 255), width=1)
    dr.text((w / 2, h / 2), text, font=f, fill=(*color, 255), anchor="mm")
    alpha = np.asarray(im.getchannel("A"), np.float32)
    rs = np.random.default_rng(rng.randint(0, 2**31))
    coarse = rs.uniform(0.45, 1.0, (h // 6 + 1, w // 6 + 1)).astype(np.float32)
    blot = np.asarray(
        Image.fromarray((coarse * 255).astype(np.uint8)).resize((w, h), Image.Resampling.BILINEAR),
        np.float32,
    )
    im.putalpha(Image.fromarray((alpha * blot / 255 * 0.8).astype(np.uint8)))
    return im.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC, expand=True)


def fingerprint(w: int, h: int, *, rng: random.Random) -> Image.Image:
    """A red-ink fingerprint (RGBA): an oval of wavering ridges, patchy ink, heavier inside."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = w / 2 + rng.uniform(-0.05, 0.05) * w, h * rng.uniform(0.45, 0.6)
    u, v = (xx - cx) / (w / 2), (yy - cy) / (h / 2)
    rs = np.random.default_rng(rng.randint(0, 2**31))

    def smooth(cells: int) -> np.ndarray:
        small = rs.uniform(-1, 1, (cells, cells)).astype(np.float32)
        return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC))

    # loops around a core, bent into arches towards the tip, wavering like real ridges
    core = np.sqrt(u * u * rng.uniform(0.8, 1.3) + (v * 1.2) ** 2) + 0.35 * np.maximum(v, 0) ** 2
    phase = core * rng.uniform(70, 90) + 2.5 * smooth(4) + 0.8 * smooth(9)
    ridges = np.clip(np.sin(phase) * 1.6 + 0.3, 0, 1)
    r = np.sqrt(u * u + v * v)
    fade = np.clip((0.92 - r) * 5, 0, 1) * np.clip(0.75 + 0.35 * smooth(3), 0, 1)
    speck = rs.uniform(0.55, 1.0, (h, w)).astype(np.float32)
    alpha = (ridges * fade * speck * 0.8 * 255).clip(0, 255).astype(np.uint8)
    im = Image.new("RGBA", (w, h), (200, 30, 40, 0))
    im.putalpha(Image.fromarray(alpha).filter(ImageFilter.GaussianBlur(0.6)))
    return im.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
