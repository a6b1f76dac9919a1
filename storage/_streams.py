"""Reading what callers hand to ``put``: chunks, size limit and SHA-256 in one pass."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import tempfile
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast

from storage.errors import (
    ChecksumMismatchError,
    InvalidRangeError,
    ObjectTooLargeError,
    StorageError,
)
from storage.types import Data

CHUNK = 1024 * 1024
SPOOL_IN_MEMORY = 8 * 1024 * 1024


def iter_chunks(data: Data, *, max_size: int) -> Iterator[bytes]:
    """Yield ``data`` in chunks; ``ObjectTooLargeError`` as soon as it exceeds ``max_size``."""
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data).cast("B")
        if len(view) > max_size:
            raise ObjectTooLargeError(limit=max_size)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start : start + CHUNK])
        return
    if not callable(getattr(data, "read", None)):
        raise StorageError(f"data is {type(data).__name__}: pass bytes or a binary stream")
    total = 0
    while True:
        chunk = data.read(CHUNK)
        if not chunk:
            return
        if not isinstance(chunk, bytes | bytearray):
            raise StorageError("stream returned text: open it in binary mode")
        total += len(chunk)
        if total > max_size:
            raise ObjectTooLargeError(limit=max_size)
        yield bytes(chunk)


class Digests:
    """SHA-256 (identity: keys, dedupe, caches) and CRC-32 (the cheap per-read corruption
    check) of the same bytes, computed in one pass; optionally the MD5 that S3 wants in
    ``Content-MD5``."""

    def __init__(self, *, md5: bool = False) -> None:
        self._sha256 = hashlib.sha256()
        self._crc32 = 0
        self._md5 = hashlib.md5(usedforsecurity=False) if md5 else None

    def update(self, chunk: bytes | memoryview) -> None:
        self._sha256.update(chunk)
        self._crc32 = zlib.crc32(chunk, self._crc32)
        if self._md5 is not None:
            self._md5.update(chunk)

    @property
    def content_md5(self) -> str | None:
        return base64.b64encode(self._md5.digest()).decode() if self._md5 else None

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    @property
    def crc32(self) -> str:
        return format_crc32(self._crc32)


# Below this, starting and joining helper threads costs more than it saves (and on a loaded
# machine the join can wait for a time slice).
_THREADED_DIGESTS_FROM = 8 * 1024 * 1024


def _digest_buffer(view: memoryview, *, md5: bool) -> tuple[str, str, str | None]:
    """SHA-256, CRC-32 and (optionally) base64 MD5 of a buffer. For a large buffer the CRC-32
    and MD5 run on helper threads (hashlib and zlib release the GIL), so the set costs about as
    much time as its slowest member alone."""
    if len(view) < _THREADED_DIGESTS_FROM:
        return (
            hashlib.sha256(view).hexdigest(),
            format_crc32(zlib.crc32(view)),
            _md5_b64(view) if md5 else None,
        )
    results: dict[str, str] = {}
    helpers = [
        threading.Thread(
            target=lambda: results.__setitem__("crc32", format_crc32(zlib.crc32(view))),
            name="storage-crc32",
        )
    ]
    if md5:
        helpers.append(
            threading.Thread(
                target=lambda: results.__setitem__("md5", _md5_b64(view)), name="storage-md5"
            )
        )
    for helper in helpers:
        helper.start()
    sha256 = hashlib.sha256(view).hexdigest()
    for helper in helpers:
        helper.join()
    return sha256, results["crc32"], results.get("md5")


def _md5_b64(view: memoryview) -> str:
    return base64.b64encode(hashlib.md5(view, usedforsecurity=False).digest()).decode()


def format_crc32(value: int) -> str:
    return f"{value & 0xFFFFFFFF:08x}"


def check_declared(actual: str, declared: str | None) -> None:
    if declared is not None and not hmac.compare_digest(actual, declared):
        raise ChecksumMismatchError(f"sha256 {actual} != declared {declared}")


@dataclass(frozen=True)
class PreparedSource:
    """A seekable stream positioned at its start, with its size and SHA-256 known."""

    stream: BinaryIO
    start: int
    size: int
    sha256: str
    crc32: str
    content_md5: str | None = None  # base64, when asked for

    def rewind(self) -> BinaryIO:
        self.stream.seek(self.start)
        return self.stream

    def read_all(self) -> bytes:
        data = self.rewind().read(self.size)
        if len(data) != self.size:
            raise StorageError(f"source shrank from {self.size} to {len(data)} bytes")
        return data

    def close(self) -> None:
        self.stream.close()


def prepare(
    data: Data, *, max_size: int, declared_sha256: str | None, md5: bool = False
) -> PreparedSource:
    """Hash and measure ``data`` so that it can be sent (and re-sent on retry) with its SHA-256
    in the request headers. Bytes and seekable streams are hashed in place (one extra pass over
    memory or page cache); other streams are spooled to a temporary file while hashed."""
    digest = Digests(md5=md5)
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data).cast("B")
        if len(view) > max_size:
            raise ObjectTooLargeError(limit=max_size)
        sha256, crc32, content_md5 = _digest_buffer(view, md5=md5)
        check_declared(sha256, declared_sha256)
        # BytesIO shares an immutable bytes buffer instead of copying it.
        buffer = data if isinstance(data, bytes) else view.tobytes()
        return PreparedSource(io.BytesIO(buffer), 0, len(view), sha256, crc32, content_md5)
    seekable = False
    try:
        seekable = bool(data.seekable())
    except (AttributeError, OSError, ValueError):
        seekable = False
    if seekable:
        start = data.tell()
        size = 0
        for chunk in iter_chunks(data, max_size=max_size):
            digest.update(chunk)
            size += len(chunk)
        check_declared(digest.sha256, declared_sha256)
        data.seek(start)
        return PreparedSource(
            cast(BinaryIO, _NonClosing(data)),
            start,
            size,
            digest.sha256,
            digest.crc32,
            digest.content_md5,
        )
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned
    try:
        size = 0
        for chunk in iter_chunks(data, max_size=max_size):
            digest.update(chunk)
            spool.write(chunk)
            size += len(chunk)
        check_declared(digest.sha256, declared_sha256)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return PreparedSource(spool, 0, size, digest.sha256, digest.crc32, digest.content_md5)  # type: ignore[arg-type]


class _NonClosing(io.RawIOBase):
    """The caller's stream, which ``PreparedSource.close`` must not close."""

    def __init__(self, inner: BinaryIO) -> None:
        super().__init__()
        self._inner = inner

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._inner.read(size)

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._inner.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def close(self) -> None:
        super().close()


def check_range(offset: int, length: int | None, size: int) -> tuple[int, int]:
    """Validate a range request; return (offset, length clipped to the object)."""
    if offset < 0 or (length is not None and length <= 0):
        raise InvalidRangeError(f"offset={offset} length={length}")
    if offset > size or (offset == size and size > 0):
        raise InvalidRangeError(f"offset {offset} beyond size {size}")
    available = size - offset
    return offset, available if length is None else min(length, available)
