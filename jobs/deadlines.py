"""Promised time limits (承诺时限) as deadlines counted in working days.

A matter's guide states its promised limit in words (``precheck`` keeps the text as sourced,
e.g. "5个工作日办结，批量业务可延长到10个工作日"). :func:`parse_time_limit` reads the amount and
unit from it; :func:`due_at` turns a submission time into the moment the office must have
finished, on the official calendar of working days (``chinese-calendar``: weekends, public
holidays and the 调休 weekends that are worked).

Counting follows 《行政许可法》第八十二条: limits in working days exclude public holidays, and the
day of acceptance is not counted — the first working day is the one after submission, and the
case is due at the office's closing time on the last one. A limit in hours counts office hours
only. Times are aware datetimes; the office keeps Beijing time (``Asia/Shanghai``) and the
result is returned in UTC.

``chinese-calendar`` only knows the years whose holiday arrangement the State Council had
published when it was released. For later years :class:`DeadlineSettings` gives the
arrangement by hand (``PAOYICI_DEADLINES_HOLIDAYS`` / ``PAOYICI_DEADLINES_WORKDAYS``, JSON lists
of dates); a year known to neither falls back to Monday–Friday and is logged as a warning once.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

# Prefixes of place names in Zhejiang: where a guide quotes several cities, the one that applies
# here is preferred (``precheck`` sources are from many provinces).
ZHEJIANG_PLACES = (
    "浙江",
    "杭州",
    "宁波",
    "温州",
    "嘉兴",
    "湖州",
    "绍兴",
    "金华",
    "衢州",
    "舟山",
    "台州",
    "丽水",
)


class LimitUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"


@dataclass(frozen=True)
class TimeLimit:
    """A promised limit: ``amount`` of ``unit``, as read from ``text``."""

    amount: int
    unit: LimitUnit
    text: str


class DeadlineSettings(BaseSettings):
    """How deadlines are counted (env prefix ``PAOYICI_DEADLINES_``)."""

    model_config = SettingsConfigDict(env_prefix="PAOYICI_DEADLINES_", extra="ignore")

    timezone: str = "Asia/Shanghai"
    office_opens: time = time(9, 0)
    office_closes: time = time(17, 0)
    # The holiday arrangement of years chinese-calendar does not know yet (or a correction):
    # days off that would be working days, and weekend days that are worked (调休).
    holidays: list[date] = Field(default_factory=list)
    workdays: list[date] = Field(default_factory=list)
    # Limits for matters whose guide states none, or a local limit that replaces the guide's,
    # in the guide's words: {"company-registration": "3个工作日"}.
    matter_limits: dict[str, str] = Field(default_factory=dict)
    # When neither the guide nor matter_limits gives a limit: None leaves the case without a
    # due date (it is still listed, after every case that has one).
    default_limit: str | None = None
    # A case is "due soon" in the supervisor's view from this many working hours before its limit.
    warn_before_hours: int = 8

    def insecure_defaults(self) -> list[str]:
        return []


_AMOUNT = re.compile(r"(\d+)\s*个?\s*(工作日|小时|自然日|日|天)")
_UNITS = {
    "工作日": LimitUnit.WORKING_DAYS,
    "小时": LimitUnit.WORKING_HOURS,
    "自然日": LimitUnit.CALENDAR_DAYS,
    "日": LimitUnit.CALENDAR_DAYS,
    "天": LimitUnit.CALENDAR_DAYS,
}
_SEGMENTS = re.compile(r"[；;。\n]")


def parse_time_limit(text: str | None) -> TimeLimit | None:
    """The limit a guide's wording promises, or None when it names no amount.

    Several places quoted ("济宁：1个工作日；杭州：2个小时") → the Zhejiang one; otherwise the
    first amount stated ("5个工作日办结，批量业务可延长到10个工作日" → 5 working days: the
    extension is the exception, not the promise).
    """
    if not text:
        return None
    segments = [s.strip() for s in _SEGMENTS.split(text) if s.strip()]
    local = [s for s in segments if s.lstrip("（(").startswith(ZHEJIANG_PLACES)]
    for segment in [*local, *segments]:
        m = _AMOUNT.search(segment)
        if m:
            return TimeLimit(amount=int(m.group(1)), unit=_UNITS[m.group(2)], text=text)
    return None


class WorkingCalendar:
    """Which days the offices work: chinese-calendar, corrected and extended by settings."""

    def __init__(self, *, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> None:
        self._holidays = frozenset(holidays)
        self._workdays = frozenset(workdays)
        overlap = self._holidays & self._workdays
        if overlap:
            raise ValueError(f"dates both holiday and workday: {sorted(overlap)}")
        self._override_years = {d.year for d in self._holidays | self._workdays}
        self._warned: set[int] = set()
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: DeadlineSettings) -> WorkingCalendar:
        return cls(holidays=settings.holidays, workdays=settings.workdays)

    def knows(self, year: int) -> bool:
        """True when the year's arrangement is known (to the library or from settings)."""
        return year in self._override_years or _library_knows(year)

    def is_working_day(self, day: date) -> bool:
        if day in self._holidays:
            return False
        if day in self._workdays:
            return True
        if _library_knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        if day.year not in self._override_years:
            self._warn_unknown(day.year)
        return day.weekday() < 5

    def working_day_after(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself is never counted); n ≥ 1."""
        if n < 1:
            raise ValueError("n must be at least 1")
        count = 0
        while count < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many of the limit a case has used by ``end``."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def _warn_unknown(self, year: int) -> None:
        with self._lock:
            if year in self._warned:
                return
            self._warned.add(year)
        log.warning(
            "holiday arrangement of %d unknown (chinese-calendar %s, no PAOYICI_DEADLINES_* "
            "override): counting Monday-Friday",
            year,
            getattr(chinese_calendar, "__version__", "?"),
        )


def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def due_at(
    submitted_at: datetime,
    limit: TimeLimit,
    *,
    calendar: WorkingCalendar,
    settings: DeadlineSettings,
) -> datetime:
    """When a case submitted at ``submitted_at`` (aware) is due under ``limit``, in UTC."""
    if submitted_at.tzinfo is None:
        raise ValueError("submitted_at must be timezone-aware")
    tz = ZoneInfo(settings.timezone)
    local = submitted_at.astimezone(tz)
    closes = settings.office_closes
    if limit.unit is LimitUnit.CALENDAR_DAYS:
        last = local.date() + timedelta(days=max(limit.amount, 1))
        # a calendar-day limit that ends on a day off ends on the next working day (民法典 §203)
        while not calendar.is_working_day(last):
            last += timedelta(days=1)
        result = datetime.combine(last, closes, tzinfo=tz)
    elif limit.unit is LimitUnit.WORKING_DAYS:
        last = calendar.working_day_after(local.date(), max(limit.amount, 1))
        result = datetime.combine(last, closes, tzinfo=tz)
    else:
        result = add_office_hours(local, limit.amount, calendar=calendar, settings=settings)
    return result.astimezone(UTC)


def add_office_hours(
    start: datetime, hours: int, *, calendar: WorkingCalendar, settings: DeadlineSettings
) -> datetime:
    tz = start.tzinfo
    opens, closes = settings.office_opens, settings.office_closes
    remaining = timedelta(hours=hours)
    day = start.date()
    cursor = start
    while True:
        if calendar.is_working_day(day):
            day_open = datetime.combine(day, opens, tzinfo=tz)
            day_close = datetime.combine(day, closes, tzinfo=tz)
            begin = max(cursor, day_open)
            if begin < day_close:
                available = day_close - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
        cursor = datetime.combine(day, opens, tzinfo=tz)


def limit_for(
    matter_id: str, promised_text: str | None, *, settings: DeadlineSettings
) -> TimeLimit | None:
    """The limit that applies to a matter: the local override, the guide's, or the default."""
    for text in (settings.matter_limits.get(matter_id), promised_text, settings.default_limit):
        limit = parse_time_limit(text)
        if limit is not None:
            return limit
    return None


def due_at_for_matter(
    matter_id: str,
    promised_text: str | None,
    *,
    submitted_at: datetime | None = None,
    calendar: WorkingCalendar,
    settings: DeadlineSettings,
) -> datetime | None:
    """``due_at`` of a submission (default: now), or None when no limit applies to the matter."""
    limit = limit_for(matter_id, promised_text, settings=settings)
    if limit is None:
        return None
    at = submitted_at if submitted_at is not None else datetime.now(UTC)
    return due_at(at, limit, calendar=calendar, settings=settings)


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def deadline_status(
    due: datetime | None,
    *,
    now: datetime | None = None,
    calendar: WorkingCalendar,
    settings: DeadlineSettings,
) -> DeadlineStatus | None:
    """Where a case stands against its limit at ``now`` (default: now; None: it has no limit)."""
    if due is None:
        return None
    due = _aware(due)
    current = _aware(now) if now is not None else datetime.now(UTC)
    if current >= due:
        return DeadlineStatus.OVERDUE
    soon = add_office_hours(
        current.astimezone(ZoneInfo(settings.timezone)),
        settings.warn_before_hours,
        calendar=calendar,
        settings=settings,
    )
    return DeadlineStatus.DUE_SOON if soon >= due else DeadlineStatus.ON_TIME


def _aware(at: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


class Deadlines:
    """``due_at`` for a matter and a submission time, as ``JobContext.due_at`` wants it.

    ``deadlines(matter, submitted_at)`` → the aware UTC due time, or None when no limit applies.
    """

    def __init__(self, settings: DeadlineSettings | None = None) -> None:
        self.settings = settings or DeadlineSettings()
        self.calendar = WorkingCalendar.from_settings(self.settings)

    def __call__(self, matter: Any, submitted_at: datetime) -> datetime | None:
        return due_at_for_matter(
            matter.id,
            matter.promised_time_limit,
            submitted_at=submitted_at,
            calendar=self.calendar,
            settings=self.settings,
        )

    def status(self, due: datetime | None, *, now: datetime | None = None) -> DeadlineStatus | None:
        return deadline_status(due, now=now, calendar=self.calendar, settings=self.settings)
