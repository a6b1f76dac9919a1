"""What the jobs need, built once per process (``api.services`` builds it from the settings;
jobs never import ``api``).

The OCR pipeline is loaded once, on first use or by :meth:`JobContext.warm_up`, and shared by
the threads of the process (``ocr.OcrPipeline`` is thread-safe).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from cases.crypto import FieldCipher
from jobs.settings import JobsSettings
from ocr.document import DocType, Document
from ocr.settings import OcrSettings
from precheck import Catalogue, Matter, PrecheckSettings
from signing import SigningServices, SigningSettings
from signing.sql_registry import SqlCertificateRegistry
from storage import ObjectStore

if TYPE_CHECKING:
    from ocr import OcrPipeline

Reader = Callable[..., Document]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _no_deadline(_matter: Matter, _submitted_at: datetime) -> datetime | None:
    return None


class OcrReader:
    """The OCR pipeline of this process, loaded once (on first use or :meth:`warm_up`) and
    shared by its threads; ``read`` is a ``precheck.Reader``."""

    def __init__(
        self, settings: OcrSettings, *, data_dir: Path, pipeline: OcrPipeline | None = None
    ) -> None:
        self.settings = settings
        self._data_dir = data_dir
        self._pipeline = pipeline
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        """Part of every document-cache key: a new reader version reads files afresh."""
        return f"paoyici-{version('paoyici')}-{self.settings.engine}"

    def pipeline(self) -> OcrPipeline:
        with self._lock:
            if self._pipeline is None:
                from ocr import OcrPipeline

                self._pipeline = OcrPipeline.load(self.settings, data_dir=self._data_dir)
            return self._pipeline

    def read(self, data: bytes, *, expected_type: DocType | None = None) -> Document:
        """OCR ``data`` (CPU-bound: never on the event loop)."""
        from ocr import AnalyzeOptions

        return self.pipeline().analyze(data, options=AnalyzeOptions(expected_type=expected_type))

    def warm_up(self) -> None:
        self.pipeline()


@dataclass
class JobContext:
    sessions: sessionmaker[Session]
    store: ObjectStore
    cipher: FieldCipher
    registry: SqlCertificateRegistry
    signing: SigningServices
    catalogue: Catalogue
    reader: OcrReader
    jobs: JobsSettings
    precheck: PrecheckSettings
    signing_settings: SigningSettings
    data_dir: Path
    max_upload_bytes: int = 20 * 1024 * 1024
    clock: Callable[[], datetime] = _utcnow
    # 承诺时限 → due date in working days (jobs.deadlines); None where not known
    due_at: Callable[[Matter, datetime], datetime | None] = _no_deadline
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def reader_version(self) -> str:
        return self.reader.version

    def read(self, data: bytes, *, expected_type: DocType | None = None) -> Document:
        return self.reader.read(data, expected_type=expected_type)

    def warm_up(self) -> None:
        self.reader.warm_up()
