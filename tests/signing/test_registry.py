"""Contract suite for CertificateRegistry implementations (run it against every one)."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

import cases
from cases.models import AuditEvent, Certificate
from signing import (
    CertificateNotFoundError,
    CertificateRegistry,
    CertificateStatus,
    InvalidMetadataError,
)
from signing.registry import InMemoryRegistry
from signing.sql_registry import SqlCertificateRegistry
from signing.testing import sample_meta

IMPLEMENTATIONS = [
    "memory",
    "sql-sqlite",
    pytest.param("sql-postgresql", marks=pytest.mark.postgres),
]


def _cipher() -> cases.FieldCipher:
    return cases.FieldCipher(base64.b64encode(os.urandom(32)).decode())


@pytest.fixture(params=IMPLEMENTATIONS)
def registry(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CertificateRegistry]:
    if request.param == "memory":
        reg: CertificateRegistry = InMemoryRegistry()
        yield reg
        return
    kind = request.param.removeprefix("sql-")
    url = (
        f"sqlite:///{tmp_path / 'reg.db'}"
        if kind == "sqlite"
        else request.getfixturevalue("postgres_database")
    )
    engine = cases.make_engine(cases.DatabaseSettings(url=url), data_dir=tmp_path)
    cases.downgrade(engine, "base")
    cases.upgrade(engine)
    sql = SqlCertificateRegistry(cases.make_sessionmaker(engine), _cipher())
    assert isinstance(sql, CertificateRegistry)
    yield sql
    cases.downgrade(engine, "base")
    engine.dispose()


def test_register_lookup_status(registry: CertificateRegistry) -> None:
    meta = sample_meta(serial="100")
    ident = str(meta.identifier)
    assert registry.status(ident) is CertificateStatus.UNKNOWN
    assert registry.lookup(ident) is None
    entry = registry.register(meta, actor="reviewer:1")
    assert entry.status is CertificateStatus.VALID
    assert registry.status(ident) is CertificateStatus.VALID
    found = registry.lookup(ident)
    assert found is not None and found.holder == meta.holder and found.number == meta.number
    with pytest.raises(InvalidMetadataError):
        registry.register(meta, actor="reviewer:1")


def test_revocation_is_reflected_and_idempotent(registry: CertificateRegistry) -> None:
    meta = sample_meta(serial="101")
    ident = str(meta.identifier)
    registry.register(meta, actor="system")
    revoked = registry.revoke(ident, actor="officer:7", reason="登记错误")
    assert revoked.status is CertificateStatus.REVOKED and revoked.status_reason == "登记错误"
    assert registry.status(ident) is CertificateStatus.REVOKED
    again = registry.revoke(ident, actor="officer:8", reason="other")
    assert again.status_reason == "登记错误"
    with pytest.raises(CertificateNotFoundError):
        registry.revoke(str(sample_meta(serial="999").identifier), actor="x", reason="y")


def test_new_version_supersedes_the_old(registry: CertificateRegistry) -> None:
    v1 = sample_meta(serial="102", version=1)
    v2 = sample_meta(serial="102", version=2)
    registry.register(v1, actor="system")
    registry.register(v2, actor="system", supersedes=str(v1.identifier))
    assert registry.status(str(v1.identifier)) is CertificateStatus.SUPERSEDED
    assert registry.status(str(v2.identifier)) is CertificateStatus.VALID
    old = registry.lookup(str(v1.identifier))
    assert old is not None and old.superseded_by == str(v2.identifier)


def test_in_memory_registry_keeps_an_audit_trail() -> None:
    reg = InMemoryRegistry()
    meta = sample_meta(serial="103")
    reg.register(meta, actor="system")
    reg.revoke(str(meta.identifier), actor="officer:7", reason="申请人撤回")
    assert [(a.action, a.actor) for a in reg.audit] == [
        ("register", "system"),
        ("revoke", "officer:7"),
    ]


def test_sql_registry_audits_changes_and_keeps_holder_codes_encrypted(tmp_path: Path) -> None:
    engine = cases.make_engine(
        cases.DatabaseSettings(url=f"sqlite:///{tmp_path / 'r.db'}"), data_dir=tmp_path
    )
    cases.upgrade(engine)
    sessions = cases.make_sessionmaker(engine)
    cipher = _cipher()
    reg = SqlCertificateRegistry(sessions, cipher)
    v1, v2 = sample_meta(serial="104", version=1), sample_meta(serial="104", version=2)
    reg.register(v1, actor="reviewer:3")
    reg.register(v2, actor="reviewer:3", supersedes=str(v1.identifier))
    reg.revoke(str(v2.identifier), actor="officer:7", reason="申请人撤回")
    with sessions() as s:
        events = s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        assert [(e.action, e.actor) for e in events] == [
            ("certificate.registered", "reviewer:3"),
            ("certificate.superseded", "reviewer:3"),
            ("certificate.registered", "reviewer:3"),
            ("certificate.revoked", "officer:7"),
        ]
        assert events[-1].data["reason"] == "申请人撤回"
        assert all(v1.holder_code not in repr(e.data) for e in events)
        assert cases.verify_chain(s) == 4
        row = s.execute(select(Certificate).where(Certificate.version == 2)).scalar_one()
        assert cipher.decrypt(row.holder_code_enc or b"").decode() == v1.holder_code
    engine.dispose()


def test_sql_registry_bound_to_a_session_commits_with_the_caller(tmp_path: Path) -> None:
    engine = cases.make_engine(
        cases.DatabaseSettings(url=f"sqlite:///{tmp_path / 'r.db'}"), data_dir=tmp_path
    )
    cases.upgrade(engine)
    sessions = cases.make_sessionmaker(engine)
    reg = SqlCertificateRegistry(sessions, _cipher())
    meta = sample_meta(serial="105")
    with pytest.raises(RuntimeError), cases.transaction(sessions) as s:
        reg.bound(s).register(meta, actor="system")
        raise RuntimeError("the application's state change failed")
    assert reg.status(str(meta.identifier)) is CertificateStatus.UNKNOWN
    engine.dispose()
