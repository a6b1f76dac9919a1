"""Supervision, ratings and the one visit (issue 15): in-app notifications, the audited clock
pause, 好差评 ratings and their follow-ups, and 网上预约 (windows, slots, bookings, check-in).

The use cases live in ``jobs`` (:mod:`jobs.warnings`, :mod:`jobs.ratings`, :mod:`jobs.booking`);
these routes only translate HTTP to them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.deps import CitizenDep, PrincipalDep, ServicesDep, SessionDep, StaffDep, SupervisorDep
from cases.models import Application, Notification
from jobs import booking, delivery, ratings, warnings
from jobs.errors import NotFoundError

router = APIRouter(tags=["效能监察"])

# ids are 32-bit database integers: anything larger is a request error, never a crash
_MAX_ID = 2**31 - 1
WindowId = Annotated[int, Path(ge=1, le=_MAX_ID)]


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
    ids: list[Annotated[int, Field(ge=1, le=_MAX_ID)]] = Field(default_factory=list, max_length=500)


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


# --- 网上预约 ---------------------------------------------------------------------------------


class WindowIn(BaseModel):
    hall: str = Field(min_length=1, max_length=128)
    number: str = Field(min_length=1, max_length=16)
    department: str = Field(default="", max_length=128)
    matters: list[str] = Field(default_factory=list, max_length=100)
    opens: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")
    closes: str = Field(default="17:00", pattern=r"^\d{2}:\d{2}$")
    slot_minutes: int = Field(default=30, ge=5, le=240)
    capacity: int = Field(default=2, ge=1, le=100)


@router.get("/api/windows", summary="可预约的办事窗口")
def windows(session: SessionDep, matter: str | None = None) -> list[dict[str, Any]]:
    return [booking.window_view(w) for w in booking.list_windows(session, matter=matter)]


@router.post("/api/windows", status_code=201, summary="新增办事窗口")
def create_window(body: WindowIn, principal: SupervisorDep, session: SessionDep) -> dict[str, Any]:
    w = booking.create_window(
        session, **body.model_dump(), actor=principal.username, role=str(principal.role)
    )
    return booking.window_view(w)


@router.get("/api/windows/{window_id}/slots", summary="窗口某日的可预约时段")
def window_slots(
    window_id: WindowId,
    services: ServicesDep,
    session: SessionDep,
    day: date = Query(alias="date"),
) -> list[dict[str, Any]]:
    found = booking.slots(
        session, window_id=window_id, day=day, deadlines=services.deadlines, now=datetime.now(UTC)
    )
    return [
        {"starts_at": s.starts_at.isoformat(), "capacity": s.capacity, "free": s.free}
        for s in found
    ]


class BookingIn(BaseModel):
    window_id: int = Field(ge=1, le=_MAX_ID)
    starts_at: datetime


class MoveIn(BaseModel):
    starts_at: datetime
    window_id: int | None = Field(default=None, ge=1, le=_MAX_ID)


def _booking_out(session: Any, b: Any) -> dict[str, Any]:
    from cases.models import ServiceWindow

    return booking.booking_view(b, session.get(ServiceWindow, b.window_id))


@router.post(
    "/api/applications/{application_id}/booking", status_code=201, summary="预约窗口办理时段"
)
def book(
    application_id: str,
    body: BookingIn,
    principal: CitizenDep,
    services: ServicesDep,
    session: SessionDep,
) -> dict[str, Any]:
    b = booking.book(
        session,
        user_id=principal.id,
        application_id=application_id,
        window_id=body.window_id,
        starts_at=body.starts_at,
        deadlines=services.deadlines,
        now=datetime.now(UTC),
    )
    return _booking_out(session, b)


@router.get("/api/applications/{application_id}/booking", summary="我的预约")
def my_booking(application_id: str, principal: CitizenDep, session: SessionDep) -> dict[str, Any]:
    app = session.get(Application, application_id)
    if app is None or app.owner_id != principal.id:
        raise NotFoundError()
    b = booking.active_booking(session, application_id)
    if b is None:
        from jobs.visit_errors import NoBookingError

        raise NoBookingError()
    return _booking_out(session, b)


@router.post("/api/applications/{application_id}/booking/move", summary="改约")
def move_booking(
    application_id: str,
    body: MoveIn,
    principal: CitizenDep,
    services: ServicesDep,
    session: SessionDep,
) -> dict[str, Any]:
    b = booking.move_booking(
        session,
        user_id=principal.id,
        application_id=application_id,
        starts_at=body.starts_at,
        window_id=body.window_id,
        deadlines=services.deadlines,
        now=datetime.now(UTC),
    )
    return _booking_out(session, b)


@router.delete("/api/applications/{application_id}/booking", summary="取消预约")
def cancel_booking(
    application_id: str, principal: CitizenDep, session: SessionDep
) -> dict[str, Any]:
    b = booking.cancel_booking(session, user_id=principal.id, application_id=application_id)
    return _booking_out(session, b)


class CodeIn(BaseModel):
    code: str = Field(min_length=1, max_length=32)
    window_id: int | None = Field(default=None, ge=1, le=_MAX_ID)


@router.post("/api/windows/check-in", summary="窗口凭预约码签到")
def check_in(
    body: CodeIn, principal: StaffDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    b = booking.check_in(
        session,
        code=body.code,
        window_id=body.window_id,
        actor=principal.username,
        role=str(principal.role),
        now=datetime.now(UTC),
        deadlines=services.deadlines,
    )
    return _booking_out(session, b)


@router.post("/api/windows/pickup", summary="窗口凭取件码领取证照")
def pickup(
    body: CodeIn, principal: StaffDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    secret = delivery.runtime(services.job_context).pickup_secret
    app = booking.pickup_at_window(
        session,
        code=body.code,
        secret=secret,
        actor=principal.username,
        role=str(principal.role),
        now=datetime.now(UTC),
    )
    return {"application_id": app.id, "state": app.state}
