"""Reading uploaded files into Documents, once per distinct content.

The reader (normally ``ocr.analyze`` on a loaded analyzer) is injected; results are cached by
the SHA-256 of the file's bytes together with the reader's version, so re-checking an
application after one file was replaced reads only the new file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ocr.document import DocType, Document
from ocr.errors import UnreadableFileError
from precheck.catalogue import Matter
from precheck.findings import FileProblem, Upload


class Reader(Protocol):
    """Reads one file. ``expected_type`` is the document type the slot asks for, when it asks
    for exactly one (a hint for an unsure classifier, never an override)."""

    def __call__(self, data: bytes, *, expected_type: DocType | None = None) -> Document: ...


class DocumentCache(Protocol):
    def get(self, key: str) -> Document | None: ...

    def put(self, key: str, document: Document) -> None: ...


class MemoryDocumentCache:
    """In-process cache (thread-safe)."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Document | None:
        with self._lock:
            return self._docs.get(key)

    def put(self, key: str, document: Document) -> None:
        with self._lock:
            self._docs[key] = document

    def __len__(self) -> int:
        return len(self._docs)


_KEY = re.compile(r"^[A-Za-z0-9._-]{1,200}$")


class DiskDocumentCache:
    """One JSON file per key under ``directory``; writes are atomic (temp file + rename)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(f"bad cache key {key!r}")
        return self.directory / key[-2:] / f"{key}.json"

    def get(self, key: str) -> Document | None:
        path = self._path(key)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None  # a torn or foreign file is a cache miss, read the upload again
        try:
            return document_from_dict(raw)
        except ValueError:
            return None  # a document type or quality code this version does not know

    def put(self, key: str, document: Document) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(document_to_dict(document), fh, ensure_ascii=False)
        os.replace(tmp, path)


def document_to_dict(doc: Document) -> dict[str, Any]:
    """Everything a reading holds (``Document.to_dict``: fields, quality with its metrics, the
    file's digest, the ID-card sides and the marks found), for a cache or a stored row."""
    return doc.to_dict()


def document_from_dict(raw: dict[str, Any]) -> Document:
    """The reading :func:`document_to_dict` wrote, marks and sides included: a stored reading
    that lost its marks would let an unsigned contract pass. Rows written before the sides and
    marks were kept still read back without them (``marks_read`` False, no marks)."""
    return Document.from_dict(raw)


@dataclass(frozen=True)
class SlotFile:
    """One file an applicant put in a slot, as bytes."""

    slot: str
    data: bytes
    name: str = ""
    expected_type: DocType | None = None


def slot_files(matter: Matter, files: Sequence[tuple[str, bytes, str]]) -> list[SlotFile]:
    """``SlotFile``s for ``(slot, bytes, name)`` with the slot's type hint filled in."""
    out = []
    for slot_id, data, name in files:
        types = matter.slot(slot_id).doc_types
        out.append(SlotFile(slot_id, data, name, types[0] if len(types) == 1 else None))
    return out


def read_uploads(
    *,
    files: Sequence[SlotFile],
    reader: Reader,
    cache: DocumentCache,
    reader_version: str = "1",
    workers: int = 1,
) -> list[Upload]:
    """Uploads for ``files`` in order (file index = position). A file the reader refuses as
    unreadable becomes an ``Upload`` with a ``problem``; the precheck reports it.

    Files whose content is cached are not read again; identical files in one application are
    read once. ``workers`` > 1 reads distinct uncached files concurrently (the reader must be
    thread-safe, as ``ocr.OcrPipeline`` is).
    """
    keys = []
    for sf in files:
        digest = hashlib.sha256(sf.data).hexdigest()
        hint = sf.expected_type or "any"
        keys.append((digest, re.sub(r"[^A-Za-z0-9._-]", "_", f"{reader_version}-{hint}-{digest}")))
    results: dict[str, Document | FileProblem] = {}
    todo: dict[str, SlotFile] = {}
    for sf, (_digest, key) in zip(files, keys, strict=True):
        if key in results or key in todo:
            continue
        doc = cache.get(key)
        if doc is not None:
            results[key] = doc
        else:
            todo[key] = sf

    def read_one(key: str) -> tuple[str, Document | FileProblem]:
        sf = todo[key]
        try:
            return key, reader(sf.data, expected_type=sf.expected_type)
        except UnreadableFileError as e:
            return key, FileProblem(e.code, e.message)

    if workers > 1 and len(todo) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(read_one, todo))
    else:
        done = [read_one(k) for k in todo]
    for key, outcome in done:
        results[key] = outcome
        if isinstance(outcome, Document):
            cache.put(key, outcome)

    out: list[Upload] = []
    for index, (sf, (digest, key)) in enumerate(zip(files, keys, strict=True)):
        meta = {"sha256": digest, "name": sf.name, "cached": key not in todo}
        outcome = results[key]
        if isinstance(outcome, FileProblem):
            out.append(Upload(sf.slot, index, None, outcome, meta))
        else:
            out.append(Upload(sf.slot, index, outcome, None, meta))
    return out
