"""Errors of the jobs package (``common.DomainError``; the HTTP status is decided in ``api``)."""

from __future__ import annotations

from common import DomainError


class JobError(DomainError):
    """Base error of the jobs package."""

    code = "job_error"
    message = "后台任务出错"


class UnknownJobError(JobError):
    code = "unknown_job"

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"未知的后台任务：{name}")


class QueueUnavailableError(JobError):
    code = "queue_unavailable"
    message = "任务队列暂时不可用，请稍后重试"
