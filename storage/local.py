"""The embedded default: objects in a folder under the data dir.

Layout under ``root``::

    <kind>/data/<key>          the bytes
    <kind>/meta/<key>.json     sha256, size, content type, retention
    .tmp/                      writes in progress (same file system, so rename is atomic)

A put streams into ``.tmp`` (hashing and counting on the way), fsyncs, then commits with a
rename: metadata first, the data file last. The data file's appearance is the commit point, so a
crash at any moment leaves either the old object or the new one, never half of one; leftovers in
``.tmp`` are removed at start. Objects of a locked kind are committed with ``link`` (fails if the
name exists), made read-only, and refused deletion until ``retain_until``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import hmac
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from storage._streams import CHUNK, check_declared, check_range, iter_chunks
from storage.errors import (
    IntegrityError,
    ObjectLocked,
    ObjectNotFound,
    PresignedUrlExpired,
    PresignedUrlInvalid,
    PresignUnsupported,
    StorageError,
    StorageUnavailable,
)
from storage.keys import Bucket, as_bucket, check_key, check_prefix, object_key
from storage.types import Data, Method, ObjectInfo, ObjectReader, ObjectSummary


class LocalStore:
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
        self._thread_lock = threading.Lock()
        self._tmp.mkdir(parents=True, exist_ok=True)
        for kind in Bucket:
            (self._root / kind.value / "data").mkdir(parents=True, exist_ok=True)
            (self._root / kind.value / "meta").mkdir(parents=True, exist_ok=True)
        # Interrupted writes of an earlier process: never visible, safe to drop.
        for leftover in self._tmp.iterdir():
            leftover.unlink(missing_ok=True)

    @property
    def max_object_size(self) -> int:
        return self._max_size

    @property
    def root(self) -> Path:
        return self._root

    # paths ---------------------------------------------------------------------------------

    def _data_path(self, kind: Bucket, key: str) -> Path:
        return self._root / kind.value / "data" / check_key(key)

    def _meta_path(self, kind: Bucket, key: str) -> Path:
        return self._root / kind.value / "meta" / (check_key(key) + ".json")

    @contextlib.contextmanager
    def _commit_lock(self) -> Iterator[None]:
        """Serialises commits of locked kinds across threads and processes."""
        with self._thread_lock, open(self._root / ".lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # writes --------------------------------------------------------------------------------

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
        kind = as_bucket(kind)
        check_key(key)
        tmp, size, digest = self._spool(data, max_size=max_size)
        try:
            check_declared(digest, sha256)
            return self._commit(kind, key, tmp, size, digest, content_type)
        finally:
            tmp.unlink(missing_ok=True)

    def put_content(
        self,
        *,
        kind: Bucket,
        prefix: str,
        data: Data,
        content_type: str = "application/octet-stream",
        max_size: int | None = None,
    ) -> ObjectInfo:
        kind = as_bucket(kind)
        check_key(prefix)
        tmp, size, digest = self._spool(data, max_size=max_size)
        try:
            key = object_key(*prefix.split("/"), digest)
            with contextlib.suppress(ObjectNotFound):
                existing = self.stat(kind=kind, key=key)
                if existing.size == size and existing.sha256 == digest:
                    return _replace(existing, deduplicated=True)
            return self._commit(kind, key, tmp, size, digest, content_type)
        finally:
            tmp.unlink(missing_ok=True)

    def _spool(self, data: Data | _ChunkStream, *, max_size: int | None) -> tuple[Path, int, str]:
        limit = self._max_size if max_size is None else min(max_size, self._max_size)
        tmp = self._tmp / uuid.uuid4().hex
        digest = hashlib.sha256()
        size = 0
        try:
            with open(tmp, "xb") as out:
                for chunk in iter_chunks(data, max_size=limit):  # type: ignore[arg-type]
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp, size, digest.hexdigest()

    def _commit(
        self, kind: Bucket, key: str, tmp: Path, size: int, digest: str, content_type: str
    ) -> ObjectInfo:
        data_path = self._data_path(kind, key)
        meta_path = self._meta_path(kind, key)
        now = datetime.now(UTC)
        retain_until = now + self._retention if kind.locked else None
        meta = {
            "sha256": digest,
            "size": size,
            "content_type": content_type,
            "created": now.isoformat(),
            "retain_until": retain_until.isoformat() if retain_until else None,
        }
        try:
            data_path.parent.mkdir(parents=True, exist_ok=True)
            meta_path.parent.mkdir(parents=True, exist_ok=True)
            if kind.locked:
                with self._commit_lock():
                    if data_path.exists() or meta_path.exists():
                        raise ObjectLocked("object exists and is write-once", kind=kind, key=key)
                    self._write_meta(meta_path, meta)
                    os.chmod(tmp, 0o444)
                    os.link(tmp, data_path)  # fails rather than replace
            else:
                self._write_meta(meta_path, meta)
                os.replace(tmp, data_path)
            _fsync_dir(data_path.parent)
        except FileExistsError as e:
            raise ObjectLocked("object exists and is write-once", kind=kind, key=key) from e
        except OSError as e:
            raise StorageUnavailable(f"local write failed: {e}", kind=kind, key=key) from e
        return ObjectInfo(
            kind=kind,
            key=key,
            size=size,
            sha256=digest,
            content_type=content_type,
            etag=digest,
            last_modified=now,
            retain_until=retain_until,
        )

    def _write_meta(self, path: Path, meta: dict[str, Any]) -> None:
        tmp = self._tmp / (uuid.uuid4().hex + ".json")
        with open(tmp, "x", encoding="utf-8") as out:
            json.dump(meta, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)

    # reads ---------------------------------------------------------------------------------

    def stat(self, *, kind: Bucket, key: str) -> ObjectInfo:
        kind = as_bucket(kind)
        data_path = self._data_path(kind, key)
        try:
            st = data_path.stat()
        except FileNotFoundError as e:
            raise ObjectNotFound(kind=kind, key=key) from e
        except OSError as e:
            raise StorageUnavailable(str(e), kind=kind, key=key) from e
        try:
            meta = json.loads(self._meta_path(kind, key).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise IntegrityError(f"metadata unreadable: {e}", kind=kind, key=key) from e
        retain = meta.get("retain_until")
        return ObjectInfo(
            kind=kind,
            key=key,
            size=st.st_size,
            sha256=meta["sha256"],
            content_type=meta["content_type"],
            etag=meta["sha256"],
            last_modified=datetime.fromtimestamp(st.st_mtime, UTC),
            retain_until=datetime.fromisoformat(retain) if retain else None,
        )

    def exists(self, *, kind: Bucket, key: str) -> bool:
        return self._data_path(as_bucket(kind), key).is_file()

    def open(
        self,
        *,
        kind: Bucket,
        key: str,
        offset: int = 0,
        length: int | None = None,
        verify: bool = True,
    ) -> ObjectReader:
        kind = as_bucket(kind)
        info = self.stat(kind=kind, key=key)
        offset, length = check_range(offset, length, info.size)
        try:
            handle = open(self._data_path(kind, key), "rb")  # noqa: SIM115 - closed by reader
        except FileNotFoundError as e:
            raise ObjectNotFound(kind=kind, key=key) from e
        handle.seek(offset)

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

    def get_bytes(
        self, *, kind: Bucket, key: str, offset: int = 0, length: int | None = None
    ) -> bytes:
        with self.open(kind=kind, key=key, offset=offset, length=length) as reader:
            return reader.read()

    def list(self, *, kind: Bucket, prefix: str = "") -> Iterator[ObjectSummary]:
        kind = as_bucket(kind)
        check_prefix(prefix)
        base = self._root / kind.value / "data"
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
                            size=st.st_size,
                            last_modified=datetime.fromtimestamp(st.st_mtime, UTC),
                        )
                    )
        found.sort(key=lambda s: s.key)
        return iter(found)

    # delete / copy -------------------------------------------------------------------------

    def delete(self, *, kind: Bucket, key: str) -> None:
        kind = as_bucket(kind)
        data_path = self._data_path(kind, key)
        if not data_path.exists():
            return
        if kind.locked:
            info = self.stat(kind=kind, key=key)
            if info.retain_until is not None and info.retain_until > datetime.now(UTC):
                raise ObjectLocked(
                    f"retained until {info.retain_until.isoformat()}", kind=kind, key=key
                )
        data_path.unlink(missing_ok=True)  # invisible from here on
        self._meta_path(kind, key).unlink(missing_ok=True)
        _fsync_dir(data_path.parent)

    def copy(self, *, kind: Bucket, key: str, dest_kind: Bucket, dest_key: str) -> ObjectInfo:
        kind, dest_kind = as_bucket(kind), as_bucket(dest_kind)
        check_key(dest_key)
        # Copy through a verifying read, so a corrupted source is refused, not propagated.
        with self.open(kind=kind, key=key) as reader:
            content_type = reader.info.content_type
            tmp, size, digest = self._spool(_ChunkStream(iter(reader)), max_size=None)
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
            raise PresignUnsupported("locked kinds are written by the service only", kind=kind)
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
        """Raise ``PresignedUrlInvalid`` unless the URL was signed here for exactly this method,
        object and deadline; ``PresignedUrlExpired`` once the deadline has passed."""
        kind = as_bucket(kind)
        check_key(key)
        expected = self._signature(method, kind, key, expires)
        if not hmac.compare_digest(expected, signature.lower()):
            raise PresignedUrlInvalid("bad signature", kind=kind, key=key)
        if time.time() > expires:
            raise PresignedUrlExpired(kind=kind, key=key)

    # lifecycle -----------------------------------------------------------------------------

    def ping(self) -> None:
        if not os.access(self._tmp, os.W_OK):
            raise StorageUnavailable(f"{self._tmp} not writable")

    def close(self) -> None:
        return None


def _replace(info: ObjectInfo, **changes: Any) -> ObjectInfo:
    return dataclasses.replace(info, **changes)


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
