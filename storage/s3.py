"""``ObjectStore`` on an S3 server through the ``minio`` SDK (the only module that imports it).

One bucket per kind, ``<bucket_prefix><kind>``, created by ``ensure_buckets()`` at start. The
certificates bucket has versioning and object lock with a COMPLIANCE default retention, and every
certificate is also written with its own COMPLIANCE retain-until date: the server itself refuses
to delete or overwrite a retained version, whatever credentials ask.

Each object carries its SHA-256 and CRC-32 as ``x-amz-meta-sha256`` / ``x-amz-meta-crc32``
(computed here before the upload, so they travel in the request headers), and every full read is
checked against them. Server-side
encryption is SSE-C or SSE-KMS as configured (``StorageSettings.sse``); both need TLS, with the
server's CA given by ``s3_ca_file``.

SDK and HTTP errors become ``storage.errors``: 404 → ``ObjectNotFoundError``, a refused delete of a
retained version → ``ObjectLockedError``, and connection failures, timeouts, 5xx and SlowDown are
retried with exponential backoff (with jitter) until ``retry_deadline_s``, then
``StorageUnavailableError``. Puts are retried from the start of the data (a failed multipart
upload is aborted by the SDK, so nothing half-written is ever visible).
"""

from __future__ import annotations

import base64
import io
import logging
import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, TypeVar

import certifi
import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, ENABLED, CopySource, Filter
from minio.error import InvalidResponseError, MinioException, S3Error, ServerError
from minio.helpers import genheaders
from minio.lifecycleconfig import AbortIncompleteMultipartUpload, LifecycleConfig, Rule
from minio.objectlockconfig import DAYS, ObjectLockConfig
from minio.retention import Retention
from minio.sse import Sse, SseCustomerKey, SseKMS
from urllib3.exceptions import HTTPError, MaxRetryError, SSLError

from storage._streams import CHUNK, check_range, prepare
from storage.base import StoreBase
from storage.errors import (
    InvalidRangeError,
    ObjectLockedError,
    ObjectNotFoundError,
    ObjectTooLargeError,
    PresignUnsupportedError,
    StorageError,
    StorageMisconfiguredError,
    StorageUnavailableError,
)
from storage.keys import Bucket, as_bucket, check_key, object_key
from storage.settings import StorageSettings
from storage.types import Data, Method, ObjectInfo, ObjectReader, ObjectSummary

log = logging.getLogger(__name__)
T = TypeVar("T")

SHA256_META = "sha256"
CRC32_META = "crc32"
_SHA256_HEADER = "x-amz-meta-sha256"
_CRC32_HEADER = "x-amz-meta-crc32"
_TRANSIENT_CODES = frozenset(
    {"InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "OperationAborted"}
)
_TRANSIENT_STATUS = frozenset({500, 502, 503, 504})
_NOT_FOUND_CODES = frozenset({"NoSuchKey", "NoSuchVersion", "NoSuchObject", "ResourceNotFound"})


class S3Store(StoreBase):
    """``ObjectStore`` on S3 (see module doc). Thread-safe; immutable after construction."""

    def __init__(
        self,
        settings: StorageSettings,
        *,
        data_dir: Path,
        client: Minio | None = None,
    ) -> None:
        self._settings = settings
        self._deadline = settings.retry_deadline_s
        self._part_size = settings.multipart_part_size
        self._single_put_max = settings.multipart_threshold
        self._parallel = settings.multipart_parallel
        self._max_size = settings.max_object_size
        self._retention = timedelta(days=settings.certificate_retention_days)
        self._max_expiry = timedelta(seconds=settings.presign_max_expiry_s)
        self._buckets = {kind: f"{settings.bucket_prefix}{kind.value}" for kind in Bucket}
        self._sse, self._ssec = _sse_from(settings)
        self._lifecycle = LifecycleConfig(
            [
                Rule(
                    ENABLED,
                    rule_filter=Filter(prefix=""),
                    rule_id="abort-incomplete-uploads",
                    abort_incomplete_multipart_upload=AbortIncompleteMultipartUpload(
                        settings.abort_incomplete_upload_days
                    ),
                )
            ]
        )
        self._http: urllib3.PoolManager | None = None
        if client is None:
            ca_file = settings.resolved_ca_file(data_dir)
            if ca_file is not None and not ca_file.is_file():
                raise StorageMisconfiguredError(f"CA file {ca_file} not found")
            self._http = urllib3.PoolManager(
                timeout=urllib3.Timeout(
                    connect=settings.connect_timeout_s, read=settings.read_timeout_s
                ),
                maxsize=settings.pool_size,
                cert_reqs="CERT_REQUIRED",
                ca_certs=str(ca_file) if ca_file else certifi.where(),
                # Retries happen in _retrying (with a deadline), not hidden inside urllib3.
                retries=False,
            )
            client = Minio(
                settings.s3_endpoint,
                access_key=settings.s3_access_key,
                secret_key=settings.s3_secret_key.get_secret_value(),
                secure=settings.s3_secure,
                region=settings.s3_region,
                http_client=self._http,
            )
        self._client = client

    def bucket(self, kind: Bucket) -> str:
        return self._buckets[as_bucket(kind)]

    # start-up ------------------------------------------------------------------------------

    def ensure_buckets(self) -> None:
        """Create the missing buckets, give each a lifecycle rule that aborts incomplete
        multipart uploads (unless it already has lifecycle rules: the operator's win), and
        refuse to run if the certificates bucket exists without object lock."""
        for kind, bucket in self._buckets.items():

            def create(kind: Bucket = kind, bucket: str = bucket) -> None:
                if not self._client.bucket_exists(bucket):
                    try:
                        self._client.make_bucket(bucket, object_lock=kind.locked)
                    except S3Error as e:
                        if e.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                            raise
                if self._client.get_bucket_lifecycle(bucket) is None:
                    # Parts of uploads that were never completed (a client or server died
                    # mid-put) are invisible but take space: let the server drop them.
                    self._client.set_bucket_lifecycle(bucket, self._lifecycle)
                if kind.locked:
                    self._client.set_object_lock_config(
                        bucket,
                        ObjectLockConfig(
                            COMPLIANCE, self._settings.certificate_retention_days, DAYS
                        ),
                    )

            try:
                self._retrying(create, kind=kind, key=None)
            except StorageError as e:
                if isinstance(e.__cause__, S3Error) and kind.locked:
                    raise StorageMisconfiguredError(
                        f"bucket {bucket} has no object lock: {e.__cause__.code}", kind=kind
                    ) from e
                raise

    # writes --------------------------------------------------------------------------------

    def _put(
        self, kind: Bucket, key: str, data: Data, content_type: str, limit: int, sha256: str | None
    ) -> ObjectInfo:
        source = prepare(data, max_size=limit, declared_sha256=sha256, md5=self._wants_md5(data))
        try:
            return self._put_prepared(kind, key, source, content_type)
        finally:
            source.close()

    def _put_content(
        self, kind: Bucket, prefix: str, data: Data, content_type: str, *, limit: int
    ) -> ObjectInfo:
        source = prepare(data, max_size=limit, declared_sha256=None, md5=self._wants_md5(data))
        try:
            key = object_key(*prefix.split("/"), source.sha256)
            stored = self._stored_copy(kind, key, size=source.size, sha256=source.sha256)
            if stored is not None:
                return stored
            return self._put_prepared(kind, key, source, content_type)
        finally:
            source.close()

    def _put_bytes(self, kind: Bucket, key: str, data: bytes, content_type: str) -> ObjectInfo:
        source = prepare(data, max_size=self._max_size, declared_sha256=None, md5=True)
        try:
            return self._put_prepared(kind, key, source, content_type)
        finally:
            source.close()

    def _wants_md5(self, data: Data) -> bool:
        """Whether the source will go in one PUT (so its Content-MD5 is worth computing along
        with the other digests). Unknown-size streams: yes (most uploads are small)."""
        if isinstance(data, bytes | bytearray | memoryview):
            return len(data) <= self._single_put_max
        try:
            if isinstance(data, io.BytesIO):
                left = data.getbuffer().nbytes - data.tell()
            else:
                left = os.fstat(data.fileno()).st_size - data.tell()
        except (AttributeError, OSError, ValueError):
            return True
        return left <= self._single_put_max

    def _put_prepared(self, kind: Bucket, key: str, source: Any, content_type: str) -> ObjectInfo:
        bucket = self._buckets[kind]
        retention = None
        retain_until = None
        if kind.locked:
            if self.exists(kind=kind, key=key):
                raise ObjectLockedError("object exists and is write-once", kind=kind, key=key)
            retain_until = (datetime.now(UTC) + self._retention).replace(microsecond=0)
            retention = Retention(COMPLIANCE, retain_until)

        metadata = {SHA256_META: source.sha256, CRC32_META: source.crc32}
        if source.size <= self._single_put_max:
            # One PUT, with the Content-MD5 computed beside the SHA-256 (the SDK would compute
            # it again, serially, inside put_object): what RGW stores fastest, and the same
            # request the SDK itself sends for a small object.
            body = source.read_all()
            headers = genheaders(metadata, self._sse, None, retention, False)
            headers["Content-Type"] = content_type
            if source.content_md5:
                headers["Content-MD5"] = source.content_md5

            def attempt() -> Any:
                return self._client._put_object(bucket, key, body, dict(headers))

        else:

            def attempt() -> Any:
                return self._client.put_object(
                    bucket,
                    key,
                    source.rewind(),
                    source.size,
                    content_type=content_type,
                    metadata=metadata,
                    sse=self._sse,
                    part_size=self._part_size,
                    num_parallel_uploads=self._parallel,
                    retention=retention,
                )

        result = self._retrying(attempt, kind=kind, key=key)
        return ObjectInfo(
            kind=kind,
            key=key,
            size=source.size,
            sha256=source.sha256,
            crc32=source.crc32,
            content_type=content_type,
            etag=(result.etag or None),
            version_id=result.version_id,
            last_modified=datetime.now(UTC),
            retain_until=retain_until,
        )

    def copy(self, *, kind: Bucket, key: str, dest_kind: Bucket, dest_key: str) -> ObjectInfo:
        kind, dest_kind = as_bucket(kind), as_bucket(dest_kind)
        check_key(key)
        check_key(dest_key)
        source = self.stat(kind=kind, key=key)
        retention = None
        retain_until = None
        if dest_kind.locked:
            if self.exists(kind=dest_kind, key=dest_key):
                raise ObjectLockedError(
                    "object exists and is write-once", kind=dest_kind, key=dest_key
                )
            retain_until = (datetime.now(UTC) + self._retention).replace(microsecond=0)
            retention = Retention(COMPLIANCE, retain_until)

        def attempt() -> Any:
            return self._client.copy_object(
                self._buckets[dest_kind],
                dest_key,
                CopySource(self._buckets[kind], key, version_id=source.version_id, ssec=self._ssec),
                sse=self._sse,
                retention=retention,
            )

        try:
            result = self._retrying(attempt, kind=dest_kind, key=dest_key)
        except StorageError as e:
            if not (isinstance(e.__cause__, S3Error) and e.__cause__.code == "NotImplemented"):
                raise
            # Ceph RGW cannot copy SSE-encrypted objects server-side: copy through this
            # process instead, with the usual checks (the read is verified, the write hashed).
            with self.open(kind=kind, key=key) as reader:
                data = reader.read()
            return self._put_bytes(dest_kind, dest_key, data, source.content_type)
        return replace(
            source,
            kind=dest_kind,
            key=dest_key,
            etag=result.etag or None,
            version_id=result.version_id,
            last_modified=datetime.now(UTC),
            retain_until=retain_until,
            deduplicated=False,
        )

    def _delete(self, kind: Bucket, key: str) -> None:
        bucket = self._buckets[kind]
        if not kind.locked:
            self._retrying(lambda: self._client.remove_object(bucket, key), kind=kind, key=key)
            return
        # In a versioned bucket a plain delete only adds a delete marker and hides the
        # certificate: delete the version itself, which object lock refuses while retained.
        try:
            info = self.stat(kind=kind, key=key)
        except ObjectNotFoundError:
            return
        self._retrying(
            lambda: self._client.remove_object(bucket, key, version_id=info.version_id),
            kind=kind,
            key=key,
            refused=ObjectLockedError,
        )

    # reads ---------------------------------------------------------------------------------

    def _stat(self, kind: Bucket, key: str) -> ObjectInfo:
        bucket = self._buckets[kind]
        result = self._retrying(
            lambda: self._client.stat_object(bucket, key, ssec=self._ssec), kind=kind, key=key
        )
        headers = result.metadata
        return self._info(kind, key, headers, size=int(result.size or 0))

    def _open(
        self, kind: Bucket, key: str, *, offset: int, length: int | None, verify: bool
    ) -> ObjectReader:
        check_range(offset, length, offset + (length or 1))  # shape only; the server knows size
        bucket = self._buckets[kind]
        response = self._retrying(
            lambda: self._client.get_object(
                bucket, key, offset=offset, length=length or 0, ssec=self._ssec
            ),
            kind=kind,
            key=key,
        )
        try:
            headers = response.headers
            body_length = int(headers.get("Content-Length", "0"))
            size = body_length
            content_range = headers.get("Content-Range")
            if content_range:  # "bytes 0-99/1000"
                size = int(content_range.rpartition("/")[2])
            info = self._info(kind, key, headers, size=size)
        except (ValueError, KeyError) as e:
            _release(response)
            raise StorageError(f"unexpected response headers: {e}", kind=kind, key=key) from e

        def chunks() -> Iterator[bytes]:
            try:
                yield from response.stream(CHUNK)
            except (HTTPError, OSError) as e:
                raise StorageUnavailableError(
                    f"download interrupted: {e}", kind=kind, key=key
                ) from e

        return ObjectReader(
            info=info,
            chunks=chunks(),
            close=lambda: _release(response),
            offset=offset,
            length=body_length,
            verify=verify,
        )

    def _list(self, kind: Bucket, prefix: str) -> Iterator[ObjectSummary]:
        bucket = self._buckets[kind]
        try:
            for item in self._client.list_objects(bucket, prefix=prefix or None, recursive=True):
                if item.object_name is None or item.is_dir:
                    continue
                yield ObjectSummary(
                    kind=kind,
                    key=item.object_name,
                    size=int(item.size or 0),
                    last_modified=item.last_modified,
                )
        except (MinioException, HTTPError, OSError) as e:
            raise _translate(e, kind=kind, key=prefix) from e

    # presigned URLs ------------------------------------------------------------------------

    def presign(self, *, method: Method, kind: Bucket, key: str, expires: timedelta) -> str:
        kind = as_bucket(kind)
        check_key(key)
        if method not in ("GET", "PUT"):
            raise StorageError(f"cannot presign {method}")
        if self._ssec is not None:
            raise PresignUnsupportedError(
                "SSE-C needs the customer key on every request", kind=kind
            )
        if method == "PUT" and kind.locked:
            raise PresignUnsupportedError("locked kinds are written by the service only", kind=kind)
        if method == "PUT" and self._sse is not None:
            # The uploader would have to send the SSE header; without it the object would be
            # stored unencrypted, so refuse rather than silently downgrade.
            raise PresignUnsupportedError("presigned PUT cannot enforce SSE-KMS", kind=kind)
        if not timedelta(seconds=1) <= expires <= self._max_expiry:
            raise StorageError(f"expiry {expires} outside 1 s .. {self._max_expiry}")
        return self._client.get_presigned_url(method, self._buckets[kind], key, expires=expires)

    # lifecycle -----------------------------------------------------------------------------

    def ping(self) -> None:
        bucket = self._buckets[Bucket.UPLOADS]
        try:
            found = self._client.bucket_exists(bucket)
        except (MinioException, HTTPError, OSError) as e:
            raise StorageUnavailableError(f"ping failed: {e}") from e
        if not found:
            raise StorageMisconfiguredError(f"bucket {bucket} missing")

    def close(self) -> None:
        if self._http is not None:
            self._http.clear()

    # internals -----------------------------------------------------------------------------

    def _info(self, kind: Bucket, key: str, headers: Any, *, size: int) -> ObjectInfo:
        retain = headers.get("x-amz-object-lock-retain-until-date")
        modified = headers.get("Last-Modified")
        etag = (headers.get("ETag") or "").strip('"') or None
        return ObjectInfo(
            kind=kind,
            key=key,
            size=size,
            sha256=headers.get(_SHA256_HEADER) or None,
            crc32=headers.get(_CRC32_HEADER) or None,
            content_type=headers.get("Content-Type") or "application/octet-stream",
            etag=etag,
            version_id=headers.get("x-amz-version-id") or None,
            last_modified=parsedate_to_datetime(modified) if modified else None,
            retain_until=datetime.fromisoformat(retain) if retain else None,
        )

    def _retrying(
        self,
        call: Callable[[], T],
        *,
        kind: Bucket | None,
        key: str | None,
        refused: type[StorageError] | None = None,
    ) -> T:
        deadline = time.monotonic() + self._deadline
        delay = 0.1
        attempt = 1
        while True:
            try:
                return call()
            except (MinioException, HTTPError, OSError) as e:
                if not _transient(e):
                    raise _translate(e, kind=kind, key=key, refused=refused) from e
                wait = min(delay, 2.0) * (0.5 + random.random())  # noqa: S311 - jitter
                if time.monotonic() + wait > deadline:
                    raise StorageUnavailableError(
                        f"gave up after {attempt} attempts: {e}", kind=kind, key=key
                    ) from e
                log.warning("storage: attempt %d failed (%s), retrying", attempt, e)
                time.sleep(wait)
                delay *= 2
                attempt += 1


def _sse_from(settings: StorageSettings) -> tuple[Sse | None, SseCustomerKey | None]:
    if settings.sse == "none":
        return None, None
    if settings.sse == "sse-c":
        if settings.sse_c_key is None:
            raise StorageMisconfiguredError("sse=sse-c needs PAOYICI_STORAGE_SSE_C_KEY")
        key = SseCustomerKey(base64.b64decode(settings.sse_c_key.get_secret_value()))
        return key, key
    if not settings.sse_kms_key_id:
        raise StorageMisconfiguredError("sse=kms needs PAOYICI_STORAGE_SSE_KMS_KEY_ID")
    return SseKMS(settings.sse_kms_key_id, {}), None


def _transient(e: BaseException) -> bool:
    if isinstance(e, S3Error):
        return e.code in _TRANSIENT_CODES
    if isinstance(e, ServerError):
        return e.status_code in _TRANSIENT_STATUS
    if isinstance(e, InvalidResponseError):  # a non-XML answer, e.g. a proxy's 502 page
        return int(getattr(e, "_code", 0) or 0) in _TRANSIENT_STATUS
    if isinstance(e, SSLError) or (isinstance(e, MaxRetryError) and isinstance(e.reason, SSLError)):
        return False  # a certificate problem does not fix itself
    return isinstance(e, HTTPError | OSError)


def _translate(
    e: BaseException,
    *,
    kind: Bucket | None,
    key: str | None,
    refused: type[StorageError] | None = None,
) -> StorageError:
    if isinstance(e, S3Error):
        detail = f"{e.code}: {e.message}"
        if e.code in _NOT_FOUND_CODES:
            return ObjectNotFoundError(detail, kind=kind, key=key)
        if e.code == "InvalidRange":
            return InvalidRangeError(detail, kind=kind, key=key)
        if e.code == "EntityTooLarge":
            return ObjectTooLargeError(detail, limit=0, kind=kind, key=key)
        if e.code == "AccessDenied" and refused is not None:
            return refused(detail, kind=kind, key=key)
        if e.code in (
            "NoSuchBucket",
            "AccessDenied",
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
        ):
            return StorageMisconfiguredError(detail, kind=kind, key=key)
        return StorageError(detail, kind=kind, key=key)
    if isinstance(e, ServerError | InvalidResponseError):
        return StorageError(f"unexpected answer: {e}", kind=kind, key=key)
    if isinstance(e, SSLError | MaxRetryError):
        return StorageUnavailableError(f"TLS/connection: {e}", kind=kind, key=key)
    return StorageUnavailableError(str(e), kind=kind, key=key)


def _release(response: Any) -> None:
    response.close()
    response.release_conn()
