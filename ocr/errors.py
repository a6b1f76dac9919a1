"""Errors of the ocr package. Each carries a stable ``code`` and a Chinese ``message``."""

from __future__ import annotations


class OcrError(Exception):
    code = "ocr_error"
    status = 422
    message = "文件无法识别"

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)


class UnreadableFileError(OcrError):
    """A file that cannot be read safely. ``code`` is one of CONTRACT §1's codes."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)
