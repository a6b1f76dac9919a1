"""Errors of the cases package (the application record)."""

from __future__ import annotations


class CaseError(Exception):
    """Base error: ``code`` is stable, ``message`` is what a person reads (Chinese)."""

    code = "case_error"
    status = 400
    message = "办件处理出错"

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)


class IllegalTransitionError(CaseError):
    code = "illegal_transition"
    status = 409

    def __init__(self, current: str, target: str) -> None:
        self.current = current
        self.target = target
        super().__init__(f"办件当前状态为“{current}”，不能变更为“{target}”")


class ApplicationNotFoundError(CaseError):
    code = "application_not_found"
    status = 404
    message = "未找到该办件"


class ConcurrentUpdateError(CaseError):
    code = "concurrent_update"
    status = 409
    message = "办件已被他人更新，请刷新后重试"


class AuditChainBrokenError(CaseError):
    code = "audit_chain_broken"
    status = 500

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        super().__init__(f"审计记录第 {event_id} 条校验失败，可能被篡改")


class DatabaseUnavailableError(CaseError):
    code = "database_unavailable"
    status = 503
    message = "数据库暂时不可用，请稍后重试"
