"""Document AI: read an uploaded photo, scan or PDF into a typed :class:`Document`.

Build one :class:`OcrPipeline` per process (``OcrPipeline.load(OcrSettings())``) and call
``pipeline.analyze(data)`` from any thread, or use :func:`analyze`.
"""

from ocr.document import DOC_TYPES, LOW_CONFIDENCE, QUALITY_ISSUES, Document, Field, Quality
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

__all__ = [
    "DOC_TYPES",
    "LOW_CONFIDENCE",
    "QUALITY_ISSUES",
    "Analysis",
    "AnalyzeOptions",
    "Analyzer",
    "CorruptFileError",
    "Document",
    "EncryptedFileError",
    "EngineUnavailableError",
    "Field",
    "OcrError",
    "OcrPipeline",
    "OcrSettings",
    "Quality",
    "TooLargeError",
    "UnreadableFileError",
    "UnsupportedTypeError",
    "analyze",
]
