"""The embedded default: objects in a folder under the data dir.

Each object is one file, ``<root>/<kind>/<key>``: a fixed ``HEADER``-byte JSON header (SHA-256,
CRC-32, size, content type, retention), then the bytes. Keeping both in one file makes a single
rename the commit point of data and metadata together.

A put streams into ``<root>/.tmp`` (hashing and counting on the way, after a blank header),
writes the header, fsyncs, then renames into place and fsyncs the folder: a crash at any moment
leaves the old object or the new one, never half of one, and leftovers in ``.tmp`` are removed at
start. Objects of a locked kind are committed with ``link`` (which fails if the name exists),
made read-only, and refused deletion until their ``retain_until``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from storage._streams import CHUNK, Digests, check_declared, check_range, iter_chunks
from storage.base import StoreBase
from storage.errors import (
    CorruptObjectError,
    InvalidKeyError,
    ObjectLockedError,
    ObjectNotFoundError,
    PresignedUrlExpiredError,
    PresignedUrlInvalidError,
    PresignUnsupportedError,
    StorageError,
    StorageUnavailableError,
)
from storage.keys import Bucket, as_bucket, check_key, object_key
from storage.types import Data, Method, ObjectInfo, ObjectReader, ObjectSummary

HEADER = 512  # bytes of JSON metadata (space-padded) at the start of every object file


class _SourceFailed(Exception):
    """An error raised while reading the data to store (the client went away): the caller's,
    re-raised as it was, unlike the store's own write errors."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def _guarded(chunks: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield from chunks
    except OSError as e:
        raise _SourceFailed(e) from e


class LocalStore(StoreBase):
    """``ObjectStore`` on a local folder (see module doc). Thread-safe; immutable settings."""

    def __init__(
        self,
        root: Path,
        *,
        presign_secret: bytes,
        public_base_url: str,
        max_object_size: int,
        certificate_retention: timedelta,
        presign_max_expiry: timedelta = timedelta(days=7),
    ) -> None:
        if len(presign_secret) < 16:
            raise StorageError("presign secret shorter than 16 bytes")
        self._root = Path(root)
        self._secret = presign_secret
        self._base_url = public_base_url.rstrip("/")
        self._max_size = max_object_size
        self._retention = certificate_retention
        self._max_expiry = presign_max_expiry
        self._tmp = self._root / ".tmp"
        self._tmp.mkdir(parents=True, exist_ok=True)
        for kind in Bucket:
            (self._root / kind.value).mkdir(parents=True, exist_ok=True)
        # Interrupted writes of an earlier process: never visible, safe to drop.
        for leftover in self._tmp.iterdir():
            leftover.unlink(missing_ok=True)

    @property
    def root(self) -> Path:
        return self._root

    # paths ---------------------------------------------------------------------------------

    def _data_path(self, kind: Bucket, key: str) -> Path:
        return self._root / kind.value / check_key(key)

    # writes --------------------------------------------------------------------------------

    def _put(
        self, kind: Bucket, key: str, data: Data, content_type: str, limit: int, sha256: str | None
    ) -> ObjectInfo:
        tmp, size, digest = self._spool(data, limit=limit)
        try:
            check_declared(digest.sha256, sha256)
            return self._commit(kind, key, tmp, size, digest, content_type)
        finally:
            tmp.unlink(missing_ok=True)

    def _put_content(
        self, kind: Bucket, prefix: str, data: Data, content_type: str, *, limit: int
    ) -> ObjectInfo:
        tmp, size, digest = self._spool(data, limit=limit)
        try:
            key = object_key(*prefix.split("/"), digest.sha256)
            stored = self._stored_copy(kind, key, size=size, sha256=digest.sha256)
            if stored is not None:
                return stored
            return self._commit(kind, key, tmp, size, digest, content_type)
        finally:
            tmp.unlink(missing_ok=True)

    def _spool(self, data: Data | _ChunkStream, *, limit: int) -> tuple[Path, int, Digests]:
        tmp = self._tmp / uuid.uuid4().hex
        digest = Digests()
        size = 0
        try:
            with open(tmp, "xb") as out:
                out.write(b" " * HEADER)  # filled in by _commit
                chunks = iter_chunks(data, max_size=limit)  # type: ignore[arg-type]
                for chunk in _guarded(chunks):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
        except _SourceFailed as e:
            # the source failed (the client went away): the caller's error, as it was
            tmp.unlink(missing_ok=True)
            raise e.error from None
        except OSError as e:
            # the disk is full (ENOSPC), over a quota or failing: temporary for the caller
            tmp.unlink(missing_ok=True)
            raise StorageUnavailableError(f"local spool failed: {e}") from e
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp, size, digest

    def _commit(
        self, kind: Bucket, key: str, tmp: Path, size: int, digest: Digests, content_type: str
    ) -> ObjectInfo:
        data_path = self._data_path(kind, key)
        now = datetime.now(UTC)
        retain_until = now + self._retention if kind.locked else None
        header = _encode_header(
            {
                "sha256": digest.sha256,
                "crc32": digest.crc32,
                "size": size,
                "content_type": content_type,
                "created": now.isoformat(),
                "retain_until": retain_until.isoformat() if retain_until else None,
            }
        )
        try:
            with open(tmp, "r+b") as out:
                out.write(header)
                out.flush()
                os.fsync(out.fileno())
            try:
                data_path.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError) as e:
                raise InvalidKeyError(
                    "a folder of this key is an object", kind=kind, key=key
                ) from e
            if kind.locked:
                os.chmod(tmp, 0o444)
                os.link(tmp, data_path)  # atomic, and fails rather than replace
            else:
                os.replace(tmp, data_path)
            _fsync_dir(data_path.parent)
        except FileExistsError as e:
            raise ObjectLockedError("object exists and is write-once", kind=kind, key=key) from e
        except IsADirectoryError as e:
            # S3 has no folders; here "a" cannot be an object while "a/b" is one.
            raise InvalidKeyError("key is the folder of other objects", kind=kind, key=key) from e
        except OSError as e:
            raise StorageUnavailableError(f"local write failed: {e}", kind=kind, key=key) from e
        return ObjectInfo(
            kind=kind,
            key=key,
            size=size,
            sha256=digest.sha256,
            crc32=digest.crc32,
            content_type=content_type,
            etag=digest.sha256,
            last_modified=now,
            retain_until=retain_until,
        )

    # reads ---------------------------------------------------------------------------------

    def _stat(self, kind: Bucket, key: str) -> ObjectInfo:
        path = self._data_path(kind, key)
        try:
            with open(path, "rb") as handle:
                return self._info(kind, key, handle)
        except FileNotFoundError as e:
            raise ObjectNotFoundError(kind=kind, key=key) from e
        except IsADirectoryError as e:
            raise ObjectNotFoundError("a prefix, not an object", kind=kind, key=key) from e
        except OSError as e:
            raise StorageUnavailableError(str(e), kind=kind, key=key) from e

    def _info(self, kind: Bucket, key: str, handle: BinaryIO) -> ObjectInfo:
        st = os.fstat(handle.fileno())
        try:
            meta = _decode_header(handle.read(HEADER))
            size = int(meta["size"])
            retain = meta.get("retain_until")
            info = ObjectInfo(
                kind=kind,
                key=key,
                size=size,
                sha256=str(meta["sha256"]),
                crc32=meta.get("crc32"),
                content_type=str(meta["content_type"]),
                etag=str(meta["sha256"]),
                last_modified=datetime.fromtimestamp(st.st_mtime, UTC),
                retain_until=datetime.fromisoformat(retain) if retain else None,
            )
        except (ValueError, KeyError, TypeError) as e:
            raise CorruptObjectError(f"header unreadable: {e}", kind=kind, key=key) from e
        if st.st_size != HEADER + size:
            raise CorruptObjectError(
                f"file holds {st.st_size - HEADER} bytes, header says {size}", kind=kind, key=key
            )
        return info

    def _open(
        self, kind: Bucket, key: str, *, offset: int, length: int | None, verify: bool
    ) -> ObjectReader:
        try:
            handle = open(self._data_path(kind, key), "rb")  # noqa: SIM115 - closed by reader
        except (FileNotFoundError, IsADirectoryError) as e:
            raise ObjectNotFoundError(kind=kind, key=key) from e
        try:
            info = self._info(kind, key, handle)
            offset, length = check_range(offset, length, info.size)
            handle.seek(HEADER + offset)
        except BaseException:
            handle.close()
            raise

        def chunks() -> Iterator[bytes]:
            left = length
            while left > 0:
                chunk = handle.read(min(CHUNK, left))
                if not chunk:
                    return
                left -= len(chunk)
                yield chunk

        return ObjectReader(
            info=info,
            chunks=chunks(),
            close=handle.close,
            offset=offset,
            length=length,
            verify=verify,
        )

    def _list(self, kind: Bucket, prefix: str) -> Iterator[ObjectSummary]:
        base = self._root / kind.value
        # Walk only the folder the prefix names, then filter by the rest of it.
        folder = base / prefix.rpartition("/")[0] if "/" in prefix else base
        if not folder.is_dir():
            return iter(())
        found: list[ObjectSummary] = []
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                path = Path(dirpath) / name
                key = path.relative_to(base).as_posix()
                if key.startswith(prefix):
                    st = path.stat()
                    found.append(
                        ObjectSummary(
                            kind=kind,
                            key=key,
                            size=st.st_size - HEADER,
                            last_modified=datetime.fromtimestamp(st.st_mtime, UTC),
                        )
                    )
        found.sort(key=lambda s: s.key)
        return iter(found)

    # delete / copy -------------------------------------------------------------------------

    def _delete(self, kind: Bucket, key: str) -> None:
        data_path = self._data_path(kind, key)
        if not data_path.is_file():
            return
        if kind.locked:
            info = self.stat(kind=kind, key=key)
            if info.retain_until is not None and info.retain_until > datetime.now(UTC):
                raise ObjectLockedError(
                    f"retained until {info.retain_until.isoformat()}", kind=kind, key=key
                )
        data_path.unlink(missing_ok=True)
        _fsync_dir(data_path.parent)

    def copy(self, *, kind: Bucket, key: str, dest_kind: Bucket, dest_key: str) -> ObjectInfo:
        kind, dest_kind = as_bucket(kind), as_bucket(dest_kind)
        check_key(dest_key)
        # Copy through a verifying read, so a corrupted source is refused, not propagated.
        with self.open(kind=kind, key=key) as reader:
            content_type = reader.info.content_type
            tmp, size, digest = self._spool(_ChunkStream(iter(reader)), limit=self._max_size)
        try:
            return self._commit(dest_kind, dest_key, tmp, size, digest, content_type)
        finally:
            tmp.unlink(missing_ok=True)

    # presigned URLs ------------------------------------------------------------------------

    def _signature(self, method: str, kind: Bucket, key: str, expires: int) -> str:
        message = f"{method}\n{kind.value}\n{key}\n{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def presign(self, *, method: Method, kind: Bucket, key: str, expires: timedelta) -> str:
        kind = as_bucket(kind)
        check_key(key)
        if method not in ("GET", "PUT"):
            raise StorageError(f"cannot presign {method}")
        if method == "PUT" and kind.locked:
            raise PresignUnsupportedError("locked kinds are written by the service only", kind=kind)
        if not timedelta(seconds=1) <= expires <= self._max_expiry:
            raise StorageError(f"expiry {expires} outside 1 s .. {self._max_expiry}")
        deadline = int(time.time() + expires.total_seconds())
        signature = self._signature(method, kind, key, deadline)
        return (
            f"{self._base_url}/objects/{kind.value}/{quote(key)}"
            f"?expires={deadline}&signature={signature}"
        )

    def verify_presigned(
        self, *, method: Method, kind: Bucket, key: str, expires: int, signature: str
    ) -> None:
        """Raise ``PresignedUrlInvalidError`` unless the URL was signed here for exactly this
        method, object and deadline; ``PresignedUrlExpiredError`` once the deadline has passed."""
        kind = as_bucket(kind)
        check_key(key)
        expected = self._signature(method, kind, key, expires)
        if not hmac.compare_digest(expected, signature.lower()):
            raise PresignedUrlInvalidError("bad signature", kind=kind, key=key)
        if time.time() > expires:
            raise PresignedUrlExpiredError(kind=kind, key=key)

    # lifecycle -----------------------------------------------------------------------------

    def ping(self) -> None:
        """A real write probe (permission bits alone say nothing when running as root)."""
        try:
            with tempfile.NamedTemporaryFile(dir=self._tmp):
                pass
        except OSError as e:
            raise StorageUnavailableError(f"{self._tmp} not writable: {e}") from e

    def close(self) -> None:
        return None


def _encode_header(meta: dict[str, Any]) -> bytes:
    raw = json.dumps(meta, ensure_ascii=True, separators=(",", ":")).encode()
    if len(raw) > HEADER - 1:
        raise StorageError("object metadata too long (content type?)")
    return raw.ljust(HEADER - 1) + b"\n"


def _decode_header(raw: bytes) -> dict[str, Any]:
    if len(raw) != HEADER:
        raise ValueError("short header")
    meta = json.loads(raw)
    if not isinstance(meta, dict):
        raise ValueError("header is not an object")
    return meta


class _ChunkStream:
    """A minimal binary stream over an iterator of chunks."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def read(self, _size: int = -1) -> bytes:
        return next(self._chunks, b"")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
