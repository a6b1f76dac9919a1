"""S3Store against the real Ceph RGW: what the server itself enforces (object lock, encryption)
and what happens when it goes away."""

from __future__ import annotations

import io
import os
import threading
from datetime import UTC, datetime, timedelta

import pytest
from minio.error import S3Error

from api.errors import http_status
from storage import (
    Bucket,
    CorruptObjectError,
    ObjectLockedError,
    ObjectNotFoundError,
    PresignUnsupportedError,
    S3Store,
    StorageError,
    StorageMisconfiguredError,
    StorageSettings,
    StorageUnavailableError,
    object_key,
)
from tests.storage.conftest import SSE_C_KEY, Rgw, make_s3_store, sha, with_changes

pytestmark = pytest.mark.s3
MB = 1024 * 1024


@pytest.fixture(scope="module")
def store(s3_settings: StorageSettings) -> S3Store:
    return make_s3_store(s3_settings)


@pytest.fixture
def prefix() -> str:
    return f"s3-{os.urandom(6).hex()}"


def test_the_server_refuses_to_delete_a_retained_certificate(store: S3Store, prefix: str) -> None:
    key = object_key(prefix, "cert.pdf")
    pdf = b"%PDF-1.7 " + os.urandom(500)
    info = store.put(kind=Bucket.CERTIFICATES, key=key, data=pdf)
    raw = store._client
    bucket = store.bucket(Bucket.CERTIFICATES)

    assert raw.get_bucket_versioning(bucket).status == "Enabled"
    assert info.version_id
    head = raw.stat_object(bucket, key).metadata
    assert head["x-amz-object-lock-mode"] == "COMPLIANCE"
    until = datetime.fromisoformat(head["x-amz-object-lock-retain-until-date"])
    assert timedelta(hours=23) < until - datetime.now(UTC) < timedelta(hours=25)

    # Going around the store with the same credentials: the server says no.
    with pytest.raises(S3Error) as refused:
        raw.remove_object(bucket, key, version_id=info.version_id)
    assert refused.value.code == "AccessDenied"
    # A raw overwrite only adds a version; the certificate's own version stays readable.
    raw.put_object(bucket, key, io.BytesIO(b"forged"), 6)
    original = raw.get_object(bucket, key, version_id=info.version_id)
    try:
        assert original.read() == pdf
    finally:
        original.close()
        original.release_conn()
    # ... and that version is still locked.
    with pytest.raises(S3Error):
        raw.remove_object(bucket, key, version_id=info.version_id)


def test_bucket_default_retention_covers_writes_that_bypass_the_store(
    store: S3Store, prefix: str
) -> None:
    raw = store._client
    bucket = store.bucket(Bucket.CERTIFICATES)
    key = object_key(prefix, "raw.pdf")
    written = raw.put_object(bucket, key, io.BytesIO(b"raw"), 3)
    head = raw.stat_object(bucket, key).metadata
    assert head.get("x-amz-object-lock-mode") == "COMPLIANCE"
    with pytest.raises(S3Error):
        raw.remove_object(bucket, key, version_id=written.version_id)


def test_large_objects_go_in_parts_small_ones_in_one_put(store: S3Store, prefix: str) -> None:
    # An S3 multipart ETag ends in "-<number of parts>".
    small = store.put(kind=Bucket.UPLOADS, key=f"{prefix}/20mb", data=os.urandom(20 * MB))
    large = store.put(kind=Bucket.UPLOADS, key=f"{prefix}/40mb", data=os.urandom(40 * MB))
    assert "-" not in (store.stat(kind=Bucket.UPLOADS, key=small.key).etag or "-")
    assert (store.stat(kind=Bucket.UPLOADS, key=large.key).etag or "").endswith("-3")


def test_buckets_drop_abandoned_multipart_uploads(store: S3Store) -> None:
    for kind in Bucket:
        rules = store._client.get_bucket_lifecycle(store.bucket(kind)).rules
        aborts = [r.abort_incomplete_multipart_upload for r in rules]
        assert [a.days_after_initiation for a in aborts if a] == [1]


def test_ensure_buckets_refuses_a_certificates_bucket_without_lock(
    s3_settings: StorageSettings,
) -> None:
    settings = with_changes(s3_settings, bucket_prefix=f"nolock{os.urandom(4).hex()}-")
    store = S3Store(settings, data_dir=settings.local_dir)
    bucket = store.bucket(Bucket.CERTIFICATES)
    store._client.make_bucket(bucket)  # created elsewhere, without object lock
    try:
        with pytest.raises(StorageMisconfiguredError):
            store.ensure_buckets()
    finally:
        for kind in Bucket:
            if store._client.bucket_exists(store.bucket(kind)):
                store._client.remove_bucket(store.bucket(kind))
        store.close()


def test_sse_kms_objects_are_encrypted_by_the_server(
    s3_settings: StorageSettings, prefix: str
) -> None:
    store = make_s3_store(s3_settings, sse="kms", multipart_threshold=5 * MB)
    data = os.urandom(6 * MB)  # multipart
    key = object_key(prefix, "kms")
    store.put(kind=Bucket.UPLOADS, key=key, data=data)
    head = store._client.stat_object(store.bucket(Bucket.UPLOADS), key).metadata
    assert head["x-amz-server-side-encryption"] == "aws:kms"
    assert head["x-amz-server-side-encryption-aws-kms-key-id"] == s3_settings.sse_kms_key_id
    assert store.get_bytes(kind=Bucket.UPLOADS, key=key) == data
    with pytest.raises(PresignUnsupportedError):
        store.presign(method="PUT", kind=Bucket.UPLOADS, key=key, expires=timedelta(seconds=60))


def test_sse_c_objects_need_the_customer_key(s3_settings: StorageSettings, prefix: str) -> None:
    store = make_s3_store(s3_settings, sse="sse-c", sse_c_key=SSE_C_KEY, multipart_threshold=5 * MB)
    data = os.urandom(6 * MB + 1)  # multipart
    key = object_key(prefix, "ssec")
    info = store.put(kind=Bucket.ARTEFACTS, key=key, data=data)
    assert info.sha256 == sha(data)
    assert store.stat(kind=Bucket.ARTEFACTS, key=key).sha256 == sha(data)
    assert store.get_bytes(kind=Bucket.ARTEFACTS, key=key) == data
    assert (
        store.get_bytes(kind=Bucket.ARTEFACTS, key=key, offset=MB, length=10) == data[MB : MB + 10]
    )

    with pytest.raises(S3Error):  # no key: the server cannot decrypt
        store._client.get_object(store.bucket(Bucket.ARTEFACTS), key)
    other_key = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="
    wrong = make_s3_store(s3_settings, sse="sse-c", sse_c_key=other_key)
    with pytest.raises(StorageError):
        wrong.get_bytes(kind=Bucket.ARTEFACTS, key=key)
    with pytest.raises(PresignUnsupportedError):
        store.presign(method="GET", kind=Bucket.ARTEFACTS, key=key, expires=timedelta(seconds=60))
    copied = store.copy(
        kind=Bucket.ARTEFACTS, key=key, dest_kind=Bucket.UPLOADS, dest_key=f"{prefix}/copy"
    )
    assert copied.sha256 == sha(data)
    assert store.get_bytes(kind=Bucket.UPLOADS, key=f"{prefix}/copy") == data


class _PullsThePlug:
    """A seekable source that stops the gateway once the upload (not the hashing pass before
    it) has read ``after`` bytes."""

    def __init__(self, data: bytes, rgw: Rgw, after: int) -> None:
        self._inner = io.BytesIO(data)
        self._rgw = rgw
        self._after = after
        self._seeks = 0
        self._since_seek = 0
        self.pulled = threading.Event()

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._inner.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        self._seeks += 1
        self._since_seek = 0
        return self._inner.seek(offset, whence)

    def read(self, size: int = -1) -> bytes:
        chunk = self._inner.read(size)
        self._since_seek += len(chunk)
        # seek #1: rewound after hashing; seek #2: rewound by the first upload attempt
        if self._seeks >= 2 and self._since_seek >= self._after and not self.pulled.is_set():
            self.pulled.set()
            self._rgw.stop_gateway()
        return chunk


def test_gateway_stopped_during_a_put(rgw: Rgw, s3_settings: StorageSettings, prefix: str) -> None:
    store = make_s3_store(
        s3_settings, retry_deadline_s=2.0, multipart_part_size=5 * MB, multipart_parallel=1
    )
    data = os.urandom(40 * MB)
    key = object_key(prefix, "interrupted")
    source = _PullsThePlug(data, rgw, after=12 * MB)
    try:
        with pytest.raises(StorageUnavailableError) as caught:
            store.put(kind=Bucket.UPLOADS, key=key, data=source)  # type: ignore[arg-type]
        assert source.pulled.is_set()
        error = caught.value
        assert (error.code, http_status(error)) == ("storage_unavailable", 503)
        assert "暂时不可用" in error.message
        with pytest.raises(StorageUnavailableError):
            store.ping()
        with pytest.raises(StorageUnavailableError):
            store.stat(kind=Bucket.UPLOADS, key=key)
    finally:
        rgw.start_gateway()

    # Back up: nothing half-written is visible, and the same put now succeeds.
    store.ping()
    with pytest.raises(ObjectNotFoundError):
        store.stat(kind=Bucket.UPLOADS, key=key)
    assert list(store.list(kind=Bucket.UPLOADS, prefix=prefix)) == []
    info = store.put(kind=Bucket.UPLOADS, key=key, data=io.BytesIO(data))
    assert info.sha256 == sha(data)
    assert sha(store.get_bytes(kind=Bucket.UPLOADS, key=key)) == sha(data)


def test_a_brief_outage_is_ridden_out_by_retries(
    rgw: Rgw, s3_settings: StorageSettings, prefix: str
) -> None:
    store = make_s3_store(s3_settings, retry_deadline_s=30.0)
    key = object_key(prefix, "retried")
    rgw.stop_gateway()
    restart = threading.Timer(1.5, rgw.start_gateway)
    restart.start()
    try:
        info = store.put(kind=Bucket.ARTEFACTS, key=key, data=b"survives a restart")
    finally:
        restart.join()
    assert store.get_bytes(kind=Bucket.ARTEFACTS, key=key) == b"survives a restart"
    assert info.size == 18


def test_wrong_credentials_are_a_configuration_error(s3_settings: StorageSettings) -> None:
    store = S3Store(
        with_changes(s3_settings, s3_secret_key="not-the-secret"),
        data_dir=s3_settings.local_dir,
    )
    with pytest.raises(StorageMisconfiguredError):
        store.stat(kind=Bucket.UPLOADS, key="anything")


def test_untrusted_tls_is_refused(s3_settings: StorageSettings) -> None:
    # Without the test CA the gateway's certificate must not be accepted.
    store = S3Store(
        with_changes(s3_settings, s3_ca_file=None, retry_deadline_s=30.0),
        data_dir=s3_settings.local_dir,
    )
    with pytest.raises(StorageUnavailableError) as caught:
        store.stat(kind=Bucket.UPLOADS, key="anything")
    assert "gave up" not in caught.value.detail  # not retried: a certificate does not heal


def test_object_locked_error_is_the_house_shape(store: S3Store, prefix: str) -> None:
    key = object_key(prefix, "c")
    store.put(kind=Bucket.CERTIFICATES, key=key, data=b"c")
    with pytest.raises(ObjectLockedError) as caught:
        store.delete(kind=Bucket.CERTIFICATES, key=key)
    assert (caught.value.code, http_status(caught.value)) == ("object_locked", 409)
    assert caught.value.kind == Bucket.CERTIFICATES and caught.value.key == key


def test_objects_with_only_a_sha256_are_checked_by_it(store: S3Store, prefix: str) -> None:
    # Objects written before CRC-32 was recorded (or by another tool) carry only the SHA-256.
    key = object_key(prefix, "sha-only")
    data = os.urandom(100_000)
    bucket = store.bucket(Bucket.ARTEFACTS)
    store._client.put_object(
        bucket, key, io.BytesIO(data), len(data), metadata={"sha256": sha(data)}
    )
    info = store.stat(kind=Bucket.ARTEFACTS, key=key)
    assert (info.sha256, info.crc32) == (sha(data), None)
    assert store.get_bytes(kind=Bucket.ARTEFACTS, key=key) == data
    store._client.put_object(
        bucket, key, io.BytesIO(data[::-1]), len(data), metadata={"sha256": sha(data)}
    )
    with pytest.raises(CorruptObjectError):
        store.get_bytes(kind=Bucket.ARTEFACTS, key=key)
