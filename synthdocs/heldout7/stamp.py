"""This family's seals: round (a star, the organ's name around the rim, the seal's use across
the bottom, sometimes a double ring and a code number) or oval, cut in the CNS Sung or Kai
face, stamped turned, with uneven ink, speckle and one side faded where the stamp tilted."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from . import faces
from .pen import Ink, _smooth_field

INKS: tuple[tuple[int, int, int], ...] = (
    (218, 36, 42),
    (204, 26, 48),
    (226, 62, 52),
    (190, 30, 36),
)


def _char(ch: str, face: str, size: int, bold: int, squeeze: float) -> Image.Image:
    f = faces.font(face, size)
    im = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(im).text(
        (size, size), ch, font=f, fill=255, anchor="mm", stroke_width=bold, stroke_fill=255
    )
    if squeeze != 1.0:
        im = im.resize((max(1, int(im.width * squeeze)), im.height), Image.Resampling.LANCZOS)
    return im


def _star(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.382
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=255)


def _arc_text(
    im: Image.Image,
    text: str,
    face: str,
    *,
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    span: float,
    size: int,
    bold: int,
    top: bool = True,
) -> None:
    n = len(text)
    for i, ch in enumerate(text):
        t = (i + 0.5) / n - 0.5
        a = (-math.pi / 2 if top else math.pi / 2) + (t if top else -t) * span
        x, y = cx + rx * math.cos(a), cy + ry * math.sin(a)
        g = _char(ch, face, size, bold, 0.9)
        deg = -math.degrees(a + math.pi / 2) if top else -math.degrees(a - math.pi / 2)
        g = g.rotate(deg, resample=Image.Resampling.BICUBIC, expand=True)
        im.paste(255, (int(x - g.width / 2), int(y - g.height / 2)), g)


def seal(
    org: str,
    *,
    diameter: int,
    rng: random.Random,
    use: str = "不动产登记专用章",
    oval: bool | None = None,
) -> Ink:
    """The stamp of ``org`` about ``diameter`` px across, its ``use`` across the bottom."""
    oval = rng.random() < 0.2 if oval is None else oval
    face = rng.choice(("twsung", "twsung", "twkai"))
    s = 2  # drawn at twice the size, then reduced
    dw = diameter * s
    dh = int(dw * (0.7 if oval else 1.0))
    m = int(dw * 0.06)
    im = Image.new("L", (dw + 2 * m, dh + 2 * m), 0)
    d = ImageDraw.Draw(im)
    ring = max(3, int(dw * rng.uniform(0.028, 0.04)))
    d.ellipse((m, m, m + dw, m + dh), outline=255, width=ring)
    inner = 0
    if rng.random() < 0.3:  # a double ring
        inner = int(dw * 0.045)
        d.ellipse(
            (m + inner + ring, m + inner + ring, m + dw - inner - ring, m + dh - inner - ring),
            outline=255,
            width=max(2, ring // 3),
        )
    cx, cy = m + dw / 2, m + dh / 2
    bold = max(1, dw // 160)
    edge = ring + inner + int(dw * 0.02)
    if oval:
        size = int(dh * 0.15)
        _arc_text(
            im,
            org,
            face,
            cx=cx,
            cy=cy,
            rx=dw / 2 - edge - size * 0.6,
            ry=dh / 2 - edge - size * 0.6,
            span=math.radians(min(230, 19 * len(org))),
            size=size,
            bold=bold,
        )
        line = _char_line(use, face, int(dh * 0.12), bold, int(dw * 0.55))
        im.paste(255, (int(cx - line.width / 2), int(cy + dh * 0.08)), line)
    else:
        size = int(dw * rng.uniform(0.12, 0.14))
        rt = dw / 2 - edge - size * 0.62
        span = math.radians(min(260, max(180, 21 * len(org))))
        _arc_text(im, org, face, cx=cx, cy=cy, rx=rt, ry=rt, span=span, size=size, bold=bold)
        _star(d, cx, cy - dw * 0.02, dw * rng.uniform(0.15, 0.18))
        line = _char_line(use, face, int(dw * 0.085), bold, int(dw * 0.6))
        im.paste(255, (int(cx - line.width / 2), int(cy + dw * 0.19)), line)
        if rng.random() < 0.5:  # the seal's code along the lower rim
            code = "".join(str(rng.randint(0, 9)) for _ in range(13))
            _arc_text(
                im,
                code,
                face,
                cx=cx,
                cy=cy,
                rx=rt + size * 0.15,
                ry=rt + size * 0.15,
                span=math.radians(80),
                size=int(dw * 0.045),
                bold=0,
                top=False,
            )
    im = im.rotate(
        rng.uniform(-28, 28), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=0
    )
    a = np.asarray(im, dtype=np.float32) / 255.0
    a = cv2.resize(a, (a.shape[1] // s, a.shape[0] // s), interpolation=cv2.INTER_AREA)
    h, w = a.shape
    uneven = np.clip(0.78 + 0.3 * _smooth_field((h, w), diameter * 0.08, rng), 0.3, 1.0)
    nrng = np.random.default_rng(rng.getrandbits(32))
    speckle = (nrng.random((h, w)) > rng.uniform(0.03, 0.15)).astype(np.float32)
    speckle = cv2.GaussianBlur(speckle, (0, 0), 0.6)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(0, 2 * math.pi)
    ramp = ((x - w / 2) * math.cos(ang) + (y - h / 2) * math.sin(ang)) / (w / 2)
    tilt = np.clip(1.0 - rng.uniform(0.0, 0.6) * np.clip(ramp, 0, 1), 0.25, 1.0)
    alpha = np.clip(a * uneven * speckle * tilt * rng.uniform(0.8, 0.97), 0, 1)
    alpha[alpha < 0.08] = 0
    ys, xs = np.nonzero(alpha)
    alpha = alpha[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    return Ink(np.ascontiguousarray(alpha.astype(np.float32)), rng.choice(INKS))


def _char_line(text: str, face: str, size: int, bold: int, max_w: int) -> Image.Image:
    f = faces.font(face, size)
    w = int(f.getlength(text)) + 4 * bold + 4
    im = Image.new("L", (w, int(size * 1.4)), 0)
    ImageDraw.Draw(im).text(
        (2, int(size * 0.1)), text, font=f, fill=255, stroke_width=bold, stroke_fill=255
    )
    if im.width > max_w:
        im = im.resize((max_w, im.height), Image.Resampling.LANCZOS)
    return im
