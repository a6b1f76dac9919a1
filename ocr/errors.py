"""Errors of the ocr package. Each carries a stable ``code`` and a Chinese ``message`` telling
the user what to do (``common.DomainError``). The API (which decides the HTTP status) and the CLI
map any of them to ``{"error": code, "message": message}``.
"""

from __future__ import annotations

from common import DomainError


class OcrError(DomainError):
    """Base error of the ocr package."""

    code = "ocr_error"
    message = "文件无法识别"


class UnreadableFileError(OcrError):
    """A file that cannot be read safely. ``code`` is one of CONTRACT §1's codes:
    ``unsupported_type``, ``corrupt_file``, ``too_large``, ``encrypted``.

    ``detail`` is an English diagnostic for logs (never shown to citizens).
    """

    def __init__(self, code: str, message: str, *, detail: str = "") -> None:
        super().__init__(message, detail=detail, code=code)


class UnsupportedTypeError(UnreadableFileError):
    code = "unsupported_type"
    message = "文件类型不支持，请上传 JPG、PNG、TIFF、WebP、BMP 图片或 PDF 文件"

    def __init__(self, *, detail: str = "", message: str | None = None) -> None:
        super().__init__(self.code, message or type(self).message, detail=detail)


class CorruptFileError(UnreadableFileError):
    code = "corrupt_file"
    message = "文件已损坏或不完整，无法打开，请重新拍照或重新导出后上传"

    def __init__(self, *, detail: str = "", message: str | None = None) -> None:
        super().__init__(self.code, message or type(self).message, detail=detail)


class TooLargeError(UnreadableFileError):
    """File size, pixel count or page count above the configured limit."""

    code = "too_large"
    message = "文件过大（文件大小、图像像素或页数超出限制），请压缩或拆分后重新上传"

    def __init__(
        self, *, limit: str = "", actual: int = 0, maximum: int = 0, detail: str = ""
    ) -> None:
        self.limit = limit
        self.actual = actual
        self.maximum = maximum
        super().__init__(
            self.code,
            type(self).message,
            detail=detail or f"{limit}: {actual} > {maximum}",
        )


class EncryptedFileError(UnreadableFileError):
    code = "encrypted"
    message = "PDF 文件已加密或设有密码，请去除密码后重新上传"

    def __init__(self, *, detail: str = "") -> None:
        super().__init__(self.code, type(self).message, detail=detail)


class EngineUnavailableError(OcrError):
    """The OCR engine or one of its models cannot be loaded (an installation fault)."""

    code = "ocr_engine_unavailable"
    message = "文字识别服务暂不可用，请稍后再试"

    def __init__(self, *, engine: str, detail: str = "") -> None:
        self.engine = engine
        super().__init__(detail=detail)
