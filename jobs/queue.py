"""The job queue protocol and the in-process implementation (embedded default).

Jobs are named functions taking ids only (never bytes or ORM objects), enqueued after the
transaction that created their subject has committed, and idempotent: running one twice is harmless.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from jobs.errors import UnknownJobError

log = logging.getLogger(__name__)

JobFunc = Callable[..., Any]


class JobQueue(Protocol):
    def enqueue(self, name: str, /, **ids: str | int) -> None:
        """Schedule job ``name`` with keyword ids; returns at once."""

    def ping(self) -> None:
        """Raise QueueUnavailableError if jobs cannot be accepted now."""

    def close(self) -> None: ...


class InProcessQueue:
    """Runs jobs on a thread pool in this process; pending jobs are lost on exit, so jobs must be
    re-derivable from the database (the service re-enqueues unfinished work at start-up)."""

    def __init__(self, handlers: Mapping[str, JobFunc], *, workers: int = 2) -> None:
        self._handlers = dict(handlers)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="paoyici-job")
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def enqueue(self, name: str, /, **ids: str | int) -> None:
        handler = self._handlers.get(name)
        if handler is None:
            raise UnknownJobError(name)
        fut = self._pool.submit(self._run, name, handler, ids)
        with self._lock:
            self._pending.add(fut)
        fut.add_done_callback(self._done)

    def _done(self, fut: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(fut)

    @staticmethod
    def _run(name: str, handler: JobFunc, ids: dict[str, Any]) -> None:
        try:
            handler(**ids)
        except Exception:
            log.exception("job %s failed (%s)", name, ", ".join(f"{k}={v}" for k, v in ids.items()))

    def drain(self, timeout: float | None = None) -> None:
        """Wait for every job enqueued so far (tests and graceful shutdown)."""
        with self._lock:
            pending = list(self._pending)
        for fut in pending:
            fut.result(timeout=timeout)

    def ping(self) -> None:
        return None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
