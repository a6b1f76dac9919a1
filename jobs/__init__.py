"""Background jobs: a queue protocol, an in-process pool (default) and Celery on Redis."""

from jobs.errors import JobError, QueueUnavailableError, UnknownJobError
from jobs.queue import InProcessQueue, JobFunc, JobQueue
from jobs.settings import JobsSettings

__all__ = [
    "InProcessQueue",
    "JobError",
    "JobFunc",
    "JobQueue",
    "JobsSettings",
    "QueueUnavailableError",
    "UnknownJobError",
]
