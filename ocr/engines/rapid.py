"""Adapter: PP-OCRv6 small via ``rapidocr``, its ONNX sessions made by :mod:`ocr.engines.onnx`.

RapidOCR runs the detector and recogniser models shipped in its wheel; this adapter hands it
sessions over those files (RapidOCR accepts a ready ``session`` per model), so ONNX Runtime is
configured in one place for every engine.

RapidOCR's ``__call__`` mutates the instance (``update_params``), so calls are serialised with a
lock: one engine per worker process, parallelism across processes; ONNX Runtime uses
``threads`` cores inside each call.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ocr.engines.base import TextLine, quad_from_points
from ocr.engines.onnx import cpu_session
from ocr.errors import EngineUnavailableError

#: The models of the ``rapidocr`` wheel this adapter runs, by RapidOCR config section (the ones
#: RapidOCR's own defaults select: PP-OCRv6 small detection and recognition, and the PP-OCR
#: mobile text-line direction classifier).
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"


def bundled_models() -> Path:
    """The folder of the ONNX models inside the installed ``rapidocr`` wheel."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailableError(engine="rapid", detail="rapidocr is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


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
        """Load the models bundled in the wheel (no download).

        The pipeline sizes its input itself; ``max_side_len`` is only a safety bound.
        ``use_textline_cls`` (180° line classifier) is off because pages are already upright.
        """
        models = bundled_models()
        sections = {"Det": DET_MODEL, "Rec": REC_MODEL}
        if use_textline_cls:
            sections["Cls"] = CLS_MODEL
        sessions = {
            section: cpu_session(models / name, threads=threads, engine="rapid")
            for section, name in sections.items()
        }
        try:
            from omegaconf import flag_override
            from rapidocr import RapidOCR

            ocr = RapidOCR(
                params={
                    "Global.log_level": "warning",
                    "Global.max_side_len": max_side_len,
                    "Global.use_cls": use_textline_cls,
                }
            )
            # RapidOCR builds each model's runner from its config section on first use and
            # takes a ``session`` found there as is; its config (OmegaConf) holds objects only
            # when allowed to.
            with flag_override(ocr.cfg, "allow_objects", True):
                for section, session in sessions.items():
                    ocr.cfg[section].session = session
        except Exception as e:  # any failure here is an installation fault
            raise EngineUnavailableError(engine="rapid", detail=f"{type(e).__name__}: {e}") from e
        engine = cls(ocr)
        if warm_up:
            engine.warm_up()
        return engine

    def warm_up(self) -> None:
        """Run each model once (RapidOCR builds its runners on first use)."""
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
