"""Backup and restore (README "Reliability"): a PostgreSQL dump restored into a fresh database
and every object copied into fresh buckets make a pair on which ``paoyici fsck`` is clean and
the issued certificate still verifies, with its registry status, through the restored pair."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.harness import create_pg_database, drop_pg_database
from cases.models import Certificate
from jobs.fsck import fsck
from storage import Bucket, ObjectStore, S3Store
from tests.api.test_cli import run_cli
from tests.reliab.backends import backends, drop_buckets, release
from tests.reliab.world import issue_one, settings_for, world_on
from tests.storage.conftest import ROOT, with_changes

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.s3]


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def copy_objects(src: ObjectStore, dst: ObjectStore) -> int:
    """Every object of every kind, same key, same content type; the SHA-256 the source
    recorded is checked by the destination on the way in."""
    n = 0
    for kind in Bucket:
        for item in src.list(kind=kind):
            info = src.stat(kind=kind, key=item.key)
            with src.open(kind=kind, key=item.key) as reader:
                dst.put(
                    kind=kind,
                    key=item.key,
                    data=reader.read(),
                    content_type=info.content_type,
                    sha256=info.sha256,
                )
            n += 1
    return n


@pytest.fixture
def restored_db() -> Iterator[str]:
    url = create_pg_database("paoyici_restored")
    yield url
    drop_pg_database(url)


def test_dump_and_copy_restore_into_a_fresh_pair(
    request: pytest.FixtureRequest, tmp_path: Path, restored_db: str
) -> None:
    pair = backends("production", request, tmp_path / "data")
    assert pair.database_url and pair.storage
    fresh_storage = with_changes(pair.storage, bucket_prefix=f"r{uuid.uuid4().hex[:10]}-")
    try:
        settings = settings_for(pair.data_dir, database_url=pair.database_url, storage=pair.storage)
        gen = world_on(settings)
        world = next(gen)
        try:
            _case, cert = issue_one(world)
            original = world.services.store.get_bytes(kind=Bucket.CERTIFICATES, key=cert.object_key)
            assert world.services.signing.verifier.verify_pdf(original).verified

            # the backup: a custom-format dump, the objects, the data dir's keys (test PKI)
            dump = tmp_path / "paoyici.dump"
            subprocess.run(
                ["pg_dump", "-Fc", "-f", str(dump), _libpq(pair.database_url)],
                check=True,
                capture_output=True,
                timeout=120,
            )
            target = S3Store(fresh_storage, data_dir=ROOT / "var")
            target.ensure_buckets()
            copied = copy_objects(world.services.store, target)
            target.close()
        finally:
            gen.close()
        assert copied >= 2

        # the restore: into a database and buckets that never saw the service
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", _libpq(restored_db), str(dump)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        restored_dir = tmp_path / "restored"
        restored_dir.mkdir()
        shutil.copytree(pair.data_dir / "pki", restored_dir / "pki")
        env = {
            **pair.env,
            "PAOYICI_DATA_DIR": str(restored_dir),
            "PAOYICI_DATABASE_URL": restored_db,
            "PAOYICI_STORAGE_BUCKET_PREFIX": fresh_storage.bucket_prefix,
        }
        r = run_cli("fsck", "--json", "--grace-s", "0", "--deep", cwd=tmp_path, **env)
        assert r.returncode == 0, r.stdout + r.stderr

        restored = settings_for(restored_dir, database_url=restored_db, storage=fresh_storage)
        again = world_on(restored)
        w2 = next(again)
        try:
            services = w2.services
            report = fsck(services.sessions, services.store, deep=True)
            assert report.ok and report.checked["rows"] >= 2, report.problems
            with services.sessions() as s:
                row = s.scalar(select(Certificate).where(Certificate.id == cert.id))
                assert row is not None and row.sha256 == cert.sha256 and row.status == "valid"
            data = services.store.get_bytes(kind=Bucket.CERTIFICATES, key=cert.object_key)
            assert data == original
            result = services.signing.verifier.verify_pdf(data)
            assert result.verified, result.problems
            assert result.identifier == cert.identifier
        finally:
            again.close()
        out = tmp_path / "cert.pdf"
        out.write_bytes(original)
        v = run_cli(
            "verify", str(out), "--trust", str(restored_dir / "pki" / "root.pem"), cwd=tmp_path
        )
        assert v.returncode == 0, v.stdout + v.stderr
    finally:
        release(pair)
        drop_buckets(fresh_storage)
