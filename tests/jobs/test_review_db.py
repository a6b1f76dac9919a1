"""Review use cases, KPIs and the metrics snapshot on the embedded SQLite file and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

import cases
from cases import accounts
from cases.errors import ConcurrentUpdateError
from cases.models import Application, Job
from jobs import review
from jobs.deadlines import DeadlineSettings, WorkingCalendar
from jobs.errors import NotFoundError
from jobs.metrics import read_snapshot
from jobs.supervision import collect_facts, compute_kpis

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Staff:
    id: str
    username: str
    role: str
    matters: tuple[str, ...] = ()

    def sees_matter(self, matter_id: str) -> bool:
        return not self.matters or matter_id in self.matters


@pytest.fixture
def sessions(database_url: str, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    eng = cases.make_engine(cases.DatabaseSettings(url=database_url), data_dir=tmp_path)
    cases.downgrade(eng, "base")  # a PostgreSQL database is shared by the session's tests
    cases.upgrade(eng)
    yield cases.make_sessionmaker(eng)
    cases.downgrade(eng, "base")
    eng.dispose()


def _case(s: Session, owner: str, *, matter: str = "m1", due: datetime | None, **kw: object) -> str:
    a = Application(
        matter_id=matter,
        answers={},
        state=kw.pop("state", "needs_review"),
        verdict="needs_review",
        owner_id=owner,
        submitted_at=NOW - timedelta(hours=2),
        due_at=due,
        **kw,
    )
    s.add(a)
    s.flush()
    return a.id


def test_queue_claims_kpis_and_metrics(sessions: sessionmaker[Session]) -> None:
    with cases.transaction(sessions) as s:
        citizen = accounts.create_user(s, username="citizen-1", password="password-1").id
        r1 = accounts.create_user(
            s, username="reviewer-1", password="password-1", role="reviewer"
        ).id
        r2 = accounts.create_user(
            s, username="reviewer-2", password="password-1", role="reviewer"
        ).id
        late = _case(s, citizen, due=NOW + timedelta(days=3))
        soon = _case(s, citizen, due=NOW + timedelta(hours=1))
        overdue = _case(s, citizen, due=NOW - timedelta(hours=1), state="ready")
        undated = _case(s, citizen, due=None)
        other = _case(s, citizen, matter="m2", due=NOW)
        s.add(
            Job(name="read_upload", args={}, state="queued", run_after=NOW - timedelta(seconds=90))
        )
        s.add(Job(name="read_upload", args={}, state="failed", run_after=NOW))
    one = Staff(r1, "reviewer-1", "reviewer", ("m1",))
    two = Staff(r2, "reviewer-2", "reviewer", ("m1",))
    with cases.transaction(sessions) as s:
        ids = [i.id for i in review.review_queue(s, one, now=NOW)]
        assert ids == [overdue, soon, late, undated]
        assert other not in ids
        review.claim_case(s, one, soon, settings=review.ReviewSettings(), now=NOW)
    with cases.transaction(sessions) as s:
        [item] = [i for i in review.review_queue(s, two, now=NOW) if i.id == soon]
        assert item.assignee == "reviewer-1"
        with pytest.raises(review.ClaimedError) as e:
            review.claim_case(s, two, soon, settings=review.ReviewSettings(), now=NOW)
        assert "reviewer-1" in e.value.message  # the colleague by name, not by id
        with pytest.raises(NotFoundError):
            review.claim_case(s, one, other, settings=review.ReviewSettings(), now=NOW)
    # the lease lapses
    later = NOW + timedelta(minutes=31)
    with cases.transaction(sessions) as s:
        assert [i.assignee for i in review.review_queue(s, two, now=later) if i.id == soon] == [
            None
        ]
        review.claim_case(s, two, soon, settings=review.ReviewSettings(), now=later)
    with sessions() as s:
        settings = DeadlineSettings()
        out = compute_kpis(
            collect_facts(s),
            now=NOW,
            calendar=WorkingCalendar.from_settings(settings),
            settings=settings,
        )
        assert out["submitted"] == 5 and out["open"] == 5
        assert out["overdue"] == 2  # the overdue one, and "other" due now
        snap = read_snapshot(s, now=NOW)
        assert snap.applications_by_state == {"needs_review": 4, "ready": 1}
        assert snap.jobs_by_state == {"queued": 1, "failed": 1}
        assert snap.oldest_queued_job_seconds == pytest.approx(90, abs=1)
        assert snap.overdue == 2


def test_two_reviewers_claiming_at_once_one_is_told_to_retry(
    sessions: sessionmaker[Session],
) -> None:
    with cases.transaction(sessions) as s:
        citizen = accounts.create_user(s, username="citizen-1", password="password-1").id
        r1 = accounts.create_user(s, username="reviewer-1", password="password-1", role="reviewer")
        r2 = accounts.create_user(s, username="reviewer-2", password="password-1", role="reviewer")
        case = _case(s, citizen, due=NOW)
    one = Staff(r1.id, "reviewer-1", "reviewer")
    two = Staff(r2.id, "reviewer-2", "reviewer")
    settings = review.ReviewSettings()
    first, second = sessions(), sessions()
    try:
        # both read the free case before either writes
        seen = [first.get(Application, case), second.get(Application, case)]
        assert all(a is not None and a.assignee_id is None for a in seen)
        review.claim_case(first, one, case, settings=settings, now=NOW)
        first.commit()
        with pytest.raises(ConcurrentUpdateError):
            review.claim_case(second, two, case, settings=settings, now=NOW)
        second.rollback()
    finally:
        first.close()
        second.close()
    with sessions() as s:
        assert s.get(Application, case).assignee_id == r1.id
