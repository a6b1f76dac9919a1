"""The durable job table (an outbox): a job is a row written in the caller's transaction.

``enqueue(session, name, **args)`` adds the row; when that transaction commits, the queue the
sessionmaker was given with :func:`install_notifier` hears of it (in-process: the pool wakes;
Celery: a message carrying the job id). If the message is lost or the process dies, the row is
still there: :func:`due_jobs` finds it (queued and due, or running with an expired lease) and
any runner takes it again. :func:`claim` takes a job under a lease with a conditional UPDATE, so
two runners never both hold one; :func:`finish` and :func:`fail` end an attempt. Jobs are
idempotent, so running one again after a crash is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, event, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from cases.models import Job

__all__ = [
    "JOB_STATES",
    "Job",
    "claim",
    "due_jobs",
    "enqueue",
    "fail",
    "finish",
    "install_notifier",
    "job_counts",
    "renew",
]

log = logging.getLogger(__name__)

JOB_STATES = ("queued", "running", "done", "failed")
_PENDING_KEY = "paoyici.jobs.pending"

Notifier = Callable[[Sequence[int]], None]


def _now() -> datetime:
    return datetime.now(UTC)


def enqueue(session: Session, name: str, /, *, delay: float = 0, **args: Any) -> Job:
    """Write job ``name`` with JSON ``args`` (ids) in ``session``'s transaction.

    The queue is told only after that transaction commits; a rollback drops the row and the
    notice together."""
    job = Job(
        name=name,
        args=dict(args),
        state="queued",
        attempts=0,
        run_after=_now() + timedelta(seconds=delay),
    )
    session.add(job)
    session.flush()
    session.info.setdefault(_PENDING_KEY, []).append(job.id)
    return job


def install_notifier(sessions: sessionmaker[Session], notify: Notifier) -> None:
    """Call ``notify(job_ids)`` after each commit of a session from ``sessions`` that enqueued."""

    def after_commit(session: Session) -> None:
        ids = session.info.pop(_PENDING_KEY, None)
        if ids:
            try:
                notify(list(ids))
            except Exception:  # the row is durable: the next sweep runs it
                log.warning("could not notify the job queue of %s", ids, exc_info=True)

    def after_rollback(session: Session) -> None:
        session.info.pop(_PENDING_KEY, None)

    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_soft_rollback", lambda s, _prev: after_rollback(s))


def _claimable(now: datetime) -> Any:
    return or_(
        and_(Job.state == "queued", Job.run_after <= now),
        and_(Job.state == "running", Job.lease_until < now),
    )


def due_jobs(session: Session, *, limit: int = 100, now: datetime | None = None) -> list[int]:
    """Ids of the jobs a runner may take now, oldest first."""
    now = now or _now()
    rows = session.scalars(
        select(Job.id).where(_claimable(now)).order_by(Job.run_after, Job.id).limit(limit)
    )
    return list(rows)


def claim(session: Session, job_id: int, *, lease: timedelta) -> Job | None:
    """Take job ``job_id`` for ``lease`` (one more attempt) if it is claimable; else None.

    The conditional UPDATE is the lock: of two runners racing for a row, one updates it."""
    now = _now()
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, _claimable(now))
        .values(state="running", lease_until=now + lease, attempts=Job.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    job = session.get(Job, job_id, populate_existing=True)
    return job


def renew(session: Session, job_id: int, *, lease: timedelta, attempt: int) -> bool:
    """Extend the lease of a job this runner holds (same attempt); False if it lost it."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == "running", Job.attempts == attempt)
        .values(lease_until=_now() + lease)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def finish(session: Session, job_id: int, *, attempt: int) -> bool:
    """Mark the attempt done; False if another runner took the job meanwhile."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == "running", Job.attempts == attempt)
        .values(state="done", finished_at=_now(), lease_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def fail(
    session: Session, job_id: int, *, attempt: int, error: str, retry_in: float | None
) -> bool:
    """End a failed attempt: queued again after ``retry_in`` seconds, or ``failed`` for good."""
    values: dict[str, Any] = {"last_error": error[:2000], "lease_until": None}
    if retry_in is None:
        values |= {"state": "failed", "finished_at": _now()}
    else:
        values |= {"state": "queued", "run_after": _now() + timedelta(seconds=retry_in)}
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == "running", Job.attempts == attempt)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def job_counts(session: Session) -> dict[str, int]:
    """Jobs by state (metrics)."""
    counts = dict.fromkeys(JOB_STATES, 0)
    for state, n in session.execute(select(Job.state, func.count()).group_by(Job.state)):
        counts[state] = int(n)
    return counts
