"""What every ``ObjectStore`` does the same way, whatever holds the bytes.

:class:`StoreBase` checks the arguments of the public methods (kind, key, prefix, size limit)
and implements the content-addressed put, ``exists`` and whole reads once; a backend supplies
the primitives (``_stat``, ``_put``, ``_put_content``, ``_open``, ``_list``, ``_delete``),
called with a checked :class:`~storage.keys.Bucket` and key.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import replace

from storage.errors import ObjectNotFoundError
from storage.keys import Bucket, as_bucket, check_key, check_prefix
from storage.types import Data, ObjectInfo, ObjectReader, ObjectSummary


class StoreBase(ABC):
    """The shared half of an ``ObjectStore`` (see :mod:`storage.types` for the contract)."""

    _max_size: int

    @property
    def max_object_size(self) -> int:
        return self._max_size

    def _limit(self, max_size: int | None) -> int:
        """The size limit of one put: the caller's, never above the settings'."""
        return self._max_size if max_size is None else min(max_size, self._max_size)

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
        return self._put(kind, key, data, content_type, limit=self._limit(max_size), sha256=sha256)

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
        return self._put_content(kind, prefix, data, content_type, limit=self._limit(max_size))

    def _stored_copy(self, kind: Bucket, key: str, *, size: int, sha256: str) -> ObjectInfo | None:
        """The object at ``key`` (``deduplicated`` set) when it already holds these bytes."""
        try:
            existing = self.stat(kind=kind, key=key)
        except ObjectNotFoundError:
            return None
        if existing.size == size and existing.sha256 == sha256:
            return replace(existing, deduplicated=True)
        return None

    def delete(self, *, kind: Bucket, key: str) -> None:
        kind = as_bucket(kind)
        check_key(key)
        self._delete(kind, key)

    # reads ---------------------------------------------------------------------------------

    def stat(self, *, kind: Bucket, key: str) -> ObjectInfo:
        kind = as_bucket(kind)
        check_key(key)
        return self._stat(kind, key)

    def exists(self, *, kind: Bucket, key: str) -> bool:
        try:
            self.stat(kind=kind, key=key)
        except ObjectNotFoundError:
            return False
        return True

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
        check_key(key)
        return self._open(kind, key, offset=offset, length=length, verify=verify)

    def get_bytes(
        self, *, kind: Bucket, key: str, offset: int = 0, length: int | None = None
    ) -> bytes:
        with self.open(kind=kind, key=key, offset=offset, length=length) as reader:
            return reader.read()

    def list(self, *, kind: Bucket, prefix: str = "") -> Iterator[ObjectSummary]:
        kind = as_bucket(kind)
        check_prefix(prefix)  # here, not when the caller first iterates
        return self._list(kind, prefix)

    # the backend's primitives ----------------------------------------------------------------

    @abstractmethod
    def _stat(self, kind: Bucket, key: str) -> ObjectInfo: ...

    @abstractmethod
    def _delete(self, kind: Bucket, key: str) -> None:
        """Remove the object (missing: nothing to do; ``ObjectLockedError`` under retention)."""

    @abstractmethod
    def _put(
        self, kind: Bucket, key: str, data: Data, content_type: str, limit: int, sha256: str | None
    ) -> ObjectInfo:
        """Store ``data`` (at most ``limit`` bytes; ``sha256``, if given, must match)."""

    @abstractmethod
    def _put_content(
        self, kind: Bucket, prefix: str, data: Data, content_type: str, *, limit: int
    ) -> ObjectInfo:
        """Store ``data`` under ``<prefix>/<sha256>`` unless :meth:`_stored_copy` has it."""

    @abstractmethod
    def _open(
        self, kind: Bucket, key: str, *, offset: int, length: int | None, verify: bool
    ) -> ObjectReader: ...

    @abstractmethod
    def _list(self, kind: Bucket, prefix: str) -> Iterator[ObjectSummary]: ...
