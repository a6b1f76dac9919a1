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
           on paper that is not itself blown out (see ``_glare_fraction``)
cropped    a text line touches the image border (within 0.4 % of the side): the
           document runs off the picture
no_text    non-space characters read on the page                                     < 4
=========  ==========================================================================  ==========

``Quality.ok`` is False when any issue is present; ``metrics`` keeps the measured values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.document import Quality
from ocr.settings import OcrSettings

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class ImageMetrics:
    sharpness: float
    short_side: int
    mean_grey: float
    glare_fraction: float


def measure_image(img: np.ndarray) -> ImageMetrics:
    h, w = img.shape[:2]
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    f = 1000.0 / max(h, w)
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    lap = np.abs(cv2.Laplacian(small, cv2.CV_32F, ksize=3))
    p1, p99 = np.percentile(small, (1, 99))
    contrast = max(0.25, float(p99 - p1) / 255.0)
    sharpness = float(np.percentile(lap, 99.5)) / (255.0 * contrast)
    mean_grey = float(small.mean())
    glare = _glare_fraction(small)
    return ImageMetrics(
        sharpness=round(sharpness, 4),
        short_side=min(h, w),
        mean_grey=round(mean_grey, 1),
        glare_fraction=round(glare, 4),
    )


def _glare_fraction(gray: np.ndarray) -> float:
    """Fraction of the image in blown-out blobs on paper that is not itself blown out.

    A blob is a connected region of (lightly smoothed) grey ≥ 254 covering 0.5 %-60 % of the
    image. It counts as glare when the paper of the page (median of the non-ink, non-clipped
    pixels) is at most 251: a specular spot is whiter than the paper around it, while the paper
    of a white scan is itself at 255 (and forms one page-sized region).
    """
    smooth = cv2.GaussianBlur(gray, (5, 5), 0)
    clipped = smooth >= 254
    if not clipped.any():
        return 0.0
    paper = gray[(gray >= 150) & ~clipped]
    if paper.size == 0 or float(np.median(paper)) > 251:
        return 0.0
    total = float(gray.size)
    _n, _, stats, _ = cv2.connectedComponentsWithStats(clipped.astype(np.uint8), connectivity=8)
    areas = [float(a) for a in stats[1:, cv2.CC_STAT_AREA]]
    return sum(a for a in areas if 0.005 * total <= a <= 0.6 * total) / total


def image_issues(m: ImageMetrics, *, settings: OcrSettings) -> list[str]:
    issues = []
    if m.sharpness < settings.blur_min_sharpness:
        issues.append("blurry")
    if m.short_side < settings.min_short_side:
        issues.append("too_small")
    if m.mean_grey < settings.dark_max_mean:
        issues.append("too_dark")
    if m.glare_fraction > settings.glare_max_fraction:
        issues.append("glare")
    return issues


def text_issues(
    boxes: Sequence[Box],
    texts: Sequence[str],
    *,
    width: int,
    height: int,
    settings: OcrSettings,
    check_border: bool = True,
) -> tuple[list[str], dict[str, float]]:
    """Issues found from the text lines (boxes in the original page's pixels)."""
    issues = []
    n_chars = sum(len("".join(t.split())) for t in texts)
    metrics: dict[str, float] = {"chars": float(n_chars)}
    if n_chars < settings.min_text_chars:
        issues.append("no_text")
        return issues, metrics
    heights = sorted(b[3] - b[1] for b in boxes)
    med = float(heights[len(heights) // 2]) if heights else 0.0
    metrics["text_height"] = round(med, 1)
    if med and med < settings.min_text_height:
        issues.append("too_small")
    if check_border:
        mx, my = max(2.0, 0.004 * width), max(2.0, 0.004 * height)
        touching = sum(
            1
            for b in boxes
            if b[0] <= mx or b[1] <= my or b[2] >= width - mx or b[3] >= height - my
        )
        metrics["border_lines"] = float(touching)
        if touching:
            issues.append("cropped")
    return issues, metrics


def combine(per_page: Iterable[tuple[list[str], dict[str, float]]]) -> Quality:
    """One verdict for the document: the union of the pages' issues, in a fixed order."""
    from ocr.document import QUALITY_ISSUES

    found: set[str] = set()
    metrics: dict[str, float] = {}
    for i, (issues, m) in enumerate(per_page):
        found.update(issues)
        for k, v in m.items():
            metrics[f"p{i}.{k}"] = v
    ordered = tuple(code for code in QUALITY_ISSUES if code in found)
    return Quality(ok=not ordered, issues=ordered, metrics=metrics)
