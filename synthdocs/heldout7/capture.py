"""This family's captures: how a paper arrives, each mapping golden boxes and mark boxes
through its own geometry.

``scan`` a flatbed scan (a hair of skew, grain, sometimes a streak of the glass); ``photo`` a
phone photo (perspective, a table around it, warm light falling off, the shadow of a hand);
``fax_bilevel`` a fax at fax resolution in black and white (red seals and prints turn black or
vanish); ``grey_lowres`` a greyscale scan at low resolution; ``photocopy`` a grey copy with
toner specks and dark edges; ``inkjet_banding`` a print-out from a tired inkjet with bands;
``crumpled`` a sheet crumpled and smoothed out again; ``heavy_jpeg`` a page shrunk and saved
with strong JPEG compression (colour smeared into blocks).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from ..canvas import Box, FieldBox, Sample, box_quad

CONDITIONS: tuple[str, ...] = (
    "clean",
    "scan",
    "photo",
    "fax_bilevel",
    "grey_lowres",
    "photocopy",
    "inkjet_banding",
    "crumpled",
    "heavy_jpeg",
)
#: captures after which a seal is no longer red (Mark.copy)
GREY = frozenset({"fax_bilevel", "grey_lowres", "photocopy"})

Points = Callable[[np.ndarray], np.ndarray]  # (N, 2) page points → (N, 2) captured points


def _map_box(b: Box, fn: Points, w: int, h: int, pad: int = 1) -> Box | None:
    x0, y0, x1, y1 = b
    xs = np.linspace(x0, x1, 5)
    ys = np.linspace(y0, y1, 5)
    pts = np.array(
        [(x, y0) for x in xs]
        + [(x, y1) for x in xs]
        + [(x0, y) for y in ys]
        + [(x1, y) for y in ys],
        np.float64,
    )
    q = fn(pts)
    bx0 = max(0, int(np.floor(q[:, 0].min())) - pad)
    by0 = max(0, int(np.floor(q[:, 1].min())) - pad)
    bx1 = min(w, int(np.ceil(q[:, 0].max())) + pad)
    by1 = min(h, int(np.ceil(q[:, 1].max())) + pad)
    if bx1 <= bx0 or by1 <= by0:
        return None
    return (bx0, by0, bx1, by1)


def _apply(
    s: Sample, pages: list[np.ndarray], fns: list[Points], name: str, *, grey: bool = False
) -> Sample:
    boxes: dict[str, FieldBox] = {}
    for k, fb in s.boxes.items():
        h, w = pages[fb.page].shape[:2]
        b = _map_box(fb.box, fns[fb.page], w, h)
        if b is None:
            continue
        parts = tuple(
            p for p in (_map_box(p, fns[fb.page], w, h) for p in fb.parts) if p is not None
        )
        boxes[k] = FieldBox(fb.page, b, box_quad(b), parts)
    marks = []
    for m in s.marks:
        h, w = pages[m.page].shape[:2]
        b = _map_box(m.box, fns[m.page], w, h) or (0, 0, 1, 1)
        marks.append(replace(m, box=b, copy=m.copy or (grey and m.kind == "seal")))
    return s.with_(
        pages=tuple(np.ascontiguousarray(p) for p in pages),
        boxes=boxes,
        marks=tuple(marks),
        degradations=(*s.degradations, name),
        backgrounds=(),
        texts=(),
    )


def _noise(img: np.ndarray, sigma: float, nrng: np.random.Generator) -> np.ndarray:
    n = nrng.normal(0, sigma, img.shape[:2])[..., None]
    return np.clip(img.astype(np.float32) + n, 0, 255).astype(np.uint8)


def _affine(
    img: np.ndarray, m: np.ndarray, size: tuple[int, int], border: tuple[int, ...]
) -> np.ndarray:
    return cv2.warpAffine(img, m, size, flags=cv2.INTER_LINEAR, borderValue=border)


def _affine_fn(m: np.ndarray) -> Points:
    return lambda p: p @ m[:, :2].T + m[:, 2]


def _scale_fn(kx: float, ky: float) -> Points:
    return lambda p: p * np.array([kx, ky])


def _grey(img: np.ndarray) -> np.ndarray:
    g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    return cv2.cvtColor(g, cv2.COLOR_GRAY2BGR)


def _jpeg(img: np.ndarray, q: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
    assert ok
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def _scan(
    img: np.ndarray, rng: random.Random, nrng: np.random.Generator
) -> tuple[np.ndarray, Points]:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-0.8, 0.8), rng.uniform(0.985, 1.0))
    m[:, 2] += (rng.uniform(-6, 6), rng.uniform(-6, 6))
    out = _affine(img, m, (w, h), (236, 238, 238))
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.4, 0.8))
    tint = np.array([rng.uniform(0.96, 1.0), rng.uniform(0.97, 1.0), rng.uniform(0.97, 1.0)])
    out = np.clip(out.astype(np.float32) * tint, 0, 255).astype(np.uint8)
    if rng.random() < 0.4:  # a streak of dust on the glass, along the scan
        x = rng.randint(40, w - 40)
        out[:, x : x + rng.randint(1, 2)] = (out[:, x : x + 2].astype(np.int16) - 40).clip(0, 255)[
            :, :1
        ]
    return _noise(out, 2.5, nrng), _affine_fn(m)


def _photo(
    img: np.ndarray, rng: random.Random, nrng: np.random.Generator
) -> tuple[np.ndarray, Points]:
    h, w = img.shape[:2]
    k = 0.85
    W, H = int(w * k + 0.1 * w), int(h * k + 0.1 * h)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    j = 0.04
    dst = np.float32(
        [
            [0.05 * w + rng.uniform(0, j) * w, 0.05 * h + rng.uniform(0, j) * h],
            [0.05 * w + k * w - rng.uniform(0, j) * w, 0.05 * h + rng.uniform(0, j) * h],
            [0.05 * w + k * w - rng.uniform(0, j) * w, 0.05 * h + k * h - rng.uniform(0, j) * h],
            [0.05 * w + rng.uniform(0, j) * w, 0.05 * h + k * h - rng.uniform(0, j) * h],
        ]
    )
    pm = cv2.getPerspectiveTransform(src, dst)
    table = (rng.randint(60, 120), rng.randint(70, 120), rng.randint(80, 140))
    out = cv2.warpPerspective(img, pm, (W, H), flags=cv2.INTER_LINEAR, borderValue=table)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    cx, cy = W * rng.uniform(0.3, 0.7), H * rng.uniform(0.2, 0.6)
    light = 1.05 - 0.3 * np.sqrt(((xx - cx) / W) ** 2 + ((yy - cy) / H) ** 2)
    if rng.random() < 0.7:  # the shadow of the hand holding the phone
        side = rng.choice(("left", "right", "bottom"))
        if side == "bottom":
            d = (H - yy) / H
        elif side == "left":
            d = xx / W
        else:
            d = (W - xx) / W
        light *= 1 - 0.35 * np.clip(1 - d / rng.uniform(0.15, 0.3), 0, 1)
    warm = np.array([0.9, 0.97, 1.04], np.float32)  # BGR: a warm lamp
    out = np.clip(out.astype(np.float32) * light[..., None] * warm, 0, 255).astype(np.uint8)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.6, 1.1))
    out = _noise(out, 4.0, nrng)
    out = _jpeg(out, rng.randint(72, 86))

    def fn(p: np.ndarray) -> np.ndarray:
        q = cv2.perspectiveTransform(p.reshape(-1, 1, 2).astype(np.float64), pm)
        return q.reshape(-1, 2)

    return out, fn


def _fax(
    img: np.ndarray, rng: random.Random, nrng: np.random.Generator
) -> tuple[np.ndarray, Points]:
    h, w = img.shape[:2]
    kx, ky = 0.7, 0.7 * rng.uniform(0.5, 1.0)  # fine or standard fax lines
    g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    small = cv2.resize(g, (int(w * kx), int(h * ky)), interpolation=cv2.INTER_AREA)
    small = cv2.resize(small, (int(w * kx), int(h * kx)), interpolation=cv2.INTER_LINEAR)
    t = rng.randint(135, 165)
    bw = np.where(small.astype(np.int16) + nrng.integers(-12, 12, small.shape) < t, 0, 255).astype(
        np.uint8
    )
    return cv2.cvtColor(bw, cv2.COLOR_GRAY2BGR), _scale_fn(kx, kx)


def _grey_lowres(
    img: np.ndarray, rng: random.Random, nrng: np.random.Generator
) -> tuple[np.ndarray, Points]:
    h, w = img.shape[:2]
    k = rng.uniform(0.5, 0.62)
    out = cv2.resize(_grey(img), (int(w * k), int(h * k)), interpolation=cv2.INTER_AREA)
    out = cv2.GaussianBlur(out, (0, 0), 0.5)
    return _noise(out, 2.0, nrng), _scale_fn(k, k)


def _photocopy(
    img: np.ndarray, rng: random.Random, nrng: np.random.Generator
) -> tuple[np.ndarray, Points]:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-1.2, 1.2), 1.0)
    g = _grey(img).astype(np.float32)
    g = np.clip((g - 40) * 1.25, 0, 255)
    out = _affine(g.astype(np.uint8), m, (w, h), (60, 60, 60))
    specks = nrng.random((h, w)) < 0.0015
    out[specks] = 40
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    edge = np.minimum.reduce([xx, yy, w - xx, h - yy])
    dark = np.clip(1 - edge / 30, 0, 1) * 0.5
    out = np.clip(out.astype(np.float32) * (1 - dark[..., None]), 0, 255).astype(np.uint8)
    return _noise(out, 3.0, nrng), _affine_fn(m)


def _inkjet(
    img: np.ndarray, rng: random.Random, nrng: np.random.Generator
) -> tuple[np.ndarray, Points]:
    h, _w = img.shape[:2]
    period = rng.uniform(18, 40)
    y = np.arange(h, dtype=np.float32)
    band = (
        1
        + 0.05 * np.sin(2 * np.pi * y / period)
        + 0.04 * (np.sin(2 * np.pi * y / (period * 7.3)) > 0.6)
    )
    out = img.astype(np.float32)
    light = (255 - out) * (band[:, None, None] - 1) * 3  # bands show in the ink, not the paper
    out = out + light
    out[..., 0] *= 1.02  # a cyan-heavy cartridge
    out[..., 2] *= 0.97
    out = cv2.GaussianBlur(np.clip(out, 0, 255).astype(np.uint8), (0, 0), 0.7)
    return _noise(out, 2.0, nrng), lambda p: p


def _crumpled(
    img: np.ndarray, rng: random.Random, nrng: np.random.Generator
) -> tuple[np.ndarray, Points]:
    h, w = img.shape[:2]
    hs, ws = h // 8, w // 8
    f = nrng.standard_normal((hs, ws)).astype(np.float32)
    f = cv2.GaussianBlur(f, (0, 0), 3)
    f /= f.std() + 1e-6
    height = cv2.resize(f, (w, h), interpolation=cv2.INTER_CUBIC)
    amp = rng.uniform(3, 6)
    gy, gx = np.gradient(height)
    dx, dy = (gx * amp * 8).astype(np.float32), (gy * amp * 8).astype(np.float32)
    xx, yy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    out = cv2.remap(img, xx + dx, yy + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    shade = np.clip(1 + 0.9 * (gx - gy) * 8, 0.7, 1.08)
    out = np.clip(out.astype(np.float32) * shade[..., None], 0, 255).astype(np.uint8)

    def fn(p: np.ndarray) -> np.ndarray:
        xi = np.clip(p[:, 0].round().astype(int), 0, w - 1)
        yi = np.clip(p[:, 1].round().astype(int), 0, h - 1)
        return np.stack([p[:, 0] - dx[yi, xi], p[:, 1] - dy[yi, xi]], axis=1)

    return _noise(out, 2.0, nrng), fn


def _heavy_jpeg(
    img: np.ndarray, rng: random.Random, nrng: np.random.Generator
) -> tuple[np.ndarray, Points]:
    h, w = img.shape[:2]
    k = rng.uniform(0.7, 0.85)
    out = cv2.resize(img, (int(w * k), int(h * k)), interpolation=cv2.INTER_AREA)
    return _jpeg(out, rng.randint(18, 30)), _scale_fn(k, k)


_DO = {
    "scan": _scan,
    "photo": _photo,
    "fax_bilevel": _fax,
    "grey_lowres": _grey_lowres,
    "photocopy": _photocopy,
    "inkjet_banding": _inkjet,
    "crumpled": _crumpled,
    "heavy_jpeg": _heavy_jpeg,
}


def capture(sample: Sample, condition: str, *, seed: int) -> Sample:
    """``sample`` as captured under ``condition`` (one of :data:`CONDITIONS`)."""
    if condition == "clean":
        return sample
    if condition not in _DO:
        raise ValueError(f"unknown condition {condition!r}; known: {CONDITIONS}")
    rng = random.Random(f"heldout7-capture|{condition}|{seed}")
    nrng = np.random.default_rng(rng.getrandbits(32))
    pages, fns = [], []
    for page in sample.pages:
        out, fn = _DO[condition](page, rng, nrng)
        pages.append(out)
        fns.append(fn)
    return _apply(sample, pages, fns, condition, grey=condition in GREY)
