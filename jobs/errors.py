"""Errors of the jobs package."""

from __future__ import annotations


class JobError(Exception):
    code = "job_error"
    status = 500
    message = "后台任务出错"

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)


class UnknownJobError(JobError):
    code = "unknown_job"

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"未知的后台任务：{name}")


class QueueUnavailableError(JobError):
    code = "queue_unavailable"
    status = 503
    message = "任务队列暂时不可用，请稍后重试"
