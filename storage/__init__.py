"""Object storage: uploaded scans, OCR artefacts, signed certificates and courier labels.

``build_store(settings, data_dir)`` gives the configured ``ObjectStore``: ``LocalStore`` (a
folder, the embedded default) or ``S3Store`` (MinIO / any S3 via the minio SDK). Keys are built
with ``object_key``; kinds are ``Bucket`` members. This package knows nothing of documents.
"""

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
from storage.s3 import S3Store
from storage.settings import StorageSettings
from storage.types import ObjectInfo, ObjectReader, ObjectStore, ObjectSummary, PresignVerifier

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
