"""Request and response models of the HTTP API (CONTRACT §4), separate from the ORM models."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

# --- accounts --------------------------------------------------------------------------------


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=8, max_length=256)
    name: str = Field(default="", max_length=64)


class UserOut(BaseModel):
    id: str
    username: str
    role: str


class IdentityOut(BaseModel):
    """The account's real-name identity as an answer shows it: the ID number masked."""

    verified: bool
    name: str | None = None
    id_number: str | None = None
    provider: str | None = None
    verified_at: str | None = None


class MeOut(UserOut):
    name: str
    matters: list[str]
    identity: IdentityOut = Field(default_factory=lambda: IdentityOut(verified=False))


class IdentityAssertionIn(BaseModel):
    """The signed assertion the province's real-name login handed back (a JWT)."""

    model_config = ConfigDict(extra="forbid")

    assertion: str = Field(min_length=16, max_length=8192)


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int


# --- matters ---------------------------------------------------------------------------------


class MatterSummary(BaseModel):
    id: str
    name: str
    department: str | None = None
    promised_time_limit: str | None = None


class QuestionOut(BaseModel):
    id: str
    text: str


class SlotOut(BaseModel):
    id: str
    name: str
    doc_types: list[str]
    provided_by: str
    per: str | None = None
    originals: str | None = None
    note: str | None = None


class MatterOut(MatterSummary):
    legal_time_limit: str | None = None
    fee: str | None = None
    visits: str | None = None
    questions: list[QuestionOut]
    slots: list[SlotOut]


class AnswersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, StrictBool] = Field(default_factory=dict)


class ChecklistItemOut(BaseModel):
    slot: str
    name: str
    reason: str
    provided_by: str
    originals: str | None = None
    per: str | None = None
    accept_missing: bool = False
    note: str | None = None


class ChecklistOut(BaseModel):
    matter: str
    items: list[ChecklistItemOut]


# --- applications ----------------------------------------------------------------------------


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    matter: str = Field(min_length=1, max_length=64)
    answers: dict[str, StrictBool] = Field(default_factory=dict)


class QualityOut(BaseModel):
    ok: bool
    issues: list[str]


class FileOut(BaseModel):
    id: str
    slot: str
    filename: str
    size: int
    sha256: str
    status: Literal["queued", "reading", "done", "failed"]
    doc_type: str | None = None
    source: Literal["upload", "e_certificate", "shared"] = "upload"
    quality: QualityOut | None = None
    #: why a ``failed`` file could not be read (``unsupported_type``, ``corrupt_file``, …)
    error: str | None = None


class ReportOut(BaseModel):
    """The ``precheck --json`` shape (ID numbers masked)."""

    model_config = ConfigDict(extra="allow")

    verdict: Literal["ready", "needs_fix", "needs_review"]
    findings: list[dict[str, Any]]
    checklist: list[dict[str, Any]]


class CertificateOut(BaseModel):
    identifier: str
    verify_url: str
    status: str


class DeliveryEventOut(BaseModel):
    at: datetime
    status: str
    text: str


class DeliveryOut(BaseModel):
    method: Literal["pickup", "courier"]
    carrier: str | None = None
    tracking_number: str | None = None
    status: str
    events: list[DeliveryEventOut] = Field(default_factory=list)
    pickup_code: str | None = None


class DecisionOut(BaseModel):
    """A reviewer's last decision: what was decided, why, and what to change where."""

    decision: str
    reason: str | None
    items: list[dict[str, Any]]
    at: datetime


class ApplicationOut(BaseModel):
    id: str
    matter: str
    state: str
    answers: dict[str, bool]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    due_at: datetime | None = None
    files: list[FileOut]
    report: ReportOut | None = None
    certificate: CertificateOut | None = None
    delivery: DeliveryOut | None = None
    # why a case was returned or rejected, so the citizen knows what to change
    decision: DecisionOut | None = None


class NewApplicationOut(ApplicationOut):
    """A new application, with its checklist (一次性告知)."""

    checklist: list[ChecklistItemOut]


class SharingOut(BaseModel):
    """``POST /api/applications/{id}/sharing``: what this call filled, every slot now filled by
    data sharing, and the application (its report follows once the pre-check has run)."""

    filled: list[str]
    shared: list[str]
    application: ApplicationOut


class Recipient(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    phone: str = Field(pattern=r"^\+?[0-9\- ]{6,20}$")
    province: str = Field(min_length=1, max_length=32)
    city: str = Field(min_length=1, max_length=32)
    district: str = Field(min_length=1, max_length=32)
    address: str = Field(min_length=1, max_length=200)


class DeliveryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Literal["pickup", "courier"]
    carrier: Literal["sf", "kuaidi100"] | None = None
    recipient: Recipient | None = None

    @model_validator(mode="after")
    def _courier_needs_an_address(self) -> DeliveryIn:
        if self.method == "courier" and (self.carrier is None or self.recipient is None):
            raise ValueError("邮寄须填写 carrier 和 recipient")
        return self
