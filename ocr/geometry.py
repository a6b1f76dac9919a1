"""Page geometry: orientation, perspective crop, deskew and resize, each *recorded*.

Coordinate convention: pixels, origin at the top-left corner of the image, x to the right, y down.
Every step returns the new image and a 3×3 homography ``H`` mapping points of its input image to
points of its output image (``[x', y', w']ᵀ = H · [x, y, 1]ᵀ``). A :class:`Geometry` composes the
steps, so boxes found in the final image map back to the original page with
:meth:`Geometry.to_original`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

Point = tuple[float, float]


@dataclass(frozen=True)
class Step:
    """One recorded transform. ``name`` is one of ``rotate``, ``perspective``, ``deskew``,
    ``resize``; ``detail`` is human-readable (angle, quad, scale)."""

    name: str
    matrix: tuple[tuple[float, ...], ...]
    detail: str = ""

    @property
    def h(self) -> np.ndarray:
        return np.asarray(self.matrix, dtype=np.float64)


def _as_tuple(m: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(v) for v in row) for row in m)


@dataclass(frozen=True)
class Geometry:
    """The transforms from the original page (``width`` × ``height``) to the processed image."""

    width: int
    height: int
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def then(self, step: Step) -> Geometry:
        return Geometry(self.width, self.height, (*self.steps, step))

    @property
    def matrix(self) -> np.ndarray:
        m = np.eye(3)
        for s in self.steps:
            m = s.h @ m
        return m

    def to_original(self, points: Sequence[Point] | np.ndarray) -> np.ndarray:
        """Map points of the processed image back to the original page."""
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        if not self.steps:
            return pts
        inv = np.linalg.inv(self.matrix)
        homog = np.hstack([pts, np.ones((len(pts), 1))]) @ inv.T
        return homog[:, :2] / homog[:, 2:3]

    def box_to_original(self, points: Sequence[Point] | np.ndarray) -> tuple[int, int, int, int]:
        """Axis-aligned box (x0, y0, x1, y1) in the original page, clipped to it."""
        pts = self.to_original(points)
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        return (
            int(max(0, np.floor(x0))),
            int(max(0, np.floor(y0))),
            int(min(self.width, np.ceil(x1))),
            int(min(self.height, np.ceil(y1))),
        )


# ---------------------------------------------------------------- rotation by quarter turns


def rotate_quarter(img: np.ndarray, turns_ccw: int) -> tuple[np.ndarray, Step]:
    """Rotate by ``turns_ccw`` × 90° counter-clockwise (content turns with the image)."""
    t = turns_ccw % 4
    h, w = img.shape[:2]
    if t == 0:
        return img, Step("rotate", _as_tuple(np.eye(3)), "0")
    if t == 1:  # CCW: (x, y) -> (y, w-1-x)
        out = cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE)
        m = np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], dtype=np.float64)
    elif t == 2:
        out = cv2.rotate(img, cv2.ROTATE_180)
        m = np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], dtype=np.float64)
    else:  # CW: (x, y) -> (h-1-y, x)
        out = cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE)
        m = np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], dtype=np.float64)
    return out, Step("rotate", _as_tuple(m), f"{90 * t} ccw")


# ---------------------------------------------------------------- perspective crop


def _order(pts: np.ndarray) -> np.ndarray:
    pts = pts.reshape(4, 2).astype(np.float32)
    s = pts.sum(1)
    d = np.diff(pts, axis=1).ravel()
    order = [np.argmin(s), np.argmin(d), np.argmax(s), np.argmax(d)]
    return np.array([pts[i] for i in order], dtype=np.float32)


@dataclass(frozen=True)
class PageQuad:
    """A document outline found in a photo, in image pixels (tl, tr, br, bl), with the evidence
    that it is the page edge: median grey inside vs outside."""

    corners: tuple[Point, Point, Point, Point]
    area_fraction: float
    inside_grey: float
    outside_grey: float


def _quad_from_contour(c: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(c)
    peri = cv2.arcLength(hull, True)
    for eps in (0.02, 0.03, 0.05):
        a = cv2.approxPolyDP(hull, eps * peri, True)
        if len(a) == 4:
            return _order(a)
    return None


def _plausible(quad: np.ndarray) -> bool:
    """A photographed sheet: convex, every corner between 50° and 130°."""
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2).astype(np.float32)):
        return False
    for i in range(4):
        p0, p1, p2 = quad[i - 1], quad[i], quad[(i + 1) % 4]
        v1, v2 = p0 - p1, p2 - p1
        cos = float(np.dot(v1, v2) / (np.linalg.norm(v1) * np.linalg.norm(v2) + 1e-9))
        if not 50 <= np.degrees(np.arccos(np.clip(cos, -1, 1))) <= 130:
            return False
    return True


def find_page_quad(
    img: np.ndarray, *, min_area_fraction: float = 0.15, min_contrast: float = 25.0
) -> PageQuad | None:
    """The outline of the sheet in a photo, or None.

    Candidates: the largest bright region (Otsu threshold: paper is lighter than a desk), then
    the largest closed edge contour. A candidate must be a plausible quadrilateral (convex,
    corners 50°-130°), and it is accepted only when the area outside it is substantial (≥ 3 %
    of the image) and differs in brightness from the paper inside by ``min_contrast`` grey
    levels: on a flat scan the largest rectangle is a table or frame *inside* the page, with
    paper on both sides, and cropping to it would lose the title.
    """
    h, w = img.shape[:2]
    scale = 800.0 / max(h, w)
    small = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    gray = cv2.GaussianBlur(gray, (5, 5), 0)
    total = float(gray.shape[0] * gray.shape[1])
    candidates: list[np.ndarray] = []
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    cnts, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    candidates.extend(sorted(cnts, key=cv2.contourArea, reverse=True)[:2])
    edges = cv2.Canny(gray, 30, 90)
    edges = cv2.dilate(edges, np.ones((5, 5), np.uint8), iterations=2)
    cnts, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    candidates.extend(sorted(cnts, key=cv2.contourArea, reverse=True)[:3])
    for c in candidates:
        if cv2.contourArea(c) < min_area_fraction * total:
            continue
        quad = _quad_from_contour(c)
        if quad is None or not _plausible(quad):
            continue
        mask = np.zeros(gray.shape, np.uint8)
        cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
        inner = cv2.erode(mask, np.ones((15, 15), np.uint8))
        outer = cv2.bitwise_not(cv2.dilate(mask, np.ones((15, 15), np.uint8)))
        if cv2.countNonZero(outer) < 0.03 * total or cv2.countNonZero(inner) == 0:
            continue
        g_in = float(np.median(gray[inner > 0]))
        g_out = float(np.median(gray[outer > 0]))
        if abs(g_in - g_out) < min_contrast:
            continue
        corners = quad / scale
        return PageQuad(
            corners=tuple((float(x), float(y)) for x, y in corners),  # type: ignore[arg-type]
            area_fraction=float(cv2.contourArea(quad) / total),
            inside_grey=g_in,
            outside_grey=g_out,
        )
    return None


def warp_to_quad(img: np.ndarray, quad: PageQuad) -> tuple[np.ndarray, Step]:
    src = np.array(quad.corners, dtype=np.float32)
    tl, tr, br, bl = (src[i] for i in range(4))
    out_w = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    out_h = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    dst = np.array(
        [[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], dtype=np.float32
    )
    m = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(
        img, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    detail = ";".join(f"{x:.0f},{y:.0f}" for x, y in quad.corners)
    return out, Step("perspective", _as_tuple(m), detail)


# ---------------------------------------------------------------- deskew


def estimate_skew(img: np.ndarray, *, max_angle: float = 10.0, step: float = 0.25) -> float:
    """Skew in degrees (positive = text lines rise to the right... as cv2 angle convention),
    from the projection profile of ink on rows: the angle that makes rows sharpest."""
    h, w = img.shape[:2]
    scale = 1000.0 / max(h, w)
    small = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    bw = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    bw = cv2.morphologyEx(bw, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    ys, xs = np.nonzero(bw)
    if len(xs) < 100:
        return 0.0
    if len(xs) > 30_000:  # subsample: the profile needs shape, not every pixel
        idx = np.random.default_rng(0).choice(len(xs), 30_000, replace=False)
        xs, ys = xs[idx], ys[idx]
    xs_c = (xs - small.shape[1] / 2).astype(np.float32)
    ys_c = (ys - small.shape[0] / 2).astype(np.float32)
    bins = int(small.shape[0] * 1.5)

    def sharpness(a: float) -> float:
        t = np.deg2rad(a)
        yr = -xs_c * np.sin(t) + ys_c * np.cos(t)
        hist, _ = np.histogram(yr, bins=bins)
        return float((hist.astype(np.float64) ** 2).sum())

    # coarse to fine: 1° steps over the range, then ``step`` around the best
    coarse = max(np.arange(-max_angle, max_angle + 1e-6, 1.0), key=sharpness)
    fine = np.arange(coarse - 1.0, coarse + 1.0 + 1e-6, step)
    return float(max(fine, key=sharpness))


def rotate_by(img: np.ndarray, angle: float) -> tuple[np.ndarray, Step]:
    """Rotate by ``angle`` degrees (cv2 convention: positive = counter-clockwise), expanding the
    canvas so no corner is lost."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    out = cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return out, Step("deskew", _as_tuple(np.vstack([m, [0, 0, 1]])), f"{angle:.2f}")


def resize_max_side(img: np.ndarray, max_side: int) -> tuple[np.ndarray, Step | None]:
    h, w = img.shape[:2]
    if max(h, w) <= max_side:
        return img, None
    f = max_side / max(h, w)
    out = cv2.resize(img, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    fx, fy = out.shape[1] / w, out.shape[0] / h
    m = np.array([[fx, 0, 0], [0, fy, 0], [0, 0, 1]], dtype=np.float64)
    return out, Step("resize", _as_tuple(m), f"{f:.3f}")
