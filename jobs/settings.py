"""Settings of the job queue."""

from __future__ import annotations

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class JobsSettings(BaseSettings):
    """``inprocess`` (embedded default) runs jobs on a thread pool inside the service;
    ``celery`` sends them to Celery workers over Redis (``paoyici worker``)."""

    model_config = SettingsConfigDict(env_prefix="PAOYICI_JOBS_", extra="ignore")

    backend: Literal["inprocess", "celery"] = "inprocess"
    workers: int = 2
    # the outbox (jobs/outbox.py, jobs/runner.py): a running job's lease, renewed while it runs,
    # so a job whose process died is taken again once it expires
    lease_s: float = 30.0
    #: attempts before a job is marked ``failed``; retries wait retry_base_s × 2^(attempt-1)
    max_attempts: int = 5
    retry_base_s: float = 2.0
    retry_max_s: float = 300.0
    #: the in-process runner looks for due jobs this often even when nobody notified it
    poll_s: float = 2.0
    #: load the OCR pipeline at start-up (in the background) rather than on the first read
    warm_up: bool = True
    broker_url: str = "redis://127.0.0.1:6379/0"
    result_backend: str | None = None
    queue: str = "paoyici"

    # Celery (distributed mode): see jobs/celery_queue.py
    #: an unacknowledged message (its worker died) is handed out again after this long
    visibility_timeout_s: int = 3600
    #: how often one worker (across all machines) re-sends what the outbox says is missing
    reconcile_interval_s: float = 30.0
    #: a queued job is presumed lost after waiting this long past its run_after
    reconcile_grace_s: float = 60.0
    #: a job re-sent by the reconciler is not re-sent again for this long
    resend_after_s: float = 600.0
