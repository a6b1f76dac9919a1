"""How citizens digitise this family's papers: the captures, each with the golden boxes and
marks moved with the pixels."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from ..canvas import Box, FieldBox, Mark, Sample

CONDITIONS = ("clean", "scan", "photo", "photocopy", "lid_scan", "wechat", "fax", "moire")


def _gen(seed: int, condition: str, page: int) -> np.random.Generator:
    h = hashlib.sha256(f"heldout4-capture:{condition}:{seed}:{page}".encode()).digest()
    return np.random.default_rng(int.from_bytes(h[:8], "big"))


def _apply(M: np.ndarray, pts: np.ndarray) -> np.ndarray:
    p = np.hstack([pts, np.ones((len(pts), 1))]) @ M.T
    return p[:, :2] / p[:, 2:3]


def _map_box(M: np.ndarray, b: Box, w: int, h: int) -> tuple[Box | None, np.ndarray]:
    x0, y0, x1, y1 = b
    q = _apply(M, np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64))
    nb = (
        max(0, int(np.floor(q[:, 0].min()))),
        max(0, int(np.floor(q[:, 1].min()))),
        min(w, int(np.ceil(q[:, 0].max()))),
        min(h, int(np.ceil(q[:, 1].max()))),
    )
    if nb[2] <= nb[0] or nb[3] <= nb[1]:
        return None, q
    return nb, q


def _move(s: Sample, Ms: list[np.ndarray], sizes: list[tuple[int, int]]) -> tuple[dict, tuple]:
    boxes: dict[str, FieldBox] = {}
    for k, fb in s.boxes.items():
        w, h = sizes[fb.page]
        nb, q = _map_box(Ms[fb.page], fb.box, w, h)
        if nb is None:
            continue
        parts = []
        for p in fb.parts:
            pb, _ = _map_box(Ms[fb.page], p, w, h)
            if pb is not None:
                parts.append(pb)
        quad = tuple((float(x), float(y)) for x, y in q)
        boxes[k] = FieldBox(fb.page, nb, quad, tuple(parts))  # type: ignore[arg-type]
    marks = []
    for m in s.marks:
        w, h = sizes[m.page]
        nb, _ = _map_box(Ms[m.page], m.box, w, h)
        if nb is not None:
            marks.append(replace(m, box=nb))
    return boxes, tuple(marks)


def _geometric(
    s: Sample,
    condition: str,
    seed: int,
    plan: Callable[[np.ndarray, np.random.Generator], tuple[np.ndarray, tuple[int, int], tuple]],
    finish: Callable[[np.ndarray, np.random.Generator], np.ndarray],
    *,
    copy: bool = False,
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
    boxes, marks = _move(s, Ms, sizes)
    if copy:
        marks = tuple(replace(m, copy=True) if m.kind == "seal" and m.present else m for m in marks)
    return s.with_(
        pages=tuple(pages),
        boxes=boxes,
        marks=marks,
        degradations=(*s.degradations, condition),
        backgrounds=(),
        texts=(),
        dpi=dpi or s.dpi,
    )


def _rot(img: np.ndarray, deg: float, scale: float = 1.0, pad: float = 0.0):
    h, w = img.shape[:2]
    W, H = int(w * (1 + 2 * pad)), int(h * (1 + 2 * pad))
    A = cv2.getRotationMatrix2D((w / 2, h / 2), deg, scale)
    A[0, 2] += (W - w) / 2
    A[1, 2] += (H - h) / 2
    return np.vstack([A, [0, 0, 1]]), (W, H)


def _noise(img: np.ndarray, g: np.random.Generator, sigma: float) -> np.ndarray:
    """Sensor grain: a tile of Gaussian noise repeated over the image (saturating adds)."""
    h, w = img.shape[:2]
    tile = g.normal(0, sigma, (97, 131))
    reps = (h // 97 + 1, w // 131 + 1)
    pos = np.tile(np.clip(tile, 0, 255).astype(np.uint8), reps)[:h, :w]
    neg = np.tile(np.clip(-tile, 0, 255).astype(np.uint8), reps)[:h, :w]
    if img.ndim == 3:
        pos, neg = cv2.merge([pos] * 3), cv2.merge([neg] * 3)
    return cv2.subtract(cv2.add(img, pos), neg)


def _scale(img: np.ndarray, k: np.ndarray) -> np.ndarray:
    """``img`` times a per-pixel factor ``k`` (h, w) given at any resolution."""
    h, w = img.shape[:2]
    k = cv2.resize(k.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.multiply(img, cv2.merge([k] * 3), dtype=cv2.CV_8U)


# the captures -------------------------------------------------------------------------------


def scan(s: Sample, seed: int) -> Sample:
    def plan(img, g):
        M, size = _rot(img, float(g.uniform(-0.9, 0.9)))
        return M, size, (246, 246, 244)

    def fin(out, g):
        tone = (g.uniform(0.93, 0.99), g.uniform(0.95, 1.0), 1.0, 0.0)
        out = cv2.multiply(out, tone)
        out = cv2.GaussianBlur(out, (0, 0), 0.6)
        return _noise(out, g, 2.5)

    return _geometric(s, "scan", seed, plan, fin)


def lid_scan(s: Sample, seed: int) -> Sample:
    """A flatbed scan, the page tilted, the open lid's shadow dark along one edge."""

    def plan(img, g):
        M, size = _rot(img, float(g.uniform(-3.0, 3.0)), 0.94, 0.02)
        return M, size, (70, 70, 72)

    def fin(out, g):
        h, w = out.shape[:2]
        side = int(g.integers(0, 4))
        sh, sw = max(8, h // 8), max(8, w // 8)
        mask = np.ones((sh, sw), np.float32)
        ramp = np.linspace(0.35, 1.0, max(2, int((sw if side < 2 else sh) * 0.08)))
        if side == 0:
            mask[:, : len(ramp)] *= ramp[None, :]
        elif side == 1:
            mask[:, sw - len(ramp) :] *= ramp[::-1][None, :]
        elif side == 2:
            mask[: len(ramp), :] *= ramp[:, None]
        else:
            mask[sh - len(ramp) :, :] *= ramp[::-1][:, None]
        out = _scale(out, mask)
        return _noise(cv2.GaussianBlur(out, (0, 0), 0.7), g, 3.0)

    return _geometric(s, "lid_scan", seed, plan, fin)


def photo(s: Sample, seed: int) -> Sample:
    """A phone photo: the page in perspective on a desk, light uneven, a little motion blur."""

    def plan(img, g):
        h, w = img.shape[:2]
        W, H = int(w * 1.16), int(h * 1.16)
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        j = lambda: g.uniform(-0.045, 0.045)  # noqa: E731
        ox, oy = (W - w) / 2, (H - h) / 2
        dst = np.float32(
            [
                [ox + j() * w, oy + j() * h],
                [ox + w + j() * w, oy + j() * h],
                [ox + w + j() * w, oy + h + j() * h],
                [ox + j() * w, oy + h + j() * h],
            ]
        )
        M = cv2.getPerspectiveTransform(src, dst).astype(np.float64)
        desk = tuple(int(v) for v in g.integers(60, 150, 3))
        return M, (W, H), desk

    def fin(out, g):
        h, w = out.shape[:2]
        sh, sw = max(8, h // 16), max(8, w // 16)
        yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
        cx, cy = g.uniform(0.2, 0.8) * sw, g.uniform(0.2, 0.8) * sh
        r = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / max(sw, sh)
        light = 1.08 - 0.45 * r * g.uniform(0.6, 1.0)
        out = cv2.multiply(_scale(out, light), (0.92, 0.98, 1.04, 0.0))
        k = int(g.integers(3, 7))
        kern = np.zeros((k, k), np.float32)
        kern[k // 2, :] = 1.0 / k
        ang = float(g.uniform(0, 180))
        R = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), ang, 1.0)
        kern = cv2.warpAffine(kern, R, (k, k))
        kern /= max(kern.sum(), 1e-6)
        out = cv2.filter2D(out, -1, kern)
        return _noise(out, g, 4.0)

    return _geometric(s, "photo", seed, plan, fin)


def photocopy(s: Sample, seed: int) -> Sample:
    def plan(img, g):
        M, size = _rot(img, float(g.uniform(-1.2, 1.2)), float(g.uniform(0.97, 1.0)))
        return M, size, (235, 235, 235)

    def fin(out, g):
        grey = cv2.cvtColor(out, cv2.COLOR_BGR2GRAY)
        grey = cv2.convertScaleAbs(grey, alpha=1.35, beta=-81)
        h, w = grey.shape
        n = int(h * w * 0.0015)
        grey[g.integers(0, h, n), g.integers(0, w, n)] = int(g.uniform(40, 120))
        edge = np.ones((8, 64), np.float32)
        edge[:, :3] = (0.86, 0.9, 0.95)
        edge[:, -3:] = (0.95, 0.9, 0.86)
        k = cv2.resize(edge, (w, h), interpolation=cv2.INTER_LINEAR)
        grey = cv2.multiply(grey, k, dtype=cv2.CV_8U)
        grey = cv2.GaussianBlur(grey, (0, 0), 0.5)
        return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)

    return _geometric(s, "photocopy", seed, plan, fin, copy=True)


def wechat(s: Sample, seed: int) -> Sample:
    """Forwarded in a chat: shrunk and compressed hard."""
    k = 0.5 + 0.15 * _gen(seed, "wechat", 99).random()

    def plan(img, g):
        h, w = img.shape[:2]
        M = np.diag([k, k, 1.0])
        return M, (max(1, round(w * k)), max(1, round(h * k))), (255, 255, 255)

    def fin(out, g):
        _ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(g.integers(28, 45))])
        return cv2.imdecode(buf, cv2.IMREAD_COLOR)

    return _geometric(s, "wechat", seed, plan, fin, dpi=round(s.dpi * k))


_BAYER = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) / 16


def fax(s: Sample, seed: int) -> Sample:
    """A fax / thermal print look: black and white, dithered, coarse lines, streaks."""

    def plan(img, g):
        M, size = _rot(img, float(g.uniform(-0.6, 0.6)))
        return M, size, (255, 255, 255)

    def fin(out, g):
        grey = cv2.cvtColor(out, cv2.COLOR_BGR2GRAY)
        h, w = grey.shape
        coarse = cv2.resize(grey, (w, max(1, h // 2)), interpolation=cv2.INTER_AREA)
        grey = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_NEAREST).astype(np.float32)
        th = np.tile(_BAYER, (h // 4 + 1, w // 4 + 1))[:h, :w] * 150 + 70
        bw = np.where(grey > th, 255, 0).astype(np.uint8)
        for _ in range(int(g.integers(2, 6))):
            y = int(g.integers(0, h))
            bw[y : y + int(g.integers(1, 3)), :] = 255 if g.random() < 0.5 else 0
        return cv2.cvtColor(bw, cv2.COLOR_GRAY2BGR)

    return _geometric(s, "fax", seed, plan, fin, copy=True)


def moire(s: Sample, seed: int) -> Sample:
    """A printout re-scanned at a lower resolution: a faint halftone moiré and soft edges."""
    k = 0.72

    def plan(img, g):
        h, w = img.shape[:2]
        M = np.diag([k, k, 1.0])
        return M, (round(w * k), round(h * k)), (255, 255, 255)

    def fin(out, g):
        h, w = out.shape[:2]
        yy, xx = np.mgrid[0:240, 0:240].astype(np.float32)
        a = g.uniform(0.3, 1.2)
        f = 2 * np.pi * round(240 * g.uniform(0.6, 0.9) / (2 * np.pi)) / 240  # tiles seamlessly
        pat = np.sin((xx * np.cos(a) + yy * np.sin(a)) * f) * np.sin(
            (xx * np.sin(a) - yy * np.cos(a)) * f
        )
        tile = 1 - 0.06 * (pat + 1) / 2
        k = np.tile(tile, (h // 240 + 1, w // 240 + 1))[:h, :w]
        o = cv2.GaussianBlur(_scale(out, k), (0, 0), 0.8)
        return _noise(o, g, 2.0)

    return _geometric(s, "moire", seed, plan, fin, dpi=round(s.dpi * k))


CAPTURES: dict[str, Callable[[Sample, int], Sample]] = {
    "scan": scan,
    "photo": photo,
    "photocopy": photocopy,
    "lid_scan": lid_scan,
    "wechat": wechat,
    "fax": fax,
    "moire": moire,
}


def capture(sample: Sample, condition: str, *, seed: int) -> Sample:
    """``sample`` as captured under ``condition`` (one of :data:`CONDITIONS`)."""
    if condition == "clean":
        return sample
    if condition not in CAPTURES:
        raise ValueError(f"unknown condition {condition!r}; known: {CONDITIONS}")
    return CAPTURES[condition](sample, seed)


__all__ = ["CONDITIONS", "Mark", "capture"]
