"""Supervision, ratings and the one visit (issue 15): in-app notifications, the audited clock
pause, 好差评 ratings and their follow-ups, and 网上预约 (windows, slots, bookings, check-in).

The use cases live in ``jobs`` (:mod:`jobs.warnings`, :mod:`jobs.ratings`, :mod:`jobs.booking`);
these routes only translate HTTP to them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.deps import CitizenDep, PrincipalDep, ServicesDep, SessionDep, StaffDep, SupervisorDep
from cases.models import Application, Notification
from jobs import ratings, warnings
from jobs.errors import NotFoundError

router = APIRouter(tags=["效能监察"])


def _iso(at: datetime | None) -> str | None:
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _notification(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "kind": n.kind,
        "subject_type": n.subject_type,
        "subject_id": n.subject_id,
        "title": n.title,
        "body": n.body,
        "created_at": _iso(n.created_at),
        "read_at": _iso(n.read_at),
    }


@router.get("/api/notifications", summary="我的站内通知")
def notifications(
    principal: PrincipalDep, session: SessionDep, unread: bool = False
) -> list[dict[str, Any]]:
    q = select(Notification).where(Notification.user_id == principal.id)
    if unread:
        q = q.where(Notification.read_at.is_(None))
    rows = session.scalars(q.order_by(Notification.created_at.desc(), Notification.id.desc()))
    return [_notification(n) for n in rows.all()[:200]]


class ReadIn(BaseModel):
    ids: list[int] = Field(default_factory=list, max_length=500)


@router.post("/api/notifications/read", summary="标记通知为已读")
def read_notifications(
    body: ReadIn, principal: PrincipalDep, session: SessionDep
) -> dict[str, int]:
    """Marks the caller's own notices read (ids of another user's are ignored)."""
    rows = session.scalars(
        select(Notification).where(
            Notification.id.in_(body.ids),
            Notification.user_id == principal.id,
            Notification.read_at.is_(None),
        )
    ).all()
    now = datetime.now(UTC)
    for n in rows:
        n.read_at = now
    session.flush()
    return {"updated": len(rows)}


class PauseIn(BaseModel):
    reason: str = Field(pattern="^(returned|needs_fix|accepted_pending|other)$")
    note: str | None = Field(default=None, max_length=500)


def _staff_case(session: Any, principal: Any, application_id: str) -> Application:
    app = session.get(Application, application_id)
    if app is None or app.submitted_at is None:
        raise NotFoundError()
    if (
        principal.role == "reviewer"
        and principal.matters
        and app.matter_id not in principal.matters
    ):
        raise NotFoundError()
    return app


def _clock(session: Any, app: Application) -> dict[str, Any]:
    pause = warnings.open_pause(session, app.id)
    return {
        "application_id": app.id,
        "paused": pause is not None,
        "paused_since": _iso(pause.started_at) if pause else None,
        "reason": pause.reason if pause else None,
        "due_at": _iso(app.due_at),
    }


@router.post(
    "/api/supervision/applications/{application_id}/clock/pause", summary="暂停办理时限计时"
)
def pause_clock(
    application_id: str, body: PauseIn, principal: StaffDep, session: SessionDep
) -> dict[str, Any]:
    app = _staff_case(session, principal, application_id)
    warnings.pause_clock(
        session,
        application_id=app.id,
        reason=body.reason,
        note=body.note,
        actor=principal.username,
        role=str(principal.role),
        now=datetime.now(UTC),
    )
    session.flush()
    return _clock(session, app)


@router.post(
    "/api/supervision/applications/{application_id}/clock/resume", summary="恢复办理时限计时"
)
def resume_clock(
    application_id: str, principal: StaffDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    app = _staff_case(session, principal, application_id)
    warnings.resume_clock(
        session,
        application_id=app.id,
        actor=principal.username,
        role=str(principal.role),
        now=datetime.now(UTC),
        calendar=services.deadlines.calendar,
        settings=services.deadlines.settings,
    )
    session.flush()
    return _clock(session, app)


# --- 好差评 -----------------------------------------------------------------------------------


class RatingIn(BaseModel):
    level: int | str = Field(description="5…1 或 非常满意/满意/基本满意/不满意/非常不满意")
    reasons: list[str] = Field(default_factory=list, max_length=10)
    comment: str | None = Field(default=None, max_length=1000)


@router.post(
    "/api/applications/{application_id}/rating", status_code=201, summary="评价办件（好差评）"
)
def rate(
    application_id: str,
    body: RatingIn,
    principal: CitizenDep,
    services: ServicesDep,
    session: SessionDep,
) -> dict[str, Any]:
    rating = ratings.rate(
        session,
        user_id=principal.id,
        application_id=application_id,
        level=body.level,
        reasons=body.reasons,
        comment=body.comment,
        now=datetime.now(UTC),
        deadlines=services.deadlines,
        follow_up_working_days=services.settings.warnings.follow_up_working_days,
    )
    out = ratings.rating_view(rating)
    follow = ratings.follow_up_of(session, application_id)
    out["follow_up"] = None if follow is None else ratings.follow_up_view(follow, rating)
    return out


@router.get("/api/supervision/follow-ups", summary="差评整改清单")
def follow_ups(
    principal: SupervisorDep, session: SessionDep, open_only: bool = False
) -> list[dict[str, Any]]:
    return ratings.list_follow_ups(session, open_only=open_only)


class AnswerIn(BaseModel):
    answer: str = Field(max_length=4000)


@router.post("/api/supervision/applications/{application_id}/follow-up", summary="书面答复差评整改")
def answer_follow_up(
    application_id: str, body: AnswerIn, principal: SupervisorDep, session: SessionDep
) -> dict[str, Any]:
    follow = ratings.answer_follow_up(
        session,
        application_id=application_id,
        answer=body.answer,
        actor=principal.username,
        role=str(principal.role),
        now=datetime.now(UTC),
    )
    return ratings.follow_up_view(follow)
