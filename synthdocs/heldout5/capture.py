"""How this family's papers are digitised: each capture warps the page by a 3×3 matrix (the
golden boxes and mark boxes are mapped through it) and then spoils the pixels its own way."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import cv2
import numpy as np

from ..canvas import Box, FieldBox, Sample

CONDITIONS = (
    "clean",
    "scan",
    "photo",
    "photocopy",
    "inkjet_copy",
    "low_light",
    "stamp_bleed",
    "thumbnail",
)
Plan = Callable[[np.ndarray, np.random.Generator], tuple[np.ndarray, tuple[int, int], tuple]]
Finish = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def _f32(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=np.float32)


def _gen(seed: int, condition: str, page: int) -> np.random.Generator:
    h = hashlib.sha256(f"heldout5-capture:{condition}:{seed}:{page}".encode()).digest()
    return np.random.default_rng(int.from_bytes(h[:8], "big"))


def _map(M: np.ndarray, b: Box, w: int, h: int, grow: int = 0) -> tuple[Box | None, tuple]:
    x0, y0, x1, y1 = b
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], np.float64) @ M.T
    q = pts[:, :2] / pts[:, 2:3]
    nb = (
        max(0, int(np.floor(q[:, 0].min())) - grow),
        max(0, int(np.floor(q[:, 1].min())) - grow),
        min(w, int(np.ceil(q[:, 0].max())) + grow),
        min(h, int(np.ceil(q[:, 1].max())) + grow),
    )
    quad = tuple((float(x), float(y)) for x, y in q)
    if nb[2] <= nb[0] or nb[3] <= nb[1]:
        return None, quad
    return nb, quad


def _warp(
    s: Sample,
    condition: str,
    seed: int,
    plan: Plan,
    finish: Finish,
    *,
    copy: bool = False,
    grow_red: int = 0,
    dpi: int | None = None,
) -> Sample:
    pages, Ms, sizes = [], [], []
    for i, img in enumerate(s.pages):
        g = _gen(seed, condition, i)
        M, size, border = plan(img, g)
        out = cv2.warpPerspective(img, M, size, flags=cv2.INTER_LINEAR, borderValue=border)
        pages.append(finish(out, g))
        Ms.append(M)
        sizes.append(size)
    boxes: dict[str, FieldBox] = {}
    for k, fb in s.boxes.items():
        w, h = sizes[fb.page]
        nb, quad = _map(Ms[fb.page], fb.box, w, h)
        if nb is None:
            continue
        parts = tuple(p for p in (_map(Ms[fb.page], b, w, h)[0] for b in fb.parts) if p is not None)
        boxes[k] = FieldBox(fb.page, nb, quad, parts)  # type: ignore[arg-type,unused-ignore]
    marks = []
    for m in s.marks:
        w, h = sizes[m.page]
        red = m.kind in ("seal", "fingerprint") and m.present
        nb, _q = _map(Ms[m.page], m.box, w, h, grow_red if red else 0)
        if nb is None:
            continue
        m = replace(m, box=nb)
        if copy and m.kind == "seal" and m.present:
            m = replace(m, copy=True)
        marks.append(m)
    return s.with_(
        pages=tuple(pages),
        boxes=boxes,
        marks=tuple(marks),
        degradations=(*s.degradations, condition),
        backgrounds=(),
        texts=(),
        dpi=dpi or s.dpi,
    )


# pieces ---------------------------------------------------------------------------------------


def _turn(img: np.ndarray, deg: float, scale: float = 1.0, shift=(0.0, 0.0)):
    h, w = img.shape[:2]
    A = cv2.getRotationMatrix2D((w / 2, h / 2), deg, scale)
    A[0, 2] += shift[0]
    A[1, 2] += shift[1]
    return np.vstack([A, [0.0, 0.0, 1.0]]), (w, h)


def _grain(
    img: np.ndarray, g: np.random.Generator, sigma: float, chroma: float = 0.0
) -> np.ndarray:
    """Luminance grain per pixel, and (colour images) blotchy chroma noise at half resolution."""
    h, w = img.shape[:2]
    n = g.standard_normal((h, w), dtype=np.float32) * np.float32(sigma)
    out = img.astype(np.float32)
    if img.ndim == 3:
        n = n[:, :, None]
        if chroma:
            c = g.standard_normal((h // 2 + 1, w // 2 + 1, 3), dtype=np.float32) * np.float32(
                chroma
            )
            n = n + cv2.resize(c, (w, h), interpolation=cv2.INTER_LINEAR)
    out += n
    return np.clip(out, 0, 255).astype(np.uint8)


def _field(h: int, w: int, g: np.random.Generator, cells: int, lo: float, hi: float) -> np.ndarray:
    c = g.uniform(lo, hi, (cells, cells)).astype(np.float32)
    return cv2.resize(c, (w, h), interpolation=cv2.INTER_CUBIC)


def _times(img: np.ndarray, k: np.ndarray) -> np.ndarray:
    out = img.astype(np.float32) * (k[:, :, None] if k.ndim == 2 else k)
    return np.clip(out, 0, 255).astype(np.uint8)


def _jpeg(img: np.ndarray, q: int) -> np.ndarray:
    _ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
    return np.asarray(cv2.imdecode(buf, cv2.IMREAD_COLOR))


def _perspective(img: np.ndarray, g: np.random.Generator, tilt: float, margin: float):
    h, w = img.shape[:2]
    W, H = int(w * (1 + 2 * margin)), int(h * (1 + 2 * margin))
    src = _f32([[0, 0], [w, 0], [w, h], [0, h]])
    ox, oy = (W - w) / 2, (H - h) / 2
    # a phone held off-axis: one side of the page nearer (wider) than the other
    near = g.uniform(-tilt, tilt)
    dst = _f32(
        [
            [ox + g.uniform(-tilt, tilt) * w + near * w, oy + g.uniform(-tilt, tilt) * h],
            [ox + w + g.uniform(-tilt, tilt) * w - near * w, oy + g.uniform(-tilt, tilt) * h],
            [ox + w + g.uniform(-tilt, tilt) * w, oy + h + g.uniform(-tilt, tilt) * h],
            [ox + g.uniform(-tilt, tilt) * w, oy + h + g.uniform(-tilt, tilt) * h],
        ]
    )
    return cv2.getPerspectiveTransform(src, dst).astype(np.float64), (W, H)


# the captures -----------------------------------------------------------------------------------


def _scan_finish(out: np.ndarray, g: np.random.Generator) -> np.ndarray:
    """A flatbed's CCD: per-column gain (faint vertical streaks), a cool lamp, grain, dust."""
    h, w = out.shape[:2]
    cols = 1 + np.cumsum(g.normal(0, 0.0015, w)).astype(np.float32)
    cols = np.clip(cols - cols.mean() + 1.0, 0.94, 1.03)
    lamp = _f32([g.uniform(0.99, 1.0), g.uniform(0.97, 0.995), g.uniform(0.95, 0.985)])
    out = _times(out, cols[None, :, None] * lamp[None, None, :])
    out = cv2.GaussianBlur(out, (0, 0), float(g.uniform(0.45, 0.7)))
    out = _grain(out, g, float(g.uniform(1.5, 3.0)))
    for _ in range(int(g.integers(3, 12))):
        x, y, r = int(g.integers(0, w)), int(g.integers(0, h)), int(g.integers(1, 3))
        v = int(g.integers(60, 140))
        cv2.circle(out, (x, y), r, (v, v, v), -1)
    return out


def scan(s: Sample, seed: int) -> Sample:
    def plan(img, g):
        M, size = _turn(img, float(g.uniform(-0.8, 0.8)), 1.0, (g.uniform(-8, 8), g.uniform(-8, 8)))
        return M, size, (238, 238, 236)

    return _warp(s, "scan", seed, plan, _scan_finish)


def photo(s: Sample, seed: int) -> Sample:
    """A phone photo: perspective, a desk round the page, light falling off to one side, the
    phone's shadow, a slight defocus, JPEG."""

    def plan(img, g):
        M, size = _perspective(img, g, 0.04, 0.08)
        return M, size, tuple(int(v) for v in g.integers(70, 170, 3))

    def fin(out, g):
        h, w = out.shape[:2]
        yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
        a = g.uniform(0, 2 * np.pi)
        ramp = (xx * np.cos(a) + yy * np.sin(a)) / max(w, h)
        light = 1.05 - 0.28 * (ramp - ramp.min()) / max(1e-6, float(np.ptp(ramp)))
        sx, sy = g.uniform(0.2, 0.8) * w, g.uniform(0.5, 1.0) * h
        shadow = 1 - 0.22 * np.exp(-(((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * (0.22 * w) ** 2)))
        k = cv2.resize((light * shadow).astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
        warm = _f32([g.uniform(0.9, 0.97), g.uniform(0.97, 1.0), g.uniform(1.0, 1.05)])
        out = _times(out, k[:, :, None] * warm[None, None, :])
        out = cv2.GaussianBlur(out, (0, 0), float(g.uniform(0.7, 1.3)))
        out = _grain(out, g, float(g.uniform(2.5, 4.5)), 1.0)
        return _jpeg(out, int(g.integers(72, 88)))

    return _warp(s, "photo", seed, plan, fin)


def low_light(s: Sample, seed: int) -> Sample:
    """A phone shot in a dim room: under-exposed, tungsten-yellow, noisy (chroma noise too),
    soft, compressed."""

    def plan(img, g):
        M, size = _perspective(img, g, 0.025, 0.05)
        return M, size, tuple(int(v) for v in g.integers(20, 60, 3))

    def fin(out, g):
        h, w = out.shape[:2]
        dim = float(g.uniform(0.42, 0.6))
        vign = _field(h, w, g, 3, 0.75, 1.0)
        tint = _f32([g.uniform(0.55, 0.7), g.uniform(0.85, 0.95), 1.0])
        out = _times(out, (vign * dim)[:, :, None] * tint[None, None, :])
        out = cv2.GaussianBlur(out, (0, 0), float(g.uniform(0.9, 1.5)))
        out = _grain(out, g, float(g.uniform(5.0, 8.0)), float(g.uniform(2.0, 4.0)))
        return _jpeg(out, int(g.integers(60, 75)))

    return _warp(s, "low_light", seed, plan, fin)


def photocopy(s: Sample, seed: int) -> Sample:
    """A toner photocopy: grey, hard contrast, a grey cast from the lid, toner specks."""

    def plan(img, g):
        M, size = _turn(img, float(g.uniform(-1.0, 1.0)), float(g.uniform(0.975, 0.995)))
        return M, size, (215, 215, 215)

    def fin(out, g):
        grey = cv2.cvtColor(out, cv2.COLOR_BGR2GRAY).astype(np.float32)
        h, w = grey.shape
        gamma = float(g.uniform(1.2, 1.6))
        grey = 255 * (grey / 255) ** gamma
        grey = grey * _field(h, w, g, 4, 0.9, 1.0)
        grey = np.clip(grey, 0, 255).astype(np.uint8)
        n = int(h * w * g.uniform(0.0005, 0.002))
        grey[g.integers(0, h, n), g.integers(0, w, n)] = int(g.integers(30, 110))
        grey = cv2.GaussianBlur(grey, (0, 0), 0.6)
        return cv2.cvtColor(_grain(grey, g, 2.0), cv2.COLOR_GRAY2BGR)

    return _warp(s, "photocopy", seed, plan, fin, copy=True)


def inkjet_copy(s: Sample, seed: int) -> Sample:
    """A colour copy from an inkjet: hues shifted, colours washed out, horizontal banding where
    the head passed, the channels slightly out of register."""

    def plan(img, g):
        M, size = _turn(img, float(g.uniform(-0.6, 0.6)), float(g.uniform(0.98, 1.0)))
        return M, size, (244, 242, 240)

    def fin(out, g):
        h, w = out.shape[:2]
        hsv = cv2.cvtColor(out, cv2.COLOR_BGR2HSV).astype(np.int16)
        hsv[:, :, 0] = (hsv[:, :, 0] + int(g.integers(-9, 10))) % 180
        hsv[:, :, 1] = np.clip(hsv[:, :, 1] * g.uniform(0.72, 0.9), 0, 255)
        out = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2BGR)
        period = float(g.uniform(28, 70))
        rows = 1 - 0.05 * (0.5 + 0.5 * np.sin(2 * np.pi * np.arange(h) / period + g.uniform(0, 6)))
        out = _times(out, np.repeat(rows.astype(np.float32)[:, None], w, axis=1))
        dx = int(g.integers(1, 3))
        b, gg, r = cv2.split(out)
        r = np.roll(r, dx, axis=1)
        out = cv2.merge([b, gg, r])
        out = cv2.GaussianBlur(out, (0, 0), 0.7)
        return _grain(out, g, 2.0)

    return _warp(s, "inkjet_copy", seed, plan, fin)


def stamp_bleed(s: Sample, seed: int) -> Sample:
    """A scan of a page whose stamp-pad ink bled into the paper: red ink spread and blurred."""
    radius = 5

    def plan(img, g):
        M, size = _turn(img, float(g.uniform(-0.5, 0.5)))
        return M, size, (240, 240, 238)

    def fin(out, g):
        f = out.astype(np.float32)
        b, gg, r = f[:, :, 0], f[:, :, 1], f[:, :, 2]
        red = np.clip((r - np.maximum(gg, b)) / 160.0, 0, 1)
        spread = cv2.dilate(red, np.ones((3, 3), np.uint8))
        spread = cv2.GaussianBlur(spread, (0, 0), float(g.uniform(1.2, 1.8)))
        alpha = np.clip(np.maximum(red, spread * 0.9), 0, 1)[:, :, None]
        ink = _f32([g.uniform(40, 70), g.uniform(30, 55), g.uniform(190, 215)])  # BGR
        bled = f * (1 - alpha) + np.minimum(f, ink[None, None, :]) * alpha
        return _scan_finish(np.clip(bled, 0, 255).astype(np.uint8), g)

    return _warp(s, "stamp_bleed", seed, plan, fin, grow_red=radius)


def thumbnail(s: Sample, seed: int) -> Sample:
    """Shrunk to about 1000 px wide (a chat thumbnail, compressed there) and blown up again."""

    def plan(img, g):
        return np.eye(3), (img.shape[1], img.shape[0]), (255, 255, 255)

    def fin(out, g):
        h, w = out.shape[:2]
        tw = int(min(w, g.integers(920, 1060)))
        th = max(1, round(h * tw / w))
        small = cv2.resize(out, (tw, th), interpolation=cv2.INTER_AREA)
        if tw == w:  # a narrow page: shrink it anyway
            small = cv2.resize(out, (int(w * 0.8), int(h * 0.8)), interpolation=cv2.INTER_AREA)
        small = _jpeg(small, int(g.integers(55, 72)))
        return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)

    return _warp(s, "thumbnail", seed, plan, fin)


CAPTURES: dict[str, Callable[[Sample, int], Sample]] = {
    "scan": scan,
    "photo": photo,
    "photocopy": photocopy,
    "inkjet_copy": inkjet_copy,
    "low_light": low_light,
    "stamp_bleed": stamp_bleed,
    "thumbnail": thumbnail,
}


def capture(sample: Sample, condition: str, *, seed: int) -> Sample:
    """``sample`` as captured under ``condition`` (one of :data:`CONDITIONS`)."""
    if condition == "clean":
        return sample
    if condition not in CAPTURES:
        raise ValueError(f"unknown condition {condition!r}; known: {CONDITIONS}")
    return CAPTURES[condition](sample, seed)
