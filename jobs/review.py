"""Review of submitted applications: the queue, claims with a lease, flags with image crops,
confirmations and corrections, decisions.

The pure parts (crops, leases, flags, applying reviewed values to documents) are here with the
use cases that call them, so the HTTP layer only parses and answers.
"""

from __future__ import annotations

import functools
import io
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

import numpy as np
from PIL import Image
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cases.applications import move
from cases.audit import append_event
from cases.crypto import FieldCipher
from cases.errors import ConcurrentUpdateError
from cases.models import Application, AuditEvent, Review, Upload, User
from common import mask_ids
from jobs import outbox
from jobs.errors import JobError, NotFoundError
from ocr import LOW_CONFIDENCE
from ocr.decode import decode
from ocr.document import Document, Field
from ocr.errors import OcrError
from ocr.settings import OcrSettings


class ReviewSettings(BaseSettings):
    """Env prefix ``PAOYICI_REVIEW_``."""

    model_config = SettingsConfigDict(env_prefix="PAOYICI_REVIEW_", extra="ignore")

    # A claim lapses after this long without renewal, so a case never stays with someone who
    # went home; claiming again (or acting on the case) renews it.
    claim_minutes: int = 30
    # Margin around a field's box in its crop, as a share of the box's height (at least 8 px).
    crop_margin: float = 0.35
    # A crop wider or taller than this is scaled down (a reviewer's screen, not an archive).
    crop_max_side: int = 1600

    def insecure_defaults(self) -> list[str]:
        return []


# ------------------------------------------------------------------ errors


class ReviewError(JobError):
    code = "review_error"
    message = "复核操作出错"


class ClaimedError(ReviewError):
    """Another reviewer holds an unexpired claim on the case."""

    code = "claimed"

    def __init__(self, *, holder: str, until: datetime) -> None:
        self.holder = holder
        self.until = until
        super().__init__(
            f"该办件已由{holder}领取，领取有效至 {until.isoformat(timespec='minutes')}",
            detail=f"claimed until {until.isoformat()}",
        )

    def details(self) -> dict[str, Any]:
        return {"assignee": self.holder, "claim_expires_at": self.until.isoformat()}


class NotClaimedError(ReviewError):
    """Acting on a case needs the caller's own live claim on it."""

    code = "not_claimed"
    message = "请先领取该办件再进行复核操作"


class OwnApplicationError(ReviewError):
    """Nobody decides (or reviews) their own application."""

    code = "own_application"
    message = "不能复核或决定本人提交的办件"


class NotReviewableError(ReviewError):
    code = "not_reviewable"
    message = "该办件当前状态不能复核"


class ReasonRequiredError(ReviewError):
    code = "reason_required"
    message = "退回或不予受理必须填写理由"


class UnknownFieldError(ReviewError):
    code = "unknown_field"

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(f"该材料没有字段“{field}”", detail=f"unknown field {field!r}")


class InvalidCorrectionError(ReviewError):
    code = "invalid_correction"
    message = "更正值的格式与该字段不符"


class UnknownSlotInReturnError(ReviewError):
    code = "unknown_slot"

    def __init__(self, slot: str) -> None:
        self.slot = slot
        super().__init__(f"该事项没有材料项“{slot}”", detail=f"unknown slot {slot!r}")


class CropUnavailableError(ReviewError):
    """The field has no box on a page that can be shown (no crop to serve)."""

    code = "crop_unavailable"
    message = "该字段没有可显示的图像区域"


# ------------------------------------------------------------------ crops

Box = Sequence[float]


def crop_field(
    data: bytes,
    *,
    page: int,
    box: Box,
    ocr_settings: OcrSettings,
    margin: float = 0.35,
    max_side: int = 1600,
) -> bytes:
    """A PNG of ``box`` on page ``page`` of an uploaded file, with a margin around it.

    ``box`` is ``[x0, y0, x1, y1]`` in pixels of the page as uploaded (CONTRACT §1: after mapping
    back through rotation or warp; EXIF orientation applied; PDF pages at ``pdf_dpi``), which
    is the image :func:`ocr.decode.decode` gives back — so the crop is cut from exactly what
    the reader saw. PDF pages read from their text layer are rendered for the crop.
    """
    x0, y0, x1, y1 = _check_box(box)
    # render every PDF page: a text-layer page has no image of its own
    render_all = ocr_settings.model_copy(update={"text_layer_min_chars": 10**9})
    try:
        _, pages = decode(data, settings=render_all)
    except OcrError as e:
        raise CropUnavailableError(detail=f"decode: {e.code}") from e
    if not 0 <= page < len(pages) or pages[page].image is None:
        raise CropUnavailableError(detail=f"page {page} of {len(pages)}")
    image = pages[page].image
    assert image is not None
    height, width = image.shape[:2]
    pad = max(8.0, margin * (y1 - y0))
    left, top = max(0, math.floor(x0 - pad)), max(0, math.floor(y0 - pad))
    right, bottom = min(width, math.ceil(x1 + pad)), min(height, math.ceil(y1 + pad))
    if right <= left or bottom <= top:
        raise CropUnavailableError(detail=f"box {list(box)} outside {width}x{height}")
    region = np.ascontiguousarray(image[top:bottom, left:right, ::-1])  # BGR → RGB
    out = Image.fromarray(region)
    if max(out.size) > max_side:
        out.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    out.save(buf, format="PNG")
    return buf.getvalue()


def _check_box(box: Box | None) -> tuple[float, float, float, float]:
    if box is None or len(box) != 4:
        raise CropUnavailableError(detail=f"box {box!r}")
    x0, y0, x1, y1 = (float(v) for v in box)
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)) or x1 <= x0 or y1 <= y0:
        raise CropUnavailableError(detail=f"box {list(box)}")
    return x0, y0, x1, y1


# ------------------------------------------------------------------ leases


@dataclass(frozen=True)
class Lease:
    """Who holds a case and until when (``None`` holder: nobody)."""

    holder_id: str | None
    expires_at: datetime | None

    def held_by_other(self, reviewer_id: str, now: datetime) -> bool:
        return self.live(now) and self.holder_id != reviewer_id

    def held_by(self, reviewer_id: str, now: datetime) -> bool:
        return self.live(now) and self.holder_id == reviewer_id

    def live(self, now: datetime) -> bool:
        return (
            self.holder_id is not None
            and self.expires_at is not None
            and _aware_utc(self.expires_at) > now
        )


def take_lease(current: Lease, *, reviewer_id: str, now: datetime, minutes: int) -> Lease:
    """The lease after ``reviewer_id`` claims: theirs for ``minutes`` from now, renewed if
    they already held it. Raises ClaimedError while another reviewer's lease is live."""
    if current.held_by_other(reviewer_id, now):
        assert current.holder_id is not None and current.expires_at is not None
        raise ClaimedError(holder=current.holder_id, until=_aware_utc(current.expires_at))
    return Lease(holder_id=reviewer_id, expires_at=now + timedelta(minutes=minutes))


def _aware_utc(at: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


# ------------------------------------------------------------------ flags


@dataclass(frozen=True)
class Flag:
    """One uncertain field a reviewer must look at, where it is and how sure the reader was."""

    file: str  # the file's id in the application
    file_index: int
    slot: str
    field: str
    page: int
    box: tuple[int, int, int, int] | None
    value: Any
    confidence: float
    reasons: tuple[str, ...]  # finding codes that point at it (e.g. low_confidence)


def flags_of(
    report: Mapping[str, Any] | None,
    *,
    file_ids: Mapping[int, str],
    reviewed: Iterable[tuple[str, str]] = (),
    threshold: float = LOW_CONFIDENCE,
) -> list[Flag]:
    """The uncertain fields of a stored report (``precheck --json`` shape): every field read
    below ``threshold`` and every field a warning finding names, minus those already
    confirmed or corrected (``reviewed``: (file id, field) pairs). ``file_ids`` maps the
    report's file index to the file's id."""
    if not report:
        return []
    done = set(reviewed)
    pointed: dict[tuple[int, str], list[str]] = {}
    for finding in report.get("findings", []):
        if finding.get("severity") == "error" or not finding.get("field"):
            continue
        for ev in finding.get("evidence", []):
            key = (int(ev.get("file", -1)), str(finding["field"]))
            pointed.setdefault(key, []).append(str(finding.get("code")))
    flags: list[Flag] = []
    for doc in report.get("documents", []):
        index = int(doc.get("file", -1))
        file_id = file_ids.get(index)
        if file_id is None:
            continue
        for name, field in (doc.get("fields") or {}).items():
            confidence = float(field.get("confidence", 0.0))
            reasons = pointed.get((index, name), [])
            if confidence >= threshold and not reasons:
                continue
            if (file_id, name) in done:
                continue
            box = field.get("box")
            flags.append(
                Flag(
                    file=file_id,
                    file_index=index,
                    slot=str(doc.get("slot", "")),
                    field=name,
                    page=int(field.get("page", 0)),
                    box=_box4(box),
                    value=field.get("value"),
                    confidence=round(confidence, 4),
                    reasons=tuple(dict.fromkeys(reasons)),
                )
            )
    flags.sort(key=lambda f: (f.file_index, f.confidence, f.field))
    return flags


def _box4(box: Any) -> tuple[int, int, int, int] | None:
    if not isinstance(box, list | tuple) or len(box) != 4:
        return None
    x0, y0, x1, y1 = (int(v) for v in box)
    return x0, y0, x1, y1


# ------------------------------------------------------------------ reviewed values


@dataclass(frozen=True)
class FieldReview:
    """A reviewer's word on one field: ``confirm`` keeps the value, ``correct`` replaces it."""

    file: str
    field: str
    action: str  # "confirm" | "correct"
    value: Any = None


REVIEWED_CONFIDENCE = 1.0


def check_correction(current: Field | None, value: Any) -> Any:
    """``value`` if it has the shape of the field (text for text, a list for a list, an object
    for an object); raises InvalidCorrectionError."""
    if value is None:
        raise InvalidCorrectionError(detail="no value")
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise InvalidCorrectionError(detail="empty value")
    expected = type(current.value) if current is not None else str
    if not isinstance(value, expected):
        raise InvalidCorrectionError(
            detail=f"expected {expected.__name__}, got {type(value).__name__}"
        )
    if isinstance(value, list) and not value:
        raise InvalidCorrectionError(detail="empty list")
    return value


def apply_reviews(document: Document, reviews: Iterable[FieldReview]) -> Document:
    """``document`` with reviewed fields: a confirmed or corrected field counts as read with
    certainty (a person looked at the image), a correction replaces the value. Later reviews of
    the same field win."""
    fields = dict(document.fields)
    for review in reviews:
        current = fields.get(review.field)
        if review.action == "confirm":
            if current is None:
                continue
            fields[review.field] = replace(current, confidence=REVIEWED_CONFIDENCE, suggestion=None)
        elif review.action == "correct":
            base = current or Field(value=review.value, confidence=REVIEWED_CONFIDENCE)
            fields[review.field] = replace(
                base,
                value=review.value,
                confidence=REVIEWED_CONFIDENCE,
                suggestion=None,
                valid=None,
            )
    return replace(document, fields=fields)


# ------------------------------------------------------------------ use cases

# Submitted cases a reviewer may work on (not with the citizen, not decided).
REVIEWABLE_STATES = frozenset({"prechecking", "needs_review", "ready", "accepted_pending"})
# Where a decision may be taken: the pre-check has spoken and nothing must be fixed first.
DECIDABLE_STATES = frozenset({"needs_review", "ready", "accepted_pending"})
DECISIONS = ("approve", "return", "reject")
_DECISION_STATE = {"approve": "approved", "return": "returned", "reject": "rejected"}


class Actor(Protocol):
    """Who acts (``api.security.Principal`` has this shape; jobs do not import api)."""

    @property
    def id(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def matters(self) -> tuple[str, ...]: ...
    def sees_matter(self, matter_id: str) -> bool: ...


@dataclass(frozen=True)
class QueueItem:
    id: str
    matter: str
    state: str
    verdict: str | None
    submitted_at: datetime
    due_at: datetime | None
    assignee: str | None
    claim_expires_at: datetime | None


def _now() -> datetime:
    return datetime.now(UTC)


_F = TypeVar("_F", bound=Callable[..., Any])


def _one_writer(fn: _F) -> _F:
    """Two staff writing one case at once: the second finds the row's version moved on
    (optimistic locking) and is told so — 409 ``concurrent_update``, never a 500."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except StaleDataError as e:
            raise ConcurrentUpdateError() from e

    return wrapper  # type: ignore[return-value]


def _audit(session: Session, actor: Actor, action: str, application_id: str, **data: Any) -> None:
    append_event(
        session,
        actor=actor.username,
        role=str(actor.role),
        action=action,
        subject_type="application",
        subject_id=application_id,
        data=data,
    )


def review_queue(
    session: Session,
    actor: Actor,
    *,
    matter: str | None = None,
    state: str | None = None,
    now: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[QueueItem]:
    """Submitted cases of the actor's matters that wait for the office, oldest deadline first
    (cases without a deadline last, then by submission). The actor's own cases are not listed."""
    q = select(Application).where(
        Application.submitted_at.is_not(None),
        Application.state.in_(sorted(REVIEWABLE_STATES)),
    )
    if matter:
        q = q.where(Application.matter_id == matter)
    if actor.matters:  # staff of some matters only (none named: every matter)
        q = q.where(Application.matter_id.in_(sorted(actor.matters)))
    if state:
        q = q.where(Application.state == state)
    # nobody reviews their own application: it is not even listed to them
    q = q.where(or_(Application.owner_id.is_(None), Application.owner_id != actor.id))
    q = q.order_by(
        Application.due_at.is_(None), Application.due_at, Application.submitted_at, Application.id
    )
    rows = [
        a
        for a in session.execute(q.offset(offset).limit(limit)).scalars()
        if actor.sees_matter(a.matter_id)
    ]
    at = now or _now()
    holders = _usernames(session, {a.assignee_id for a in rows if a.assignee_id})
    out = []
    for a in rows:
        lease = Lease(a.assignee_id, a.claim_expires_at)
        assert a.submitted_at is not None
        out.append(
            QueueItem(
                id=a.id,
                matter=a.matter_id,
                state=a.state,
                verdict=a.verdict,
                submitted_at=_aware_utc(a.submitted_at),
                due_at=_aware_utc(a.due_at) if a.due_at else None,
                assignee=holders.get(a.assignee_id or "") if lease.live(at) else None,
                claim_expires_at=_aware_utc(a.claim_expires_at)
                if lease.live(at) and a.claim_expires_at
                else None,
            )
        )
    return out


def _usernames(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(sorted(ids))))
    return {uid: name for uid, name in rows}


def case_for_staff(session: Session, actor: Actor, application_id: str) -> Application:
    """The case as staff may see it: submitted and of a matter they see; otherwise exactly
    as if it did not exist (404 ``not_found``)."""
    application = session.get(Application, application_id)
    if (
        application is None
        or application.submitted_at is None
        or not actor.sees_matter(application.matter_id)
    ):
        raise NotFoundError()
    return application


def _reviewable_by(application: Application, actor: Actor) -> None:
    if application.owner_id is not None and application.owner_id == actor.id:
        raise OwnApplicationError()


def _require_claim(application: Application, actor: Actor, now: datetime) -> None:
    if not Lease(application.assignee_id, application.claim_expires_at).held_by(actor.id, now):
        raise NotClaimedError()


@_one_writer
def claim_case(
    session: Session,
    actor: Actor,
    application_id: str,
    *,
    settings: ReviewSettings,
    now: datetime | None = None,
) -> Application:
    """Take (or renew) the actor's lease on a case; 409 ``claimed`` while another holds it."""
    at = now or _now()
    application = case_for_staff(session, actor, application_id)
    _reviewable_by(application, actor)
    if application.state not in REVIEWABLE_STATES:
        raise NotReviewableError()
    current = Lease(application.assignee_id, application.claim_expires_at)
    renewed = current.held_by(actor.id, at)
    try:
        lease = take_lease(current, reviewer_id=actor.id, now=at, minutes=settings.claim_minutes)
    except ClaimedError as e:
        holder = _usernames(session, {e.holder}).get(e.holder, e.holder)
        raise ClaimedError(holder=holder, until=e.until) from None
    application.assignee_id = lease.holder_id
    application.claim_expires_at = lease.expires_at
    session.flush()
    if not renewed:
        assert lease.expires_at is not None
        _audit(
            session,
            actor,
            "application.claimed",
            application.id,
            until=lease.expires_at.isoformat(),
        )
    return application


@_one_writer
def release_case(
    session: Session, actor: Actor, application_id: str, *, now: datetime | None = None
) -> Application:
    """Give a claimed case back to the queue before the lease runs out."""
    at = now or _now()
    application = case_for_staff(session, actor, application_id)
    _require_claim(application, actor, at)
    application.claim_expires_at = None
    application.assignee_id = None
    session.flush()
    _audit(session, actor, "application.released", application.id)
    return application


def _active_uploads(application: Application) -> list[Upload]:
    return list(application.uploads)


@_one_writer
def review_field(
    session: Session,
    actor: Actor,
    application_id: str,
    *,
    file_id: str,
    field: str,
    action: str,
    value: Any,
    current: Field | None,
    cipher: FieldCipher,
    now: datetime | None = None,
) -> Application:
    """Confirm or correct one field; the correction is stored encrypted and audited (masked),
    and the rules run again with it (state → prechecking, job ``precheck_application``).

    ``current`` is the field as read (None: the reader found no such field — only a correction
    can add it)."""
    at = now or _now()
    application = case_for_staff(session, actor, application_id)
    _reviewable_by(application, actor)
    _require_claim(application, actor, at)
    if application.state not in DECIDABLE_STATES:
        raise NotReviewableError()
    if action not in ("confirm", "correct"):
        raise InvalidCorrectionError(detail=f"action {action!r}")
    if not any(str(u.id) == str(file_id) for u in _active_uploads(application)):
        raise NotFoundError()
    if action == "confirm":
        if current is None:
            raise UnknownFieldError(field)
        stored = current.value
    else:
        stored = check_correction(current, value)
    session.add(
        Review(
            application_id=application.id,
            reviewer=actor.id,
            decision=action,
            field=field,
            correction_enc=cipher.encrypt_json(
                {"file": str(file_id), "field": field, "action": action, "value": stored}
            ),
        )
    )
    session.flush()
    _audit(
        session,
        actor,
        f"application.field_{action}ed" if action == "confirm" else "application.field_corrected",
        application.id,
        file=str(file_id),
        field=field,
        value=mask_ids(
            stored if isinstance(stored, str) else json.dumps(stored, ensure_ascii=False)
        ),
    )
    move(
        session,
        application,
        "prechecking",
        actor=actor.username,
        role=str(actor.role),
        reason="复核人员确认或更正了字段，重新预审",
    )
    _enqueue(session, "precheck_application", application_id=application.id)
    return application


def field_reviews(
    session: Session, application_id: str, *, cipher: FieldCipher
) -> dict[str, list[FieldReview]]:
    """Every confirmation and correction of a case, per file id, oldest first (what the
    pre-check applies with :func:`apply_reviews` before it runs the rules again)."""
    rows = session.execute(
        select(Review)
        .where(
            Review.application_id == application_id,
            Review.decision.in_(("confirm", "correct")),
            Review.correction_enc.is_not(None),
        )
        .order_by(Review.id)
    ).scalars()
    out: dict[str, list[FieldReview]] = {}
    for r in rows:
        assert r.correction_enc is not None
        raw = cipher.decrypt_json(r.correction_enc)
        out.setdefault(str(raw["file"]), []).append(
            FieldReview(
                file=str(raw["file"]),
                field=str(raw["field"]),
                action=str(raw["action"]),
                value=raw.get("value"),
            )
        )
    return out


@_one_writer
def decide(
    session: Session,
    actor: Actor,
    application_id: str,
    *,
    decision: str,
    reason: str | None,
    items: Sequence[Mapping[str, Any]] = (),
    slots: Iterable[str] | None = None,
    now: datetime | None = None,
) -> Application:
    """Approve, return (with reasons tied to slots and fields) or reject a claimed case.

    An approval enqueues ``issue_certificate`` in the same transaction, so it leads by itself to
    ``issued``. Nobody decides their own application."""
    at = now or _now()
    application = case_for_staff(session, actor, application_id)
    _reviewable_by(application, actor)
    _require_claim(application, actor, at)
    if decision not in DECISIONS:
        raise ReviewError(f"未知的决定“{decision}”", detail=f"decision {decision!r}")
    text = (reason or "").strip()
    if decision != "approve" and not text:
        raise ReasonRequiredError()
    if application.state not in DECIDABLE_STATES:
        raise NotReviewableError()
    returned = [dict(i) for i in items] if decision == "return" else []
    known = set(slots) if slots is not None else None
    for item in returned:
        slot = item.get("slot")
        if known is not None and slot is not None and slot not in known:
            raise UnknownSlotInReturnError(str(slot))
    session.add(
        Review(
            application_id=application.id,
            reviewer=actor.id,
            decision=decision,
            reason=json.dumps({"reason": text, "items": returned}, ensure_ascii=False)
            if returned
            else text or None,
        )
    )
    move(
        session,
        application,
        _DECISION_STATE[decision],
        actor=actor.username,
        role=str(actor.role),
        reason=text or None,
        data={"decision": decision, "items": returned} if returned else {"decision": decision},
    )
    application.claim_expires_at = None
    session.flush()
    if decision == "approve":
        _enqueue(session, "issue_certificate", application_id=application.id)
    return application


def latest_decision(session: Session, application_id: str) -> dict[str, Any] | None:
    """The last approve / return / reject of a case: what was decided, why, and — for a
    return — what to change in which slot and field (shown to the citizen and to staff)."""
    review = session.scalars(
        select(Review)
        .where(Review.application_id == application_id, Review.decision.in_(DECISIONS))
        .order_by(Review.id.desc())
        .limit(1)
    ).first()
    if review is None:
        return None
    reason, items = review.reason, []
    if reason and reason.startswith("{"):
        try:
            raw = json.loads(reason)
        except ValueError:
            raw = None
        if isinstance(raw, dict):
            reason, items = raw.get("reason"), list(raw.get("items") or [])
    return {
        "decision": review.decision,
        "reason": reason,
        "items": items,
        "at": _aware_utc(review.created_at),
    }


def record_staff_view(session: Session, actor: Actor, application: Application, what: str) -> None:
    """Audit that staff saw a case's personal data (the case view, a crop)."""
    _audit(session, actor, "application.viewed_by_staff", application.id, what=what)


def history(session: Session, actor: Actor, application_id: str) -> list[AuditEvent]:
    """The case's audit trail, oldest first (staff of its matter): the case itself, its files
    and its certificates (issued, revoked, superseded)."""
    application = case_for_staff(session, actor, application_id)
    subjects = [
        (AuditEvent.subject_type == "application") & (AuditEvent.subject_id == application.id)
    ]
    upload_ids = [str(u.id) for u in application.uploads]
    if upload_ids:
        subjects.append(
            (AuditEvent.subject_type == "upload") & AuditEvent.subject_id.in_(upload_ids)
        )
    identifiers = [c.identifier for c in application.certificates]
    if identifiers:
        subjects.append(
            (AuditEvent.subject_type == "certificate") & AuditEvent.subject_id.in_(identifiers)
        )
    q = select(AuditEvent).where(or_(*subjects)).order_by(AuditEvent.id)
    return list(session.execute(q).scalars())


def _enqueue(session: Session, name: str, **args: Any) -> None:
    outbox.enqueue(session, name, **args)
