"""Both queue implementations run named jobs with ids; Celery over the real Redis server."""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from api.errors import http_status
from jobs import InProcessQueue, JobsSettings, QueueUnavailableError, UnknownJobError


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


def _redis_or_skip(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as e:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis not reachable at {url}: {e}")
        pytest.skip(f"Redis not reachable: {e}")


def test_celery_queue_runs_jobs_on_a_worker_over_redis() -> None:
    from celery.contrib.testing.worker import start_worker

    from jobs.celery_queue import CeleryQueue, make_celery

    settings = JobsSettings(
        backend="celery", broker_url="redis://127.0.0.1:6379/15", queue=f"t-{uuid.uuid4().hex[:8]}"
    )
    _redis_or_skip(settings.broker_url)
    got = threading.Event()
    received: dict[str, object] = {}

    def analyze(*, upload_id: int) -> None:
        received["upload_id"] = upload_id
        got.set()

    app = make_celery(settings, {"analyze": analyze})
    queue = CeleryQueue(settings, app)
    queue.ping()
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[settings.queue]):
        queue.enqueue("analyze", upload_id=42)
        assert got.wait(30)
    assert received == {"upload_id": 42}


def test_celery_queue_reports_an_unreachable_broker() -> None:
    from jobs.celery_queue import CeleryQueue

    queue = CeleryQueue(JobsSettings(backend="celery", broker_url="redis://127.0.0.1:1/0"))
    with pytest.raises(QueueUnavailableError) as err:
        queue.ping()
    assert http_status(err.value) == 503
