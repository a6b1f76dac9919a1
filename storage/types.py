"""What the stores return and the protocol they implement."""

from __future__ import annotations

import hashlib
import hmac
import queue
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import BinaryIO, Literal, Protocol, runtime_checkable

from storage.errors import CorruptObjectError
from storage.keys import Bucket

Data = bytes | bytearray | memoryview | BinaryIO
Method = Literal["GET", "PUT"]


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """One stored object.

    ``sha256`` is the lowercase hex SHA-256 of the whole content, computed by the store on the way
    in (the object's identity: content-addressed keys, dedupe, caches); ``None`` only for an
    object that reached an S3 bucket directly through a presigned PUT (no SHA-256 was computed).
    ``crc32`` (8 hex digits) is what full reads are checked against: it catches corruption as
    well as a SHA-256 would (the recorded value lives beside the data, so neither defends
    against someone who can rewrite both) at a fifth of the CPU.
    ``etag`` and ``version_id`` are the backend's (local: etag is the SHA-256, no versions).
    ``retain_until`` is set for objects under object lock.
    ``deduplicated`` is true when ``put_content`` found the same bytes already stored and wrote
    nothing.
    """

    kind: Bucket
    key: str
    size: int
    sha256: str | None
    content_type: str
    crc32: str | None = None
    etag: str | None = None
    version_id: str | None = None
    last_modified: datetime | None = None
    retain_until: datetime | None = None
    deduplicated: bool = False


@dataclass(frozen=True, slots=True)
class ObjectSummary:
    """A listing entry (listings do not carry the SHA-256: ``stat`` for that)."""

    kind: Bucket
    key: str
    size: int
    last_modified: datetime | None = None


class ObjectReader:
    """An open object: iterate for chunks (streamed) or ``read()`` it all; use as a context
    manager or call ``close()``.

    On a full read (no range) the size and the recorded CRC-32 (SHA-256 for an object without
    one) are checked once the last chunk has been read: a mismatch raises ``CorruptObjectError``
    instead of ending the iteration, so a consumer that streams on (an HTTP response) must treat
    that as a failed transfer.
    """

    def __init__(
        self,
        *,
        info: ObjectInfo,
        chunks: Iterator[bytes],
        close: Callable[[], None],
        offset: int,
        length: int,
        verify: bool,
    ) -> None:
        self.info = info
        self.offset = offset
        self.length = length  # bytes this reader yields
        self._chunks = chunks
        self._close = close
        self._verify = verify and offset == 0 and length == info.size
        self._expected = info.sha256
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        return self._verified(self._chunks)

    def read(self) -> bytes:
        """The whole (range of the) object. Large objects are fetched on a helper thread while
        this one hashes, so verification costs little more than the last chunk's hash."""
        if self.length < _PREFETCH_FROM:
            return b"".join(self._verified(self._chunks))
        return b"".join(self._verified(_prefetched(self._chunks)))

    def _verified(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        crc = 0
        use_crc = self._verify and self.info.crc32 is not None
        digest = hashlib.sha256() if self._verify and not use_crc and self._expected else None
        seen = 0
        try:
            for chunk in chunks:
                seen += len(chunk)
                if use_crc:
                    crc = zlib.crc32(chunk, crc)
                elif digest is not None:
                    digest.update(chunk)
                yield chunk
        finally:
            self.close()
        where = {"kind": self.info.kind, "key": self.info.key}
        if seen != self.length:
            raise CorruptObjectError(f"read {seen} bytes, expected {self.length}", **where)
        if use_crc and f"{crc:08x}" != self.info.crc32:
            raise CorruptObjectError(f"crc32 {crc:08x} != recorded {self.info.crc32}", **where)
        if digest is not None and not hmac.compare_digest(digest.hexdigest(), self._expected or ""):
            raise CorruptObjectError(
                f"sha256 {digest.hexdigest()} != recorded {self._expected}", **where
            )

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._close()

    def __enter__(self) -> ObjectReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


_PREFETCH_FROM = 4 * 1024 * 1024


def _prefetched(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Pull ``chunks`` on a helper thread (network reads and hashing both release the GIL)."""
    pipe: queue.SimpleQueue[bytes | BaseException | None] = queue.SimpleQueue()

    def pump() -> None:
        try:
            for chunk in chunks:
                pipe.put(chunk)
            pipe.put(None)
        except BaseException as e:  # handed over to the consuming thread, which raises it
            pipe.put(e)

    thread = threading.Thread(target=pump, name="storage-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = pipe.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        thread.join(timeout=60)


class ObjectStore(Protocol):
    """Object storage. Keys are checked with ``storage.check_key`` (build them with
    ``storage.object_key``); all arguments are keyword-only.

    Writes are atomic (a failed or interrupted put leaves no object), objects of a locked kind
    (certificates) can be neither overwritten nor deleted during their retention, and every full
    read is checked against the checksum recorded at write time.
    """

    @property
    def max_object_size(self) -> int:
        """The largest object ``put`` accepts (from the settings)."""
        ...

    def put(
        self,
        *,
        kind: Bucket,
        key: str,
        data: Data,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
        sha256: str | None = None,
    ) -> ObjectInfo:
        """Store ``data`` (bytes or a binary stream read to EOF) under ``key``.

        ``max_size`` (default: the settings' limit) → ``ObjectTooLargeError``; ``sha256`` if given
        must match (``ChecksumMismatchError``, nothing stored)."""
        ...

    def put_content(
        self,
        *,
        kind: Bucket,
        prefix: str,
        data: Data,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
    ) -> ObjectInfo:
        """Content-addressed put: the key is ``<prefix>/<sha256>``. If that object already
        exists with the same size, nothing is written and ``deduplicated`` is true."""
        ...

    def open(
        self,
        *,
        kind: Bucket,
        key: str,
        offset: int = 0,
        length: int | None = None,
        verify: bool = True,
    ) -> ObjectReader:
        """Stream an object, or the range ``[offset, offset+length)`` of it."""
        ...

    def get_bytes(
        self, *, kind: Bucket, key: str, offset: int = 0, length: int | None = None
    ) -> bytes: ...

    def stat(self, *, kind: Bucket, key: str) -> ObjectInfo: ...

    def exists(self, *, kind: Bucket, key: str) -> bool: ...

    def delete(self, *, kind: Bucket, key: str) -> None:
        """Remove an object; a missing object is not an error. ``ObjectLockedError`` under
        retention."""
        ...

    def list(self, *, kind: Bucket, prefix: str = "") -> Iterator[ObjectSummary]:
        """Objects whose key starts with ``prefix``, in key order."""
        ...

    def copy(self, *, kind: Bucket, key: str, dest_kind: Bucket, dest_key: str) -> ObjectInfo: ...

    def presign(self, *, method: Method, kind: Bucket, key: str, expires: timedelta) -> str:
        """A URL that allows one ``method`` on one object until ``expires`` from now."""
        ...

    def ping(self) -> None:
        """Raise ``StorageUnavailableError`` unless the store answers."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class PresignVerifier(Protocol):
    """A store whose presigned URLs are served by the API (the local store) verifies them."""

    def verify_presigned(
        self, *, method: Method, kind: Bucket, key: str, expires: int, signature: str
    ) -> None: ...
