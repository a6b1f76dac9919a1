"""Errors of the precheck package.

Only caller faults raise: an unknown matter, a malformed catalogue, answers that name an unknown
question. A citizen's mistake in the materials never raises; it becomes a ``Finding``.
"""

from __future__ import annotations

from common import DomainError


class PrecheckError(DomainError):
    """Base error of the precheck package (the HTTP status is decided in ``api``)."""

    code = "precheck_error"
    message = "预审无法进行"


class UnknownMatterError(PrecheckError):
    code = "unknown_matter"
    message = "未找到该事项，请检查事项编号"

    def __init__(self, matter: str) -> None:
        self.matter = matter
        super().__init__(f"未找到事项“{matter}”，请检查事项编号")


class CatalogueError(PrecheckError):
    """A matter file is malformed (a programming/data error, not a citizen's)."""

    code = "invalid_catalogue"
    message = "事项目录数据有误"

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"事项目录数据有误（{source}）：{problem}")


class InvalidAnswersError(PrecheckError):
    code = "invalid_answers"
    message = "情形问答有误，请检查后重新提交"

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(f"情形问答有误：{problem}")


class UnknownSlotError(PrecheckError):
    code = "unknown_slot"
    message = "材料项不存在，请检查材料名称"

    def __init__(self, matter: str, slot: str) -> None:
        self.matter = matter
        self.slot = slot
        super().__init__(f"事项“{matter}”没有材料项“{slot}”")
