"""Promised time limits → due dates in working days on the official calendar, frozen clock."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jobs.deadlines import (
    Deadlines,
    DeadlineSettings,
    DeadlineStatus,
    LimitUnit,
    TimeLimit,
    WorkingCalendar,
    deadline_status,
    due_at,
    due_at_for_matter,
    limit_for,
    parse_time_limit,
)
from precheck import load_catalogue

CST = ZoneInfo("Asia/Shanghai")


def cst(*args: int) -> datetime:
    return datetime(*args, tzinfo=CST)  # type: ignore[misc]


def days(n: int) -> TimeLimit:
    return TimeLimit(amount=n, unit=LimitUnit.WORKING_DAYS, text=f"{n}个工作日")


@pytest.fixture
def settings() -> DeadlineSettings:
    return DeadlineSettings()


@pytest.fixture
def calendar(settings: DeadlineSettings) -> WorkingCalendar:
    return WorkingCalendar.from_settings(settings)


def test_every_catalogue_limit_is_read_as_the_guide_means_it() -> None:
    got = {m.id: parse_time_limit(m.promised_time_limit) for m in load_catalogue()}
    amounts = {k: (v.amount, v.unit) if v else None for k, v in got.items()}
    assert amounts == {
        # "济宁：1个工作日；杭州：2个小时" → the Zhejiang city's promise
        "second-hand-house-transfer": (2, LimitUnit.WORKING_HOURS),
        # the batch extension is the exception, not the promise
        "real-estate-mortgage-registration": (5, LimitUnit.WORKING_DAYS),
        "newborn-one-thing": (5, LimitUnit.WORKING_DAYS),
        "social-security-card": (10, LimitUnit.WORKING_DAYS),
        "company-registration": None,
        "individual-business-registration": None,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3个工作日", (3, LimitUnit.WORKING_DAYS)),
        ("15日内办结", (15, LimitUnit.CALENDAR_DAYS)),
        ("北京：5个工作日；宁波：1 个工作日", (1, LimitUnit.WORKING_DAYS)),
        ("即时办结", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_time_limit(text: str | None, expected: tuple[int, LimitUnit] | None) -> None:
    limit = parse_time_limit(text)
    assert (None if limit is None else (limit.amount, limit.unit)) == expected


def test_spring_festival_and_its_worked_saturday(
    calendar: WorkingCalendar, settings: DeadlineSettings
) -> None:
    # Fri 2026-02-13: Sat 14th is worked (调休), 15th–23rd are off → 24th, 25th, 26th, 27th
    due = due_at(cst(2026, 2, 13, 10, 0), days(5), calendar=calendar, settings=settings)
    assert due == cst(2026, 2, 27, 17, 0).astimezone(UTC)
    assert due.tzinfo is UTC


def test_the_day_of_submission_is_not_counted(
    calendar: WorkingCalendar, settings: DeadlineSettings
) -> None:
    # submitted at 08:00 on a Monday: the one working day is Tuesday
    due = due_at(cst(2026, 12, 7, 8, 0), days(1), calendar=calendar, settings=settings)
    assert due == cst(2026, 12, 8, 17, 0).astimezone(UTC)


def test_national_day_week_is_skipped(
    calendar: WorkingCalendar, settings: DeadlineSettings
) -> None:
    due = due_at(cst(2026, 9, 30, 15, 0), days(1), calendar=calendar, settings=settings)
    assert due == cst(2026, 10, 8, 17, 0).astimezone(UTC)


def test_working_hours_carry_over_the_weekend(
    calendar: WorkingCalendar, settings: DeadlineSettings
) -> None:
    two_hours = TimeLimit(amount=2, unit=LimitUnit.WORKING_HOURS, text="2个小时")
    # Friday 16:30: half an hour left that day, the rest from Monday's opening
    due = due_at(cst(2026, 12, 4, 16, 30), two_hours, calendar=calendar, settings=settings)
    assert due == cst(2026, 12, 7, 10, 30).astimezone(UTC)
    # submitted on a Sunday evening: counting starts when the office opens
    due = due_at(cst(2026, 12, 6, 20, 0), two_hours, calendar=calendar, settings=settings)
    assert due == cst(2026, 12, 7, 11, 0).astimezone(UTC)


def test_calendar_days_ending_on_a_holiday_end_on_the_next_working_day(
    calendar: WorkingCalendar, settings: DeadlineSettings
) -> None:
    limit = TimeLimit(amount=3, unit=LimitUnit.CALENDAR_DAYS, text="3日")
    # 2026-09-28 + 3 = 10-01 (National Day) → first working day after the holiday
    due = due_at(cst(2026, 9, 28, 9, 0), limit, calendar=calendar, settings=settings)
    assert due == cst(2026, 10, 8, 17, 0).astimezone(UTC)


def test_a_naive_submission_time_is_refused(
    calendar: WorkingCalendar, settings: DeadlineSettings
) -> None:
    with pytest.raises(ValueError, match="aware"):
        due_at(datetime(2026, 12, 7, 9, 0), days(1), calendar=calendar, settings=settings)


def test_a_year_the_library_does_not_know_counts_weekdays_and_warns(
    calendar: WorkingCalendar, settings: DeadlineSettings, caplog: pytest.LogCaptureFixture
) -> None:
    assert not calendar.knows(2027)
    with caplog.at_level(logging.WARNING, logger="jobs.deadlines"):
        due = due_at(cst(2026, 12, 31, 10, 0), days(1), calendar=calendar, settings=settings)
        due_at(cst(2026, 12, 31, 11, 0), days(1), calendar=calendar, settings=settings)
    assert due == cst(2027, 1, 1, 17, 0).astimezone(UTC)
    warnings = [r for r in caplog.records if "2027" in r.getMessage()]
    assert len(warnings) == 1  # once per year, not per call


def test_the_settings_give_an_unknown_years_arrangement(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # as the State Council might publish it: New Year's Day off, a Sunday worked
    monkeypatch.setenv("PAOYICI_DEADLINES_HOLIDAYS", '["2027-01-01"]')
    monkeypatch.setenv("PAOYICI_DEADLINES_WORKDAYS", '["2027-01-03"]')
    settings = DeadlineSettings()
    calendar = WorkingCalendar.from_settings(settings)
    assert calendar.knows(2027)
    assert not calendar.is_working_day(date(2027, 1, 1))
    assert calendar.is_working_day(date(2027, 1, 3))
    with caplog.at_level(logging.WARNING, logger="jobs.deadlines"):
        due = due_at(cst(2026, 12, 31, 10, 0), days(2), calendar=calendar, settings=settings)
    # Thu 31st → Fri 1st off, Sat off, Sun 3rd worked (1), Mon 4th (2)
    assert due == cst(2027, 1, 4, 17, 0).astimezone(UTC)
    assert not caplog.records


def test_an_override_corrects_a_known_year() -> None:
    calendar = WorkingCalendar(holidays=[date(2026, 12, 8)])
    assert calendar.working_day_after(date(2026, 12, 7), 1) == date(2026, 12, 9)
    with pytest.raises(ValueError, match="both"):
        WorkingCalendar(holidays=[date(2026, 12, 8)], workdays=[date(2026, 12, 8)])


def test_matter_limits_and_default(settings: DeadlineSettings) -> None:
    local = DeadlineSettings(
        matter_limits={"second-hand-house-transfer": "1个工作日"}, default_limit="20个工作日"
    )
    hangzhou = "济宁：1个工作日；杭州：2个小时"
    assert limit_for("second-hand-house-transfer", hangzhou, settings=local) == TimeLimit(
        1, LimitUnit.WORKING_DAYS, "1个工作日"
    )
    assert limit_for("company-registration", None, settings=local) == TimeLimit(
        20, LimitUnit.WORKING_DAYS, "20个工作日"
    )
    assert limit_for("company-registration", None, settings=settings) is None


def test_due_now_and_the_status_as_the_clock_moves(
    calendar: WorkingCalendar, settings: DeadlineSettings
) -> None:
    matter = load_catalogue().get("second-hand-house-transfer")
    with time_machine.travel(datetime(2026, 12, 2, 2, 20, tzinfo=UTC), tick=False) as clock:
        due = due_at_for_matter(
            matter.id, matter.promised_time_limit, calendar=calendar, settings=settings
        )
        # 10:20 Beijing time + 2 office hours
        assert due == cst(2026, 12, 2, 12, 20).astimezone(UTC)
        assert deadline_status(due, calendar=calendar, settings=settings) is (
            DeadlineStatus.DUE_SOON  # within the 8 office hours of warning
        )
        clock.shift(timedelta(hours=2))
        assert deadline_status(due, calendar=calendar, settings=settings) is DeadlineStatus.OVERDUE
        none = due_at_for_matter("company-registration", None, calendar=calendar, settings=settings)
        assert none is None
        assert deadline_status(none, calendar=calendar, settings=settings) is None


def test_on_time_until_the_warning_window(
    calendar: WorkingCalendar, settings: DeadlineSettings
) -> None:
    due = due_at(cst(2026, 12, 7, 9, 0), days(5), calendar=calendar, settings=settings)
    assert due == cst(2026, 12, 14, 17, 0).astimezone(UTC)
    with time_machine.travel(cst(2026, 12, 10, 12, 0), tick=False) as clock:
        assert deadline_status(due, calendar=calendar, settings=settings) is DeadlineStatus.ON_TIME
        # Fri 17:00 → 8 office hours reach Mon 17:00: the warning starts at the week's last close
        clock.move_to(cst(2026, 12, 11, 17, 0))
        assert deadline_status(due, calendar=calendar, settings=settings) is (
            DeadlineStatus.DUE_SOON
        )
        # a naive stored time (SQLite) is read as UTC
        naive = due.replace(tzinfo=None)
        assert deadline_status(naive, calendar=calendar, settings=settings) is (
            DeadlineStatus.DUE_SOON
        )


def test_the_callable_the_job_context_takes() -> None:
    deadlines = Deadlines(DeadlineSettings(matter_limits={"company-registration": "3个工作日"}))
    catalogue = load_catalogue()
    at = cst(2026, 12, 7, 10, 0)
    assert deadlines(catalogue.get("company-registration"), at) == cst(2026, 12, 10, 17, 0)
    assert deadlines(catalogue.get("individual-business-registration"), at) is None
    due = deadlines(catalogue.get("newborn-one-thing"), at)
    assert deadlines.status(due, now=at) is DeadlineStatus.ON_TIME
