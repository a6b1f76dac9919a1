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


# --- the citizen's use cases (jobs/applications.py, jobs/intake.py) ---------------------------


class NotFoundError(JobError):
    """A missing application or file, or one that is not the caller's: the same answer."""

    code = "not_found"
    message = "未找到该办件或文件"


class NotEditableError(JobError):
    code = "not_editable"
    message = "办件已提交或已办结，不能再修改材料"


class NotSubmittableError(JobError):
    code = "not_submittable"
    message = "办件暂不能提交：请等待材料识别完成，并按预审意见补正后再提交"


class EmptyFileError(JobError):
    code = "empty_file"
    message = "上传的文件是空的，请重新选择文件"


class NoCertificateError(JobError):
    code = "not_found"
    message = "证照尚未签发"


class DeliveryNotAllowedError(JobError):
    code = "delivery_not_allowed"
    message = "证照签发后才能选择领取方式"


class DeliveryExistsError(JobError):
    code = "delivery_exists"
    message = "已选择过领取方式"


class CourierUnavailableError(JobError):
    code = "courier_unavailable"
    message = "邮寄服务暂不可用，请选择窗口自取或稍后再试"
