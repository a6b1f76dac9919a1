"""The result of reading one uploaded file: the typed output of the document-AI pipeline.

Coordinates: every ``box`` is ``(x0, y0, x1, y1)`` in pixels of the *original* page image as
uploaded (after EXIF orientation is applied), origin top-left, x to the right, y down. For PDF
pages the "original image" is the page rendered at ``Page.dpi``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Box = tuple[int, int, int, int]
FieldValue = str | list[Any] | dict[str, Any]


class DocType(StrEnum):
    """The document types the reader knows (CONTRACT §3); ``unknown`` when it cannot tell."""

    ID_CARD_FRONT = "id_card_front"
    ID_CARD_BACK = "id_card_back"
    PROPERTY_CERTIFICATE = "property_certificate"
    SALE_CONTRACT = "sale_contract"
    MARRIAGE_CERTIFICATE = "marriage_certificate"
    POWER_OF_ATTORNEY = "power_of_attorney"
    HOUSEHOLD_REGISTER = "household_register"
    BUSINESS_LICENSE = "business_license"
    UNKNOWN = "unknown"


#: The values of :class:`DocType`, in its order (for callers that want plain strings).
DOC_TYPES: tuple[str, ...] = tuple(t.value for t in DocType)


class QualityIssue(StrEnum):
    """Why an image cannot be read reliably (CONTRACT §1 ``quality.issues``); measured and
    thresholded in :mod:`ocr.quality`."""

    BLURRY = "blurry"
    TOO_SMALL = "too_small"
    TOO_DARK = "too_dark"
    GLARE = "glare"
    CROPPED = "cropped"
    NO_TEXT = "no_text"


class IdCardSide(StrEnum):
    """A side of a resident ID card: the portrait side and the national-emblem side."""

    FRONT = "front"
    BACK = "back"


#: The ID-card side each ID-card document type shows.
ID_CARD_SIDE_OF: Mapping[DocType, IdCardSide] = {
    DocType.ID_CARD_FRONT: IdCardSide.FRONT,
    DocType.ID_CARD_BACK: IdCardSide.BACK,
}


#: The values of :class:`QualityIssue`, in the order a document's issues are reported.
QUALITY_ISSUES: tuple[str, ...] = tuple(i.value for i in QualityIssue)

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

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Field:
        """The field :meth:`to_json` wrote (``confidence`` as rounded there)."""
        box = raw.get("box")
        return cls(
            value=raw["value"],
            confidence=float(raw["confidence"]),
            page=int(raw.get("page", 0)),
            box=tuple(int(v) for v in box) if box is not None else None,  # type: ignore[arg-type]
            suggestion=raw.get("suggestion"),
            valid=raw.get("valid"),
        )


@dataclass(frozen=True)
class Quality:
    """``issues`` may be given as their string values (a cached document read back from JSON);
    they are stored as :class:`QualityIssue` (an unknown code raises ``ValueError``)."""

    ok: bool
    issues: tuple[QualityIssue, ...] = ()
    metrics: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "issues", tuple(QualityIssue(i) for i in self.issues))

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "issues": [i.value for i in self.issues]}

    def to_dict(self) -> dict[str, Any]:
        """:meth:`to_json` with the measured ``metrics`` (for caches, not the contract)."""
        return {**self.to_json(), "metrics": {k: float(v) for k, v in self.metrics.items()}}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Quality:
        return cls(
            ok=bool(raw["ok"]),
            issues=tuple(raw.get("issues", ())),
            metrics=dict(raw.get("metrics", {})),
        )


@dataclass(frozen=True)
class Document:
    """Everything the pre-check needs to know about one uploaded file.

    ``doc_type`` may be given as its string value; it is stored as a :class:`DocType` (an unknown
    type raises ``ValueError``).

    ``sides``: for an ID card, the sides the upload shows (``(FRONT,)``, ``(BACK,)`` or both,
    in that order, when one file holds front and back; such a document is typed
    ``id_card_front`` and carries both sides' fields); empty for every other type. Given as
    strings or :class:`IdCardSide`; when omitted for an ID-card type it is that type's side."""

    doc_type: DocType
    confidence: float
    pages: int
    quality: Quality
    fields: Mapping[str, Field]
    sha256: str = ""
    sides: tuple[IdCardSide, ...] = ()
    #: signatures, fingerprints and seals in the places the type must carry them
    #: (:class:`ocr.marks.MarkResult`); empty for types without such places
    marks: tuple[Any, ...] = ()
    #: whether the mark detector looked at this document (its type has places and it was
    #: read from pixels): with ``marks`` empty, it found none of the places it looked for
    marks_read: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "doc_type", DocType(self.doc_type))
        sides = {IdCardSide(x) for x in self.sides}
        if not sides and self.doc_type in ID_CARD_SIDE_OF:
            sides = {ID_CARD_SIDE_OF[self.doc_type]}
        if sides and self.doc_type not in ID_CARD_SIDE_OF:
            raise ValueError(f"{self.doc_type.value} has no ID-card sides")
        object.__setattr__(self, "sides", tuple(x for x in IdCardSide if x in sides))

    @property
    def both_sides(self) -> bool:
        """An ID card with front and back in one upload."""
        return len(self.sides) == len(IdCardSide)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_type": self.doc_type.value,
            "confidence": round(float(self.confidence), 4),
            "pages": self.pages,
            "quality": self.quality.to_json(),
            "fields": {k: f.to_json() for k, f in self.fields.items()},
            # an extension of CONTRACT §1: the mark places (only for types that have them;
            # an empty list: the detector looked and found none of them)
            **(
                {"marks": [m.to_json() for m in self.marks]}
                if self.marks_read or self.marks
                else {}
            ),
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything the document holds, as plain JSON types: :meth:`to_json` (CONTRACT §1)
        plus the quality metrics, the file's digest and the ID-card sides.
        :meth:`from_dict` reads it back to an equal document (confidences as rounded here)."""
        out = self.to_json()
        out["quality"] = self.quality.to_dict()
        out["sha256"] = self.sha256
        out["sides"] = [x.value for x in self.sides]
        return out

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Document:
        """The document :meth:`to_dict` (or :meth:`to_json`) wrote. An unknown document type,
        quality code or side raises ``ValueError``; a missing key ``KeyError``."""
        return cls(
            doc_type=raw["doc_type"],
            confidence=float(raw["confidence"]),
            pages=int(raw["pages"]),
            quality=Quality.from_dict(raw["quality"]),
            fields={k: Field.from_json(f) for k, f in raw["fields"].items()},
            sha256=str(raw.get("sha256", "")),
            sides=tuple(raw.get("sides", ())),
            marks=_marks_from_json(raw.get("marks", ())),
            marks_read="marks" in raw,
        )


def _marks_from_json(raw: Any) -> tuple[Any, ...]:
    if not raw:
        return ()
    from ocr.marks import MarkResult  # the detector's result type (ocr.marks imports this)

    return tuple(MarkResult.from_json(m) for m in raw)
