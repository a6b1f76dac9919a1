"""What a rule says about an application: findings with evidence a page can highlight."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ocr.document import Box, Document

#: Severities, in order. ``error`` → the applicant must fix something (needs_fix); ``warning``
#: → a reviewer must look (needs_review); ``info`` → shown, no effect on the verdict.
SEVERITIES = ("error", "warning", "info")

#: Stable finding codes (CONTRACT §1 plus the ones precheck adds).
CODES = (
    "missing_material",
    "missing_page",
    "wrong_document",
    "unreadable",
    "expired_document",
    "invalid_id_number",
    "field_mismatch",
    "low_confidence",
    # added by precheck:
    "unknown_document",  # the reader could not tell what the document is
    "manual_review",  # a material the reader cannot check (e.g. 公司章程): a person must
    "accepted_pending",  # 容缺受理: missing, accepted on a signed promise until a deadline
)


@dataclass(frozen=True)
class Evidence:
    """Where on which upload a finding is visible. ``file`` is the index of the upload."""

    file: int
    page: int = 0
    box: Box | None = None
    value: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "page": self.page,
            "box": list(self.box) if self.box is not None else None,
            "value": self.value,
        }


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
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

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
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
