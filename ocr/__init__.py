"""Document AI: read an uploaded photo, scan or PDF into a typed :class:`Document`.

Build one :class:`OcrPipeline` per process (``OcrPipeline.load(OcrSettings(), data_dir=...)``)
and call ``pipeline.analyze(data)`` from any thread, or use :func:`analyze`.

The names below are loaded on first use (module ``__getattr__``): ``import ocr`` or
``import ocr.validators`` costs no numpy, OpenCV or ONNX Runtime, so a package that only checks
an ID number (signing) does not pay for the reader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ocr.document import (
        DOC_TYPES,
        LOW_CONFIDENCE,
        QUALITY_ISSUES,
        DocType,
        Document,
        Field,
        IdCardSide,
        Quality,
        QualityIssue,
    )
    from ocr.errors import (
        CorruptFileError,
        EncryptedFileError,
        EngineUnavailableError,
        OcrError,
        TooLargeError,
        UnreadableFileError,
        UnsupportedTypeError,
    )
    from ocr.pipeline import Analysis, AnalyzeOptions, OcrPipeline, analyze
    from ocr.settings import OcrSettings

    Analyzer = OcrPipeline

#: Where each public name lives.
_HOMES: dict[str, str] = {
    "DOC_TYPES": "ocr.document",
    "LOW_CONFIDENCE": "ocr.document",
    "QUALITY_ISSUES": "ocr.document",
    "DocType": "ocr.document",
    "Document": "ocr.document",
    "Field": "ocr.document",
    "IdCardSide": "ocr.document",
    "Quality": "ocr.document",
    "QualityIssue": "ocr.document",
    "CorruptFileError": "ocr.errors",
    "EncryptedFileError": "ocr.errors",
    "EngineUnavailableError": "ocr.errors",
    "OcrError": "ocr.errors",
    "TooLargeError": "ocr.errors",
    "UnreadableFileError": "ocr.errors",
    "UnsupportedTypeError": "ocr.errors",
    "Analysis": "ocr.pipeline",
    "AnalyzeOptions": "ocr.pipeline",
    "OcrPipeline": "ocr.pipeline",
    "analyze": "ocr.pipeline",
    "OcrSettings": "ocr.settings",
}
#: Other names for public names.
_ALIASES = {"Analyzer": "OcrPipeline"}

__all__ = [
    "DOC_TYPES",
    "LOW_CONFIDENCE",
    "QUALITY_ISSUES",
    "Analysis",
    "AnalyzeOptions",
    "Analyzer",
    "CorruptFileError",
    "DocType",
    "Document",
    "EncryptedFileError",
    "EngineUnavailableError",
    "Field",
    "IdCardSide",
    "OcrError",
    "OcrPipeline",
    "OcrSettings",
    "Quality",
    "QualityIssue",
    "TooLargeError",
    "UnreadableFileError",
    "UnsupportedTypeError",
    "analyze",
]


def __getattr__(name: str) -> Any:
    target = _ALIASES.get(name, name)
    home = _HOMES.get(target)
    if home is None:
        raise AttributeError(f"module 'ocr' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), target)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
