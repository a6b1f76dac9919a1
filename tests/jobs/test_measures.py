"""Issue 15's supervisor measures against a hand-counted set of cases (SQLite + PostgreSQL)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

import cases
from cases.models import (
    Application,
    Booking,
    Certificate,
    DeadlineAlert,
    Delivery,
    FollowUp,
    Rating,
    Review,
    ServiceWindow,
    User,
)
from jobs.deadlines import DeadlineSettings, WorkingCalendar
from jobs.measures import case_kpis, compute_measures
from jobs.supervision import collect_facts, compute_kpis

T0 = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
DEPARTMENTS = {"m1": "不动产登记中心", "m2": "人力社保局"}


@pytest.fixture
def sessions(database_url: str, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    eng = cases.make_engine(cases.DatabaseSettings(url=database_url), data_dir=tmp_path)
    cases.downgrade(eng, "base")
    cases.upgrade(eng)
    yield cases.make_sessionmaker(eng)
    cases.downgrade(eng, "base")
    eng.dispose()


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def _seed(s: Session) -> None:
    users = {}
    for name, role in [("r1", "reviewer"), ("r2", "reviewer"), ("c", "citizen")]:
        u = User(username=name, password_hash="x", role=role)
        s.add(u)
        s.flush()
        users[name] = u.id
    win = ServiceWindow(hall="市民中心", number="A01", matters=["m1", "m2"])
    s.add(win)
    s.flush()
    serial = iter(range(1, 100))

    def case(key: str, matter: str, state: str, rounds: int, **kw: object) -> str:
        a = Application(
            id=key * 8, matter_id=matter, answers={}, state=state, correction_rounds=rounds,
            owner_id=users["c"], submitted_at=None if state == "draft" else T0, **kw,
        )  # fmt: skip
        s.add(a)
        s.flush()
        return a.id

    def review(app: str, who: str, decision: str, at: float) -> None:
        s.add(Review(application_id=app, reviewer=users[who], decision=decision, created_at=h(at)))

    def cert(app: str, at: float) -> None:
        n = next(serial)
        s.add(
            Certificate(
                application_id=app, identifier=f"id-{n}", name="证", type_code="t",
                number=str(n), serial=str(n), holder_name="张三", issuer_name="局",
                issuer_code="1" * 18, issued_on=date(2026, 11, 2), created_at=h(at),
            )
        )  # fmt: skip

    def booking(app: str, n: int) -> None:
        s.add(
            Booking(
                code=f"{app[:4]}{n}", window_id=win.id, application_id=app, starts_at=h(30),
                status="checked_in",
            )
        )  # fmt: skip

    a = case("a", "m1", "delivered", 0)
    review(a, "r1", "approve", 2)
    cert(a, 3)
    s.add(Delivery(application_id=a, method="courier"))
    b = case("b", "m1", "picked_up", 1)
    review(b, "r1", "return", 1)
    review(b, "r2", "approve", 10)
    cert(b, 12)
    s.add(Delivery(application_id=b, method="pickup"))
    c = case("c", "m1", "issued", 0)
    review(c, "r2", "approve", 4)
    cert(c, 6)
    s.add(Delivery(application_id=c, method="pickup"))
    booking(c, 1)
    d = case("d", "m2", "picked_up", 3)
    cert(d, 20)
    booking(d, 1)
    booking(d, 2)
    e = case("e", "m2", "needs_review", 0, assignee_id=users["r1"])
    review(e, "r1", "confirm", 0.5)
    f = case("f", "m2", "rejected", 1)
    review(f, "r1", "reject", 8)
    case("g", "m1", "draft", 0)
    for subject, kind, matter in [(e, "warning", "m2"), (e, "overdue", "m2"), (a, "warning", "m1")]:
        s.add(DeadlineAlert(subject_type="application", subject_id=subject, kind=kind,
                            matter_id=matter))  # fmt: skip
    s.add(DeadlineAlert(subject_type="follow_up", subject_id="1", kind="warning"))
    s.flush()
    for app, level in [(a, 5), (b, 2), (c, 4), (d, 1), (f, 3)]:
        r = Rating(application_id=app, user_id=users["c"], level=level, reasons=[])
        s.add(r)
        s.flush()
        if app == b:  # open, past its due date
            s.add(FollowUp(rating_id=r.id, application_id=app, due_at=NOW - timedelta(days=1)))
        if app == d:  # answered after its due date
            s.add(
                FollowUp(
                    rating_id=r.id, application_id=app, due_at=NOW - timedelta(days=3),
                    answer="已整改", closed_at=NOW - timedelta(days=2),
                )
            )  # fmt: skip


def test_measures_equal_the_hand_count(sessions: sessionmaker[Session]) -> None:
    with cases.transaction(sessions) as s:
        _seed(s)
    with sessions() as s:
        got = compute_measures(s, now=NOW, departments=DEPARTMENTS)
    assert got["first_pass_by_matter"] == {
        "m1": {"submitted": 3, "first_pass": 2, "rate": 0.6667},
        "m2": {"submitted": 3, "first_pass": 1, "rate": 0.3333},
    }
    assert got["correction_rounds_distribution"] == {"0": 3, "1": 1, "2": 1, "3+": 1}
    assert got["visits"] == {
        "finished": 4, "zero": 1, "one": 2, "more": 1, "zero_share": 0.25, "one_share": 0.5,
        "zero_or_one_share": 0.75, "more_share": 0.25,
    }  # fmt: skip
    assert got["time_to_verdict_hours"] == {"count": 4, "p50": 4.0, "p90": 10.0}
    assert got["time_to_certificate_hours"] == {"count": 4, "p50": 6.0, "p90": 20.0}
    assert got["reviewers"] == {
        "r1": {
            "open_held": 1,
            "decisions": 3,
            "first_response_hours": {"count": 4, "p50": 1.0, "p90": 8.0},
        },
        "r2": {
            "open_held": 0,
            "decisions": 2,
            "first_response_hours": {"count": 1, "p50": 4.0, "p90": 4.0},
        },
    }
    assert got["first_response_hours"] == {"count": 5, "p50": 2.0, "p90": 8.0}
    assert got["alerts_by_department"] == {
        "不动产登记中心": {"warned": 1, "overdue": 0},
        "人力社保局": {"warned": 1, "overdue": 1},
    }
    assert got["ratings"] == {
        "count": 5,
        "by_level": {"非常满意": 1, "满意": 1, "基本满意": 1, "不满意": 1, "非常不满意": 1},
        "satisfaction_rate": 0.6,
        "poor": 2,
        "follow_ups_open": 1,
        "follow_ups_overdue": 1,
        "follow_ups_answered_late": 1,
    }


def test_an_empty_service_measures_nothing_rather_than_zero(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as s:
        got = compute_measures(s, now=NOW)
    assert got["visits"]["zero_share"] is None
    assert got["time_to_verdict_hours"] == {"count": 0, "p50": None, "p90": None}
    assert got["ratings"]["satisfaction_rate"] is None
    assert got["first_pass_by_matter"] == {}


def _kpis_both_ways(s: Session, now: datetime) -> tuple[dict, dict]:
    settings = DeadlineSettings()
    calendar = WorkingCalendar.from_settings(settings)
    by_db = case_kpis(s, now=now, calendar=calendar, settings=settings)
    by_facts = compute_kpis(collect_facts(s), now=now, calendar=calendar, settings=settings)
    return by_db, by_facts


def test_case_kpis_by_the_database_equal_the_hand_count(sessions: sessionmaker[Session]) -> None:
    with cases.transaction(sessions) as s:
        _seed(s)
    with sessions() as s:
        got, reference = _kpis_both_ways(s, NOW)
    assert got == reference
    # by hand: 6 submitted (a–f) of 7; a, c, e went back never (rounds 0, no return)
    assert got["applications"] == 7 and got["submitted"] == 6
    assert got["first_pass_ready_rate"] == 0.5
    assert got["correction_rounds"] == {"mean": round((0 + 2 + 0 + 3 + 0 + 1) / 6, 4), "max": 3}
    # finished and not rejected: a (courier), b (picked_up), c (pickup), d (picked_up)
    assert got["visits_per_case"] == 0.75
    assert got["time_to_certificate_hours"] == {"count": 4, "p50": 6.0, "p90": 20.0}
    assert got["open"] == 1 and got["by_matter"]["m2"] == {"submitted": 3, "open": 1, "overdue": 0}


def test_case_kpis_equal_the_per_case_reckoning_on_a_random_set(
    sessions: sessionmaker[Session],
) -> None:
    """Many cases around ``now`` (overdue, due soon across the evening and the weekend, on time)
    and every kind of history: the database's counts equal the per-case reference."""
    rng = random.Random(15)
    now = datetime(2026, 12, 4, 8, 30, tzinfo=UTC)  # Friday 16:30 in Beijing
    states = ["draft", "needs_review", "ready", "prechecking", "returned", "issued",
              "shipped", "delivered", "picked_up", "rejected", "accepted_pending"]  # fmt: skip
    with cases.transaction(sessions) as s:
        r = User(username="r", password_hash="x", role="reviewer")
        s.add(r)
        s.flush()
        for i in range(240):
            state = rng.choice(states)
            sub = None if state == "draft" else now - timedelta(hours=rng.uniform(1, 400))
            due = (
                None
                if sub is None or rng.random() < 0.1
                else now + timedelta(hours=rng.uniform(-30, 90))
            )
            a = Application(
                id=f"{i:032d}", matter_id=rng.choice(["m1", "m2", "m3"]), answers={},
                state=state, correction_rounds=rng.choice([0, 0, 1, 2, 4]), submitted_at=sub,
                due_at=due,
            )  # fmt: skip
            s.add(a)
            s.flush()
            at = (sub or now) + timedelta(hours=rng.uniform(0.1, 50))
            for decision in rng.sample(["return", "approve", "reject", "confirm"], k=2):
                at += timedelta(hours=rng.uniform(0.1, 20))
                s.add(Review(application_id=a.id, reviewer=r.id, decision=decision, created_at=at))
            if rng.random() < 0.6:
                s.add(
                    Certificate(
                        application_id=a.id, identifier=f"c{i}", name="证", type_code="t",
                        number=str(i), serial=str(i), holder_name="张三", issuer_name="局",
                        issuer_code="1" * 18, issued_on=date(2026, 11, 2),
                        created_at=at + timedelta(minutes=rng.uniform(1, 600)),
                    )
                )  # fmt: skip
            if rng.random() < 0.7:
                method = rng.choice(["pickup", "courier"])
                s.add(Delivery(application_id=a.id, method=method))
    with sessions() as s:
        got, reference = _kpis_both_ways(s, now)
    assert got == reference
    assert got["overdue"] > 0 and got["due_soon"] > 0 and got["open"] > got["overdue"]
