"""Contract suite for CertificateRegistry implementations (run it against every one)."""

from __future__ import annotations

import pytest

from signing import (
    CertificateNotFoundError,
    CertificateRegistry,
    CertificateStatus,
    InMemoryRegistry,
    InvalidMetadataError,
    sample_meta,
)

IMPLEMENTATIONS = [InMemoryRegistry]


@pytest.fixture(params=IMPLEMENTATIONS)
def registry(request: pytest.FixtureRequest) -> CertificateRegistry:
    reg = request.param()
    assert isinstance(reg, CertificateRegistry)
    return reg  # type: ignore[no-any-return]


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
