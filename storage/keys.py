"""Object keys and the kinds (buckets) they live in.

``object_key`` is the one way to build a key; ``check_key`` is applied by every store to every
key it receives, so a key that arrives from a URL gets the same scrutiny as one built here.

A key is one to ``MAX_DEPTH`` segments joined by ``/``. A segment is ASCII letters, digits,
``_``, ``-``, ``.`` and ``=``, starts with a letter, digit or ``_`` and is at most
``MAX_SEGMENT`` characters. That allowlist refuses everything that could escape a prefix or a
folder: ``..`` and ``.``, empty segments (``//``, leading ``/``), backslashes, drive letters,
NUL and other control characters, percent-encoding and non-ASCII look-alikes.
"""

from __future__ import annotations

import re
from enum import StrEnum

from storage.errors import InvalidKeyError

MAX_SEGMENT = 128
MAX_DEPTH = 12
MAX_KEY = 512

_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.=-]*")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class Bucket(StrEnum):
    """The kinds of object; each is its own bucket (S3) or folder (local)."""

    UPLOADS = "uploads"
    ARTEFACTS = "artefacts"
    CERTIFICATES = "certificates"
    LABELS = "labels"

    @property
    def locked(self) -> bool:
        """Objects of this kind are kept under COMPLIANCE retention (write once)."""
        return self is Bucket.CERTIFICATES


def _check_segment(segment: str) -> None:
    if not isinstance(segment, str):
        raise InvalidKeyError(f"segment is {type(segment).__name__}, not str")
    if len(segment) > MAX_SEGMENT or _SEGMENT.fullmatch(segment) is None:
        raise InvalidKeyError(f"segment {segment!r} not allowed")


def object_key(*segments: str) -> str:
    """Join key segments, refusing any that is not a plain name.

    >>> object_key("app-42", "3f" * 32)
    'app-42/3f3f...'

    A segment never contains ``/``: pass each level separately.
    """
    if not segments:
        raise InvalidKeyError("empty key")
    if len(segments) > MAX_DEPTH:
        raise InvalidKeyError(f"more than {MAX_DEPTH} segments")
    for segment in segments:
        _check_segment(segment)
    return check_key("/".join(segments))


def check_key(key: str) -> str:
    """``key`` if every segment is allowed (see module doc), else ``InvalidKeyError``."""
    if not isinstance(key, str) or not key:
        raise InvalidKeyError("empty key")
    if len(key) > MAX_KEY:
        raise InvalidKeyError(f"key longer than {MAX_KEY}")
    parts = key.split("/")
    if len(parts) > MAX_DEPTH:
        raise InvalidKeyError(f"more than {MAX_DEPTH} segments", key=key[:80])
    for part in parts:
        try:
            _check_segment(part)
        except InvalidKeyError as e:
            raise InvalidKeyError(e.detail, key=repr(key)[:80]) from e
    return key


def check_prefix(prefix: str) -> str:
    """A listing prefix: empty, or a key, optionally ending in ``/``."""
    if prefix == "":
        return prefix
    check_key(prefix[:-1] if prefix.endswith("/") else prefix)
    return prefix


def check_sha256(digest: str) -> str:
    if not isinstance(digest, str) or _SHA256.fullmatch(digest) is None:
        raise InvalidKeyError("not a lowercase hex SHA-256")
    return digest


def as_bucket(kind: Bucket | str) -> Bucket:
    try:
        return Bucket(kind)
    except ValueError as e:
        raise InvalidKeyError(f"unknown kind {kind!r}") from e
