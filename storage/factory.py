"""Build the configured store once, at start-up (FastAPI lifespan or worker start)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from storage.local import LocalStore
from storage.settings import StorageSettings
from storage.types import ObjectStore


def build_store(settings: StorageSettings, data_dir: Path) -> ObjectStore:
    """The local folder store (embedded default) or the S3 store with its buckets ensured."""
    if settings.backend == "s3":
        from storage.s3 import S3Store  # minio is loaded only where an S3 store is wanted

        store = S3Store(settings, data_dir=data_dir)
        store.ensure_buckets()
        return store
    return LocalStore(
        settings.resolved_local_dir(data_dir),
        presign_secret=settings.presign_secret.get_secret_value().encode(),
        public_base_url=settings.public_base_url,
        max_object_size=settings.max_object_size,
        certificate_retention=timedelta(days=settings.certificate_retention_days),
        presign_max_expiry=timedelta(seconds=settings.presign_max_expiry_s),
    )
