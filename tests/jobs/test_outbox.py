"""The outbox: jobs written in the caller's transaction, claimed under a lease, retried with
backoff, and run by the in-process runner (on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

import cases
from cases.models import Job
from jobs import JOBS, InProcessRunner, JobsSettings, outbox, run_job


@pytest.fixture
def sessions(database_url: str, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    eng = cases.make_engine(cases.DatabaseSettings(url=database_url), data_dir=tmp_path)
    cases.downgrade(eng, "base")
    cases.upgrade(eng)
    yield cases.make_sessionmaker(eng)
    cases.downgrade(eng, "base")
    eng.dispose()


class _Ctx:
    """The part of JobContext that run_job uses."""

    def __init__(self, sessions: sessionmaker[Session], **jobs: Any) -> None:
        self.sessions = sessions
        self.jobs = JobsSettings(
            lease_s=jobs.pop("lease_s", 5), retry_base_s=0.05, poll_s=0.1, **jobs
        )

    def warm_up(self) -> None:
        return None


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """A test job ``probe(n)``: records its calls, fails while ``n`` is in ``failing``."""
    seen: list[tuple[str, int]] = []
    lock = threading.Lock()
    failing: dict[int, int] = {}

    def probe(_ctx: object, *, n: int, fail_times: int = 0) -> None:
        with lock:
            seen.append(("probe", n))
            failing[n] = failing.get(n, 0) + 1
            if failing[n] <= fail_times:
                raise RuntimeError(f"probe {n} fails on purpose")

    monkeypatch.setitem(JOBS, "probe", probe)
    return seen


def _job(sessions: sessionmaker[Session], job_id: int) -> Job:
    with sessions() as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def test_a_job_exists_only_if_its_transaction_commits(sessions: sessionmaker[Session]) -> None:
    told: list[list[int]] = []
    outbox.install_notifier(sessions, told.append)
    with pytest.raises(RuntimeError), cases.transaction(sessions) as s:
        outbox.enqueue(s, "probe", n=1)
        raise RuntimeError("the change that needed the job failed")
    assert told == []
    with sessions() as s:
        assert outbox.due_jobs(s) == []
    with cases.transaction(sessions) as s:
        job = outbox.enqueue(s, "probe", n=2)
        assert told == []  # not before the commit
    assert told == [[job.id]]
    with sessions() as s:
        assert outbox.due_jobs(s) == [job.id]


def test_a_claimed_job_is_nobody_elses_until_its_lease_expires(
    sessions: sessionmaker[Session],
) -> None:
    with cases.transaction(sessions) as s:
        job_id = outbox.enqueue(s, "probe", n=1).id
    with cases.transaction(sessions) as s:
        assert outbox.claim(s, job_id, lease=timedelta(seconds=60)) is not None
    with cases.transaction(sessions) as s:
        assert outbox.claim(s, job_id, lease=timedelta(seconds=60)) is None
        assert outbox.due_jobs(s) == []
    # its runner died: once the lease has run out another takes it (attempt 2)
    with cases.transaction(sessions) as s:
        s.execute(update(Job).values(lease_until=cases.models.utcnow() - timedelta(seconds=1)))
    with cases.transaction(sessions) as s:
        again = outbox.claim(s, job_id, lease=timedelta(seconds=60))
        assert again is not None and again.attempts == 2
    # the first runner cannot finish what it no longer holds
    with cases.transaction(sessions) as s:
        assert not outbox.finish(s, job_id, attempt=1)
        assert outbox.finish(s, job_id, attempt=2)
    assert _job(sessions, job_id).state == "done"


def test_run_job_retries_with_backoff_then_succeeds(
    sessions: sessionmaker[Session], calls: list[tuple[str, int]]
) -> None:
    ctx = _Ctx(sessions)
    with cases.transaction(sessions) as s:
        job_id = outbox.enqueue(s, "probe", n=7, fail_times=2).id
    assert run_job(ctx, job_id) == "retry"  # type: ignore[arg-type]
    job = _job(sessions, job_id)
    assert job.state == "queued" and job.attempts == 1 and "on purpose" in (job.last_error or "")
    assert run_job(ctx, job_id) == "skipped"  # type: ignore[arg-type]  # backoff not over
    time.sleep(0.2)
    assert run_job(ctx, job_id) == "retry"  # type: ignore[arg-type]
    time.sleep(0.3)
    assert run_job(ctx, job_id) == "done"  # type: ignore[arg-type]
    job = _job(sessions, job_id)
    assert job.state == "done" and job.attempts == 3 and job.finished_at is not None
    assert calls == [("probe", 7)] * 3
    assert run_job(ctx, job_id) == "skipped"  # type: ignore[arg-type]  # done is done


def test_a_job_that_keeps_failing_is_failed_after_max_attempts(
    sessions: sessionmaker[Session], calls: list[tuple[str, int]]
) -> None:
    ctx = _Ctx(sessions, max_attempts=2)
    with cases.transaction(sessions) as s:
        job_id = outbox.enqueue(s, "probe", n=1, fail_times=99).id
    assert run_job(ctx, job_id) == "retry"  # type: ignore[arg-type]
    time.sleep(0.2)
    assert run_job(ctx, job_id) == "failed"  # type: ignore[arg-type]
    assert _job(sessions, job_id).state == "failed"
    with cases.transaction(sessions) as s:
        unknown = outbox.enqueue(s, "no_such_job").id
    assert run_job(ctx, unknown) == "failed"  # type: ignore[arg-type]  # never retried
    assert "no_such_job" in (_job(sessions, unknown).last_error or "")


def test_the_lease_is_renewed_while_a_long_job_runs(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen_due: list[list[int]] = []

    def slow(_ctx: object) -> None:
        time.sleep(2.5)  # five leases of 0.5 s
        with sessions() as s:
            seen_due.append(outbox.due_jobs(s))

    monkeypatch.setitem(JOBS, "slow", slow)
    ctx = _Ctx(sessions, lease_s=0.5)
    with cases.transaction(sessions) as s:
        job_id = outbox.enqueue(s, "slow").id
    assert run_job(ctx, job_id) == "done"  # type: ignore[arg-type]
    assert seen_due == [[]]  # never claimable by another runner while it ran
    assert _job(sessions, job_id).attempts == 1


def test_the_in_process_runner_runs_everything_unfinished_at_start(
    sessions: sessionmaker[Session], calls: list[tuple[str, int]]
) -> None:
    # jobs left by a process that died: queued ones, and one running whose lease ran out
    with cases.transaction(sessions) as s:
        ids = [outbox.enqueue(s, "probe", n=n).id for n in range(6)]
    with cases.transaction(sessions) as s:
        outbox.claim(s, ids[0], lease=timedelta(seconds=-1))
    runner = InProcessRunner(_Ctx(sessions), workers=2)  # type: ignore[arg-type]
    outbox.install_notifier(sessions, lambda jobs: [runner.notify(j) for j in jobs])
    runner.start(warm_up=False)
    try:
        assert runner.wait_idle(30)
        with cases.transaction(sessions) as s:
            later = outbox.enqueue(s, "probe", n=99).id
        assert runner.wait_idle(30)
    finally:
        runner.close()
    assert sorted(n for _, n in calls) == [0, 1, 2, 3, 4, 5, 99]
    with sessions() as s:
        assert all(s.get(Job, i).state == "done" for i in [*ids, later])  # type: ignore[union-attr]
