"""Image quality verdicts with measurable thresholds (``OcrSettings``).

Measured on the page as uploaded (before geometry), except the text-based checks, which use the
OCR result mapped back to the original page:

=========  ==========================================================================  ==========
issue      metric                                                                      threshold
=========  ==========================================================================  ==========
blurry     sharpness = p99.5 of |Laplacian| (grey, long side scaled to 1000 px) /     < 0.30
           (255 · max(0.25, ink contrast)), where ink contrast = (p99 − p1) / 255;
           sharp text has steep edges whatever its contrast
too_small  short side of the image in pixels, or median height of the text lines     < 400 px /
           found (small, far-away text is misread)                                   < 9 px
too_dark   mean grey level of the image (0-255)                                      < 70
glare      fraction of the image in blown-out blobs (grey ≥ 254, 0.5-60 % of the image)  > 0.02
           on paper that is not itself blown out (see ``_glare_fraction``), and a blob
           lies mostly inside the area of the text read (a blank margin is not: glare_over_text)
cropped    a text line with a Han character touches the image border (within 0.4 %
           of the side): the document runs off the picture. A line of Latin letters,
           digits and signs only (a fax header 2026-05-22 14:22 FROM: 0571… P.01, a
           scanner's stamp) is printed by the machine at the edge, not cut from the page
no_text    non-space characters read on the page                                     < 4
=========  ==========================================================================  ==========

``Quality.ok`` is False when any issue is present; ``metrics`` keeps the measured values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.document import Quality, QualityIssue
from ocr.settings import OcrSettings

Box = tuple[float, float, float, float]

_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class ImageMetrics:
    sharpness: float
    short_side: int
    mean_grey: float
    glare_fraction: float
    # blown-out blobs, (x0, y0, x1, y1) in pixels of the measured image
    glare_boxes: tuple[Box, ...] = ()


def measure_image(img: np.ndarray) -> ImageMetrics:
    h, w = img.shape[:2]
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    f = 1000.0 / max(h, w)
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    lap = np.abs(cv2.Laplacian(small, cv2.CV_32F, ksize=3)).ravel()
    hist = np.bincount(small.ravel(), minlength=256).cumsum()
    p1 = int(np.searchsorted(hist, 0.01 * hist[-1]))
    p99 = int(np.searchsorted(hist, 0.99 * hist[-1]))
    contrast = max(0.25, (p99 - p1) / 255.0)
    k = int(0.995 * (lap.size - 1))
    sharpness = float(np.partition(lap, k)[k]) / (255.0 * contrast)
    mean_grey = float(small.mean())
    glare, blobs = _glare_fraction(small)
    scale = 1.0 / f if f < 1 else 1.0
    return ImageMetrics(
        sharpness=round(sharpness, 4),
        short_side=min(h, w),
        mean_grey=round(mean_grey, 1),
        glare_fraction=round(glare, 4),
        glare_boxes=tuple(
            (x * scale, y * scale, (x + bw) * scale, (y + bh) * scale) for x, y, bw, bh in blobs
        ),
    )


def _glare_fraction(gray: np.ndarray) -> tuple[float, list[tuple[int, int, int, int]]]:
    """Fraction of the image in blown-out blobs on paper that is not itself blown out.

    A blob is a region of (lightly smoothed) grey ≥ 254 covering 0.5 %-60 % of the image with
    almost no holes (≥ 97 % of its outline blown out: text under merely bright light stays
    legible and leaves holes, glare erased it). It counts only when the paper of the page
    (median of the non-ink, non-clipped pixels) is at most 251: the paper of a white scan is
    itself at 255.
    """
    smooth = cv2.GaussianBlur(gray, (5, 5), 0)
    clipped = smooth >= 254
    if not clipped.any():
        return 0.0, []
    hist = np.bincount(gray[~clipped].ravel(), minlength=256)[150:].cumsum()
    if hist[-1] == 0 or 150 + int(np.searchsorted(hist, hist[-1] / 2)) > 251:
        return 0.0, []  # no paper, or the paper itself is blown out (a white scan)
    total = float(gray.size)
    mask = clipped.astype(np.uint8)
    cnts, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    found = 0.0
    blobs: list[tuple[int, int, int, int]] = []
    for c in cnts:
        filled = float(cv2.contourArea(c))
        if not 0.005 * total <= filled <= 0.6 * total:
            continue
        x, y, w, h = cv2.boundingRect(c)
        region = np.zeros((h, w), np.uint8)
        cv2.drawContours(region, [c - np.array([x, y])], -1, 1, thickness=-1)
        inside = region.astype(bool)
        blown = float(mask[y : y + h, x : x + w][inside].mean())
        # legible text under merely bright light leaves holes in the blob; glare erased it
        if blown >= 0.97:
            found += filled
            blobs.append((x, y, w, h))
    return found / total, blobs


def glare_over_text(glare_boxes: tuple[Box, ...], text_boxes: list[Box]) -> bool:
    """Whether a blown-out blob lies mostly inside the area the text occupies.

    Uneven light on a photographed page often blows out a blank margin: nothing is lost there,
    and the page was read. Glare that matters sits where the text is (and erased some of it), so
    at least half of a blob must fall inside the box around all text read on the page."""
    if not glare_boxes:
        return False
    if not text_boxes:
        return True
    tx0 = min(b[0] for b in text_boxes)
    ty0 = min(b[1] for b in text_boxes)
    tx1 = max(b[2] for b in text_boxes)
    ty1 = max(b[3] for b in text_boxes)
    for x0, y0, x1, y1 in glare_boxes:
        area = max(1e-6, (x1 - x0) * (y1 - y0))
        ix = max(0.0, min(x1, tx1) - max(x0, tx0))
        iy = max(0.0, min(y1, ty1) - max(y0, ty0))
        if ix * iy / area >= 0.5:
            return True
    return False


def image_issues(m: ImageMetrics, *, settings: OcrSettings) -> list[QualityIssue]:
    issues = []
    if m.sharpness < settings.blur_min_sharpness:
        issues.append(QualityIssue.BLURRY)
    if m.short_side < settings.min_short_side:
        issues.append(QualityIssue.TOO_SMALL)
    if m.mean_grey < settings.dark_max_mean:
        issues.append(QualityIssue.TOO_DARK)
    if m.glare_fraction > settings.glare_max_fraction:
        issues.append(QualityIssue.GLARE)
    return issues


def text_issues(
    boxes: Sequence[Box],
    texts: Sequence[str],
    *,
    width: int,
    height: int,
    settings: OcrSettings,
    check_border: bool = True,
) -> tuple[list[QualityIssue], dict[str, float]]:
    """Issues found from the text lines (boxes in the original page's pixels)."""
    issues = []
    n_chars = sum(len("".join(t.split())) for t in texts)
    metrics: dict[str, float] = {"chars": float(n_chars)}
    if n_chars < settings.min_text_chars:
        issues.append(QualityIssue.NO_TEXT)
        return issues, metrics
    heights = sorted(b[3] - b[1] for b in boxes)
    med = float(heights[len(heights) // 2]) if heights else 0.0
    metrics["text_height"] = round(med, 1)
    if med and med < settings.min_text_height:
        issues.append(QualityIssue.TOO_SMALL)
    if check_border:
        mx, my = max(2.0, 0.004 * width), max(2.0, 0.004 * height)
        touching = sum(
            1
            for b, t in zip(boxes, texts, strict=False)
            if (b[0] <= mx or b[1] <= my or b[2] >= width - mx or b[3] >= height - my)
            and _HAN.search(t) is not None
        )
        metrics["border_lines"] = float(touching)
        if touching:
            issues.append(QualityIssue.CROPPED)
    return issues, metrics


def combine(per_page: Iterable[tuple[list[QualityIssue], dict[str, float]]]) -> Quality:
    """One verdict for the document: the union of the pages' issues, in a fixed order."""
    found: set[QualityIssue] = set()
    metrics: dict[str, float] = {}
    for i, (issues, m) in enumerate(per_page):
        found.update(issues)
        for k, v in m.items():
            metrics[f"p{i}.{k}"] = v
    ordered = tuple(code for code in QualityIssue if code in found)
    return Quality(ok=not ordered, issues=ordered, metrics=metrics)
