"""网上预约 for the one visit that is still needed: windows, slots, bookings, check-in.

A :class:`~cases.models.ServiceWindow` serves some matters in a hall, opens on working days
(:class:`jobs.deadlines.WorkingCalendar`: weekends, public holidays and 调休 Saturdays) between
its opening hours (Beijing time), in slots of ``slot_minutes`` with ``capacity`` places each.

No overbooking: a booking takes a place with one conditional UPDATE of the slot's
:class:`~cases.models.SlotLoad` row (``taken = taken + 1 WHERE taken < capacity``). On
PostgreSQL concurrent bookings of the slot queue on that row's lock and each re-checks the
condition once the one before commits, so of many clients racing for the last place exactly one
wins; on SQLite writers are serialised anyway. Move = take the new place, free the old one, in
one transaction; cancel frees the place.

At the window, staff check a citizen in by booking code (single use, on the booking's day), and
the courier's one-time pickup code (``courier.redeem_pickup_code``) hands over the certificate.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import courier
from cases.applications import move
from cases.audit import append_event
from cases.models import Application, Booking, Delivery, ServiceWindow, SlotLoad
from jobs.deadlines import Deadlines
from jobs.errors import NotFoundError
from jobs.visit_errors import (
    BookingCodeError,
    BookingExistsError,
    BookingNotAllowedError,
    InvalidWindowError,
    NoBookingError,
    SlotUnavailableError,
    WindowNotFoundError,
)

#: states in which a case may still need its one visit (checking originals, signing, pickup)
BOOKABLE_STATES = frozenset({"needs_review", "ready", "accepted_pending", "approved", "issued"})
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
HORIZON_DAYS = 30


def _utc(at: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    try:
        return at.astimezone(UTC)
    except OverflowError as e:  # a time at the very edge of the calendar
        raise SlotUnavailableError(detail="time out of range") from e


def _hhmm(text: str) -> time:
    try:
        h, m = text.split(":")
        return time(int(h), int(m))
    except ValueError as e:
        raise InvalidWindowError() from e


@dataclass(frozen=True)
class Slot:
    window_id: int
    starts_at: datetime  # UTC
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)


def create_window(
    session: Session,
    *,
    hall: str,
    number: str,
    matters: list[str],
    department: str = "",
    opens: str = "09:00",
    closes: str = "17:00",
    slot_minutes: int = 30,
    capacity: int = 2,
    actor: str = "system",
    role: str = "admin",
) -> ServiceWindow:
    o, c = _hhmm(opens), _hhmm(closes)
    if not (o < c and 5 <= slot_minutes <= 240 and 1 <= capacity <= 100 and hall and number):
        raise InvalidWindowError()
    w = ServiceWindow(
        hall=hall, number=number, matters=list(matters), department=department, opens=opens,
        closes=closes, slot_minutes=slot_minutes, capacity=capacity, active=True,
    )  # fmt: skip
    session.add(w)
    try:
        session.flush()
    except IntegrityError as e:
        raise InvalidWindowError(detail="hall+number exists") from e
    append_event(
        session, actor=actor, role=role, action="window_created", subject_type="window",
        subject_id=str(w.id), data={"hall": hall, "number": number, "matters": list(matters)},
    )  # fmt: skip
    return w


def window_view(w: ServiceWindow) -> dict[str, Any]:
    return {
        "id": w.id,
        "hall": w.hall,
        "number": w.number,
        "department": w.department,
        "matters": list(w.matters or []),
        "opens": w.opens,
        "closes": w.closes,
        "slot_minutes": w.slot_minutes,
        "capacity": w.capacity,
    }


def list_windows(session: Session, *, matter: str | None = None) -> list[ServiceWindow]:
    rows = session.scalars(
        select(ServiceWindow).where(ServiceWindow.active.is_(True)).order_by(ServiceWindow.id)
    ).all()
    return [w for w in rows if matter is None or not w.matters or matter in w.matters]


def _window(session: Session, window_id: int) -> ServiceWindow:
    w = session.get(ServiceWindow, window_id)
    if w is None or not w.active:
        raise WindowNotFoundError()
    return w


def slot_starts(w: ServiceWindow, day: date, *, deadlines: Deadlines) -> list[datetime]:
    """The slots of ``day`` (empty on a day off), in UTC."""
    if not deadlines.calendar.is_working_day(day):
        return []
    tz = ZoneInfo(deadlines.settings.timezone)
    start = datetime.combine(day, _hhmm(w.opens), tzinfo=tz)
    end = datetime.combine(day, _hhmm(w.closes), tzinfo=tz)
    step = timedelta(minutes=w.slot_minutes)
    out = []
    while start + step <= end:
        out.append(start.astimezone(UTC))
        start += step
    return out


def slots(
    session: Session, *, window_id: int, day: date, deadlines: Deadlines, now: datetime
) -> list[Slot]:
    """The bookable slots of a window on ``day`` (future ones only), with free places."""
    w = _window(session, window_id)
    if not now.date() - timedelta(days=1) <= day <= now.date() + timedelta(days=HORIZON_DAYS):
        return []  # outside the booking horizon: nothing to offer
    starts = [s for s in slot_starts(w, day, deadlines=deadlines) if s > now]
    taken = {
        _utc(at): n
        for at, n in session.execute(
            select(SlotLoad.starts_at, SlotLoad.taken).where(
                SlotLoad.window_id == w.id, SlotLoad.starts_at.in_(starts)
            )
        )
    } if starts else {}  # fmt: skip
    return [Slot(w.id, s, w.capacity, int(taken.get(s, 0))) for s in starts]


def _check_slot(
    w: ServiceWindow, starts_at: datetime, *, deadlines: Deadlines, now: datetime
) -> datetime:
    at = _utc(starts_at)
    if at <= now or at > now + timedelta(days=HORIZON_DAYS):
        raise SlotUnavailableError(detail="past or beyond the horizon")
    local = at.astimezone(ZoneInfo(deadlines.settings.timezone))
    if at not in slot_starts(w, local.date(), deadlines=deadlines):
        raise SlotUnavailableError(detail="not a slot of this window")
    return at


def _take(session: Session, w: ServiceWindow, at: datetime) -> None:
    """Take one place of the slot, or SlotUnavailableError (the no-overbooking guarantee)."""
    exists = session.scalar(
        select(SlotLoad.taken).where(SlotLoad.window_id == w.id, SlotLoad.starts_at == at)
    )
    if exists is None:
        try:
            with session.begin_nested():
                session.add(SlotLoad(window_id=w.id, starts_at=at, taken=0))
        except IntegrityError:
            pass  # another booking made the row first: fine, the UPDATE below decides
    result: Any = session.execute(
        update(SlotLoad)
        .where(SlotLoad.window_id == w.id, SlotLoad.starts_at == at, SlotLoad.taken < w.capacity)
        .values(taken=SlotLoad.taken + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise SlotUnavailableError(detail="full")


def _free(session: Session, window_id: int, at: datetime) -> None:
    session.execute(
        update(SlotLoad)
        .where(SlotLoad.window_id == window_id, SlotLoad.starts_at == _utc(at), SlotLoad.taken > 0)
        .values(taken=SlotLoad.taken - 1)
        .execution_options(synchronize_session=False)
    )


def _owned(session: Session, application_id: str, user_id: str) -> Application:
    app = session.get(Application, application_id, with_for_update=True)
    if app is None or app.owner_id != user_id:
        raise NotFoundError()
    return app


def active_booking(session: Session, application_id: str) -> Booking | None:
    return session.scalars(
        select(Booking).where(Booking.application_id == application_id, Booking.status == "booked")
    ).first()


def book(
    session: Session,
    *,
    user_id: str,
    application_id: str,
    window_id: int,
    starts_at: datetime,
    deadlines: Deadlines,
    now: datetime,
) -> Booking:
    app = _owned(session, application_id, user_id)
    if app.state not in BOOKABLE_STATES:
        raise BookingNotAllowedError()
    w = _window(session, window_id)
    if w.matters and app.matter_id not in w.matters:
        raise BookingNotAllowedError(detail="window does not serve the matter")
    if active_booking(session, app.id) is not None:
        raise BookingExistsError()
    at = _check_slot(w, starts_at, deadlines=deadlines, now=now)
    _take(session, w, at)
    booking = Booking(
        code="".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH)),
        window_id=w.id, application_id=app.id, user_id=user_id, starts_at=at, status="booked",
        created_at=now,
    )  # fmt: skip
    session.add(booking)
    session.flush()
    _audit(session, user_id, "booked", booking)
    return booking


def move_booking(
    session: Session,
    *,
    user_id: str,
    application_id: str,
    starts_at: datetime,
    window_id: int | None = None,
    deadlines: Deadlines,
    now: datetime,
) -> Booking:
    app = _owned(session, application_id, user_id)
    booking = active_booking(session, app.id)
    if booking is None:
        raise NoBookingError()
    w = _window(session, window_id or booking.window_id)
    if w.matters and app.matter_id not in w.matters:
        raise BookingNotAllowedError(detail="window does not serve the matter")
    at = _check_slot(w, starts_at, deadlines=deadlines, now=now)
    if w.id == booking.window_id and at == _utc(booking.starts_at):
        return booking
    _take(session, w, at)
    _free(session, booking.window_id, booking.starts_at)
    before = _utc(booking.starts_at).isoformat()
    booking.window_id, booking.starts_at = w.id, at
    session.flush()
    _audit(session, user_id, "booking_moved", booking, {"from": before})
    return booking


def cancel_booking(session: Session, *, user_id: str, application_id: str) -> Booking:
    app = _owned(session, application_id, user_id)
    booking = active_booking(session, app.id)
    if booking is None:
        raise NoBookingError()
    booking.status = "cancelled"
    _free(session, booking.window_id, booking.starts_at)
    session.flush()
    _audit(session, user_id, "booking_cancelled", booking)
    return booking


def check_in(
    session: Session,
    *,
    code: str,
    actor: str,
    role: str,
    now: datetime,
    deadlines: Deadlines,
    window_id: int | None = None,
) -> Booking:
    """The window checks a citizen in by booking code: single use, on the booking's day."""
    tz = ZoneInfo(deadlines.settings.timezone)
    booking = session.scalars(
        select(Booking).where(Booking.code == (code or "").strip().upper())
    ).first()
    if (
        booking is None
        or booking.status != "booked"
        or (window_id is not None and booking.window_id != window_id)
        or _utc(booking.starts_at).astimezone(tz).date() != now.astimezone(tz).date()
    ):
        raise BookingCodeError()
    result: Any = session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status == "booked")
        .values(status="checked_in", checked_in_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise BookingCodeError(detail="checked in concurrently")
    session.refresh(booking)
    _audit(session, actor, "checked_in", booking, role=role)
    return booking


def pickup_at_window(
    session: Session, *, code: str, secret: bytes, actor: str, role: str, now: datetime
) -> Application:
    """Hand over the certificate against the courier's one-time pickup code."""
    app_id = courier.redeem_pickup_code(session, code=code, secret=secret, now=now)
    app = session.get(Application, app_id)
    if app is None:
        raise NotFoundError()
    move(session, app, "picked_up", actor=actor, role=role, reason="窗口凭取件码领取")
    delivery = session.scalars(select(Delivery).where(Delivery.application_id == app_id)).first()
    if delivery is not None:
        delivery.status = "picked_up"
    # a visit booked for the pickup counts once: check it in with the handover
    booked = active_booking(session, app_id)
    if booked is not None:
        booked.status, booked.checked_in_at = "checked_in", now
    session.flush()
    return app


def _audit(
    session: Session,
    actor: str,
    action: str,
    booking: Booking,
    extra: dict[str, Any] | None = None,
    *,
    role: str = "citizen",
) -> None:
    append_event(
        session, actor=actor, role=role, action=action, subject_type="application",
        subject_id=booking.application_id,
        data={"booking": booking.id, "window": booking.window_id,
              "starts_at": _utc(booking.starts_at).isoformat(), **(extra or {})},
    )  # fmt: skip


def booking_view(b: Booking, w: ServiceWindow | None = None) -> dict[str, Any]:
    return {
        "id": b.id,
        "code": b.code,
        "application_id": b.application_id,
        "window": None if w is None else window_view(w),
        "window_id": b.window_id,
        "starts_at": _utc(b.starts_at).isoformat(),
        "status": b.status,
        "checked_in_at": None if b.checked_in_at is None else _utc(b.checked_in_at).isoformat(),
    }
