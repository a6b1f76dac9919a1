"""How this family's papers reach the counter: eight captures of its own. Each maps a page by
one projective matrix (cv2.warpPerspective) and then changes its tones; golden boxes and mark
boxes are moved through the same matrix (the box round the moved corners, clipped)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from ..canvas import Box, FieldBox, Sample

CONDITIONS: tuple[str, ...] = (
    "clean",
    "scan",
    "photo",
    "photocopy",
    "thermal_fax",
    "yellow_paper",
    "overexposed",
    "screen_moire",
)
#: captures after which a seal is no longer red (Mark.copy)
GREY = frozenset({"photocopy", "thermal_fax"})

Plan = Callable[[int, int, np.random.Generator], tuple[np.ndarray, tuple[int, int], tuple]]
Tone = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def _rng(condition: str, seed: int, page: int) -> np.random.Generator:
    h = hashlib.blake2b(f"heldout6-capture|{condition}|{seed}|{page}".encode(), digest_size=8)
    return np.random.default_rng(int.from_bytes(h.digest(), "little"))


def _moved(M: np.ndarray, b: Box, w: int, h: int) -> tuple[Box | None, np.ndarray]:
    x0, y0, x1, y1 = b
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=np.float64)
    q = pts @ M.T
    q = q[:, :2] / q[:, 2:3]
    nb = (
        max(0, int(np.floor(q[:, 0].min()))),
        max(0, int(np.floor(q[:, 1].min()))),
        min(w, int(np.ceil(q[:, 0].max()))),
        min(h, int(np.ceil(q[:, 1].max()))),
    )
    if nb[2] <= nb[0] or nb[3] <= nb[1]:
        return None, q
    return nb, q


def _turn(w: int, h: int, deg: float, scale: float = 1.0, margin: float = 0.0):
    """A rotation about the page centre onto a canvas ``margin`` bigger on every side."""
    W, H = round(w * (1 + 2 * margin)), round(h * (1 + 2 * margin))
    A = cv2.getRotationMatrix2D((w / 2, h / 2), deg, scale)
    A[0, 2] += (W - w) / 2
    A[1, 2] += (H - h) / 2
    return np.vstack([A, [0.0, 0.0, 1.0]]), (W, H)


def _tilt(w: int, h: int, g: np.random.Generator, lean: float, grow: float):
    """A page seen from off its axis: its corners pushed about by ``lean`` of its size."""
    W, H = round(w * grow), round(h * grow)
    ox, oy = (W - w) / 2, (H - h) / 2
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32(
        [[ox + x + g.uniform(-lean, lean) * w, oy + y + g.uniform(-lean, lean) * h] for x, y in src]
    )
    return cv2.getPerspectiveTransform(src, dst).astype(np.float64), (W, H)


def _grain(img: np.ndarray, g: np.random.Generator, sigma: float) -> np.ndarray:
    n = g.normal(0.0, sigma, img.shape[:2]).astype(np.float32)
    out = img.astype(np.float32) + (n[:, :, None] if img.ndim == 3 else n)
    return np.clip(out, 0, 255).astype(np.uint8)


def _light(h: int, w: int, g: np.random.Generator, depth: float) -> np.ndarray:
    """A smooth light field (h, w), 1 where brightest."""
    cx, cy = g.uniform(0.1, 0.9), g.uniform(0.1, 0.9)
    yy, xx = np.mgrid[0:32, 0:32].astype(np.float32) / 31.0
    f = 1.0 - depth * np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / 1.2
    f += float(g.uniform(-0.5, 0.5)) * depth * 0.4 * (xx - 0.5)
    return cv2.resize(f.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)


def _times(img: np.ndarray, k: np.ndarray, tint=(1.0, 1.0, 1.0)) -> np.ndarray:
    out = img.astype(np.float32) * k[:, :, None] * np.asarray(tint, np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def _jpeg(img: np.ndarray, q: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
    assert ok
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


# the captures: a plan (matrix, size, border colour) and a tone --------------------------------


def _scan_plan(w, h, g):
    M, size = _turn(w, h, float(g.uniform(-1.4, 1.4)), float(g.uniform(0.97, 1.0)))
    return M, size, (236, 236, 232)


def _scan_tone(img, g):
    grey = float(g.uniform(0.9, 0.96))
    out = _times(img, np.full(img.shape[:2], grey, np.float32), (0.98, 1.0, 1.0))
    out = cv2.GaussianBlur(out, (0, 0), 0.7)
    return _grain(out, g, 2.0)


def _photo_plan(w, h, g):
    M, size = _tilt(w, h, g, 0.05, 1.14)
    return M, size, tuple(int(v) for v in g.integers(50, 140, 3))


def _photo_tone(img, g):
    h, w = img.shape[:2]
    warm = (float(g.uniform(0.86, 0.95)), float(g.uniform(0.95, 1.0)), float(g.uniform(1.0, 1.06)))
    out = _times(img, _light(h, w, g, float(g.uniform(0.25, 0.45))), warm)
    out = cv2.GaussianBlur(out, (0, 0), float(g.uniform(0.8, 1.4)))
    out = _grain(out, g, 3.5)
    return _jpeg(out, int(g.integers(70, 86)))


def _copy_plan(w, h, g):
    M, size = _turn(w, h, float(g.uniform(-1.0, 1.0)), float(g.uniform(0.96, 0.99)), 0.01)
    return M, size, (250, 250, 250)


def _copy_tone(img, g):
    """A worn photocopier: grey, washed out, red printed as mid grey, toner dust."""
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float32)
    grey = 255 - (255 - grey) * float(g.uniform(0.62, 0.8))  # faded
    h, w = grey.shape
    band = cv2.resize(g.uniform(0.93, 1.0, (1, 9)).astype(np.float32), (w, h))
    grey = grey * band
    dust = g.random((h, w)) < 0.0008
    grey[dust] = g.uniform(60, 140)
    grey = cv2.GaussianBlur(np.clip(grey, 0, 255).astype(np.uint8), (0, 0), 0.6)
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)


def _fax_plan(w, h, g):
    M, size = _turn(w, h, float(g.uniform(-0.6, 0.6)), 0.8)
    return M, size, (255, 255, 255)


def _fax_tone(img, g):
    """A standard-resolution fax: half the lines, black or white, a streak or two."""
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    h, w = grey.shape
    coarse = cv2.resize(grey, (w, max(1, h // 2)), interpolation=cv2.INTER_AREA)
    grey = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_NEAREST).astype(np.float32)
    t = float(g.uniform(165, 190))
    bw = np.where(grey + g.normal(0, 14, grey.shape) < t, 0, 255).astype(np.uint8)
    for _ in range(int(g.integers(1, 4))):
        y = int(g.integers(0, h))
        bw[y : y + int(g.integers(1, 3)), :] = 255
    return cv2.cvtColor(bw, cv2.COLOR_GRAY2BGR)


def _yellow_plan(w, h, g):
    M, size = _turn(w, h, float(g.uniform(-2.0, 2.0)), 0.97, 0.01)
    return M, size, (215, 220, 222)


def _yellow_tone(img, g):
    """Old paper scanned: yellowed, a darker tide mark or two, soft."""
    h, w = img.shape[:2]
    k = _light(h, w, g, 0.12)
    stain = np.ones((h, w), np.float32)
    for _ in range(int(g.integers(1, 3))):
        cx, cy, r = g.uniform(0, w), g.uniform(0, h), g.uniform(0.1, 0.25) * w
        yy, xx = np.ogrid[0:h, 0:w]
        d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / r
        stain *= 1.0 - 0.04 * np.exp(-((d - 1.0) ** 2) * 90)
    out = _times(img, k * stain, (0.78, 0.92, 0.99))
    return _grain(cv2.GaussianBlur(out, (0, 0), 0.8), g, 2.0)


def _over_plan(w, h, g):
    M, size = _tilt(w, h, g, 0.03, 1.08)
    return M, size, (235, 235, 235)


def _over_tone(img, g):
    """A photo under a strong lamp: washed out, one part near white, colours thin."""
    h, w = img.shape[:2]
    x = img.astype(np.float32) / 255.0
    gain = float(g.uniform(1.15, 1.3))
    x = 1.0 - (1.0 - x) / gain
    glare = _light(h, w, g, 0.5)
    x = x + (1.0 - x) * np.clip(glare - 0.6, 0, 0.4)[:, :, None] * 0.8
    out = np.clip(x * 255, 0, 255).astype(np.uint8)
    out = cv2.GaussianBlur(out, (0, 0), 0.9)
    return _jpeg(_grain(out, g, 2.5), 82)


def _moire_plan(w, h, g):
    M, size = _tilt(w, h, g, 0.025, 1.06)
    k = float(g.uniform(0.72, 0.85))
    S = np.diag([k, k, 1.0])
    return S @ M, (round(size[0] * k), round(size[1] * k)), (20, 22, 26)


def _moire_tone(img, g):
    """A photo of the page on a monitor: pixel grid beating with the camera's (moiré), a
    blue cast, the screen's glow."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = float(g.uniform(0.2, 0.6))
    f = float(g.uniform(0.5, 0.9))
    beat = np.sin((xx * np.cos(a) + yy * np.sin(a)) * f) * np.sin(
        (yy * np.cos(a) - xx * np.sin(a)) * f * 0.93
    )
    k = 0.93 + 0.05 * beat
    out = _times(img, k.astype(np.float32) * _light(h, w, g, 0.2), (1.04, 1.0, 0.92))
    out = cv2.GaussianBlur(out, (0, 0), 1.0)
    return _jpeg(_grain(out, g, 3.0), 78)


CAPTURES: dict[str, tuple[Plan, Tone]] = {
    "scan": (_scan_plan, _scan_tone),
    "photo": (_photo_plan, _photo_tone),
    "photocopy": (_copy_plan, _copy_tone),
    "thermal_fax": (_fax_plan, _fax_tone),
    "yellow_paper": (_yellow_plan, _yellow_tone),
    "overexposed": (_over_plan, _over_tone),
    "screen_moire": (_moire_plan, _moire_tone),
}


def capture(sample: Sample, condition: str, *, seed: int) -> Sample:
    """``sample`` as captured under ``condition`` (one of :data:`CONDITIONS`)."""
    if condition == "clean":
        return sample
    if condition not in CAPTURES:
        raise ValueError(f"unknown condition {condition!r}; known: {CONDITIONS}")
    plan, tone = CAPTURES[condition]
    pages, mats, sizes = [], [], []
    for i, img in enumerate(sample.pages):
        g = _rng(condition, seed, i)
        h, w = img.shape[:2]
        M, size, border = plan(w, h, g)
        out = cv2.warpPerspective(img, M, size, flags=cv2.INTER_LINEAR, borderValue=border)
        pages.append(tone(out, g))
        mats.append(M)
        sizes.append(size)
    boxes: dict[str, FieldBox] = {}
    for k, fb in sample.boxes.items():
        w, h = sizes[fb.page]
        nb, q = _moved(mats[fb.page], fb.box, w, h)
        if nb is None:
            continue
        parts = tuple(p for p in (_moved(mats[fb.page], b, w, h)[0] for b in fb.parts) if p)
        quad = tuple((float(x), float(y)) for x, y in q)
        boxes[k] = FieldBox(fb.page, nb, quad, parts)  # type: ignore[arg-type]
    marks = []
    for m in sample.marks:
        w, h = sizes[m.page]
        nb, _ = _moved(mats[m.page], m.box, w, h)
        if nb is None:
            continue
        grey = m.copy or (condition in GREY and m.kind == "seal" and m.present)
        marks.append(replace(m, box=nb, copy=grey))
    dpi = sample.dpi
    if condition == "screen_moire":
        dpi = round(sample.dpi * sizes[0][0] / (sample.pages[0].shape[1] * 1.06))
    return sample.with_(
        pages=tuple(pages),
        boxes=boxes,
        marks=tuple(marks),
        degradations=(*sample.degradations, condition),
        backgrounds=(),
        texts=(),
        dpi=dpi,
    )
