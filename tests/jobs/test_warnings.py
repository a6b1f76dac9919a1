"""Deadline warnings and overdue alarms: exactly once, at the right time (frozen clock), with
in-app notices, audit events, explicit and automatic clock pauses, and SMTP e-mail."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import cases
from cases.models import Application, AuditEvent, DeadlineAlert, Job, Notification, User
from jobs import warnings
from jobs.deadlines import Deadlines, DeadlineSettings, LimitUnit, TimeLimit, due_at
from jobs.visit_errors import ClockAlreadyPausedError, ClockNotPausedError

DEADLINES = Deadlines(DeadlineSettings())
SETTINGS = warnings.WarningSettings()
# Monday 2026-11-30 10:00 Beijing time; 5 working days → Monday 2026-12-07 17:00 Beijing
SUBMITTED = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
DUE = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
# office time from submission to due: 7 + 4 × 8 + 8 = 47 h; 80 % = 37.6 h, reached on
# Friday 2026-12-04 at 15:36 Beijing (Mon 7 h + Tue–Thu 24 h + Fri 6.6 h)
WARN_AT = datetime(2026, 12, 4, 7, 36, tzinfo=UTC)


@pytest.fixture
def sessions(database_url: str, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    eng = cases.make_engine(cases.DatabaseSettings(url=database_url), data_dir=tmp_path)
    cases.downgrade(eng, "base")
    cases.upgrade(eng)
    yield cases.make_sessionmaker(eng)
    cases.downgrade(eng, "base")
    eng.dispose()


def _user(s: Session, username: str, role: str) -> str:
    u = User(username=username, password_hash="x", name=username, role=role)
    s.add(u)
    s.flush()
    return u.id


def _case(s: Session, *, state: str = "needs_review", assignee: str | None = None) -> str:
    a = Application(
        matter_id="second-hand-house-transfer",
        answers={},
        state=state,
        submitted_at=SUBMITTED,
        due_at=DUE,
        assignee_id=assignee,
    )
    s.add(a)
    s.flush()
    return a.id


def _scan(sessions: sessionmaker[Session], **kw: object) -> list[warnings.Alert]:
    return warnings.run_scan(
        sessions, now=datetime.now(UTC), deadlines=DEADLINES, settings=SETTINGS, **kw
    )


def _count(s: Session, model: type, *where: object) -> int:
    return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_the_hand_counted_due_date_is_the_library_one() -> None:
    limit = TimeLimit(5, LimitUnit.WORKING_DAYS, "5个工作日")
    assert due_at(SUBMITTED, limit, calendar=DEADLINES.calendar, settings=DEADLINES.settings) == DUE
    hours = warnings.office_seconds(
        SUBMITTED, DUE, calendar=DEADLINES.calendar, settings=DEADLINES.settings
    )
    assert hours == 47 * 3600


def test_office_time_skips_national_day_and_counts_the_worked_saturday() -> None:
    cal, ds = DEADLINES.calendar, DEADLINES.settings
    # 2026-09-30 (Wed) 09:00 → 2026-10-10 (Sat, 调休 worked) 17:00 Beijing: Sep 30 and Oct 9-10
    start = datetime(2026, 9, 30, 1, 0, tzinfo=UTC)
    end = datetime(2026, 10, 10, 9, 0, tzinfo=UTC)
    expected_days = sum(
        1 for d in range(11) if cal.is_working_day((start + timedelta(days=d)).date())
    )
    assert (
        warnings.office_seconds(start, end, calendar=cal, settings=ds) == expected_days * 8 * 3600
    )
    assert not cal.is_working_day(datetime(2026, 10, 5).date())
    back = warnings.add_office_seconds(start, expected_days * 8 * 3600, calendar=cal, settings=ds)
    assert back == end


def test_warning_then_alarm_each_exactly_once(sessions: sessionmaker[Session]) -> None:
    with cases.transaction(sessions) as s:
        reviewer = _user(s, "r1", "reviewer")
        supervisor = _user(s, "sup", "supervisor")
        case_id = _case(s, assignee=reviewer)
    with time_machine.travel(WARN_AT - timedelta(minutes=1), tick=False):
        assert _scan(sessions) == []
    with time_machine.travel(WARN_AT, tick=False):
        fired = _scan(sessions)
        assert [(a.subject_id, a.kind) for a in fired] == [(case_id, "warning")]
        assert set(fired[0].recipients) == {reviewer, supervisor}
        assert _scan(sessions) == []  # the same moment again: nothing twice
    # the weekend does not count; Monday 16:59 Beijing is still in time
    with time_machine.travel(DUE - timedelta(minutes=1), tick=False):
        assert _scan(sessions) == []
    with time_machine.travel(DUE, tick=False):
        fired = _scan(sessions)
        assert [(a.subject_id, a.kind) for a in fired] == [(case_id, "overdue")]
    with time_machine.travel(DUE + timedelta(days=3), tick=False):
        assert _scan(sessions) == []
    with sessions() as s:
        assert _count(s, DeadlineAlert) == 2
        notes = s.scalars(select(Notification).order_by(Notification.id)).all()
        assert sorted((n.user_id, n.kind) for n in notes) == sorted(
            [
                (reviewer, "deadline_warning"),
                (supervisor, "deadline_warning"),
                (reviewer, "deadline_overdue"),
                (supervisor, "deadline_overdue"),
            ]
        )
        assert all("办件" in n.title for n in notes)
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == case_id)).all()
        assert sorted(actions) == ["deadline_overdue", "deadline_warning"]
        assert cases.verify_chain(s) == 2


def test_a_case_found_overdue_gets_its_warning_too(sessions: sessionmaker[Session]) -> None:
    with cases.transaction(sessions) as s:
        case_id = _case(s)
    with time_machine.travel(DUE + timedelta(hours=1), tick=False):
        kinds = sorted(a.kind for a in _scan(sessions))
    assert kinds == ["overdue", "warning"]
    with sessions() as s:
        assert _count(s, DeadlineAlert, DeadlineAlert.subject_id == case_id) == 2


def test_decided_cases_raise_nothing(sessions: sessionmaker[Session]) -> None:
    with cases.transaction(sessions) as s:
        _case(s, state="issued")
        _case(s, state="rejected")
    with time_machine.travel(DUE + timedelta(days=1), tick=False):
        assert _scan(sessions) == []


def test_explicit_pause_stops_the_clock_and_moves_the_deadline(
    sessions: sessionmaker[Session],
) -> None:
    with cases.transaction(sessions) as s:
        case_id = _case(s)
    # paused Tuesday 2026-12-01 09:00 Beijing, resumed Wednesday 09:00: one working day (8 h)
    paused_at = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    resumed_at = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    with cases.transaction(sessions) as s:
        warnings.pause_clock(
            s, application_id=case_id, reason="accepted_pending", actor="r1", role="reviewer",
            now=paused_at, note="容缺：婚姻证明待补",
        )  # fmt: skip
    with cases.transaction(sessions) as s, pytest.raises(ClockAlreadyPausedError):
        warnings.pause_clock(
            s, application_id=case_id, reason="returned", actor="r1", role="reviewer", now=paused_at
        )
    # while the clock stands, even a time past the old due date raises nothing
    with time_machine.travel(DUE + timedelta(hours=1), tick=False):
        assert _scan(sessions) == []
    with cases.transaction(sessions) as s:
        warnings.resume_clock(
            s, application_id=case_id, actor="r1", role="reviewer", now=resumed_at,
            calendar=DEADLINES.calendar, settings=DEADLINES.settings,
        )  # fmt: skip
    with cases.transaction(sessions) as s, pytest.raises(ClockNotPausedError):
        warnings.resume_clock(
            s, application_id=case_id, actor="r1", role="reviewer", now=resumed_at,
            calendar=DEADLINES.calendar, settings=DEADLINES.settings,
        )  # fmt: skip
    new_due = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)  # one working day later: Tuesday 17:00
    with sessions() as s:
        app = s.get(Application, case_id)
        assert app is not None and warnings._utc(app.due_at) == new_due  # type: ignore[arg-type]
        actions = s.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.subject_id == case_id)
            .order_by(AuditEvent.id)
        ).all()
        assert actions == ["clock_paused", "clock_resumed"]
    # the warning moves by the paused time too: 80 % of the 47 h worked, now on Monday
    with time_machine.travel(WARN_AT + timedelta(hours=1), tick=False):
        assert _scan(sessions) == []
    with time_machine.travel(new_due - timedelta(minutes=1), tick=False):
        assert [a.kind for a in _scan(sessions)] == ["warning"]
    with time_machine.travel(new_due, tick=False):
        assert [a.kind for a in _scan(sessions)] == ["overdue"]


def test_waiting_on_the_citizen_pauses_and_resumes_by_itself(
    sessions: sessionmaker[Session],
) -> None:
    with cases.transaction(sessions) as s:
        case_id = _case(s, state="returned")
    with time_machine.travel(datetime(2026, 12, 1, 1, 0, tzinfo=UTC), tick=False):
        assert _scan(sessions) == []
    with cases.transaction(sessions) as s:
        app = s.get(Application, case_id)
        assert app is not None
        assert warnings.open_pause(s, case_id) is not None
        app.state = "needs_review"
    with time_machine.travel(datetime(2026, 12, 2, 1, 0, tzinfo=UTC), tick=False):
        assert _scan(sessions) == []
    with sessions() as s:
        app = s.get(Application, case_id)
        assert app is not None
        assert warnings._utc(app.due_at) == datetime(2026, 12, 8, 9, 0, tzinfo=UTC)  # type: ignore[arg-type]
        events = s.execute(
            select(AuditEvent.action, AuditEvent.actor).where(AuditEvent.subject_id == case_id)
        ).all()
        assert sorted(events) == [("clock_paused", "system"), ("clock_resumed", "system")]


def test_the_scan_recurs_through_the_outbox(sessions: sessionmaker[Session]) -> None:
    with cases.transaction(sessions) as s:
        assert warnings.ensure_scheduled(s, delay=60)
        assert not warnings.ensure_scheduled(s, delay=60)
    with sessions() as s:
        assert _count(s, Job, Job.name == warnings.JOB_NAME, Job.state == "queued") == 1
    from jobs.runner import JOBS

    assert JOBS[warnings.JOB_NAME] is warnings.scan_deadlines


def test_alerts_are_mailed_when_smtp_is_configured(sessions: sessionmaker[Session]) -> None:
    from aiosmtpd.controller import Controller

    received: list[object] = []

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # a free port (aiosmtpd's readiness check needs a real one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = warnings.WarningSettings(
            smtp_host="127.0.0.1", smtp_port=port, mail_to=["jiancha@example.gov.cn"]
        )
        with cases.transaction(sessions) as s:
            case_id = _case(s)
        with time_machine.travel(WARN_AT, tick=False):
            fired = warnings.run_scan(
                sessions, now=datetime.now(UTC), deadlines=DEADLINES, settings=settings,
                mailer=warnings.Mailer(settings),
            )  # fmt: skip
    finally:
        controller.stop()
    assert [a.kind for a in fired] == ["warning"]
    assert len(received) == 1
    env = received[0]
    assert env.rcpt_tos == ["jiancha@example.gov.cn"]  # type: ignore[attr-defined]
    msg = email.message_from_bytes(env.content, policy=email.policy.default)  # type: ignore[attr-defined]
    assert str(msg["Subject"]).startswith("办件即将超期")
    assert case_id in msg.get_content()
    with sessions() as s:
        assert _count(s, AuditEvent, AuditEvent.action == "deadline_mailed") == 1
