"""The one base of every domain error.

A domain error is a fact a caller can act on: ``code`` is stable (scripts and pages branch on it),
``message`` is what a person reads, in Simplified Chinese, saying what to do, and ``detail`` is an
English diagnostic for logs that is never shown. Whether the fact becomes a 404, a 409 or a 503 is
decided at the edge (``api.errors``), not here: the same error reaches a CLI, a job and a page.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every package's errors. Subclasses set ``code`` and ``message`` as class
    attributes and add fields of their own; an instance may override either."""

    code: str = "error"
    message: str = "请求无法完成"

    def __init__(
        self, message: str | None = None, *, detail: str = "", code: str | None = None
    ) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        self.detail = detail
        text = self.message if not detail else f"{self.message} ({detail})"
        super().__init__(text)

    def details(self) -> dict[str, Any]:
        """Extra JSON fields for the error body (none by default). Never personal data."""
        return {}
