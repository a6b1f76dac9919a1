"""Errors of the storage package.

Every error has a stable ``code`` and a Chinese ``message`` saying what the person should do
(``common.DomainError``); whether it is the caller's fault (4xx) or the storage server's (503) is
decided at the edge, in ``api.errors``. The S3 adapter translates SDK and HTTP errors into these
(``raise ... from e``); nothing above it sees minio.
"""

from __future__ import annotations

from common import DomainError


class StorageError(DomainError):
    """Base error of the storage package. ``kind`` and ``key`` name the object when known;
    ``detail`` is for logs (English), never shown."""

    code = "storage_error"
    message = "文件存储出错，请稍后重试"

    def __init__(
        self, detail: str = "", *, kind: str | None = None, key: str | None = None
    ) -> None:
        self.kind = kind
        self.key = key
        super().__init__(detail=detail)

    def __str__(self) -> str:
        # the log line names the object: "object_not_found uploads/a/b.jpg <detail>"
        where = f"{self.kind}/{self.key}" if self.kind and self.key else (self.key or self.kind)
        return " ".join(p for p in (self.code, where, self.detail) if p)


class InvalidKeyError(StorageError):
    """A key (or key segment) that could escape its prefix or folder, or is not allowed."""

    code = "invalid_key"
    message = "文件路径不合法"


class ObjectNotFoundError(StorageError):
    code = "object_not_found"
    message = "文件不存在或已被删除，请重新上传"


class ObjectTooLargeError(StorageError):
    code = "object_too_large"
    message = "文件超过大小上限，请压缩或拆分后重新上传"

    def __init__(
        self, detail: str = "", *, limit: int, kind: str | None = None, key: str | None = None
    ) -> None:
        self.limit = limit
        super().__init__(detail or f"more than {limit} bytes", kind=kind, key=key)


class ObjectLockedError(StorageError):
    """Deleting or overwriting an object under retention (object lock)."""

    code = "object_locked"
    message = "该文件在保存期限内受保护，不能删除或覆盖"


class InvalidRangeError(StorageError):
    code = "invalid_range"
    message = "请求的文件范围无效"


class CorruptObjectError(StorageError):
    """Stored bytes do not match their recorded SHA-256 or size: a corrupted object."""

    code = "integrity_error"
    message = "文件校验失败，文件可能已损坏，请联系工作人员"


class ChecksumMismatchError(CorruptObjectError):
    """Bytes sent for storage do not match the SHA-256 the caller declared (nothing is stored)."""

    code = "checksum_mismatch"
    message = "上传的文件不完整或已损坏，请重新上传"


class StorageUnavailableError(StorageError):
    """The storage server could not be reached or kept failing until the retry deadline."""

    code = "storage_unavailable"
    message = "文件存储服务暂时不可用，请稍后重试"


class PresignedUrlInvalidError(StorageError):
    code = "presigned_url_invalid"
    message = "链接无效，请重新获取下载或上传链接"


class PresignedUrlExpiredError(PresignedUrlInvalidError):
    code = "presigned_url_expired"
    message = "链接已过期，请重新获取下载或上传链接"


class PresignUnsupportedError(StorageError):
    """A presigned URL cannot honour the configured encryption (e.g. SSE-C needs the key)."""

    code = "presign_unsupported"
    message = "当前存储配置不支持直链，请通过服务下载或上传"


class StorageMisconfiguredError(StorageError):
    code = "storage_misconfigured"
    message = "文件存储配置有误，请联系管理员"
