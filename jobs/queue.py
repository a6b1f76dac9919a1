"""The queue protocol: how the service tells a runner that a committed job row is ready.

The outbox table (``jobs.outbox``) is the truth; ``notify`` only shortens the wait. The in-process
runner (``jobs.runner.InProcessRunner``) and Celery (``jobs.celery_queue.CeleryQueue``)
implement it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

JobFunc = Callable[..., Any]


class JobQueue(Protocol):
    def notify(self, job_id: int) -> None:
        """Job ``job_id`` was committed; run it soon. Never raises (the row waits)."""

    def ping(self) -> None:
        """Raise QueueUnavailableError if jobs cannot be accepted now."""

    def close(self) -> None: ...
