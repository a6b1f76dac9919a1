"""Adapter: PaddleOCR 3.x with ``engine="onnxruntime"`` over local model folders.

Installed as the optional extra ``paoyici[paddle]``. PaddleOCR needs no paddlepaddle and no
download when every model is a local folder holding ``inference.onnx`` + ``inference.yml``; this
module builds those folders from the ONNX models already shipped in the ``rapidocr`` wheel
(PP-OCRv6 small detection and recognition; the character list comes from the recognition
model's ONNX metadata, read through :mod:`ocr.engines.onnx`). Only this module imports paddleocr.

Calls are serialised with a lock (PaddleOCR pipelines are not documented as thread-safe).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ocr.engines.base import TextLine, quad_from_points
from ocr.engines.onnx import cpu_session, model_metadata
from ocr.errors import EngineUnavailableError

DET_NAME = "PP-OCRv6_small_det"
REC_NAME = "PP-OCRv6_small_rec"

_DET_PRE = [
    {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
    {"DetLabelEncode": None},
    {"DetResizeForTest": {"resize_long": 960}},
    {
        "NormalizeImage": {
            "mean": [0.485, 0.456, 0.406],
            "std": [0.229, 0.224, 0.225],
            "scale": "1./255.",
            "order": "hwc",
        }
    },
    {"ToCHWImage": None},
    {"KeepKeys": {"keep_keys": ["image", "shape", "polys", "ignore_tags"]}},
]
_DET_POST = {
    "name": "DBPostProcess",
    "thresh": 0.3,
    "box_thresh": 0.6,
    "max_candidates": 1000,
    "unclip_ratio": 1.5,
}
_REC_PRE = [
    {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
    {"MultiLabelEncode": {"gtc_encode": "NRTRLabelEncode"}},
    {"RecResizeImg": {"image_shape": [3, 48, 320]}},
    {"KeepKeys": {"keep_keys": ["image", "label_ctc", "label_gtc", "length", "valid_ratio"]}},
]


def _wheel_models() -> Path:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailableError(engine="paddle", detail="rapidocr (model source) missing")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def build_model_dirs(out_dir: Path) -> Path:
    """Write ``out_dir/{PP-OCRv6_small_det,PP-OCRv6_small_rec}/inference.{onnx,yml}`` from the
    rapidocr wheel (idempotent; ``inference.yml`` is JSON, which is valid YAML)."""
    src = _wheel_models()
    det = out_dir / DET_NAME
    rec = out_dir / REC_NAME
    if (det / "inference.yml").is_file() and (rec / "inference.yml").is_file():
        return out_dir
    det.mkdir(parents=True, exist_ok=True)
    rec.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / "PP-OCRv6_det_small.onnx", det / "inference.onnx")
    (det / "inference.yml").write_text(
        json.dumps(
            {
                "Global": {"model_name": DET_NAME},
                "PreProcess": {"transform_ops": _DET_PRE},
                "PostProcess": _DET_POST,
            },
            ensure_ascii=False,
        )
    )
    rec_onnx = src / "PP-OCRv6_rec_small.onnx"
    session = cpu_session(rec_onnx, threads=1, engine="paddle")
    chars = model_metadata(session)["character"].splitlines()
    shutil.copyfile(rec_onnx, rec / "inference.onnx")
    (rec / "inference.yml").write_text(
        json.dumps(
            {
                "Global": {"model_name": REC_NAME},
                "PreProcess": {"transform_ops": _REC_PRE},
                "PostProcess": {"name": "CTCLabelDecode", "character_dict": chars},
            },
            ensure_ascii=False,
        )
    )
    return out_dir


class PaddleOcrEngine:
    name = "paddle"

    def __init__(self, ocr: Any, *, max_side: int = 2000) -> None:
        self._ocr = ocr
        self._max_side = max_side
        self._lock = threading.Lock()

    @classmethod
    def load(cls, *, model_dir: Path, threads: int = 2, warm_up: bool = True) -> PaddleOcrEngine:
        """Build the model folders if needed and load PaddleOCR on ONNX Runtime."""
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        try:
            build_model_dirs(model_dir)
            from paddleocr import PaddleOCR

            ocr = PaddleOCR(
                text_detection_model_name=DET_NAME,
                text_detection_model_dir=str(model_dir / DET_NAME),
                text_recognition_model_name=REC_NAME,
                text_recognition_model_dir=str(model_dir / REC_NAME),
                use_doc_orientation_classify=False,
                use_doc_unwarping=False,
                use_textline_orientation=False,
                engine="onnxruntime",
                cpu_threads=threads,
            )
        except EngineUnavailableError:
            raise
        except Exception as e:
            raise EngineUnavailableError(engine="paddle", detail=f"{type(e).__name__}: {e}") from e
        engine = cls(ocr)
        if warm_up:
            img = np.full((96, 480, 3), 255, np.uint8)
            cv2.putText(img, "Paoyici 2024", (10, 64), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (0, 0, 0), 3)
            engine.read(img)
        return engine

    def read(self, image: np.ndarray) -> tuple[TextLine, ...]:
        # PaddleOCR does not shrink big inputs (2.5 GB RSS on large photos): bound them here and
        # scale the boxes back.
        h, w = image.shape[:2]
        f = min(1.0, self._max_side / max(h, w))
        img = (
            cv2.resize(image, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
            if f < 1
            else image
        )
        with self._lock:
            results = self._ocr.predict(img)
        lines: list[TextLine] = []
        for res in results or []:
            texts = res["rec_texts"]
            scores = res["rec_scores"]
            polys = res["rec_polys"]
            for t, s, p in zip(texts, scores, polys, strict=False):
                if not str(t).strip():
                    continue
                q = np.asarray(p, dtype=np.float64).reshape(-1, 2)
                if len(q) != 4:
                    x0, y0 = q.min(axis=0)
                    x1, y1 = q.max(axis=0)
                    q = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
                lines.append(TextLine(text=str(t), score=float(s), quad=quad_from_points(q / f)))
        return tuple(lines)
