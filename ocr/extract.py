"""Classification and field extraction per document type (CONTRACT §3).

The document types live in :mod:`ocr.doctypes`, one module each; this module is the entry
point the pipeline calls and keeps the names callers already import.
"""

from __future__ import annotations

from ocr.doctypes import BY_TYPE, REGISTRY, classify, extract
from ocr.doctypes.base import INCONSISTENT_CAP, INVALID_CAP, Hit, Reader, id_number_field
from ocr.doctypes.id_card_front import ETHNICITIES, normalize_ethnicity

EXTRACTORS = {t.doc_type: t.extract for t in REGISTRY}

__all__ = [
    "BY_TYPE",
    "ETHNICITIES",
    "EXTRACTORS",
    "INCONSISTENT_CAP",
    "INVALID_CAP",
    "REGISTRY",
    "Hit",
    "Reader",
    "classify",
    "extract",
    "id_number_field",
    "normalize_ethnicity",
]
