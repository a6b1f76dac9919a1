"""Geometry of captures: every page change is a 3×3 homography, and golden boxes go through it.

Convention: ``H`` maps a point ``(x, y, 1)`` of the source page (pixels, origin top-left) to the
delivered page; a golden value's ``quad`` is mapped corner by corner, its ``box`` is the
axis-aligned hull of the mapped quad clipped to the delivered page, and each of its ``parts``
(one per printed line) is the hull of that line's mapped corners. A value whose box falls
entirely outside the delivered page is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

import cv2
import numpy as np

from ..canvas import Box, FieldBox, Quad, Sample
from .sheet import PartedFieldBox, field_parts


def warp(
    img: np.ndarray,
    H: np.ndarray,
    size: tuple[int, int],
    *,
    fill: int | tuple[int, int, int],
    interpolation: int = cv2.INTER_AREA,
) -> np.ndarray:
    """``img`` through ``H`` onto a page of ``size`` (w, h); pixels nothing maps to are ``fill``."""
    return cv2.warpPerspective(
        img, H, size, flags=interpolation, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )


def scale(sx: float, sy: float | None = None) -> np.ndarray:
    return np.array([[sx, 0, 0], [0, sx if sy is None else sy, 0], [0, 0, 1]], np.float64)


def translate(tx: float, ty: float) -> np.ndarray:
    return np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]], np.float64)


def rotate(deg: float, cx: float, cy: float) -> np.ndarray:
    """Rotation by ``deg`` degrees clockwise on screen (y down) about ``(cx, cy)``."""
    a = np.deg2rad(deg)
    c, s = np.cos(a), np.sin(a)
    r = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]], np.float64)
    return translate(cx, cy) @ r @ translate(-cx, -cy)


def apply(H: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Map an ``(n, 2)`` array of points through ``H``."""
    p = np.hstack([pts.astype(np.float64), np.ones((len(pts), 1))]) @ H.T
    return p[:, :2] / p[:, 2:3]


def _hull(pts: np.ndarray, w: int, h: int) -> Box | None:
    x0, y0 = np.floor(pts.min(axis=0))
    x1, y1 = np.ceil(pts.max(axis=0))
    x0, y0 = max(0, int(x0)), max(0, int(y0))
    x1, y1 = min(w, int(x1)), min(h, int(y1))
    if x1 <= x0 or y1 <= y0:
        return None
    return (x0, y0, x1, y1)


def _corners(b: Box) -> np.ndarray:
    x0, y0, x1, y1 = b
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)


def map_field_box(fb: FieldBox, H: np.ndarray, size: tuple[int, int], page: int) -> FieldBox | None:
    w, h = size
    quad_pts = apply(H, np.array(fb.quad, np.float64))
    box = _hull(quad_pts, w, h)
    if box is None:
        return None
    quad: Quad = tuple((float(x), float(y)) for x, y in quad_pts)  # type: ignore[assignment]
    parts = [p for p in (_hull(apply(H, _corners(b)), w, h) for b in field_parts(fb)) if p]
    if isinstance(fb, PartedFieldBox) and len(parts) > 1:
        return PartedFieldBox(page, box, quad, tuple(parts))
    return FieldBox(page, box, quad)


def map_boxes(
    boxes: Mapping[str, FieldBox],
    transforms: Mapping[int, tuple[np.ndarray, tuple[int, int], int]],
) -> dict[str, FieldBox]:
    """``transforms``: source page → (H, delivered (w, h), delivered page index)."""
    out: dict[str, FieldBox] = {}
    for key, fb in boxes.items():
        if fb.page not in transforms:
            continue
        H, size, page = transforms[fb.page]
        mapped = map_field_box(fb, H, size, page)
        if mapped is not None:
            out[key] = mapped
    return out


PageFn = Callable[[int, np.ndarray], tuple[np.ndarray, np.ndarray]]


def per_page(sample: Sample, fn: PageFn, *, name: str, dpi: int | None = None) -> Sample:
    """Apply ``fn(index, page) -> (new_page, H)`` to every page and map the boxes."""
    pages: list[np.ndarray] = []
    transforms: dict[int, tuple[np.ndarray, tuple[int, int], int]] = {}
    for i, page in enumerate(sample.pages):
        new, H = fn(i, page)
        pages.append(new)
        transforms[i] = (H, (new.shape[1], new.shape[0]), i)
    return replace(
        sample,
        pages=tuple(pages),
        boxes=map_boxes(sample.boxes, transforms),
        dpi=dpi if dpi is not None else sample.dpi,
        degradations=(*sample.degradations, name),
        backgrounds=(),
        texts=(),
    )
