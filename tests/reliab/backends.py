"""The two pairs of real backends a reliability test runs on, and the environment that points
the ``paoyici`` command at the same pair."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from storage import Bucket, LocalStore, ObjectStore, StorageSettings


@dataclass
class Backends:
    name: str
    data_dir: Path
    database_url: str | None
    storage: StorageSettings | None
    env: dict[str, str] = field(default_factory=dict)


def backends(request: pytest.FixtureRequest, data_dir: Path) -> Backends:
    """``request.param`` is ``embedded`` (SQLite + local folder) or ``production``
    (PostgreSQL + Ceph RGW); the caller drops ``database_url`` for ``production``."""
    env = {"PAOYICI_DATA_DIR": str(data_dir)}
    if request.param == "embedded":
        return Backends("embedded", data_dir, None, None, env)
    from bench.harness import create_pg_database

    s3: StorageSettings = request.getfixturevalue("s3_settings")
    url = create_pg_database("paoyici_r")
    env |= {
        "PAOYICI_DATABASE_URL": url,
        "PAOYICI_STORAGE_BACKEND": "s3",
        "PAOYICI_STORAGE_S3_ENDPOINT": s3.s3_endpoint,
        "PAOYICI_STORAGE_S3_CA_FILE": str(s3.s3_ca_file),
        "PAOYICI_STORAGE_S3_ACCESS_KEY": s3.s3_access_key,
        "PAOYICI_STORAGE_S3_SECRET_KEY": s3.s3_secret_key.get_secret_value(),
        "PAOYICI_STORAGE_BUCKET_PREFIX": s3.bucket_prefix,
        "PAOYICI_STORAGE_CERTIFICATE_RETENTION_DAYS": str(s3.certificate_retention_days),
    }
    return Backends("production", data_dir, url, s3, env)


def corrupt(store: ObjectStore, kind: Bucket, key: str) -> None:
    """Flip one byte of a stored object behind the store's back, keeping its recorded
    checksums: what a damaged disk or a faulty proxy hands back. On S3 this writes a new
    version (object lock forbids changing the old one, not adding a newer one)."""
    if isinstance(store, LocalStore):
        path = store.root / kind.value / key
        path.chmod(0o644)
        raw = bytearray(path.read_bytes())
        raw[len(raw) - 10] ^= 0x01
        path.write_bytes(bytes(raw))
        return
    info = store.stat(kind=kind, key=key)
    data = bytearray(store.get_bytes(kind=kind, key=key))
    data[len(data) - 10] ^= 0x01
    client = store._client  # type: ignore[attr-defined]
    client.put_object(
        store.bucket(kind),  # type: ignore[attr-defined]
        key,
        io.BytesIO(bytes(data)),
        len(data),
        metadata={"sha256": info.sha256 or "", "crc32": info.crc32 or ""},
        sse=store._sse,  # type: ignore[attr-defined]
    )
