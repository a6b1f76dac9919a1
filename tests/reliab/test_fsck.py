"""``paoyici fsck`` on both pairs of real backends: clean after a case is issued, then each
defect planted by hand (an upload's object deleted, a stray object, a certificate's bytes
changed, an audit event edited) is reported, and the command exits 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from cases.models import AuditEvent, Upload
from jobs.fsck import fsck
from storage import Bucket
from tests.api.reviewing import World, seed_case
from tests.api.test_cli import run_cli
from tests.reliab.backends import Backends, backends, corrupt, release
from tests.reliab.world import issue_one, settings_for, world_on

pytestmark = pytest.mark.slow


@pytest.fixture(
    params=[
        "embedded",
        pytest.param("production", marks=[pytest.mark.postgres, pytest.mark.s3]),
    ]
)
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backends]:
    made = backends(request.param, request, tmp_path / "data")
    yield made
    release(made)


@pytest.fixture
def world(pair: Backends) -> Iterator[World]:
    settings = settings_for(pair.data_dir, database_url=pair.database_url, storage=pair.storage)
    yield from world_on(settings)


def _fsck_cli(pair: Backends, *args: str) -> tuple[int, dict]:
    r = run_cli("fsck", "--json", "--grace-s", "0", *args, cwd=pair.data_dir.parent, **pair.env)
    assert r.returncode in (0, 1), r.stderr
    return r.returncode, json.loads(r.stdout)


def test_fsck_is_clean_then_reports_every_planted_defect(pair: Backends, world: World) -> None:
    services = world.services
    case, cert = issue_one(world)
    other, upload_id = seed_case(world)

    clean = fsck(services.sessions, services.store)
    assert clean.ok, clean.problems
    assert clean.checked["rows"] >= 3 and clean.checked["objects"] >= 3
    assert clean.checked["audit_events"] > 0
    code, out = _fsck_cli(pair)
    assert code == 0 and out["ok"] is True and out["problems"] == []

    # 1. an upload row whose object is gone
    with services.sessions() as s:
        gone = s.get(Upload, int(upload_id))
        assert gone is not None
        gone_key = gone.object_key
    services.store.delete(kind=Bucket.UPLOADS, key=gone_key)
    # 2. an object no row names
    stray = services.store.put_content(kind=Bucket.UPLOADS, prefix="strayapp", data=b"stray")
    # 3. a certificate whose stored bytes no longer hash to the registered SHA-256
    assert cert.object_key is not None
    corrupt(services.store, Bucket.CERTIFICATES, cert.object_key)
    # 4. an audit event edited in place
    with services.sessions() as s:
        ids = list(s.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))
        edited = ids[len(ids) // 2]
        s.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE id = :i"), {"i": edited})
        s.commit()

    found = fsck(services.sessions, services.store)
    assert not found.ok
    by_code = {p.code: p for p in found.problems}
    assert set(by_code) == {
        "object_missing",
        "orphan_object",
        "certificate_hash_mismatch",
        "audit_chain_broken",
    }, found.problems
    assert by_code["object_missing"].key == gone_key
    assert by_code["object_missing"].row == int(upload_id)
    assert by_code["orphan_object"].key == stray.key
    assert by_code["certificate_hash_mismatch"].key == cert.object_key
    assert by_code["audit_chain_broken"].row == edited
    assert len(found.problems) == 4
    # an object written a moment ago may be an upload whose row has not committed yet
    lenient = fsck(services.sessions, services.store, grace=timedelta(hours=1))
    assert "orphan_object" not in {p.code for p in lenient.problems}

    code, out = _fsck_cli(pair)
    assert code == 1 and out["ok"] is False
    assert sorted(p["code"] for p in out["problems"]) == sorted(by_code)
    assert all(p["message"] for p in out["problems"])
    r = run_cli("fsck", "--grace-s", "0", cwd=pair.data_dir.parent, **pair.env)
    assert r.returncode == 1 and "审计记录哈希链断开" in r.stderr and "发现 4 个问题" in r.stdout
    assert case and other
