"""Errors of the signing package.

Each class carries a stable ``code`` and a Chinese ``message`` that tells the reader what to do
(``common.DomainError``). The API decides the HTTP status (``api.errors``: 4xx for caller faults,
503 for an unavailable dependency such as a TSA or OCSP responder) and answers
``{"error": code, "message": message}``.
"""

from __future__ import annotations

from common import DomainError


class SigningError(DomainError):
    """Base error of the signing package. ``detail`` (English, for logs) is ``""`` when none."""

    code = "signing_error"
    message = "电子证照签署失败，请联系管理员"

    def __init__(self, message: str | None = None, *, detail: str | None = None) -> None:
        super().__init__(message, detail=detail or "")


class InvalidIdentifierError(SigningError):
    """An electronic-certificate identifier that is malformed or fails its check character."""

    code = "invalid_identifier"
    message = "证照标识格式不正确或校验位错误，请核对后重新输入"

    def __init__(self, identifier: str, *, detail: str | None = None) -> None:
        self.identifier = identifier
        super().__init__(detail=detail)


class InvalidMetadataError(SigningError):
    code = "invalid_metadata"
    message = "证照元数据不完整或格式不正确"

    def __init__(self, field: str, *, detail: str | None = None) -> None:
        self.field = field
        super().__init__(detail=f"{field}: {detail}" if detail else field)


class KeySourceError(SigningError):
    """The seal key cannot be loaded or used (wrong passphrase, missing token, bad PIN)."""

    code = "key_unavailable"
    message = "签章密钥不可用，请检查密钥文件或密码设备"


class SignerCertificateError(SigningError):
    """The seal certificate may not sign now: expired, not yet valid, revoked or wrong usage."""

    code = "signer_certificate_invalid"
    message = "签章证书已过期、已吊销或用途不符，不能签发电子证照，请更换签章证书"

    def __init__(self, reason: str, *, detail: str | None = None) -> None:
        self.reason = reason
        super().__init__(detail=detail or reason)


class TrustServiceUnavailableError(SigningError):
    """The timestamp authority or the revocation responder did not answer usefully."""

    code = "trust_service_unavailable"
    message = "时间戳或证书状态服务暂不可用，请稍后重试"

    def __init__(self, service: str, *, detail: str | None = None) -> None:
        self.service = service
        super().__init__(detail=f"{service}: {detail}" if detail else service)


class NotAPdfError(SigningError):
    """An upload to verify that is not a PDF, is damaged, encrypted or too large."""

    code = "not_a_pdf"
    message = "请上传电子证照 PDF 文件"

    def __init__(self, code: str | None = None, *, detail: str | None = None) -> None:
        if code is not None:
            self.code = code
        super().__init__(detail=detail)


class PdfTooLargeError(NotAPdfError):
    code = "too_large"
    message = "文件过大，电子证照 PDF 不应超过限制大小"

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(detail=f"{size} > {limit} bytes")


class CorruptPdfError(NotAPdfError):
    code = "corrupt_file"
    message = "PDF 文件已损坏或无法解析，请重新下载电子证照后再核验"


class UnsignedPdfError(NotAPdfError):
    code = "not_signed"
    message = "该 PDF 没有电子签章，不是有效的电子证照"


class PkiError(SigningError):
    """The test PKI directory is missing, incomplete or unreadable."""

    code = "pki_unavailable"
    message = "测试证书体系不可用，请先运行 paoyici pki init"


class CertificateNotFoundError(SigningError):
    code = "certificate_not_found"
    message = "未找到该电子证照，请核对证照标识"

    def __init__(self, identifier: str) -> None:
        self.identifier = identifier
        super().__init__(detail=identifier)
