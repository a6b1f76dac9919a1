"""The two pairs of real backends a reliability test runs on, and the environment that points
the ``paoyici`` command at the same pair."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from storage import Bucket, LocalStore, ObjectStore, S3Store, StorageSettings


@dataclass
class Backends:
    name: str
    data_dir: Path
    database_url: str | None
    storage: StorageSettings | None
    env: dict[str, str] = field(default_factory=dict)


def backends(name: str, request: pytest.FixtureRequest, data_dir: Path) -> Backends:
    """``name`` is ``embedded`` (SQLite + local folder) or ``production``
    (PostgreSQL + Ceph RGW); the caller drops ``database_url`` for ``production``."""
    env = {"PAOYICI_DATA_DIR": str(data_dir)}
    if name == "embedded":
        return Backends("embedded", data_dir, None, None, env)
    from bench.harness import create_pg_database
    from tests.storage.conftest import with_changes

    # buckets of this test's own: fsck looks at every object in them
    s3: StorageSettings = with_changes(
        request.getfixturevalue("s3_settings"), bucket_prefix=f"r{uuid.uuid4().hex[:10]}-"
    )
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


def drop_buckets(settings: StorageSettings) -> None:
    """Empty and remove the buckets of ``settings``; the locked certificates bucket keeps its
    (one day) objects, as in tests/storage."""
    from tests.storage.conftest import ROOT

    store = S3Store(settings, data_dir=ROOT / "var")
    client = store._client
    for kind in Bucket:
        bucket = store.bucket(kind)
        if kind.locked or not client.bucket_exists(bucket):
            continue
        for obj in client.list_objects(bucket, recursive=True):
            if obj.object_name:
                client.remove_object(bucket, obj.object_name)
        client.remove_bucket(bucket)
    store.close()


def release(pair: Backends) -> None:
    """Drop what ``backends`` made for ``production``."""
    if pair.database_url:
        from bench.harness import drop_pg_database

        drop_pg_database(pair.database_url)
    if pair.storage:
        drop_buckets(pair.storage)
