"""Time limits that warn by themselves (效能监察): warnings, overdue alarms, clock pauses.

:func:`scan` looks at every open case with a promised deadline (``Application.due_at``, counted in
working days by :mod:`jobs.deadlines`) and at every open rating follow-up. When a subject has used
``share`` (default 80 %) of its office time it raises a *warning*, at its deadline an *overdue*
alarm — each exactly once per subject: a :class:`~cases.models.DeadlineAlert` row under a unique
constraint is the record, so two runners or a repeated run raise nothing twice. Each alert writes
in-app notifications (the case's holder — the reviewer who claimed it — and every supervisor) and
an audit event, in one transaction; e-mail (:class:`Mailer`, when an SMTP host is set) goes out
after commit and is audited too.

The clock stands still while a case waits on the citizen (returned for correction, 容缺 material
owed): :func:`pause_clock` / :func:`resume_clock` are explicit and audited; on resume the due
date moves on by the office time the pause lasted. The scan pauses and resumes by itself for cases
it finds in a waiting state (actor ``system``), so no pause is forgotten.

``scan_deadlines`` is the outbox job: it runs the scan and enqueues its next run
(``interval_s``), so the job recurs under the same durable, leased queue as every other job.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import Protocol
from zoneinfo import ZoneInfo

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases.audit import append_event
from cases.db import transaction
from cases.models import (
    Application,
    ClockPause,
    DeadlineAlert,
    FollowUp,
    Job,
    Notification,
    User,
)
from jobs import outbox
from jobs.context import JobContext
from jobs.deadlines import Deadlines, DeadlineSettings, WorkingCalendar
from jobs.errors import NotFoundError
from jobs.visit_errors import ClockAlreadyPausedError, ClockNotPausedError

log = logging.getLogger(__name__)

JOB_NAME = "scan_deadlines"

#: the office works on these cases (the clock runs)
RUNNING_STATES = frozenset({"prechecking", "needs_review", "ready"})
#: the case waits on the citizen (the clock stands still)
WAITING_STATES = frozenset({"needs_fix", "returned", "accepted_pending"})
PAUSE_REASONS = {"returned": "退回补正", "needs_fix": "待补正", "accepted_pending": "容缺材料待补"}


class WarningSettings(BaseSettings):
    """Deadline warnings (env prefix ``PAOYICI_WARNINGS_``)."""

    model_config = SettingsConfigDict(env_prefix="PAOYICI_WARNINGS_", extra="ignore")

    # the share of the limit at which a warning is raised (0 < share < 1)
    share: float = Field(default=0.8, gt=0, lt=1)
    # enqueue the recurring scan when the service starts (off by default so that a test's
    # app holds no job it did not ask for; on in a deployment: PAOYICI_WARNINGS_SCHEDULE=true)
    schedule: bool = False
    interval_s: float = 300
    # e-mail: off unless a host is set; ``mail_to`` are the supervision office's mailboxes
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_from: str = "paoyici@localhost"
    mail_to: list[str] = Field(default_factory=list)
    # a poor rating's follow-up must be answered within this many working days
    follow_up_working_days: int = 5

    def insecure_defaults(self) -> list[str]:
        return []


@dataclass(frozen=True)
class Alert:
    """One alert raised by a scan."""

    subject_type: str  # application | follow_up
    subject_id: str
    kind: str  # warning | overdue
    matter_id: str | None
    due_at: datetime
    title: str
    body: str
    recipients: tuple[str, ...]  # user ids notified in the app


def _utc(at: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


# --- office time ------------------------------------------------------------------------------


class WorkingDays(Protocol):
    """What the office-time arithmetic asks of a calendar (a :class:`WorkingCalendar`)."""

    def is_working_day(self, day: date) -> bool: ...


class _RememberedDays:
    """A calendar's answers kept for one scan: the scan asks about the same few dozen days for
    every open case, and each fresh answer costs a chinese-calendar look-up (at 100 000 cases
    those look-ups were nearly all of a scan's time)."""

    def __init__(self, calendar: WorkingDays) -> None:
        self._calendar = calendar
        self._days: dict[date, bool] = {}

    def is_working_day(self, day: date) -> bool:
        known = self._days.get(day)
        if known is None:
            known = self._days[day] = self._calendar.is_working_day(day)
        return known


def office_seconds(
    start: datetime, end: datetime, *, calendar: WorkingDays, settings: DeadlineSettings
) -> float:
    """Seconds of office time (working days, opening hours) in [start, end)."""
    tz = ZoneInfo(settings.timezone)
    start, end = _utc(start).astimezone(tz), _utc(end).astimezone(tz)
    if end <= start:
        return 0.0
    total = 0.0
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            opens = datetime.combine(day, settings.office_opens, tzinfo=tz)
            closes = datetime.combine(day, settings.office_closes, tzinfo=tz)
            lo, hi = max(opens, start), min(closes, end)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total


def add_office_seconds(
    start: datetime, seconds: float, *, calendar: WorkingDays, settings: DeadlineSettings
) -> datetime:
    """The moment ``seconds`` of office time after ``start`` (UTC)."""
    tz = ZoneInfo(settings.timezone)
    cursor = _utc(start).astimezone(tz)
    remaining = timedelta(seconds=seconds)
    if remaining <= timedelta(0):
        return cursor.astimezone(UTC)
    day = cursor.date()
    while True:
        if calendar.is_working_day(day):
            opens = datetime.combine(day, settings.office_opens, tzinfo=tz)
            closes = datetime.combine(day, settings.office_closes, tzinfo=tz)
            begin = max(cursor, opens)
            if begin < closes:
                if remaining <= closes - begin:
                    return (begin + remaining).astimezone(UTC)
                remaining -= closes - begin
        day += timedelta(days=1)
        cursor = datetime.combine(day, settings.office_opens, tzinfo=tz)


# --- clock pauses -----------------------------------------------------------------------------


def open_pause(session: Session, application_id: str) -> ClockPause | None:
    return session.scalars(
        select(ClockPause).where(
            ClockPause.application_id == application_id, ClockPause.ended_at.is_(None)
        )
    ).first()


def pause_clock(
    session: Session,
    *,
    application_id: str,
    reason: str,
    actor: str,
    role: str,
    now: datetime,
    note: str | None = None,
) -> ClockPause:
    """Stop the case's clock (audited ``clock_paused``); refused when it already stands."""
    app = session.get(Application, application_id)
    if app is None:
        raise NotFoundError()
    if open_pause(session, application_id) is not None:
        raise ClockAlreadyPausedError()
    pause = ClockPause(
        application_id=application_id,
        reason=reason,
        note=note,
        started_at=now,
        started_by=actor,
    )
    session.add(pause)
    session.flush()
    append_event(
        session,
        actor=actor,
        role=role,
        action="clock_paused",
        subject_type="application",
        subject_id=application_id,
        data={"reason": reason, "note": note, "at": now.isoformat()},
    )
    return pause


def resume_clock(
    session: Session,
    *,
    application_id: str,
    actor: str,
    role: str,
    now: datetime,
    calendar: WorkingCalendar,
    settings: DeadlineSettings,
) -> ClockPause:
    """Start the clock again; ``due_at`` moves on by the office time the pause lasted."""
    app = session.get(Application, application_id)
    if app is None:
        raise NotFoundError()
    pause = open_pause(session, application_id)
    if pause is None:
        raise ClockNotPausedError()
    pause.ended_at = now
    pause.ended_by = actor
    paused = office_seconds(pause.started_at, now, calendar=calendar, settings=settings)
    old_due = app.due_at
    if app.due_at is not None and paused > 0:
        app.due_at = add_office_seconds(
            _utc(app.due_at), paused, calendar=calendar, settings=settings
        )
    session.flush()
    append_event(
        session,
        actor=actor,
        role=role,
        action="clock_resumed",
        subject_type="application",
        subject_id=application_id,
        data={
            "paused_office_seconds": round(paused),
            "due_before": None if old_due is None else _utc(old_due).isoformat(),
            "due_after": None if app.due_at is None else _utc(app.due_at).isoformat(),
        },
    )
    return pause


def paused_seconds(
    session: Session,
    application_id: str,
    *,
    calendar: WorkingCalendar,
    settings: DeadlineSettings,
) -> float:
    """Office time of the case's ended pauses (already added to its ``due_at``)."""
    rows = session.execute(
        select(ClockPause.started_at, ClockPause.ended_at).where(
            ClockPause.application_id == application_id, ClockPause.ended_at.is_not(None)
        )
    )
    return sum(
        office_seconds(a, b, calendar=calendar, settings=settings) for a, b in rows if b is not None
    )


# --- the scan ---------------------------------------------------------------------------------


def _record(session: Session, alert: Alert, *, now: datetime) -> bool:
    """Insert the alert's row; False when it was raised before (by this or another runner)."""
    exists = session.scalar(
        select(DeadlineAlert.id).where(
            DeadlineAlert.subject_type == alert.subject_type,
            DeadlineAlert.subject_id == alert.subject_id,
            DeadlineAlert.kind == alert.kind,
        )
    )
    if exists is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                DeadlineAlert(
                    subject_type=alert.subject_type,
                    subject_id=alert.subject_id,
                    kind=alert.kind,
                    matter_id=alert.matter_id,
                    due_at=alert.due_at,
                    fired_at=now,
                )
            )
    except IntegrityError:  # a concurrent runner raised it first
        return False
    for user_id in alert.recipients:
        session.add(
            Notification(
                user_id=user_id,
                kind=f"deadline_{alert.kind}",
                subject_type=alert.subject_type,
                subject_id=alert.subject_id,
                title=alert.title,
                body=alert.body,
                created_at=now,
            )
        )
    append_event(
        session,
        actor="system",
        role="system",
        action=f"deadline_{alert.kind}",
        subject_type=alert.subject_type,
        subject_id=alert.subject_id,
        data={
            "due_at": alert.due_at.isoformat(),
            "matter": alert.matter_id,
            "notified": len(alert.recipients),
        },
    )
    return True


def _sync_pauses(session: Session, *, now: datetime, deadlines: Deadlines) -> None:
    """Pause cases found waiting on the citizen; resume those back with the office."""
    waiting = session.scalars(
        select(Application).where(
            Application.state.in_(WAITING_STATES),
            Application.submitted_at.is_not(None),
            Application.due_at.is_not(None),
            ~select(ClockPause.id)
            .where(ClockPause.application_id == Application.id, ClockPause.ended_at.is_(None))
            .exists(),
        )
    ).all()
    for app in waiting:
        pause_clock(
            session,
            application_id=app.id,
            reason=app.state,
            note=PAUSE_REASONS.get(app.state),
            actor="system",
            role="system",
            now=now,
        )
    back = session.scalars(
        select(Application)
        .join(ClockPause, ClockPause.application_id == Application.id)
        .where(
            ClockPause.ended_at.is_(None),
            ClockPause.started_by == "system",
            Application.state.not_in(WAITING_STATES),
        )
    ).all()
    for app in back:
        resume_clock(
            session,
            application_id=app.id,
            actor="system",
            role="system",
            now=now,
            calendar=deadlines.calendar,
            settings=deadlines.settings,
        )


def _kind(
    start: datetime,
    due: datetime,
    *,
    now: datetime,
    share: float,
    already_paused: float,
    deadlines: Deadlines,
    calendar: WorkingDays | None = None,
) -> str | None:
    due, start = _utc(due), _utc(start)
    if now >= due:
        return "overdue"
    cal, ds = calendar or deadlines.calendar, deadlines.settings
    total = office_seconds(start, due, calendar=cal, settings=ds) - already_paused
    used = office_seconds(start, now, calendar=cal, settings=ds) - already_paused
    if total > 0 and used >= share * total:
        return "warning"
    return None


def scan(
    session: Session,
    *,
    now: datetime,
    deadlines: Deadlines,
    settings: WarningSettings,
    matter_names: dict[str, str] | None = None,
) -> list[Alert]:
    """Raise the warnings and alarms due at ``now`` (in ``session``'s transaction)."""
    names = matter_names or {}
    _sync_pauses(session, now=now, deadlines=deadlines)
    days = _RememberedDays(deadlines.calendar)
    supervisors = tuple(
        session.scalars(
            select(User.id).where(User.role == "supervisor", User.active.is_(True))
        ).all()
    )
    fired: list[Alert] = []
    had = select(DeadlineAlert.id).where(
        DeadlineAlert.subject_type == "application",
        DeadlineAlert.subject_id == Application.id,
        DeadlineAlert.kind == "overdue",
    )
    rows = session.execute(
        select(
            Application.id,
            Application.matter_id,
            Application.submitted_at,
            Application.due_at,
            Application.assignee_id,
        ).where(
            Application.state.in_(RUNNING_STATES),
            Application.submitted_at.is_not(None),
            Application.due_at.is_not(None),
            ~had.exists(),
            ~select(ClockPause.id)
            .where(ClockPause.application_id == Application.id, ClockPause.ended_at.is_(None))
            .exists(),
        )
    ).all()
    # one query each for what the loop needs (no per-case round trip on the common path):
    # the cases already warned, and the ended pauses (their office time is in ``due_at``)
    warned = set(
        session.scalars(
            select(DeadlineAlert.subject_id).where(
                DeadlineAlert.subject_type == "application", DeadlineAlert.kind == "warning"
            )
        )
    )
    ended: dict[str, list[tuple[datetime, datetime]]] = {}
    for app_id, began, stopped in session.execute(
        select(ClockPause.application_id, ClockPause.started_at, ClockPause.ended_at).where(
            ClockPause.ended_at.is_not(None)
        )
    ):
        if stopped is not None:
            ended.setdefault(app_id, []).append((began, stopped))
    for r in rows:
        already = sum(
            office_seconds(a, b, calendar=days, settings=deadlines.settings)
            for a, b in ended.get(r.id, ())
        )
        kind = _kind(
            r.submitted_at,
            r.due_at,
            now=now,
            share=settings.share,
            already_paused=already,
            deadlines=deadlines,
            calendar=days,
        )
        if kind is None or (kind == "warning" and r.id in warned):
            continue
        recipients = tuple(
            dict.fromkeys((*((r.assignee_id,) if r.assignee_id else ()), *supervisors))
        )
        local_due = _utc(r.due_at).astimezone(ZoneInfo(deadlines.settings.timezone))
        matter = names.get(r.matter_id, r.matter_id)
        title = f"办件即将超期：{matter}" if kind == "warning" else f"办件已超期：{matter}"
        body = f"办件 {r.id} 承诺办结时间为 {local_due:%Y-%m-%d %H:%M}，" + (
            "已用时限达到预警比例，请尽快办理。"
            if kind == "warning"
            else "已超过承诺时限，请立即处理并说明原因。"
        )
        alert = Alert(
            "application", r.id, kind, r.matter_id, _utc(r.due_at), title, body, recipients
        )
        if kind == "overdue":
            # a case that skipped past the warning (a long outage) still gets both, once
            warn = Alert(
                "application", r.id, "warning", r.matter_id, _utc(r.due_at),
                f"办件即将超期：{matter}", body, recipients,
            )  # fmt: skip
            if r.id not in warned and _record(session, warn, now=now):
                fired.append(warn)
        if _record(session, alert, now=now):
            fired.append(alert)
    fired.extend(_scan_follow_ups(session, now=now, deadlines=deadlines, settings=settings,
                                  supervisors=supervisors, days=days))  # fmt: skip
    return fired


def _scan_follow_ups(
    session: Session,
    *,
    now: datetime,
    deadlines: Deadlines,
    settings: WarningSettings,
    supervisors: Sequence[str],
    days: WorkingDays | None = None,
) -> list[Alert]:
    fired: list[Alert] = []
    raised = {
        (subject, kind)
        for subject, kind in session.execute(
            select(DeadlineAlert.subject_id, DeadlineAlert.kind).where(
                DeadlineAlert.subject_type == "follow_up"
            )
        )
    }
    for f in session.scalars(select(FollowUp).where(FollowUp.closed_at.is_(None))).all():
        kind = _kind(
            f.created_at,
            f.due_at,
            now=now,
            share=settings.share,
            already_paused=0.0,
            deadlines=deadlines,
            calendar=days,
        )
        if kind is None:
            continue
        kinds = ["warning", "overdue"] if kind == "overdue" else ["warning"]
        for k in kinds:
            if (str(f.id), k) in raised:
                continue
            alert = Alert(
                "follow_up",
                str(f.id),
                k,
                None,
                _utc(f.due_at),
                "差评整改即将到期" if k == "warning" else "差评整改已超期",
                f"办件 {f.application_id} 的差评需在 "
                f"{_utc(f.due_at).astimezone(ZoneInfo(deadlines.settings.timezone)):%Y-%m-%d %H:%M}"
                " 前书面答复。",
                tuple(supervisors),
            )
            if _record(session, alert, now=now):
                fired.append(alert)
    return fired


# --- e-mail -----------------------------------------------------------------------------------


class Mailer:
    """Sends alerts to the supervision office's mailboxes over SMTP (stdlib ``smtplib``)."""

    def __init__(self, settings: WarningSettings) -> None:
        self.settings = settings

    @property
    def enabled(self) -> bool:
        return bool(self.settings.smtp_host and self.settings.mail_to)

    def send(self, alerts: Iterable[Alert]) -> int:
        alerts = list(alerts)
        if not self.enabled or not alerts:
            return 0
        s = self.settings
        assert s.smtp_host is not None
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=10) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password or "")
            for a in alerts:
                msg = EmailMessage()
                msg["From"] = s.mail_from
                msg["To"] = ", ".join(s.mail_to)
                msg["Subject"] = a.title
                msg.set_content(a.body)
                smtp.send_message(msg)
        return len(alerts)


def run_scan(
    sessions: object,
    *,
    now: datetime,
    deadlines: Deadlines,
    settings: WarningSettings,
    mailer: Mailer | None = None,
    matter_names: dict[str, str] | None = None,
) -> list[Alert]:
    """One scan in its own transaction, then e-mail after commit (audited ``deadline_mailed``)."""
    with transaction(sessions) as s:  # type: ignore[arg-type]
        fired = scan(s, now=now, deadlines=deadlines, settings=settings, matter_names=matter_names)
    if mailer is not None and mailer.enabled and fired:
        try:
            sent = mailer.send(fired)
        except (OSError, smtplib.SMTPException):
            # the in-app notices and the audit already hold the alert; the mail is best effort
            log.warning("could not e-mail %d deadline alerts", len(fired), exc_info=True)
        else:
            with transaction(sessions) as s:  # type: ignore[arg-type]
                for a in fired:
                    append_event(
                        s,
                        actor="system",
                        role="system",
                        action="deadline_mailed",
                        subject_type=a.subject_type,
                        subject_id=a.subject_id,
                        data={"kind": a.kind, "to": len(mailer.settings.mail_to), "sent": sent},
                    )
    return fired


# --- the recurring outbox job -----------------------------------------------------------------


def _deadlines_of(ctx: JobContext) -> Deadlines:
    if isinstance(ctx.due_at, Deadlines):
        return ctx.due_at
    found = ctx.extras.get("deadlines")
    return found if isinstance(found, Deadlines) else Deadlines()


def warning_settings_of(ctx: JobContext) -> WarningSettings:
    found = ctx.extras.get("warnings")
    return found if isinstance(found, WarningSettings) else WarningSettings()


def ensure_scheduled(session: Session, *, delay: float = 0) -> bool:
    """Enqueue the scan unless a run is already waiting (queued); True when it enqueued."""
    waiting = session.scalar(
        select(Job.id).where(Job.name == JOB_NAME, Job.state == "queued").limit(1)
    )
    if waiting is not None:
        return False
    outbox.enqueue(session, JOB_NAME, delay=delay)
    return True


def scan_deadlines(ctx: JobContext) -> None:
    """The outbox job: scan now, then schedule the next run."""
    settings = warning_settings_of(ctx)
    names = {m.id: m.name for m in ctx.catalogue}
    run_scan(
        ctx.sessions,
        now=ctx.clock(),
        deadlines=_deadlines_of(ctx),
        settings=settings,
        mailer=Mailer(settings),
        matter_names=names,
    )
    with transaction(ctx.sessions) as s:
        ensure_scheduled(s, delay=settings.interval_s)


JOBS = {JOB_NAME: scan_deadlines}
