"""Adapter: PP-OCRv6 small via ``rapidocr`` on ONNX Runtime, models from the wheel.

RapidOCR's ``__call__`` mutates the instance (``update_params``), so calls are serialised with a
lock: one engine per worker process, parallelism across processes; ONNX Runtime uses
``threads`` cores inside each call.
"""

from __future__ import annotations

import threading
from typing import Any

import cv2
import numpy as np

from ocr.engines.base import TextLine, quad_from_points
from ocr.errors import EngineUnavailableError


class RapidOcrEngine:
    name = "rapid"

    def __init__(self, ocr: Any) -> None:
        self._ocr = ocr
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls,
        *,
        threads: int = 2,
        max_side_len: int = 4000,
        use_textline_cls: bool = False,
        warm_up: bool = True,
    ) -> RapidOcrEngine:
        """Load the models bundled in the wheel (checksums verified by rapidocr, no download).

        The pipeline sizes its input itself; ``max_side_len`` is only a safety bound.
        ``use_textline_cls`` (180° line classifier) is off because pages are already upright.
        """
        try:
            from rapidocr import RapidOCR

            ocr = RapidOCR(
                params={
                    "Global.log_level": "warning",
                    "Global.max_side_len": max_side_len,
                    "Global.use_cls": use_textline_cls,
                    "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                }
            )
        except Exception as e:  # any failure here is an installation fault
            raise EngineUnavailableError(engine="rapid", detail=f"{type(e).__name__}: {e}") from e
        engine = cls(ocr)
        if warm_up:
            engine.warm_up()
        return engine

    def warm_up(self) -> None:
        """Create the ONNX sessions and run each model once."""
        img = np.full((96, 480, 3), 255, np.uint8)
        cv2.putText(img, "Paoyici 2024", (10, 64), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (0, 0, 0), 3)
        self.read(img)

    def read(self, image: np.ndarray) -> tuple[TextLine, ...]:
        with self._lock:
            out = self._ocr(image)
        boxes = getattr(out, "boxes", None)
        txts = getattr(out, "txts", None)
        scores = getattr(out, "scores", None)
        if boxes is None or txts is None or scores is None:
            return ()
        return tuple(
            TextLine(text=str(t), score=float(s), quad=quad_from_points(b))
            for b, t, s in zip(boxes, txts, scores, strict=False)
        )
