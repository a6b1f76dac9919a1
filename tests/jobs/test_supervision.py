"""The supervisor's measures, computed from case facts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jobs.deadlines import DeadlineSettings, WorkingCalendar
from jobs.supervision import CaseFacts, compute_kpis

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)  # Wednesday 14:00 in Beijing
H = timedelta(hours=1)
SETTINGS = DeadlineSettings()
CALENDAR = WorkingCalendar.from_settings(SETTINGS)


def kpis(facts: list[CaseFacts]) -> dict:
    return compute_kpis(facts, now=NOW, calendar=CALENDAR, settings=SETTINGS)


def test_nothing_to_measure_is_none_not_zero() -> None:
    out = kpis([CaseFacts("m", "draft", None, None)])
    assert out["applications"] == 1 and out["submitted"] == 0
    assert out["first_pass_ready_rate"] is None
    assert out["visits_per_case"] is None
    assert out["on_time_rate"] is None
    assert out["correction_rounds"] == {"mean": None, "max": None}
    assert out["time_to_certificate_hours"] == {"count": 0, "p50": None, "p90": None}


def test_the_measures() -> None:
    t0 = NOW - 30 * H
    facts = [
        # issued by courier, first pass, decided in time: 0 visits
        CaseFacts(
            "a",
            "shipped",
            t0,
            t0 + 8 * H,
            decided_at=t0 + H,
            issued_at=t0 + 2 * H,
            delivery="courier",
        ),
        # picked up at the window after one needs_fix round: 1 visit
        CaseFacts(
            "a",
            "picked_up",
            t0,
            t0 + 8 * H,
            correction_rounds=1,
            decided_at=t0 + 10 * H,
            issued_at=t0 + 11 * H,
            delivery="pickup",
        ),
        # returned once by a reviewer, now waiting again, overdue
        CaseFacts("b", "needs_review", t0, NOW - H, returns=1),
        # waiting, due within the warning window (2 office hours from now)
        CaseFacts("b", "ready", NOW - H, NOW + 2 * H),
        # waiting, due next week
        CaseFacts("b", "ready", NOW - H, NOW + 7 * 24 * H),
        # rejected: decided but not finished with a certificate; not counted for visits
        CaseFacts("a", "rejected", t0, t0 + 8 * H, decided_at=t0 + 3 * H),
        # never submitted
        CaseFacts("a", "draft", None, None),
    ]
    out = kpis(facts)
    assert out["applications"] == 7 and out["submitted"] == 6
    assert out["by_state"]["ready"] == 2
    assert out["first_pass_ready_rate"] == round(4 / 6, 4)
    assert out["visits_per_case"] == 0.5
    assert out["correction_rounds"] == {"mean": round(2 / 6, 4), "max": 1}
    assert out["time_to_certificate_hours"] == {"count": 2, "p50": 2.0, "p90": 11.0}
    assert (out["open"], out["overdue"], out["due_soon"]) == (3, 1, 1)
    assert out["on_time_rate"] == round(2 / 3, 4)
    assert out["by_matter"] == {
        "a": {"submitted": 3, "open": 0, "overdue": 0},
        "b": {"submitted": 3, "open": 3, "overdue": 1},
    }


def test_naive_database_times_are_utc() -> None:
    t0 = (NOW - 5 * H).replace(tzinfo=None)
    out = kpis([CaseFacts("a", "issued", t0, t0 + H, decided_at=t0 + H, issued_at=t0 + 3 * H)])
    assert out["time_to_certificate_hours"]["p50"] == 3.0
    assert out["on_time_rate"] == 1.0


@pytest.mark.postgres
def test_facts_of_more_cases_than_a_query_may_bind(postgres_database: str, tmp_path: Path) -> None:
    """PostgreSQL binds at most 65 535 parameters: the KPIs must not list every case's id."""
    import uuid

    from sqlalchemy import delete, insert

    import cases
    from cases.models import Application
    from jobs.supervision import collect_facts

    engine = cases.make_engine(cases.DatabaseSettings(url=postgres_database), data_dir=tmp_path)
    cases.upgrade(engine)
    sessions = cases.make_sessionmaker(engine)
    marker = f"kpi-{uuid.uuid4().hex[:8]}"
    now = datetime.now(UTC)
    rows = [
        {
            "id": uuid.uuid4().hex,
            "matter_id": marker,
            "answers": {},
            "state": "draft",
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for _ in range(66_000)
    ]
    with cases.transaction(sessions) as s:
        s.execute(insert(Application), rows)
    try:
        with sessions() as s:
            facts = collect_facts(s)
        assert sum(1 for f in facts if f.matter == marker) == 66_000
    finally:
        with cases.transaction(sessions) as s:
            s.execute(delete(Application).where(Application.matter_id == marker))
        engine.dispose()
