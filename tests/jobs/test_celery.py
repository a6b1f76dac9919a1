"""The Celery path on the real Redis.

Transport alone (an in-thread worker, ``run`` injected): a message runs ``run(ctx, job_id)``
with the one context of the process; an unreachable broker loses nothing at ``notify``.
Whole deployment (real ``paoyici worker`` subprocesses, PostgreSQL, the service over HTTP):
the normal flow; a worker SIGKILLed mid-job → another finishes it, exactly once; a message lost
from Redis → the reconciler sends it again from the outbox table.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from api.errors import http_status
from bench.harness import ApiClient, Deployment, Service, files_settled, redis_purge
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


def test_the_reconciler_resends_what_the_table_says_nobody_holds(
    redis_url: str, database_url: str, tmp_path: Path
) -> None:
    import cases
    from cases.models import Job
    from jobs.celery_queue import Reconciler

    engine = cases.make_engine(cases.DatabaseSettings(url=database_url), data_dir=tmp_path)
    cases.upgrade(engine)
    sessions = cases.make_sessionmaker(engine)
    now = datetime.now(UTC)

    def job(state: str, run_after: timedelta, lease: timedelta | None = None) -> Job:
        return Job(
            name="read_upload",
            args={},
            state=state,
            attempts=0 if state == "queued" else 1,
            run_after=now + run_after,
            lease_until=None if lease is None else now + lease,
        )

    rows = {
        "lost": job("queued", timedelta(seconds=-30)),
        "just_queued": job("queued", timedelta(0)),
        "later": job("queued", timedelta(minutes=5)),
        "orphaned": job("running", timedelta(minutes=-2), lease=timedelta(seconds=-1)),
        "held": job("running", timedelta(minutes=-2), lease=timedelta(seconds=30)),
        "done": job("done", timedelta(minutes=-9)),
        "failed": job("failed", timedelta(minutes=-9)),
    }
    with cases.transaction(sessions) as s:
        s.add_all(rows.values())
    ids = {k: j.id for k, j in rows.items()}
    sent: list[int] = []
    settings = _settings(redis_url, reconcile_grace_s=10, reconcile_interval_s=60)
    reconciler = Reconciler(sessions=sessions, send_job=sent.append, settings=settings)
    try:
        assert sorted(reconciler.sweep()) == sorted([ids["lost"], ids["orphaned"]])
        # within the interval, no worker sweeps again (the lock is cluster-wide, in Redis)
        assert reconciler.sweep() == []
        # nor is a job re-sent for the same attempt before resend_after
        assert reconciler.sweep(force=True) == []
        # a new attempt (taken again, its worker died too) is a new message
        with cases.transaction(sessions) as s:
            s.get(Job, ids["orphaned"]).attempts = 2  # type: ignore[union-attr]
        assert reconciler.sweep(force=True) == [ids["orphaned"]]
        assert sorted(sent) == sorted([ids["lost"], ids["orphaned"], ids["orphaned"]])
    finally:
        reconciler.stop()
        engine.dispose()


# --- the whole deployment: real workers, PostgreSQL, the service over HTTP ---------------------


def _jobs(dep: Deployment) -> list[dict[str, Any]]:
    """The outbox rows, read straight from the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(str(dep.database_url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, name, args, state, attempts FROM jobs ORDER BY id")
            ).mappings()
            return [
                {
                    **row,
                    "args": row["args"]
                    if isinstance(row["args"], dict)
                    else json.loads(row["args"]),
                }
                for row in rows
            ]
    finally:
        engine.dispose()


def _reads_of(dep: Deployment, file_id: object) -> list[dict[str, Any]]:
    return [
        j
        for j in _jobs(dep)
        if j["name"] == "read_upload" and str(j["args"].get("upload_id")) == str(file_id)
    ]


def _upload_one(
    svc: Service, data: bytes, slot: str, filename: str
) -> tuple[ApiClient, dict[str, str], str, str]:
    api = ApiClient(svc.base_url)
    headers = api.citizen()
    app_id = api.create_application(headers)["id"]
    r = api.upload(headers, app_id, slot, filename, data)
    assert r.status_code == 202, r.text
    return api, headers, app_id, str(r.json()["id"])


@pytest.fixture(scope="module")
def id_card() -> bytes:
    from synthdocs import generate
    from synthdocs.encode import to_jpeg

    return to_jpeg(generate("id_card_front", seed=11))


@pytest.fixture(scope="module")
def contract_pdf() -> bytes:
    """Two A4 pages with no text layer: several seconds of OCR, time to kill a worker."""
    from synthdocs import generate
    from synthdocs.encode import to_pdf

    return to_pdf(generate("sale_contract", seed=12), text_layer=False)


@pytest.mark.postgres
@pytest.mark.slow
def test_a_worker_reads_an_upload_and_the_precheck_follows(
    celery_deployment: Deployment, celery_service: Service, workers: Any, id_card: bytes
) -> None:
    workers(pool=1)
    api, headers, app_id, file_id = _upload_one(
        celery_service, id_card, "seller_id_card", "front.jpg"
    )
    done = api.wait_until(headers, app_id, files_settled, timeout=180)
    assert done["files"][0]["status"] == "done"
    assert done["files"][0]["doc_type"] == "id_card_front"
    assert done["report"]["verdict"] in {"needs_fix", "needs_review", "ready"}
    (read,) = _reads_of(celery_deployment, file_id)
    assert (read["state"], read["attempts"]) == ("done", 1)
    assert all(j["state"] == "done" for j in _jobs(celery_deployment))


@pytest.mark.postgres
@pytest.mark.slow
def test_a_worker_killed_mid_read_leaves_the_job_to_another_which_completes_it_once(
    celery_deployment: Deployment, celery_service: Service, workers: Any, contract_pdf: bytes
) -> None:
    first = workers(pool=1)
    api, headers, app_id, file_id = _upload_one(
        celery_service, contract_pdf, "sale_contract", "contract.pdf"
    )
    deadline = time.monotonic() + 120
    while not any(j["state"] == "running" for j in _reads_of(celery_deployment, file_id)):
        assert time.monotonic() < deadline, first.tail()
        time.sleep(0.02)
    first.kill()  # SIGKILL mid-OCR: no ack, no clean-up, the lease stops being renewed
    (read,) = _reads_of(celery_deployment, file_id)
    assert (read["state"], read["attempts"]) == ("running", 1), "finished before the kill"
    assert api.application(headers, app_id)["files"][0]["status"] != "done"

    workers(pool=1)  # the redelivered message or the reconciler, once the lease has expired
    done = api.wait_until(headers, app_id, files_settled, timeout=240)
    assert done["files"][0]["status"] == "done"
    (read,) = _reads_of(celery_deployment, file_id)
    assert (read["state"], read["attempts"]) == ("done", 2)
    # completed once: one read, whose completion enqueued one pre-check
    prechecks = [
        j
        for j in _jobs(celery_deployment)
        if j["name"] == "precheck_application" and j["args"].get("application_id") == app_id
    ]
    assert len(prechecks) == 1 and prechecks[0]["state"] == "done"


@pytest.mark.postgres
@pytest.mark.slow
def test_a_message_lost_from_redis_is_sent_again_from_the_outbox(
    celery_deployment: Deployment, celery_service: Service, workers: Any, id_card: bytes
) -> None:
    api, headers, app_id, file_id = _upload_one(
        celery_service, id_card, "buyer_id_card", "front.jpg"
    )
    (read,) = _reads_of(celery_deployment, file_id)
    assert read["state"] == "queued"
    assert celery_deployment.queue and celery_deployment.broker_url
    redis_purge(celery_deployment.broker_url, celery_deployment.queue)  # the message is gone

    workers(pool=1)
    done = api.wait_until(headers, app_id, files_settled, timeout=180)
    assert done["files"][0]["status"] == "done"
    (read,) = _reads_of(celery_deployment, file_id)
    assert (read["state"], read["attempts"]) == ("done", 1)
