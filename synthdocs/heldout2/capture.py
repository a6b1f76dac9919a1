"""How a citizen digitises a paper, as this family draws it: phone photos, a WeChat-recompressed
photo, a flatbed scan with skew, punch holes and a staple, a photocopy of a photocopy, a folded
page, a dim photo. Every golden box and mark follows the same geometry."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from ..canvas import Box, FieldBox, Mark, Point, Quad, Sample

CONDITIONS: tuple[str, ...] = (
    "clean",
    "scan",
    "photo",
    "wechat",
    "photocopy",
    "folded",
    "low_light",
)


def _apply(pts: np.ndarray, H: np.ndarray) -> np.ndarray:
    p = cv2.perspectiveTransform(pts.reshape(-1, 1, 2).astype(np.float64), H)
    return p.reshape(-1, 2)


def _map_box(b: Box, H: np.ndarray, w: int, h: int) -> tuple[Box, Quad] | None:
    x0, y0, x1, y1 = b
    q = _apply(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64), H)
    nb = (
        max(0, math.floor(q[:, 0].min())),
        max(0, math.floor(q[:, 1].min())),
        min(w, math.ceil(q[:, 0].max())),
        min(h, math.ceil(q[:, 1].max())),
    )
    if nb[2] <= nb[0] or nb[3] <= nb[1]:
        return None
    quad: Quad = tuple((float(x), float(y)) for x, y in q)  # type: ignore[assignment]
    return nb, quad


def geometry(
    s: Sample, Hs: list[np.ndarray], sizes: list[tuple[int, int]], pages: list[np.ndarray]
) -> Sample:
    """``s`` with its pages replaced and every box and mark moved by its page's homography."""
    boxes: dict[str, FieldBox] = {}
    for k, fb in s.boxes.items():
        H, (w, h) = Hs[fb.page], sizes[fb.page]
        m = _map_box(fb.box, H, w, h)
        if m is None:
            continue
        parts = tuple(p[0] for p in (_map_box(pb, H, w, h) for pb in fb.parts) if p is not None)
        boxes[k] = FieldBox(fb.page, m[0], m[1], parts)
    marks: list[Mark] = []
    for mk in s.marks:
        H, (w, h) = Hs[mk.page], sizes[mk.page]
        m = _map_box(mk.box, H, w, h)
        if m is not None:
            marks.append(replace(mk, box=m[0]))
    return s.with_(pages=tuple(pages), boxes=boxes, marks=tuple(marks), backgrounds=(), texts=())


def _jpeg(img: np.ndarray, q: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def _noise(img: np.ndarray, nrng: np.random.Generator, sigma: float) -> np.ndarray:
    n = nrng.normal(0, sigma, img.shape[:2])[:, :, None]
    return np.clip(img.astype(np.float32) + n, 0, 255).astype(np.uint8)


def _light(img: np.ndarray, rng: random.Random, lo: float, hi: float) -> np.ndarray:
    """A smooth light falloff from a random point (lo..hi brightness)."""
    H, W = img.shape[:2]
    h, w = max(1, H // 4), max(1, W // 4)  # smooth: computed at 1/4 scale
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    dist = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / math.hypot(w, h)
    f = cv2.resize(hi - (hi - lo) * np.clip(dist * 1.4, 0, 1), (W, H))
    return np.clip(img.astype(np.float32) * f[:, :, None], 0, 255).astype(np.uint8)


def _hand_shadow(img: np.ndarray, rng: random.Random) -> np.ndarray:
    """The soft shadow of the hand holding the phone, reaching in from one edge."""
    H, W = img.shape[:2]
    k = 8  # drawn and blurred at 1/8 scale: the shadow is soft anyway
    h, w = max(1, H // k), max(1, W // k)
    mask = np.zeros((h, w), np.float32)
    side = rng.choice(("bottom", "right", "left"))
    r = max(2, int(min(w, h) * rng.uniform(0.18, 0.3)))
    if side == "bottom":
        c = (int(rng.uniform(0.2, 0.8) * w), h + r // 3)
    elif side == "right":
        c = (w + r // 3, int(rng.uniform(0.3, 0.9) * h))
    else:
        c = (-r // 3, int(rng.uniform(0.3, 0.9) * h))
    cv2.ellipse(mask, c, (int(r * 1.3), r), rng.uniform(0, 180), 0, 360, 1.0, -1)
    mask = cv2.resize(cv2.GaussianBlur(mask, (0, 0), r / 3), (W, H), interpolation=cv2.INTER_LINEAR)
    f = 1 - rng.uniform(0.25, 0.38) * mask
    return np.clip(img.astype(np.float32) * f[:, :, None], 0, 255).astype(np.uint8)


def _motion(img: np.ndarray, rng: random.Random, length: int) -> np.ndarray:
    if length < 2:
        return img
    k = np.zeros((length, length), np.float32)
    k[length // 2, :] = 1
    M = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
    k = cv2.warpAffine(k, M, (length, length))
    k /= k.sum()
    return cv2.filter2D(img, -1, k)


def _desk(w: int, h: int, rng: random.Random, nrng: np.random.Generator) -> np.ndarray:
    base = np.array(
        rng.choice(((96, 120, 150), (70, 72, 76), (150, 160, 170), (60, 90, 120))), np.float32
    )
    small = nrng.normal(0, 10, (h // 32 + 2, w // 32 + 2)).astype(np.float32)
    tex = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    return np.clip(base[None, None, :] + tex[:, :, None], 0, 255).astype(np.uint8)


def _photo_page(
    page: np.ndarray, rng: random.Random, nrng: np.random.Generator, *, dim: bool
) -> tuple[np.ndarray, np.ndarray]:
    h, w = page.shape[:2]
    m = int(max(w, h) * rng.uniform(0.06, 0.12))
    W, Hh = w + 2 * m, h + 2 * m
    j = lambda: rng.uniform(-0.045, 0.045) * max(w, h)  # noqa: E731
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32(
        [
            [m + j(), m + j()],
            [m + w + j(), m + j()],
            [m + w + j(), m + h + j()],
            [m + j(), m + h + j()],
        ]
    )
    # a slight rotation of the whole frame
    ang = math.radians(rng.uniform(-4, 4))
    c = np.float32([W / 2, Hh / 2])
    R = np.float32([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]])
    dst = (dst - c) @ R.T + c
    H = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    desk = _desk(W, Hh, rng, nrng)
    warped = cv2.warpPerspective(
        page,
        H,
        (W, Hh),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )
    inside = cv2.warpPerspective(np.full((h, w), 255, np.uint8), H, (W, Hh)) > 127
    out = np.where(inside[:, :, None], warped, desk)
    # warm/cool cast of the room light
    cast = np.array([rng.uniform(0.9, 1.0), rng.uniform(0.95, 1.0), rng.uniform(0.97, 1.05)])
    out = np.clip(out.astype(np.float32) * cast[None, None, :], 0, 255).astype(np.uint8)
    if dim:
        out = _light(out, rng, 0.42, 0.62)
        out = _noise(out, nrng, rng.uniform(7, 10))
    else:
        out = _light(out, rng, 0.75, 1.02)
        out = _noise(out, nrng, rng.uniform(2, 4))
    out = _hand_shadow(out, rng)
    out = _motion(out, rng, rng.choice((1, 2, 3, 3)))
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 0.9))
    return out, H


def photo(s: Sample, *, seed: int, dim: bool = False) -> Sample:
    rng = random.Random(f"heldout2-photo:{seed}:{dim}")
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    pages, Hs, sizes = [], [], []
    for page in s.pages:
        out, H = _photo_page(page, rng, nrng, dim=dim)
        out = _jpeg(out, rng.randint(62, 78))
        pages.append(out)
        Hs.append(H)
        sizes.append((out.shape[1], out.shape[0]))
    name = "low_light" if dim else "photo"
    return replace(geometry(s, Hs, sizes, pages), degradations=(*s.degradations, name))


def wechat(s: Sample, *, seed: int) -> Sample:
    """A phone photo sent through WeChat: long side cut to 1280 px, JPEG recompressed twice."""
    p = photo(s, seed=seed)
    rng = random.Random(f"heldout2-wechat:{seed}")
    pages, Hs, sizes = [], [], []
    for page in p.pages:
        h, w = page.shape[:2]
        k = min(1.0, 1280 / max(w, h))
        out = cv2.resize(
            page, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA
        )
        out = _jpeg(_jpeg(out, rng.randint(55, 68)), rng.randint(48, 60))
        pages.append(out)
        Hs.append(np.array([[out.shape[1] / w, 0, 0], [0, out.shape[0] / h, 0], [0, 0, 1]]))
        sizes.append((out.shape[1], out.shape[0]))
    g = geometry(p, Hs, sizes, pages)
    return replace(g, degradations=(*s.degradations, "wechat"))


def _rotation(w: int, h: int, deg: float, margin: int, shift: tuple[float, float]) -> np.ndarray:
    M = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    M[0, 2] += margin + shift[0]
    M[1, 2] += margin + shift[1]
    return np.vstack([M, [0, 0, 1]])


def scan(s: Sample, *, seed: int, fold: bool = False) -> Sample:
    """A flatbed scan: skew, a white border, punch holes or a staple, lamp unevenness, JPEG."""
    rng = random.Random(f"heldout2-scan:{seed}:{fold}")
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    pages, Hs, sizes = [], [], []
    for page in s.pages:
        h, w = page.shape[:2]
        margin = int(max(w, h) * 0.02)
        H = _rotation(
            w, h, rng.uniform(-1.6, 1.6), margin, (rng.uniform(-8, 8), rng.uniform(-8, 8))
        )
        W, Hh = w + 2 * margin, h + 2 * margin
        out = cv2.warpPerspective(page, H, (W, Hh), borderValue=(246, 246, 246))
        if fold:
            out = _folds(out, rng)
        big = max(w, h) > 1200
        if big and rng.random() < 0.6:  # two punch holes at the left edge
            r = int(W * 0.012)
            for fy in (0.38, 0.62):
                cv2.circle(out, (int(W * 0.035), int(Hh * fy)), r, (62, 62, 62), -1, cv2.LINE_AA)
        if big and rng.random() < 0.5:  # a staple and its shadow in the top-left corner
            x, y = int(W * 0.04), int(Hh * 0.03)
            cv2.line(out, (x + 3, y + 4), (x + 55, y + 36), (150, 150, 150), 5, cv2.LINE_AA)
            cv2.line(out, (x, y), (x + 52, y + 32), (75, 75, 80), 3, cv2.LINE_AA)
        out = _light(out, rng, 0.93, 1.0)
        out = _noise(out, nrng, 1.8)
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.35, 0.6))
        out = _jpeg(out, rng.randint(84, 93))
        pages.append(out)
        Hs.append(H)
        sizes.append((W, Hh))
    name = "folded" if fold else "scan"
    return replace(geometry(s, Hs, sizes, pages), degradations=(*s.degradations, name))


def _folds(img: np.ndarray, rng: random.Random) -> np.ndarray:
    """Crease lines of a page folded in half or in three: a dark line with a light edge and
    panels lit a little differently."""
    out = img.astype(np.float32)
    h, w = img.shape[:2]
    horizontal = [h * f for f in ((0.5,) if rng.random() < 0.5 else (1 / 3, 2 / 3))]
    vertical = [w * 0.5] if rng.random() < 0.4 else []
    for y in horizontal:
        yi = int(y + rng.uniform(-15, 15))
        out[yi:, :] *= rng.uniform(0.95, 1.0)
        out[max(0, yi - 1) : yi + 1, :] *= 0.72
        out[yi + 1 : yi + 4, :] = np.minimum(out[yi + 1 : yi + 4, :] * 1.06, 255)
    for x in vertical:
        xi = int(x + rng.uniform(-15, 15))
        out[:, xi:] *= rng.uniform(0.95, 1.0)
        out[:, max(0, xi - 1) : xi + 1] *= 0.74
    return np.clip(out, 0, 255).astype(np.uint8)


def photocopy(s: Sample, *, seed: int) -> Sample:
    """A photocopy of a photocopy: grey toner, contrast pushed twice, a slight shrink and shift
    each generation, toner specks and a dark band where the lid did not close. Seals go grey
    (``Mark.copy``)."""
    rng = random.Random(f"heldout2-copy:{seed}")
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    pages, Hs, sizes = [], [], []
    for page in s.pages:
        h, w = page.shape[:2]
        g = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).astype(np.float32)
        H = np.eye(3)
        for _gen in range(2):
            k = rng.uniform(0.975, 0.995)
            A = np.array([[k, 0, rng.uniform(4, 14)], [0, k, rng.uniform(4, 14)], [0, 0, 1]])
            g = cv2.warpPerspective(g, A, (w, h), borderValue=240)
            H = A @ H
            g = cv2.GaussianBlur(g, (0, 0), 0.6)
            g = np.clip((g - 40) * 1.18 + 36, 0, 255)  # pushed contrast, grey paper
            g = g + nrng.normal(0, 4, g.shape)
        specks = nrng.uniform(0, 1, g.shape) < 0.0008
        g[specks] = rng.randint(30, 90)
        band = int(w * rng.uniform(0.01, 0.03))
        g[:, w - band :] *= 0.45
        out = cv2.cvtColor(np.clip(g, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
        out = _jpeg(out, rng.randint(80, 90))
        pages.append(out)
        Hs.append(H)
        sizes.append((w, h))
    g2 = geometry(s, Hs, sizes, pages)
    marks = tuple(replace(m, copy=True) if m.kind == "seal" else m for m in g2.marks)
    return replace(g2, marks=marks, degradations=(*s.degradations, "photocopy"))


CAPTURES: dict[str, Callable[..., Sample]] = {
    "scan": scan,
    "photo": photo,
    "wechat": wechat,
    "photocopy": photocopy,
    "folded": lambda s, *, seed: scan(s, seed=seed, fold=True),
    "low_light": lambda s, *, seed: photo(s, seed=seed, dim=True),
}


def capture(sample: Sample, condition: str, *, seed: int) -> Sample:
    """``sample`` as captured under ``condition`` (one of :data:`CONDITIONS`)."""
    if condition == "clean":
        return sample
    if condition not in CAPTURES:
        raise ValueError(f"unknown condition {condition!r}; known: {CONDITIONS}")
    return CAPTURES[condition](sample, seed=seed)


_unused: tuple[Point, ...] = ()
