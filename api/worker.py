"""``paoyici worker [--pool N]``: a Celery worker running the outbox's jobs (distributed mode).

It builds the same services as ``paoyici serve`` (one :class:`~api.settings.Settings`, one
composition root), loads the OCR pipeline once, and runs ``jobs.run_job`` for every message on
``N`` threads; its reconciler re-sends whatever the outbox says is missing (jobs/celery_queue.py).
Start as many as the load needs, on as many machines: they share only PostgreSQL, Redis and the
object store.
"""

from __future__ import annotations

from api.services import build_services
from api.settings import Settings


def run_worker(settings: Settings, *, pool: int) -> None:
    from jobs.celery_queue import run_worker as run_celery_worker

    services = build_services(settings)
    try:
        if settings.jobs.warm_up:
            services.job_context.reader.warm_up()  # the models, before the first message
        run_celery_worker(settings.jobs, context=lambda: services.job_context, pool=pool)
    finally:
        services.close()
