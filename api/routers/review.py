"""Reviewer routes (CONTRACT §4 "Review"): the queue, claims, flags with crops, field reviews,
decisions, a case's audit history. Reviewers act; supervisors and admins read.

Each route parses, calls one function of :mod:`jobs.review` and answers. A case another
reviewer's matters hold, or one not yet submitted, answers 404 exactly as a missing one does.
Crops are personal data: served only to staff, never cached (``Cache-Control: no-store``), and
every view is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ReviewerDep, ServicesDep, SessionDep, StaffDep
from api.schemas import ApplicationOut, DecisionOut
from api.security import Principal
from api.services import Services
from cases.accounts import Role
from cases.models import Application, Upload
from common import mask_ids
from jobs import applications as citizen_side
from jobs import review as use
from jobs.deadlines import DeadlineStatus
from jobs.errors import NotFoundError
from ocr.document import Field as OcrField
from precheck.intake import document_from_dict
from storage import Bucket

router = APIRouter(prefix="/api/review", tags=["复核"])

NO_STORE = {"Cache-Control": "no-store, private", "Pragma": "no-cache"}


# ------------------------------------------------------------------ schemas


class QueueItemOut(BaseModel):
    id: str
    matter: str
    state: str
    verdict: str | None
    submitted_at: datetime
    due_at: datetime | None
    assignee: str | None
    claim_expires_at: datetime | None = None
    deadline_status: DeadlineStatus | None = None


class FlagOut(BaseModel):
    file: str
    slot: str
    field: str
    page: int
    box: list[int] | None
    value: Any
    confidence: float
    reasons: list[str]
    crop_url: str | None


class ReviewApplicationOut(ApplicationOut):
    """The *Application* with what the reviewer must look at, and the last decision."""

    flags: list[FlagOut]
    decision: DecisionOut | None = None


class ClaimOut(BaseModel):
    id: str
    assignee: str
    claim_expires_at: datetime


class FieldReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str = Field(min_length=1, max_length=64)
    field: str = Field(min_length=1, max_length=64)
    action: Literal["confirm", "correct"]
    value: Any = None


class ReturnItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slot: str | None = Field(default=None, max_length=64)
    field: str | None = Field(default=None, max_length=64)
    reason: str = Field(min_length=1, max_length=500)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "return", "reject"]
    reason: str | None = Field(default=None, max_length=2000)
    # a return's reasons tied to slots and fields (一次性告知 of what to change)
    items: list[ReturnItem] = Field(default_factory=list, max_length=50)


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    subject_type: str
    subject_id: str
    data: dict[str, Any]
    hash: str


# ------------------------------------------------------------------ helpers


def _file_ids(application: Application) -> dict[int, str]:
    """The report's file index → the file's id (the uploads in order, as the pre-check job
    numbers them)."""
    return {i: str(u.id) for i, u in enumerate(application.uploads)}


def _active(application: Application) -> list[Upload]:
    return list(application.uploads)


def _upload(application: Application, file_id: str) -> Upload:
    for u in _active(application):
        if str(u.id) == file_id:
            return u
    raise NotFoundError()  # a file of another case: exactly as a missing one


def _fields_as_read(services: Services, upload: Upload) -> dict[str, OcrField]:
    """The fields the reader stored for an upload, whole (decrypted: staff need the value)."""
    doc = upload.document
    if doc is None or not doc.fields_enc:
        return {}
    payload = services.cipher.decrypt_json(doc.fields_enc) or {}
    if "document" not in payload:
        return {}  # a file that could not be read ("problem"): no fields
    return dict(document_from_dict(payload["document"]).fields)


def _reviewed_pairs(
    services: Services, session: SessionDep, application: Application
) -> set[tuple[str, str]]:
    reviews = use.field_reviews(session, application.id, cipher=services.cipher)
    return {(fid, r.field) for fid, rs in reviews.items() for r in rs}


def review_view(
    services: Services, session: SessionDep, application: Application, principal: Principal
) -> ReviewApplicationOut:
    """The *Application* a reviewer sees, plus ``flags``. A flag's value is whole for the
    reviewer, who decides on it; supervisors and admins, who only read, see ID numbers masked."""
    file_ids = _file_ids(application)
    flags = use.flags_of(
        application.report,
        file_ids=file_ids,
        reviewed=_reviewed_pairs(services, session, application),
    )
    uploads = {str(u.id): u for u in _active(application)}
    decides = principal.role is Role.REVIEWER
    read: dict[str, dict[str, OcrField]] = {}
    out_flags = []
    for f in flags:
        if f.file not in read:
            read[f.file] = _fields_as_read(services, uploads[f.file]) if decides else {}
        whole = read[f.file].get(f.field)
        out_flags.append(
            FlagOut(
                file=f.file,
                slot=f.slot,
                field=f.field,
                page=f.page,
                box=list(f.box) if f.box else None,
                value=whole.value if whole is not None else _masked(f.value),
                confidence=f.confidence,
                reasons=list(f.reasons),
                crop_url=(
                    f"/api/review/applications/{application.id}/files/{f.file}/crop?field={f.field}"
                    if f.box
                    else None
                ),
            )
        )
    view = citizen_side.application_view(services.job_context, session, application)
    return ReviewApplicationOut.model_validate({**view, "flags": out_flags})


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_ids(value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value


# ------------------------------------------------------------------ routes


@router.get("/queue", summary="待复核办件（承诺期限最早的在前）")
def queue(
    principal: StaffDep,
    services: ServicesDep,
    session: SessionDep,
    matter: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[str | None, Query(max_length=24)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[QueueItemOut]:
    deadlines = services.deadlines
    return [
        QueueItemOut(
            id=i.id,
            matter=i.matter,
            state=i.state,
            verdict=i.verdict,
            submitted_at=i.submitted_at,
            due_at=i.due_at,
            assignee=i.assignee,
            claim_expires_at=i.claim_expires_at,
            deadline_status=deadlines.status(i.due_at),
        )
        for i in use.review_queue(
            session, principal, matter=matter, state=state, limit=limit, offset=offset
        )
    ]


@router.post("/applications/{application_id}/claim", summary="领取办件（限时）")
def claim(
    application_id: str, principal: ReviewerDep, services: ServicesDep, session: SessionDep
) -> ClaimOut:
    app = use.claim_case(session, principal, application_id, settings=services.settings.review)
    assert app.claim_expires_at is not None
    return ClaimOut(id=app.id, assignee=principal.username, claim_expires_at=app.claim_expires_at)


@router.delete("/applications/{application_id}/claim", status_code=204, summary="放回待复核队列")
def release(application_id: str, principal: ReviewerDep, session: SessionDep) -> Response:
    use.release_case(session, principal, application_id)
    return Response(status_code=204)


@router.get("/applications/{application_id}", summary="办件详情与待确认字段")
def detail(
    application_id: str, principal: StaffDep, services: ServicesDep, session: SessionDep
) -> ReviewApplicationOut:
    app = use.case_for_staff(session, principal, application_id)
    use.record_staff_view(session, principal, app, "application")
    return review_view(services, session, app, principal)


@router.get(
    "/applications/{application_id}/files/{file_id}/crop",
    summary="字段所在的图像区域（PNG）",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
def crop(
    application_id: str,
    file_id: str,
    field: Annotated[str, Query(min_length=1, max_length=64)],
    principal: StaffDep,
    services: ServicesDep,
    session: SessionDep,
) -> Response:
    app = use.case_for_staff(session, principal, application_id)
    upload = _upload(app, file_id)
    read = _fields_as_read(services, upload).get(field)
    box: Any = read.box if read is not None else None
    page = read.page if read is not None else 0
    if box is None:
        box, page = _box_from_report(app, file_id, field)
    data = services.store.get_bytes(kind=Bucket.UPLOADS, key=upload.object_key)
    png = use.crop_field(
        data,
        page=page,
        box=box,
        ocr_settings=services.settings.ocr,
        margin=services.settings.review.crop_margin,
        max_side=services.settings.review.crop_max_side,
    )
    use.record_staff_view(session, principal, app, f"crop:{file_id}:{field}")
    return Response(content=png, media_type="image/png", headers=NO_STORE)


def _box_from_report(app: Application, file_id: str, field: str) -> tuple[list[int] | None, int]:
    index = {v: k for k, v in _file_ids(app).items()}.get(file_id)
    for doc in (app.report or {}).get("documents", []):
        if doc.get("file") == index:
            f = (doc.get("fields") or {}).get(field)
            if f:
                return f.get("box"), int(f.get("page", 0))
    return None, 0


@router.post("/applications/{application_id}/fields", summary="确认或更正字段（重新预审）")
def review_field(
    application_id: str,
    body: FieldReviewIn,
    principal: ReviewerDep,
    services: ServicesDep,
    session: SessionDep,
) -> ReviewApplicationOut:
    app = use.case_for_staff(session, principal, application_id)
    upload = _upload(app, body.file)
    current = _fields_as_read(services, upload).get(body.field)
    if current is None and body.action == "confirm":
        current = _field_from_report(app, body.file, body.field)
    app = use.review_field(
        session,
        principal,
        application_id,
        file_id=body.file,
        field=body.field,
        action=body.action,
        value=body.value,
        current=current,
        cipher=services.cipher,
    )
    return review_view(services, session, app, principal)


def _field_from_report(app: Application, file_id: str, field: str) -> OcrField | None:
    index = {v: k for k, v in _file_ids(app).items()}.get(file_id)
    for doc in (app.report or {}).get("documents", []):
        if doc.get("file") == index and field in (doc.get("fields") or {}):
            f = doc["fields"][field]
            return OcrField(value=f.get("value"), confidence=float(f.get("confidence", 0)))
    return None


@router.post("/applications/{application_id}/decision", summary="核准、退回或不予受理")
def decision(
    application_id: str,
    body: DecisionIn,
    principal: ReviewerDep,
    services: ServicesDep,
    session: SessionDep,
) -> ReviewApplicationOut:
    app = use.decide(
        session,
        principal,
        application_id,
        decision=body.decision,
        reason=body.reason,
        items=[i.model_dump() for i in body.items],
        slots=_slots_of(services, application_id, session),
    )
    return review_view(services, session, app, principal)


def _slots_of(services: Services, application_id: str, session: SessionDep) -> set[str] | None:
    app = session.get(Application, application_id)
    if app is None:
        return None
    return set(services.job_context.catalogue.get(app.matter_id).slots)


@router.get("/applications/{application_id}/audit", summary="办件的审计记录")
def audit(application_id: str, principal: StaffDep, session: SessionDep) -> list[AuditEventOut]:
    return [
        AuditEventOut(
            id=e.id,
            at=e.at,
            actor=e.actor,
            role=e.role,
            action=e.action,
            subject_type=e.subject_type,
            subject_id=e.subject_id,
            data=e.data,
            hash=e.hash,
        )
        for e in use.history(session, principal, application_id)
    ]
