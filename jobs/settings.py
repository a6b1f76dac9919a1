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
    broker_url: str = "redis://127.0.0.1:6379/0"
    result_backend: str | None = None
    queue: str = "paoyici"
