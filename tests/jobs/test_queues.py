"""The in-process queue runs named jobs with ids (the Celery path: tests/jobs/test_celery.py)."""

from __future__ import annotations

import threading

import pytest

from jobs import InProcessQueue, UnknownJobError


def test_in_process_queue_runs_jobs_with_their_ids() -> None:
    seen: list[tuple[str, int]] = []
    lock = threading.Lock()

    def analyze(*, upload_id: int) -> None:
        with lock:
            seen.append(("analyze", upload_id))

    q = InProcessQueue({"analyze": analyze}, workers=2)
    for i in range(10):
        q.enqueue("analyze", upload_id=i)
    q.drain(timeout=10)
    q.close()
    assert sorted(seen) == [("analyze", i) for i in range(10)]


def test_a_failing_job_does_not_stop_the_others() -> None:
    done: list[int] = []

    def job(*, n: int) -> None:
        if n == 1:
            raise ValueError("bad input")
        done.append(n)

    q = InProcessQueue({"job": job}, workers=1)
    for n in range(3):
        q.enqueue("job", n=n)
    q.drain(timeout=10)
    q.close()
    assert sorted(done) == [0, 2]


def test_unknown_job_is_refused_at_enqueue() -> None:
    q = InProcessQueue({}, workers=1)
    with pytest.raises(UnknownJobError) as err:
        q.enqueue("nope", x=1)
    assert err.value.code == "unknown_job"
    q.close()
