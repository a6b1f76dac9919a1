"""Object storage: uploaded scans, OCR artefacts, signed certificates and courier labels.

``build_store(settings, data_dir)`` gives the configured ``ObjectStore``: ``LocalStore`` (a
folder, the embedded default) or ``S3Store`` (MinIO / any S3 via the minio SDK). Keys are built
with ``object_key``; kinds are ``Bucket`` members. This package knows nothing of documents.

``import storage`` does not load the minio SDK: ``S3Store`` (and minio with it) is imported when
an S3 store is built or the name is first used.
"""

from typing import TYPE_CHECKING, Any

from storage.errors import (
    ChecksumMismatchError,
    CorruptObjectError,
    InvalidKeyError,
    InvalidRangeError,
    ObjectLockedError,
    ObjectNotFoundError,
    ObjectTooLargeError,
    PresignedUrlExpiredError,
    PresignedUrlInvalidError,
    PresignUnsupportedError,
    StorageError,
    StorageMisconfiguredError,
    StorageUnavailableError,
)
from storage.factory import build_store
from storage.keys import Bucket, check_key, object_key
from storage.local import LocalStore
from storage.settings import StorageSettings
from storage.types import ObjectInfo, ObjectReader, ObjectStore, ObjectSummary, PresignVerifier

if TYPE_CHECKING:
    from storage.s3 import S3Store

__all__ = [
    "Bucket",
    "ChecksumMismatchError",
    "CorruptObjectError",
    "InvalidKeyError",
    "InvalidRangeError",
    "LocalStore",
    "ObjectInfo",
    "ObjectLockedError",
    "ObjectNotFoundError",
    "ObjectReader",
    "ObjectStore",
    "ObjectSummary",
    "ObjectTooLargeError",
    "PresignUnsupportedError",
    "PresignVerifier",
    "PresignedUrlExpiredError",
    "PresignedUrlInvalidError",
    "S3Store",
    "StorageError",
    "StorageMisconfiguredError",
    "StorageSettings",
    "StorageUnavailableError",
    "build_store",
    "check_key",
    "object_key",
]


def __getattr__(name: str) -> Any:
    if name == "S3Store":
        from storage.s3 import S3Store

        return S3Store
    raise AttributeError(f"module 'storage' has no attribute {name!r}")
