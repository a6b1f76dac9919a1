"""The result of reading one uploaded file: the typed output of the document-AI pipeline.

Coordinates: every ``box`` is ``(x0, y0, x1, y1)`` in pixels of the *original* page image as
uploaded (after EXIF orientation is applied), origin top-left, x to the right, y down. For PDF
pages the "original image" is the page rendered at ``Page.dpi``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Box = tuple[int, int, int, int]
FieldValue = str | list[Any] | dict[str, Any]

DOC_TYPES: tuple[str, ...] = (
    "id_card_front",
    "id_card_back",
    "property_certificate",
    "sale_contract",
    "marriage_certificate",
    "power_of_attorney",
    "household_register",
    "business_license",
    "unknown",
)

QUALITY_ISSUES: tuple[str, ...] = ("blurry", "too_small", "too_dark", "glare", "cropped", "no_text")

#: A field below this confidence must be confirmed by a reviewer. Values failing their validator
#: are capped well below it (see ocr.extract).
LOW_CONFIDENCE = 0.8


@dataclass(frozen=True)
class Field:
    """One extracted field.

    ``confidence`` is in [0, 1]; a value that fails its validator has its confidence lowered.
    ``suggestion`` holds a single-character correction that a check digit allows, when exactly
    one exists (never applied silently to ``value``).
    """

    value: FieldValue
    confidence: float
    page: int = 0
    box: Box | None = None
    suggestion: str | None = None
    valid: bool | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "confidence": round(float(self.confidence), 4),
            "page": self.page,
            "box": list(self.box) if self.box is not None else None,
        }
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        if self.valid is not None:
            out["valid"] = self.valid
        return out


@dataclass(frozen=True)
class Quality:
    ok: bool
    issues: tuple[str, ...] = ()
    metrics: Mapping[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "issues": list(self.issues)}


@dataclass(frozen=True)
class Document:
    """Everything the pre-check needs to know about one uploaded file."""

    doc_type: str
    confidence: float
    pages: int
    quality: Quality
    fields: Mapping[str, Field]
    sha256: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_type": self.doc_type,
            "confidence": round(float(self.confidence), 4),
            "pages": self.pages,
            "quality": self.quality.to_json(),
            "fields": {k: f.to_json() for k, f in self.fields.items()},
        }
