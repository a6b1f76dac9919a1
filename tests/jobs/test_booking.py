"""网上预约: slots on the working-day calendar, book / move / cancel, check-in by code, and no
overbooking when many clients race for the last place (PostgreSQL, parallel transactions)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import cases
from cases.models import Application, AuditEvent, Booking, SlotLoad, User
from jobs import booking
from jobs.deadlines import Deadlines
from jobs.errors import NotFoundError
from jobs.visit_errors import (
    BookingCodeError,
    BookingExistsError,
    BookingNotAllowedError,
    NoBookingError,
    SlotUnavailableError,
)

DEADLINES = Deadlines()
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # Thursday 10:00 Beijing
MONDAY = date(2026, 12, 7)
NINE = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # Monday 09:00 Beijing
TEN = NINE + timedelta(hours=1)


@pytest.fixture
def sessions(database_url: str, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    eng = cases.make_engine(cases.DatabaseSettings(url=database_url), data_dir=tmp_path)
    cases.downgrade(eng, "base")
    cases.upgrade(eng)
    yield cases.make_sessionmaker(eng)
    cases.downgrade(eng, "base")
    eng.dispose()


def _setup(sessions: sessionmaker[Session], *, capacity: int = 2, cases_n: int = 3) -> dict:
    with cases.transaction(sessions) as s:
        users = []
        apps = []
        for i in range(cases_n):
            u = User(username=f"c{i}", password_hash="x", role="citizen")
            s.add(u)
            s.flush()
            a = Application(matter_id="m1", answers={}, state="issued", owner_id=u.id)
            s.add(a)
            s.flush()
            users.append(u.id)
            apps.append(a.id)
        w = booking.create_window(
            s, hall="杭州市民中心", number="B12", matters=["m1"], opens="09:00",
            closes="12:00", slot_minutes=60, capacity=capacity,
        )  # fmt: skip
        return {"users": users, "apps": apps, "window": w.id}


def _book(s: Session, w: dict, i: int, at: datetime = NINE, **kw: object) -> Booking:
    args: dict = {
        "user_id": w["users"][i], "application_id": w["apps"][i], "window_id": w["window"],
        "starts_at": at, "deadlines": DEADLINES, "now": NOW,
    } | kw  # fmt: skip
    return booking.book(s, **args)


def test_slots_follow_opening_hours_and_the_official_calendar(
    sessions: sessionmaker[Session],
) -> None:
    w = _setup(sessions)
    with sessions() as s:
        got = booking.slots(s, window_id=w["window"], day=MONDAY, deadlines=DEADLINES, now=NOW)
        assert [x.starts_at for x in got] == [NINE, TEN, TEN + timedelta(hours=1)]
        assert {x.free for x in got} == {2}
        before = datetime(2026, 9, 28, tzinfo=UTC)  # within the horizon of all three days
        for day_off in (date(2026, 10, 3), date(2026, 10, 5)):  # a Saturday, National Day
            assert booking.slots(s, window_id=w["window"], day=day_off, deadlines=DEADLINES,
                                 now=before) == []  # fmt: skip
        assert booking.slots(s, window_id=w["window"], day=date(2026, 12, 5), deadlines=DEADLINES,
                             now=NOW) == []  # fmt: skip
        # the adjusted working Saturday 2026-10-10 opens; beyond the horizon nothing is offered
        worked = booking.slots(
            s, window_id=w["window"], day=date(2026, 10, 10), deadlines=DEADLINES, now=before
        )
        assert len(worked) == 3
        far = booking.slots(s, window_id=w["window"], day=MONDAY + timedelta(days=60),
                            deadlines=DEADLINES, now=NOW)  # fmt: skip
        assert far == []
        # today's past slots are not offered
        today = booking.slots(s, window_id=w["window"], day=date(2026, 12, 3),
                              deadlines=DEADLINES, now=NOW)  # fmt: skip
        assert [x.starts_at.hour for x in today] == [3]  # 11:00 Beijing only


def test_book_move_cancel_and_the_rules(sessions: sessionmaker[Session]) -> None:
    w = _setup(sessions, capacity=2)
    with cases.transaction(sessions) as s, pytest.raises(NotFoundError):
        _book(s, w, 0, user_id=w["users"][1])  # another citizen's case
    with cases.transaction(sessions) as s, pytest.raises(SlotUnavailableError):
        _book(s, w, 0, at=NINE + timedelta(minutes=15))  # not a slot boundary
    with cases.transaction(sessions) as s, pytest.raises(SlotUnavailableError):
        _book(s, w, 0, at=datetime(2026, 12, 5, 1, 0, tzinfo=UTC))  # Saturday
    with cases.transaction(sessions) as s:
        first = _book(s, w, 0)
        code = first.code
        _book(s, w, 1)
    with cases.transaction(sessions) as s, pytest.raises(BookingExistsError):
        _book(s, w, 0, at=TEN)
    with cases.transaction(sessions) as s, pytest.raises(SlotUnavailableError):
        _book(s, w, 2)  # full
    with cases.transaction(sessions) as s:
        booking.move_booking(
            s, user_id=w["users"][0], application_id=w["apps"][0], starts_at=TEN,
            deadlines=DEADLINES, now=NOW,
        )  # fmt: skip
    with cases.transaction(sessions) as s:
        _book(s, w, 2)  # the moved booking freed its place
    with cases.transaction(sessions) as s:
        booking.cancel_booking(s, user_id=w["users"][2], application_id=w["apps"][2])
    with cases.transaction(sessions) as s, pytest.raises(NoBookingError):
        booking.cancel_booking(s, user_id=w["users"][2], application_id=w["apps"][2])
    with sessions() as s:
        loads = dict(s.execute(select(SlotLoad.starts_at, SlotLoad.taken)).all())
        assert {booking._utc(k): v for k, v in loads.items()} == {NINE: 1, TEN: 1}
        actions = s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["window_created", "booked", "booked", "booking_moved", "booked",
                           "booking_cancelled"]  # fmt: skip
    with cases.transaction(sessions) as s:
        s.get(Application, w["apps"][2]).state = "rejected"  # type: ignore[union-attr]
    with cases.transaction(sessions) as s, pytest.raises(BookingNotAllowedError):
        _book(s, w, 2)
    # check-in: only on the day, once
    with cases.transaction(sessions) as s, pytest.raises(BookingCodeError):
        booking.check_in(s, code=code, actor="win", role="reviewer", now=NOW, deadlines=DEADLINES)
    with time_machine.travel(TEN - timedelta(minutes=20), tick=False):
        now = datetime.now(UTC)
        with cases.transaction(sessions) as s, pytest.raises(BookingCodeError):
            booking.check_in(s, code="WRONG123", actor="win", role="reviewer", now=now,
                             deadlines=DEADLINES)  # fmt: skip
        with cases.transaction(sessions) as s:
            b = booking.check_in(s, code=code.lower(), actor="win", role="reviewer", now=now,
                                 deadlines=DEADLINES)  # fmt: skip
            assert b.status == "checked_in"
        with cases.transaction(sessions) as s, pytest.raises(BookingCodeError):
            booking.check_in(s, code=code, actor="win", role="reviewer", now=now,
                             deadlines=DEADLINES)  # fmt: skip


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_many_clients_race_for_the_last_place_and_exactly_one_wins(
    sessions: sessionmaker[Session],
) -> None:
    clients = 12  # within the engine's connection pool: all in flight at once
    w = _setup(sessions, capacity=3, cases_n=clients + 2)
    with cases.transaction(sessions) as s:
        _book(s, w, 0)
        _book(s, w, 1)  # one place left
    barrier = threading.Barrier(clients)
    outcomes: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        barrier.wait()
        try:
            with cases.transaction(sessions) as s:
                _book(s, w, i)
            result = "won"
        except SlotUnavailableError:
            result = "full"
        except Exception as e:  # anything else is a defect
            result = f"error: {type(e).__name__}: {e}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(2, clients + 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["full"] * (clients - 1) + ["won"]
    with sessions() as s:
        assert s.scalar(select(SlotLoad.taken)) == 3
        assert s.scalar(select(func.count()).select_from(Booking)) == 3
