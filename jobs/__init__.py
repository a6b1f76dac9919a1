"""Background jobs: the use cases, the durable outbox, and the runners (in-process, Celery).

``run_job(ctx, job_id)`` is the one function every runner calls; ``outbox.enqueue`` writes a job
in the caller's transaction; ``JobContext`` is what the jobs need (built in ``api.services``).
"""

from jobs.context import JobContext
from jobs.errors import JobError, QueueUnavailableError, UnknownJobError
from jobs.queue import JobFunc, JobQueue
from jobs.runner import JOBS, InProcessRunner, run_job
from jobs.settings import JobsSettings

__all__ = [
    "JOBS",
    "InProcessRunner",
    "JobContext",
    "JobError",
    "JobFunc",
    "JobQueue",
    "JobsSettings",
    "QueueUnavailableError",
    "UnknownJobError",
    "run_job",
]
