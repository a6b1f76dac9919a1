"""What a rule says about an application: findings with evidence a page can highlight."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ocr.document import Box, Document


class Severity(StrEnum):
    """How a finding weighs on the verdict, in order: ``error`` → the applicant must fix
    something (needs_fix); ``warning`` → a reviewer must look (needs_review); ``info`` → shown,
    no effect on the verdict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


#: The values of :class:`Severity`, in order.
SEVERITIES: tuple[str, ...] = tuple(s.value for s in Severity)


class FindingCode(StrEnum):
    """Stable finding codes: CONTRACT §1's vocabulary, then the ones precheck adds."""

    MISSING_MATERIAL = "missing_material"
    MISSING_PAGE = "missing_page"
    WRONG_DOCUMENT = "wrong_document"
    UNREADABLE = "unreadable"
    EXPIRED_DOCUMENT = "expired_document"
    INVALID_ID_NUMBER = "invalid_id_number"
    FIELD_MISMATCH = "field_mismatch"
    LOW_CONFIDENCE = "low_confidence"
    # CONTRACT §1 codes no precheck rule yields yet (signatures, seals, e-certificates): part of
    # the vocabulary so reports and pages can already carry them
    MISSING_SIGNATURE = "missing_signature"
    MISSING_SEAL = "missing_seal"
    SEAL_MISMATCH = "seal_mismatch"
    CERTIFICATE_INVALID = "certificate_invalid"
    CERTIFICATE_REVOKED = "certificate_revoked"
    # added by precheck:
    #: the reader could not tell what the document is
    UNKNOWN_DOCUMENT = "unknown_document"
    #: a material the reader cannot check (e.g. 公司章程): a person must
    MANUAL_REVIEW = "manual_review"
    #: 容缺受理: missing, accepted on a signed promise until a deadline
    ACCEPTED_PENDING = "accepted_pending"
    #: the signed-in citizen's verified identity is none of the application's parties
    APPLICANT_NOT_PARTY = "applicant_not_party"


#: The values of :class:`FindingCode`.
CODES: tuple[str, ...] = tuple(c.value for c in FindingCode)


@dataclass(frozen=True)
class Evidence:
    """Where on which upload a finding is visible. ``file`` is the index of the upload.

    ``confidence``: when the evidence is a value read from the document, the confidence it was
    read with (None: not a read value, e.g. a document type or a file problem). Not part of the
    JSON; the engine uses it so that no ``error`` rests on an uncertain reading."""

    file: int
    page: int = 0
    box: Box | None = None
    value: Any = None
    confidence: float | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "page": self.page,
            "box": list(self.box) if self.box is not None else None,
            "value": self.value,
        }


@dataclass(frozen=True)
class Finding:
    """``code`` and ``severity`` may be given as their string values; they are stored as
    :class:`FindingCode` and :class:`Severity` (an unknown one raises ``ValueError``)."""

    code: FindingCode
    severity: Severity
    slot: str | None
    field: str | None
    message: str  # Simplified Chinese: what the applicant (or reviewer) should do
    evidence: tuple[Evidence, ...] = ()
    deadline: str | None = None  # accepted_pending only: ISO date the promise runs out

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown finding code {self.code!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        object.__setattr__(self, "code", FindingCode(self.code))
        object.__setattr__(self, "severity", Severity(self.severity))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code.value,
            "severity": self.severity.value,
            "slot": self.slot,
            "field": self.field,
            "message": self.message,
            "evidence": [e.to_json() for e in self.evidence],
        }
        if self.deadline is not None:
            out["deadline"] = self.deadline
        return out


@dataclass(frozen=True)
class FileProblem:
    """An upload that could not be read at all (CONTRACT: unsupported/corrupt/too large/...)."""

    code: str
    message: str


@dataclass(frozen=True)
class Upload:
    """One uploaded file in a slot. ``file`` is its index in the application (0-based).

    Exactly one of ``document`` and ``problem`` is set.
    """

    slot: str
    file: int
    document: Document | None
    problem: FileProblem | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.document is None) == (self.problem is None):
            raise ValueError("an Upload has either a document or a problem")
