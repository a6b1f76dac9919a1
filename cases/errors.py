"""Errors of the cases package (the application record).

Each has a stable ``code`` and a Chinese ``message`` (``common.DomainError``); the HTTP status is
decided at the edge (``api.errors``).
"""

from __future__ import annotations

from common import DomainError


class CaseError(DomainError):
    """Base error of the cases package."""

    code = "case_error"
    message = "办件处理出错"


class IllegalTransitionError(CaseError):
    code = "illegal_transition"

    def __init__(self, current: str, target: str) -> None:
        self.current = current
        self.target = target
        super().__init__(f"办件当前状态为“{current}”，不能变更为“{target}”")


class ApplicationNotFoundError(CaseError):
    code = "application_not_found"
    message = "未找到该办件"


class ConcurrentUpdateError(CaseError):
    code = "concurrent_update"
    message = "办件已被他人更新，请刷新后重试"


class AuditChainBrokenError(CaseError):
    code = "audit_chain_broken"

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        super().__init__(f"审计记录第 {event_id} 条校验失败，可能被篡改")


class DatabaseUnavailableError(CaseError):
    code = "database_unavailable"
    message = "数据库暂时不可用，请稍后重试"
