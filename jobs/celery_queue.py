"""Celery on Redis: the only module that imports celery (distributed mode)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from celery import Celery

from jobs.errors import QueueUnavailableError
from jobs.queue import JobFunc
from jobs.settings import JobsSettings

TASK_PREFIX = "paoyici."


def make_celery(settings: JobsSettings, handlers: Mapping[str, JobFunc] | None = None) -> Celery:
    app = Celery("paoyici", broker=settings.broker_url, backend=settings.result_backend)
    app.conf.update(
        task_default_queue=settings.queue,
        # a worker that dies mid-job leaves it for another; jobs are idempotent
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        accept_content=["json"],
    )
    for name, func in (handlers or {}).items():
        app.task(name=TASK_PREFIX + name)(func)
    return app


class CeleryQueue:
    def __init__(self, settings: JobsSettings, app: Celery | None = None) -> None:
        self._settings = settings
        self._app = app or make_celery(settings)

    @property
    def celery(self) -> Celery:
        return self._app

    def enqueue(self, name: str, /, **ids: str | int) -> None:
        try:
            self._app.send_task(TASK_PREFIX + name, kwargs=ids, queue=self._settings.queue)
        except Exception as e:  # kombu raises several transport errors
            raise QueueUnavailableError() from e

    def ping(self) -> None:
        try:
            with self._app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as e:
            raise QueueUnavailableError() from e

    def close(self) -> None:
        self._app.close()

    def run_worker(self, *, concurrency: int, extra_args: list[str] | None = None) -> Any:
        argv = ["worker", "-Q", self._settings.queue, f"--concurrency={concurrency}", "-l", "INFO"]
        return self._app.worker_main(argv + (extra_args or []))
