"""How the S3 adapter classifies SDK/HTTP failures and retries them (no server needed: the
failures are the SDK's own exception types, raised by the call being retried)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from minio.error import InvalidResponseError, S3Error, ServerError
from urllib3.exceptions import NewConnectionError, ProtocolError, SSLError

from storage import (
    Bucket,
    InvalidRangeError,
    ObjectLockedError,
    ObjectNotFoundError,
    S3Store,
    StorageError,
    StorageMisconfiguredError,
    StorageSettings,
    StorageUnavailableError,
)


def s3_error(code: str) -> S3Error:
    return S3Error(None, code, "message", "/bucket/key", "req", "host")  # type: ignore[arg-type]


@pytest.fixture
def store() -> S3Store:
    settings = StorageSettings(backend="s3", retry_deadline_s=1.0)
    return S3Store(settings, data_dir=Path("."), client=object())  # type: ignore[arg-type]


class Flaky:
    def __init__(self, failures: list[BaseException]) -> None:
        self.failures = failures
        self.calls = 0

    def __call__(self) -> Any:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "done"


@pytest.mark.parametrize(
    "transient",
    [
        ProtocolError("Connection aborted.", ConnectionResetError()),
        NewConnectionError(None, "refused"),  # type: ignore[arg-type]
        ConnectionRefusedError(),
        s3_error("SlowDown"),
        s3_error("InternalError"),
        s3_error("ServiceUnavailable"),
        ServerError("bad gateway", 502),
        InvalidResponseError(503, "text/html", "<html>busy</html>"),
    ],
    ids=lambda e: type(e).__name__ + ":" + str(getattr(e, "code", "")),
)
def test_transient_failures_are_retried(store: S3Store, transient: BaseException) -> None:
    call = Flaky([transient, transient])
    assert store._retrying(call, kind=Bucket.UPLOADS, key="k") == "done"
    assert call.calls == 3


def test_retries_stop_at_the_deadline(store: S3Store) -> None:
    call = Flaky([ConnectionRefusedError()] * 1000)
    started = time.monotonic()
    with pytest.raises(StorageUnavailableError) as caught:
        store._retrying(call, kind=Bucket.UPLOADS, key="k")
    assert time.monotonic() - started < 1.5
    assert 2 <= call.calls < 20
    assert isinstance(caught.value.__cause__, ConnectionRefusedError)


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (s3_error("NoSuchKey"), ObjectNotFoundError),
        (s3_error("NoSuchVersion"), ObjectNotFoundError),
        (s3_error("InvalidRange"), InvalidRangeError),
        (s3_error("AccessDenied"), StorageMisconfiguredError),
        (s3_error("SignatureDoesNotMatch"), StorageMisconfiguredError),
        (s3_error("NoSuchBucket"), StorageMisconfiguredError),
        (s3_error("SomethingNew"), StorageError),
        (SSLError("certificate verify failed"), StorageUnavailableError),
        (ServerError("not implemented", 501), StorageError),
        (InvalidResponseError(400, "text/html", "<html>no</html>"), StorageError),
    ],
    ids=lambda v: getattr(v, "code", None) or getattr(v, "__name__", type(v).__name__),
)
def test_permanent_failures_are_translated_at_once(
    store: S3Store, failure: BaseException, expected: type[StorageError]
) -> None:
    call = Flaky([failure])
    with pytest.raises(expected) as caught:
        store._retrying(call, kind=Bucket.UPLOADS, key="k")
    assert call.calls == 1
    assert caught.value.__cause__ is failure
    assert type(caught.value) is expected or issubclass(type(caught.value), expected)


def test_access_denied_on_a_locked_version_is_object_locked(store: S3Store) -> None:
    with pytest.raises(ObjectLockedError):
        store._retrying(
            Flaky([s3_error("AccessDenied")]),
            kind=Bucket.CERTIFICATES,
            key="k",
            refused=ObjectLockedError,
        )
