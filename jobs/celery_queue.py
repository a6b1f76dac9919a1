"""Celery on Redis (distributed mode): the only module that imports celery.

The outbox table is the truth; a Celery message only says "job N may be ready". One task,
``paoyici.run_job(job_id)``, calls :func:`jobs.run_job` — the same function the in-process
runner calls — which claims the row with a lease, runs it, retries with backoff and marks it
done. So a message delivered twice, late, or after the job finished costs one claim attempt and
does nothing; and a message that never arrives is only a delay, because of three nets:

* ``acks_late`` + ``reject_on_worker_lost``: a message is acknowledged only after its job ran, so
  a worker killed mid-job leaves it unacknowledged; Redis hands it out again after the
  *visibility timeout* (``PAOYICI_JOBS_VISIBILITY_TIMEOUT_S``).
* the **reconciler** (:class:`Reconciler`, a thread in every worker, one sweep per interval across
  all machines thanks to a Redis lock) re-sends every job the table says is due and nobody holds:
  ``queued`` for longer than a grace period (its message was lost: the enqueuing process died
  between commit and send, Redis lost it, …) or ``running`` with an expired lease (its worker
  died). A marker per (job, attempt) in Redis keeps it from re-sending what it just sent.
* a job that failed and was put back with a later ``run_after`` is re-sent by the task itself
  with that delay (Celery ETA), so retries with backoff do not wait for the reconciler.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from celery import Celery, signals
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from cases.models import Job
from jobs.errors import QueueUnavailableError
from jobs.settings import JobsSettings

log = logging.getLogger(__name__)

TASK_NAME = "paoyici.run_job"

#: ``run(ctx, job_id)``: by default :func:`jobs.run_job`.
RunJob = Callable[[Any, int], object]


def _default_run(ctx: Any, job_id: int) -> object:
    import jobs  # at call time: ``jobs`` itself never imports this module

    return jobs.run_job(ctx, job_id)


def make_celery(
    settings: JobsSettings,
    *,
    context: Callable[[], Any] | None = None,
    run: RunJob = _default_run,
    resend_deferred: bool = True,
) -> Celery:
    """The Celery app. ``context`` builds the worker's job context (once per process, on first
    use); only workers need it — a producer (the API) just sends. ``run`` and
    ``resend_deferred`` are for tests of the transport alone."""
    app = Celery("paoyici", broker=settings.broker_url, backend=settings.result_backend)
    app.conf.update(
        task_default_queue=settings.queue,
        # a message is acknowledged after its job ran: a worker that dies mid-job leaves it
        # for another (the job is idempotent and the outbox claim makes it run once)
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": settings.visibility_timeout_s,
            # look for abandoned messages often enough for the timeout to mean what it says
            "unacked_restore_interval": max(1, min(10, settings.visibility_timeout_s // 4)),
        },
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        worker_hijack_root_logger=False,
    )
    holder = _ContextHolder(context)

    @app.task(name=TASK_NAME, shared=False)
    def run_job_task(job_id: int) -> None:
        ctx = holder.get()
        run(ctx, job_id)
        if resend_deferred:
            _resend_if_deferred(app, settings, ctx, job_id)

    app.conf.paoyici_context = holder
    return app


class _ContextHolder:
    """The job context of this process, built once on first use (thread-safe)."""

    def __init__(self, factory: Callable[[], Any] | None) -> None:
        self._factory = factory
        self._ctx: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        if self._ctx is None:
            with self._lock:
                if self._ctx is None:
                    if self._factory is None:
                        raise RuntimeError("this Celery app was made without a job context")
                    self._ctx = self._factory()
        return self._ctx


def _job_model() -> type[Job]:
    return Job


def _resend_if_deferred(app: Celery, settings: JobsSettings, ctx: Any, job_id: int) -> None:
    """A job put back with a later ``run_after`` (retry with backoff) gets its message again,
    delayed until then."""
    job_cls = _job_model()
    with ctx.sessions() as session:
        job = session.get(job_cls, job_id)
        if job is None or job.state != "queued":
            return
        delay = (_aware(job.run_after) - datetime.now(UTC)).total_seconds()
        attempts = int(job.attempts)
    send(app, settings, job_id, countdown=max(0.0, delay))
    log.info("job %s deferred %.1fs (attempt %d)", job_id, delay, attempts)


def send(app: Celery, settings: JobsSettings, job_id: int, *, countdown: float = 0.0) -> None:
    try:
        app.send_task(
            TASK_NAME,
            kwargs={"job_id": int(job_id)},
            queue=settings.queue,
            countdown=countdown or None,
        )
    except Exception as e:  # kombu raises several transport errors
        raise QueueUnavailableError() from e


class CeleryQueue:
    """The producer side: after the outbox row is committed, tell a worker (``notify``)."""

    def __init__(self, settings: JobsSettings, app: Celery | None = None) -> None:
        self._settings = settings
        self._app = app or make_celery(settings)

    @property
    def celery(self) -> Celery:
        return self._app

    def notify(self, job_ids: int | Sequence[int]) -> None:
        """Send each job's message (``jobs.outbox.install_notifier`` calls this after commit).
        A failure here loses nothing (the rows are committed; the reconciler sends them later),
        so it is logged, not raised."""
        for job_id in [job_ids] if isinstance(job_ids, int) else job_ids:
            try:
                send(self._app, self._settings, job_id)
            except QueueUnavailableError:
                log.warning("job %s: broker unreachable, left to the reconciler", job_id)

    def ping(self) -> None:
        try:
            with self._app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as e:
            raise QueueUnavailableError() from e

    def close(self) -> None:
        self._app.close()


# --- reconciliation from the outbox -----------------------------------------------------------


def due_job_ids(
    session: Session, *, now: datetime, grace: timedelta, limit: int = 500
) -> list[tuple[int, int]]:
    """``(id, attempts)`` of every job that should be running and has nobody on it: queued and
    due for longer than ``grace``, or running with an expired lease. Oldest first."""
    job = _job_model()
    rows = session.execute(
        select(job.id, job.attempts)
        .where(
            or_(
                (job.state == "queued") & (job.run_after <= now - grace),
                (job.state == "running") & (job.lease_until < now),
            )
        )
        .order_by(job.run_after)
        .limit(limit)
    )
    return [(int(i), int(a)) for i, a in rows]


class Reconciler:
    """Re-sends the messages the outbox says are missing (module docstring).

    ``sweep()`` does one pass; ``start()`` runs it every ``interval`` on a daemon thread.
    Across machines only one worker sweeps per interval (a Redis lock ``SET NX PX``), and each
    (job, attempt) is re-sent at most once per ``resend_after``.
    """

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        send_job: Callable[[int], None],
        settings: JobsSettings,
    ) -> None:
        import redis  # the broker's client; kombu's own transport uses it too

        self._sessions = sessions
        self._send = send_job
        self._settings = settings
        self._redis = redis.Redis.from_url(settings.broker_url, socket_timeout=5)
        self._prefix = f"paoyici:{settings.queue}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sweep(self, *, now: datetime | None = None, force: bool = False) -> list[int]:
        """One reconciliation pass; returns the job ids it re-sent."""
        s = self._settings
        interval_ms = int(s.reconcile_interval_s * 1000)
        lock = f"{self._prefix}:reconcile"
        if not force and not self._redis.set(lock, 1, nx=True, px=interval_ms):
            return []  # another worker swept during this interval
        now = now or datetime.now(UTC)
        with self._sessions() as session:
            due = due_job_ids(session, now=now, grace=timedelta(seconds=s.reconcile_grace_s))
        sent: list[int] = []
        for job_id, attempts in due:
            marker = f"{self._prefix}:sent:{job_id}:{attempts}"
            if not self._redis.set(marker, 1, nx=True, ex=max(1, int(s.resend_after_s))):
                continue
            try:
                self._send(job_id)
            except QueueUnavailableError:
                self._redis.delete(marker)
                log.warning("reconciler: broker unreachable, %d jobs wait", len(due))
                break
            sent.append(job_id)
        if sent:
            log.info("reconciler re-sent %d job(s): %s", len(sent), _ids(sent))
        return sent

    def mark_sent(self, job_id: int, attempts: int = 0) -> None:
        """Note that ``job_id`` was just sent, so a sweep does not send it again too soon."""
        marker = f"{self._prefix}:sent:{job_id}:{attempts}"
        self._redis.set(marker, 1, ex=max(1, int(self._settings.resend_after_s)))

    def start(self) -> None:
        def loop() -> None:
            while not self._stop.is_set():
                try:
                    self.sweep()
                except Exception:
                    log.exception("reconciliation pass failed; trying again next interval")
                self._stop.wait(self._settings.reconcile_interval_s)

        self._thread = threading.Thread(target=loop, name="paoyici-reconciler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._redis.close()


def _ids(ids: Sequence[int]) -> str:
    shown = ", ".join(map(str, ids[:20]))
    return shown + (f" … (+{len(ids) - 20})" if len(ids) > 20 else "")


def _aware(at: datetime) -> datetime:
    # SQLite hands timestamps back naive (they were written in UTC)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


# --- the worker process -----------------------------------------------------------------------


def run_worker(
    settings: JobsSettings,
    *,
    context: Callable[[], Any],
    pool: int,
    run: RunJob = _default_run,
    extra_args: Sequence[str] = (),
) -> None:
    """Run a Celery worker in this process until it is told to stop.

    ``pool`` threads share one job context (the OCR pipeline is loaded once per process and is
    safe to share; ONNX Runtime releases the GIL). The context is built before consuming starts,
    and the reconciler starts once the worker is ready: everything unfinished runs again.
    """
    app = make_celery(settings, context=context, run=run)
    holder: _ContextHolder = app.conf.paoyici_context
    holder.get()  # load the models before the first message, not while holding it
    reconciler = Reconciler(
        sessions=holder.get().sessions,
        send_job=lambda job_id: send(app, settings, job_id),
        settings=settings,
    )

    def on_ready(**_: object) -> None:
        try:
            reconciler.sweep(force=True)  # start-up: every unfinished job runs again
        except Exception:
            log.exception("start-up reconciliation failed; the loop tries again")
        reconciler.start()

    signals.worker_ready.connect(on_ready, weak=False)
    pool_args = ["--pool=solo"] if pool <= 1 else ["--pool=threads", f"--concurrency={pool}"]
    argv = ["worker", "-Q", settings.queue, *pool_args, "-l", "INFO", "--without-gossip"]
    argv += ["--without-mingle", *extra_args]
    try:
        app.worker_main(argv)
    finally:
        reconciler.stop()
