"""The engine protocols and their result type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

Point = tuple[float, float]


@dataclass(frozen=True)
class TextLine:
    """One recognised line: text, recogniser score in [0, 1], and its quadrilateral
    (tl, tr, br, bl) in pixels of the image given to the engine."""

    text: str
    score: float
    quad: tuple[Point, Point, Point, Point]

    @property
    def box(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.quad]
        ys = [p[1] for p in self.quad]
        return (min(xs), min(ys), max(xs), max(ys))


@runtime_checkable
class OcrEngine(Protocol):
    """Text detection + recognition. Implementations are immutable after construction and
    ``read`` is safe to call from several threads."""

    name: str

    def read(self, image: np.ndarray) -> tuple[TextLine, ...]:
        """Lines of text in ``image`` (BGR uint8), in no particular order."""
        ...


@runtime_checkable
class OrientationModel(Protocol):
    def classify(self, image: np.ndarray) -> tuple[int, float]:
        """How far the page content is turned clockwise (0, 90, 180 or 270) and the score."""
        ...


def quad_from_points(points: object) -> tuple[Point, Point, Point, Point]:
    arr = np.asarray(points, dtype=np.float64).reshape(4, 2)
    return tuple((float(x), float(y)) for x, y in arr)  # type: ignore[return-value]
