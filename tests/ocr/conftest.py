"""OCR test fixtures: one pipeline per test session (models load once), results cached."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import pytest

from ocr import Document, OcrPipeline
from ocr.pipeline import Analysis


@pytest.fixture(scope="session")
def read(pipeline: OcrPipeline) -> Callable[[bytes], Analysis]:
    """``read(data) -> Analysis``, cached per session (the same bytes are OCR'd once)."""

    @lru_cache(maxsize=64)
    def _read(data: bytes) -> Analysis:
        return pipeline.trace(data)

    return _read


def iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def values(doc: Document) -> dict[str, object]:
    return {k: f.value for k, f in doc.fields.items()}


def lands_on(box: tuple[int, int, int, int], gold: tuple[int, int, int, int]) -> bool:
    """The box lands on the golden text: each box holds the other's centre and they overlap
    (detector boxes carry a margin, so a one-character value never reaches a high IoU)."""

    def centre_in(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
        cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
        return b[0] <= cx <= b[2] and b[1] <= cy <= b[3]

    return centre_in(box, gold) and centre_in(gold, box) and iou(box, gold) > 0.3
