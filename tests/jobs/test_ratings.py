"""好差评 rules: once, only the owner's own ended case, poor ratings open a follow-up that is
warned like any deadline and closed with a written answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import cases
from cases.models import Application, AuditEvent, FollowUp, Notification, User
from jobs import ratings, warnings
from jobs.deadlines import Deadlines
from jobs.errors import NotFoundError
from jobs.visit_errors import (
    AlreadyRatedError,
    AnswerRequiredError,
    FollowUpClosedError,
    InvalidRatingError,
    NotRatableError,
)

DEADLINES = Deadlines()
# Friday 2026-12-04 10:00 Beijing → 5 working days: Friday 2026-12-11 17:00 Beijing
RATED_AT = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
FOLLOW_UP_DUE = datetime(2026, 12, 11, 9, 0, tzinfo=UTC)


@pytest.fixture
def sessions(database_url: str, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    eng = cases.make_engine(cases.DatabaseSettings(url=database_url), data_dir=tmp_path)
    cases.downgrade(eng, "base")
    cases.upgrade(eng)
    yield cases.make_sessionmaker(eng)
    cases.downgrade(eng, "base")
    eng.dispose()


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> dict[str, str]:
    with cases.transaction(sessions) as s:
        ids = {}
        for name, role in [("owner", "citizen"), ("other", "citizen"), ("sup", "supervisor")]:
            u = User(username=name, password_hash="x", name=name, role=role)
            s.add(u)
            s.flush()
            ids[name] = u.id
        for key, state in [("done", "issued"), ("open", "needs_review"), ("done2", "picked_up")]:
            a = Application(matter_id="m", answers={}, state=state, owner_id=ids["owner"])
            s.add(a)
            s.flush()
            ids[key] = a.id
    return ids


def _rate(s: Session, w: dict[str, str], case: str = "done", **kw: object) -> object:
    args: dict[str, object] = {
        "user_id": w["owner"],
        "application_id": w[case],
        "level": "满意",
        "now": RATED_AT,
        "deadlines": DEADLINES,
    } | kw
    return ratings.rate(s, **args)  # type: ignore[arg-type]


def test_levels_are_the_national_five() -> None:
    labels = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert [ratings.parse_level(x) for x in labels] == [5, 4, 3, 2, 1]
    assert ratings.parse_level(3) == 3
    for bad in [0, 6, "好", "", True]:
        with pytest.raises(InvalidRatingError):
            ratings.parse_level(bad)  # type: ignore[arg-type]


def test_a_good_rating_once_only_by_the_owner_of_an_ended_case(
    sessions: sessionmaker[Session], world: dict[str, str]
) -> None:
    with cases.transaction(sessions) as s, pytest.raises(NotFoundError):
        _rate(s, world, user_id=world["other"])
    with cases.transaction(sessions) as s, pytest.raises(NotRatableError):
        _rate(s, world, "open")
    with cases.transaction(sessions) as s:
        r = _rate(s, world, level="非常满意", reasons=["一次办成", " "])
        assert r.level == 5 and r.reasons == ["一次办成"]  # type: ignore[attr-defined]
    with cases.transaction(sessions) as s, pytest.raises(AlreadyRatedError):
        _rate(s, world, level="不满意")
    with sessions() as s:
        assert s.scalars(select(FollowUp)).all() == []
        assert s.scalars(select(AuditEvent.action)).all() == ["rated"]


def test_a_poor_rating_opens_a_follow_up_warned_and_answered(
    sessions: sessionmaker[Session], world: dict[str, str]
) -> None:
    with cases.transaction(sessions) as s:
        _rate(s, world, level="不满意", reasons=["等待时间长"], comment="跑了两次")
    with sessions() as s:
        follow = s.scalars(select(FollowUp)).one()
        assert warnings._utc(follow.due_at) == FOLLOW_UP_DUE
        notes = s.scalars(select(Notification)).all()
        assert [(n.user_id, n.kind) for n in notes] == [(world["sup"], "poor_rating")]
    settings = warnings.WarningSettings()
    # office time Friday 10:00 → next Friday 17:00 = 7 + 4 × 8 + 8 = 47 h; 80 % = 37.6 h →
    # Thursday 2026-12-10 15:36 Beijing
    warn_at = datetime(2026, 12, 10, 7, 36, tzinfo=UTC)
    for at, expected in [
        (warn_at - timedelta(minutes=1), []),
        (warn_at, ["warning"]),
        (warn_at + timedelta(hours=1), []),
        (FOLLOW_UP_DUE, ["overdue"]),
    ]:
        with time_machine.travel(at, tick=False):
            fired = warnings.run_scan(
                sessions, now=datetime.now(UTC), deadlines=DEADLINES, settings=settings
            )
        assert [(a.subject_type, a.kind) for a in fired] == [("follow_up", k) for k in expected]
    with cases.transaction(sessions) as s, pytest.raises(AnswerRequiredError):
        ratings.answer_follow_up(
            s, application_id=world["done"], answer="  ", actor="sup", role="supervisor",
            now=FOLLOW_UP_DUE,
        )  # fmt: skip
    with cases.transaction(sessions) as s:
        ratings.answer_follow_up(
            s, application_id=world["done"], answer="已约谈窗口负责人，优化叫号流程。",
            actor="sup", role="supervisor", now=FOLLOW_UP_DUE,
        )  # fmt: skip
    with cases.transaction(sessions) as s, pytest.raises(FollowUpClosedError):
        ratings.answer_follow_up(
            s, application_id=world["done"], answer="再次答复内容", actor="sup",
            role="supervisor", now=FOLLOW_UP_DUE,
        )  # fmt: skip
    with sessions() as s:
        owner_notes = s.scalars(
            select(Notification).where(Notification.user_id == world["owner"])
        ).all()
        assert [n.kind for n in owner_notes] == ["follow_up_answered"]
        listed = ratings.list_follow_ups(s)
        assert listed[0]["closed_at"] is not None and listed[0]["label"] == "不满意"
        assert ratings.list_follow_ups(s, open_only=True) == []
        actions = s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == [
            "rated",
            "follow_up_opened",
            "deadline_warning",
            "deadline_overdue",
            "follow_up_answered",
        ]
