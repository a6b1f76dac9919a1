"""Errors of the ocr package. Each carries a stable ``code``, an HTTP ``status`` and a Chinese
``message`` telling the user what to do. The API and the CLI map any of them to
``{"error": code, "message": message}``.
"""

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
    """A file that cannot be read safely. ``code`` is one of CONTRACT §1's codes:
    ``unsupported_type``, ``corrupt_file``, ``too_large``, ``encrypted``.

    ``detail`` is an English diagnostic for logs (never shown to citizens).
    """

    def __init__(self, code: str, message: str, *, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(message)


class UnsupportedTypeError(UnreadableFileError):
    code = "unsupported_type"
    status = 415
    message = "文件类型不支持，请上传 JPG、PNG、TIFF、WebP、BMP 图片或 PDF 文件"

    def __init__(self, *, detail: str = "", message: str | None = None) -> None:
        super().__init__(self.code, message or type(self).message, detail=detail)


class CorruptFileError(UnreadableFileError):
    code = "corrupt_file"
    status = 422
    message = "文件已损坏或不完整，无法打开，请重新拍照或重新导出后上传"

    def __init__(self, *, detail: str = "", message: str | None = None) -> None:
        super().__init__(self.code, message or type(self).message, detail=detail)


class TooLargeError(UnreadableFileError):
    """File size, pixel count or page count above the configured limit."""

    code = "too_large"
    status = 413
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
    status = 422
    message = "PDF 文件已加密或设有密码，请去除密码后重新上传"

    def __init__(self, *, detail: str = "") -> None:
        super().__init__(self.code, type(self).message, detail=detail)


class EngineUnavailableError(OcrError):
    """The OCR engine or one of its models cannot be loaded (an installation fault)."""

    code = "ocr_engine_unavailable"
    status = 503
    message = "文字识别服务暂不可用，请稍后再试"

    def __init__(self, *, engine: str, detail: str = "") -> None:
        self.engine = engine
        self.detail = detail
        super().__init__()
