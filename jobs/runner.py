"""Running jobs from the outbox: :func:`run_job` (the one function every runner calls) and the
in-process pool of the embedded default (:class:`InProcessRunner`).

``run_job(ctx, job_id)`` claims the row under a lease (renewed on a heartbeat thread while the
job runs), calls the named job with its ids, and marks it done; a failure puts it back with
exponential backoff until ``max_attempts``, then ``failed``. The Celery task (jobs/celery_queue.py)
calls the same function, so both modes share claim, retry and idempotency.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, Literal

from cases.db import transaction
from cases.errors import DatabaseUnavailableError
from jobs import outbox
from jobs.checking import precheck_application
from jobs.context import JobContext
from jobs.delivery import JOBS as DELIVERY_JOBS
from jobs.errors import JobError, UnknownJobError
from jobs.issuing import issue_certificate
from jobs.reading import give_up_read, read_upload
from jobs.warnings import JOBS as WARNING_JOBS
from signing import TrustServiceUnavailableError
from storage import StorageUnavailableError

log = logging.getLogger(__name__)

JobFunction = Callable[..., Any]

#: The named jobs: ids in, nothing else; each is idempotent.
JOBS: dict[str, JobFunction] = {
    "read_upload": read_upload,
    "precheck_application": precheck_application,
    "issue_certificate": issue_certificate,
    **DELIVERY_JOBS,
    **WARNING_JOBS,
}

#: What to do when a job has failed for good (its subject must not stay "in progress").
GIVE_UP: dict[str, JobFunction] = {
    "read_upload": give_up_read,
}

#: A service that is down for now (the TSA/OCSP, the object store, the database): a job that
#: meets one waits for it, retried at the capped backoff however long it takes, instead of
#: spending its attempts. An approved case must be issued once they return, never left
#: approved for good, and never issued unsigned.
WAIT_FOR: tuple[type[Exception], ...] = (
    TrustServiceUnavailableError,
    StorageUnavailableError,
    DatabaseUnavailableError,
)

Outcome = Literal["done", "retry", "failed", "skipped"]


class PermanentJobError(JobError):
    """A job that can never succeed (its subject is gone): not retried."""

    code = "job_permanent_failure"


def backoff(ctx: JobContext, attempt: int) -> float:
    base = ctx.jobs.retry_base_s * 2 ** min(max(0, attempt - 1), 30)
    return float(min(ctx.jobs.retry_max_s, base * random.uniform(0.8, 1.2)))  # noqa: S311


class _Heartbeat:
    """Renews a running job's lease every third of it, until stopped."""

    def __init__(self, ctx: JobContext, job_id: int, attempt: int, lease: timedelta) -> None:
        self._ctx, self._job_id, self._attempt, self._lease = ctx, job_id, attempt, lease
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{job_id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _beat(self) -> None:
        interval = max(0.2, self._lease.total_seconds() / 3)
        while not self._stop.wait(interval):
            try:
                with transaction(self._ctx.sessions) as s:
                    if not outbox.renew(s, self._job_id, lease=self._lease, attempt=self._attempt):
                        return
            except Exception:
                log.warning("job %s: could not renew its lease", self._job_id, exc_info=True)


def run_job(ctx: JobContext, job_id: int) -> Outcome:
    """Run job ``job_id`` once if it is claimable now (else ``skipped``)."""
    lease = timedelta(seconds=ctx.jobs.lease_s)
    with transaction(ctx.sessions) as s:
        job = outbox.claim(s, job_id, lease=lease)
        if job is None:
            return "skipped"
        name, args, attempt = job.name, dict(job.args), job.attempts
    try:
        func = JOBS.get(name)
        if func is None:
            raise UnknownJobError(name)
        with _Heartbeat(ctx, job_id, attempt, lease):
            func(ctx, **args)
    except Exception as e:
        permanent = isinstance(e, UnknownJobError | PermanentJobError)
        waits = isinstance(e, WAIT_FOR)
        spent = attempt >= ctx.jobs.max_attempts and not waits
        retry_in = None if permanent or spent else backoff(ctx, attempt)
        with transaction(ctx.sessions) as s:
            outbox.fail(
                s, job_id, attempt=attempt, error=f"{type(e).__name__}: {e}", retry_in=retry_in
            )
        if retry_in is None:
            log.error("job %s %s(%s) failed for good", job_id, name, _ids(args), exc_info=e)
            give_up = GIVE_UP.get(name)
            if give_up is not None:
                try:
                    give_up(ctx, **args)
                except Exception:
                    log.exception("job %s: giving up on %s failed too", job_id, name)
            return "failed"
        log.warning(
            "job %s %s(%s) attempt %d failed, again in %.1fs: %s",
            job_id, name, _ids(args), attempt, retry_in, e,
        )  # fmt: skip
        return "retry"
    with transaction(ctx.sessions) as s:
        outbox.finish(s, job_id, attempt=attempt)
    return "done"


def _ids(args: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in args.items())


class InProcessRunner:
    """The embedded default: a thread pool in the service process, fed from the outbox.

    ``notify`` (after a commit) wakes the dispatcher; it also looks every ``poll_s`` for jobs
    due (retries whose backoff ended, jobs whose process died with the lease). At ``start``
    every unfinished job is due again, and the OCR pipeline is loaded in the background.
    """

    def __init__(self, ctx: JobContext, *, workers: int | None = None) -> None:
        self._ctx = ctx
        self._workers = max(1, workers or ctx.jobs.workers)
        self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="paoyici-job")
        self._inflight: set[int] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._idle = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._loader: threading.Thread | None = None
        self._run: Callable[[JobContext, int], object] = run_job

    def start(self, *, warm_up: bool = True) -> None:
        if warm_up:
            # joined at close: a native model load must not be torn down by interpreter exit
            self._loader = threading.Thread(target=self._warm_up, name="paoyici-ocr-load")
            self._loader.start()
        self._thread = threading.Thread(target=self._loop, name="paoyici-jobs", daemon=True)
        self._thread.start()

    def _warm_up(self) -> None:
        try:
            self._ctx.warm_up()
        except Exception:
            log.exception("the OCR pipeline failed to load; reading jobs will retry")

    def notify(self, job_id: int) -> None:
        self._wake.set()

    def notify_many(self, job_ids: Sequence[int]) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stopped.is_set():
            try:
                self._dispatch()
            except Exception:
                log.warning("job dispatch failed; trying again", exc_info=True)
            self._wake.wait(self._ctx.jobs.poll_s)
            self._wake.clear()

    def _dispatch(self) -> None:
        with self._lock:
            free = self._workers - len(self._inflight)
            busy = set(self._inflight)
        if free <= 0:
            return
        with self._ctx.sessions() as s:
            due = [i for i in outbox.due_jobs(s, limit=free + len(busy)) if i not in busy]
        for job_id in due[:free]:
            with self._lock:
                self._inflight.add(job_id)
            self._pool.submit(self._one, job_id)

    def _one(self, job_id: int) -> None:
        try:
            self._run(self._ctx, job_id)
        except Exception:
            log.exception("job %s: runner error", job_id)
        finally:
            with self._lock:
                self._inflight.discard(job_id)
                self._idle.notify_all()
            self._wake.set()

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Wait until no job is unfinished (queued, retrying or running), for tests and
        graceful shutdown."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                busy = bool(self._inflight)
            if not busy:
                with self._ctx.sessions() as s:
                    counts = outbox.job_counts(s)
                    if counts["queued"] + counts["running"] == 0:
                        return True
            self._wake.set()
            time.sleep(0.05)
        return False

    def ping(self) -> None:
        return None

    def close(self) -> None:
        self._stopped.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._loader is not None:
            self._loader.join()
