"""``paoyici worker``: a Celery worker that runs the same job handlers as the in-process pool."""

from __future__ import annotations

from api.services import build_services, job_handlers
from api.settings import Settings


def run_worker(settings: Settings, *, concurrency: int) -> None:
    from jobs.celery_queue import CeleryQueue, make_celery

    services = build_services(settings)
    try:
        app = make_celery(settings.jobs, job_handlers(services))
        CeleryQueue(settings.jobs, app).run_worker(concurrency=concurrency)
    finally:
        services.close()
