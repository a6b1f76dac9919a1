"""One contract suite, run against every ObjectStore: the local folder and S3 (Ceph RGW over
HTTPS, without and with SSE-KMS)."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta

import pytest

from api.errors import http_status
from storage import (
    Bucket,
    ChecksumMismatchError,
    CorruptObjectError,
    InvalidKeyError,
    InvalidRangeError,
    ObjectLockedError,
    ObjectNotFoundError,
    ObjectTooLargeError,
    PresignUnsupportedError,
    object_key,
)
from tests.storage.conftest import StoreCase, sha

MB = 1024 * 1024


class _OneWayStream(io.RawIOBase):
    """A non-seekable stream (like a request body), handing out data in small reads."""

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), 64 * 1024, len(self._data) - self._at)
        buffer[:n] = self._data[self._at : self._at + n]
        self._at += n
        return n


@pytest.mark.parametrize("size", [0, 1, 5 * MB, 40 * MB], ids=["0B", "1B", "5MB", "40MB"])
def test_round_trip_keeps_bytes_and_hash(case: StoreCase, prefix: str, size: int) -> None:
    data = os.urandom(size)
    key = object_key(prefix, "blob")
    info = case.store.put(kind=Bucket.UPLOADS, key=key, data=data, content_type="image/jpeg")
    assert (info.size, info.sha256, info.key) == (size, sha(data), key)

    stat = case.store.stat(kind=Bucket.UPLOADS, key=key)
    assert (stat.size, stat.sha256, stat.content_type) == (size, sha(data), "image/jpeg")

    with case.store.open(kind=Bucket.UPLOADS, key=key) as reader:
        chunks = list(reader)
    got = b"".join(chunks)
    assert len(got) == size and sha(got) == sha(data)


def test_streamed_put_from_a_non_seekable_body(case: StoreCase, prefix: str) -> None:
    data = os.urandom(3 * MB + 17)
    key = object_key(prefix, "streamed")
    stream = io.BufferedReader(_OneWayStream(data))
    info = case.store.put(kind=Bucket.UPLOADS, key=key, data=stream)
    assert info.sha256 == sha(data)
    assert case.store.get_bytes(kind=Bucket.UPLOADS, key=key) == data


def test_range_reads(case: StoreCase, prefix: str) -> None:
    data = os.urandom(256 * 1024 + 3)
    key = object_key(prefix, "ranged")
    case.store.put(kind=Bucket.ARTEFACTS, key=key, data=data)
    size = len(data)
    for offset, length in [(0, 1), (10, 100), (size - 5, None), (size - 5, 100), (1, size - 2)]:
        got = case.store.get_bytes(kind=Bucket.ARTEFACTS, key=key, offset=offset, length=length)
        end = size if length is None else min(size, offset + length)
        assert got == data[offset:end], (offset, length)
    with case.store.open(kind=Bucket.ARTEFACTS, key=key, offset=100, length=50) as reader:
        assert reader.info.size == size and reader.length == 50
        assert reader.read() == data[100:150]
    for offset, length in [(size + 10, None), (0, 0), (-1, None)]:
        with pytest.raises(InvalidRangeError):
            case.store.get_bytes(kind=Bucket.ARTEFACTS, key=key, offset=offset, length=length)


def test_missing_objects(case: StoreCase, prefix: str) -> None:
    key = object_key(prefix, "nothing-here")
    with pytest.raises(ObjectNotFoundError) as caught:
        case.store.stat(kind=Bucket.UPLOADS, key=key)
    assert http_status(caught.value) == 404 and caught.value.message
    with pytest.raises(ObjectNotFoundError):
        case.store.get_bytes(kind=Bucket.UPLOADS, key=key)
    assert case.store.exists(kind=Bucket.UPLOADS, key=key) is False
    case.store.delete(kind=Bucket.UPLOADS, key=key)  # deleting nothing is not an error


def test_delete_and_overwrite(case: StoreCase, prefix: str) -> None:
    key = object_key(prefix, "doc")
    case.store.put(kind=Bucket.LABELS, key=key, data=b"first")
    case.store.put(kind=Bucket.LABELS, key=key, data=b"second, longer")
    assert case.store.get_bytes(kind=Bucket.LABELS, key=key) == b"second, longer"
    case.store.delete(kind=Bucket.LABELS, key=key)
    assert not case.store.exists(kind=Bucket.LABELS, key=key)


def test_size_limit_and_declared_hash_leave_nothing(case: StoreCase, prefix: str) -> None:
    key = object_key(prefix, "limited")
    with pytest.raises(ObjectTooLargeError) as caught:
        case.store.put(kind=Bucket.UPLOADS, key=key, data=b"x" * 11, max_size=10)
    assert http_status(caught.value) == 413
    with pytest.raises(ObjectTooLargeError):
        case.store.put(
            kind=Bucket.UPLOADS,
            key=key,
            data=io.BufferedReader(_OneWayStream(b"y" * 200_000)),
            max_size=100_000,
        )
    with pytest.raises(ChecksumMismatchError):
        case.store.put(kind=Bucket.UPLOADS, key=key, data=b"abc", sha256=sha(b"abd"))
    assert not case.store.exists(kind=Bucket.UPLOADS, key=key)
    ok = case.store.put(kind=Bucket.UPLOADS, key=key, data=b"abc", sha256=sha(b"abc"))
    assert ok.sha256 == sha(b"abc")


def test_content_addressing_stores_same_bytes_once(case: StoreCase, prefix: str) -> None:
    data = os.urandom(100_000)
    first = case.store.put_content(kind=Bucket.UPLOADS, prefix=prefix, data=data)
    again = case.store.put_content(kind=Bucket.UPLOADS, prefix=prefix, data=io.BytesIO(data))
    other = case.store.put_content(kind=Bucket.UPLOADS, prefix=prefix, data=data + b"!")
    assert first.key == f"{prefix}/{sha(data)}" and not first.deduplicated
    assert again.key == first.key and again.deduplicated
    assert other.key == f"{prefix}/{sha(data + b'!')}" and not other.deduplicated
    keys = [s.key for s in case.store.list(kind=Bucket.UPLOADS, prefix=prefix + "/")]
    assert keys == sorted([first.key, other.key])


def test_listing_by_prefix(case: StoreCase, prefix: str) -> None:
    for key in ["a/b/1", "a/b/2", "a/c/3", "ab/4"]:
        case.store.put(kind=Bucket.ARTEFACTS, key=f"{prefix}/{key}", data=key.encode())

    def listed(p: str) -> list[str]:
        return [s.key for s in case.store.list(kind=Bucket.ARTEFACTS, prefix=f"{prefix}/{p}")]

    assert listed("a/b/") == [f"{prefix}/a/b/1", f"{prefix}/a/b/2"]
    assert listed("a/") == [f"{prefix}/a/b/1", f"{prefix}/a/b/2", f"{prefix}/a/c/3"]
    assert listed("a") == [f"{prefix}/{k}" for k in ["a/b/1", "a/b/2", "a/c/3", "ab/4"]]
    assert listed("zzz") == []
    sizes = {s.key: s.size for s in case.store.list(kind=Bucket.ARTEFACTS, prefix=prefix)}
    assert sizes[f"{prefix}/ab/4"] == 4


def test_copy(case: StoreCase, prefix: str) -> None:
    data = os.urandom(70_000)
    case.store.put(kind=Bucket.UPLOADS, key=f"{prefix}/src", data=data, content_type="image/png")
    copied = case.store.copy(
        kind=Bucket.UPLOADS,
        key=f"{prefix}/src",
        dest_kind=Bucket.ARTEFACTS,
        dest_key=f"{prefix}/dst",
    )
    assert (copied.kind, copied.key, copied.sha256) == (
        Bucket.ARTEFACTS,
        f"{prefix}/dst",
        sha(data),
    )
    assert case.store.get_bytes(kind=Bucket.ARTEFACTS, key=f"{prefix}/dst") == data
    assert case.store.stat(kind=Bucket.ARTEFACTS, key=f"{prefix}/dst").content_type == "image/png"


def test_object_lock_refuses_delete_and_overwrite_of_a_certificate(
    case: StoreCase, prefix: str
) -> None:
    key = object_key(prefix, "certificate.pdf")
    pdf = b"%PDF-1.7 signed certificate " + os.urandom(1000)
    info = case.store.put(
        kind=Bucket.CERTIFICATES, key=key, data=pdf, content_type="application/pdf"
    )
    assert info.retain_until is not None
    assert timedelta(hours=23) < info.retain_until - info.last_modified < timedelta(hours=25)  # type: ignore[operator]

    with pytest.raises(ObjectLockedError) as caught:
        case.store.delete(kind=Bucket.CERTIFICATES, key=key)
    assert http_status(caught.value) == 409
    with pytest.raises(ObjectLockedError):
        case.store.put(kind=Bucket.CERTIFICATES, key=key, data=b"forged")
    with pytest.raises(ObjectLockedError):
        case.store.copy(
            kind=Bucket.CERTIFICATES,
            key=key,
            dest_kind=Bucket.CERTIFICATES,
            dest_key=key,
        )
    with pytest.raises(PresignUnsupportedError):
        case.store.presign(
            method="PUT", kind=Bucket.CERTIFICATES, key=key, expires=timedelta(seconds=60)
        )
    assert case.store.get_bytes(kind=Bucket.CERTIFICATES, key=key) == pdf
    stat = case.store.stat(kind=Bucket.CERTIFICATES, key=key)
    assert stat.retain_until is not None and stat.sha256 == sha(pdf)


BAD_KEYS = [
    "../etc/passwd",
    "a/../../b",
    "a/./b",
    "/abs/path",
    "a//b",
    "a/",
    "",
    "..",
    "a\x00b",
    "a\nb",
    "a\x7fb",
    "a\\..\\b",
    "%2e%2e/x",
    "C:/windows",
    "a/\u2024\u2024/b",  # one-dot leaders that look like ".."
    "名称",
    ".hidden",
    "x" * 600,
]


@pytest.mark.parametrize("bad", BAD_KEYS, ids=[repr(k)[:20] for k in BAD_KEYS])
def test_keys_that_could_escape_are_refused_everywhere(
    case: StoreCase, bad: str, tmp_path: object
) -> None:
    store = case.store
    calls = [
        lambda: store.put(kind=Bucket.UPLOADS, key=bad, data=b"x"),
        lambda: store.put_content(kind=Bucket.UPLOADS, prefix=bad, data=b"x"),
        lambda: store.stat(kind=Bucket.UPLOADS, key=bad),
        lambda: store.open(kind=Bucket.UPLOADS, key=bad),
        lambda: store.delete(kind=Bucket.UPLOADS, key=bad),
        lambda: store.exists(kind=Bucket.UPLOADS, key=bad),
        lambda: store.list(kind=Bucket.UPLOADS, prefix=bad + "/"),
        lambda: store.presign(
            method="GET", kind=Bucket.UPLOADS, key=bad, expires=timedelta(seconds=60)
        ),
        lambda: store.copy(kind=Bucket.UPLOADS, key="ok", dest_kind=Bucket.UPLOADS, dest_key=bad),
    ]
    for call in calls:
        with pytest.raises(InvalidKeyError) as caught:
            call()
        assert http_status(caught.value) == 400


def test_presigned_get_works_then_expires_and_refuses_tampering(
    case: StoreCase, prefix: str
) -> None:
    data = os.urandom(50_000)
    key = object_key(prefix, "scan.jpg")
    case.store.put(kind=Bucket.UPLOADS, key=key, data=data, content_type="image/jpeg")

    url = case.store.presign(
        method="GET", kind=Bucket.UPLOADS, key=key, expires=timedelta(seconds=60)
    )
    response = case.fetch("GET", url)
    assert response.status_code == 200 and response.content == data

    # Tampered: another object, or a changed signature.
    other = object_key(prefix, "other.jpg")
    case.store.put(kind=Bucket.UPLOADS, key=other, data=b"secret")
    assert case.fetch("GET", url.replace("scan.jpg", "other.jpg")).status_code == 403
    flipped = url[:-1] + ("0" if url[-1] != "0" else "1")
    assert case.fetch("GET", flipped).status_code == 403

    short = case.store.presign(
        method="GET", kind=Bucket.UPLOADS, key=key, expires=timedelta(seconds=1)
    )
    time.sleep(2.2)
    assert case.fetch("GET", short).status_code == 403
    assert case.fetch("GET", url).status_code == 200  # the long one still works


def test_presigned_put(case: StoreCase, prefix: str) -> None:
    key = object_key(prefix, "label.pdf")
    if not case.presign_put:
        with pytest.raises(PresignUnsupportedError):
            case.store.presign(
                method="PUT", kind=Bucket.LABELS, key=key, expires=timedelta(seconds=60)
            )
        return
    url = case.store.presign(
        method="PUT", kind=Bucket.LABELS, key=key, expires=timedelta(seconds=60)
    )
    body = os.urandom(30_000)
    assert case.fetch("PUT", url, content=body).status_code == 200
    assert case.store.get_bytes(kind=Bucket.LABELS, key=key) == body
    # A PUT URL does not allow GET, nor a PUT to another key.
    assert case.fetch("GET", url).status_code == 403
    assert case.fetch("PUT", url.replace("label.pdf", "x.pdf"), content=b"x").status_code == 403
    assert not case.store.exists(kind=Bucket.LABELS, key=object_key(prefix, "x.pdf"))


def test_corrupted_download_is_detected(case: StoreCase, prefix: str) -> None:
    data = os.urandom(2 * MB + 5)
    key = object_key(prefix, "to-corrupt")
    case.store.put(kind=Bucket.ARTEFACTS, key=key, data=data)
    case.corrupt(Bucket.ARTEFACTS, key)
    with pytest.raises(CorruptObjectError) as caught:
        case.store.get_bytes(kind=Bucket.ARTEFACTS, key=key)
    assert caught.value.code == "integrity_error"
    with (
        pytest.raises(CorruptObjectError),
        case.store.open(kind=Bucket.ARTEFACTS, key=key) as reader,
    ):
        for _chunk in reader:
            pass
    # Unverified reads (ranges) still work: the damage is in the middle.
    assert case.store.get_bytes(kind=Bucket.ARTEFACTS, key=key, length=10) == data[:10]
