"""The certificate registry: which certificate versions exist and whether each is still valid.

:class:`CertificateRegistry` is the small protocol verification needs; ``cases`` implements it
over the ``certificates`` table with its audit trail, :class:`InMemoryRegistry` is the reference
implementation for tests and the CLI.

Semantics every implementation must keep (``tests/signing/test_registry.py`` is the contract
suite; run it against any new implementation):

- ``register(meta, actor=...)`` records a newly issued version with status ``valid``. With
  ``supersedes=<identifier of the previous version>`` the previous version becomes
  ``superseded`` in the same transaction. Registering an identifier twice is an error.
- ``status(identifier)`` returns ``unknown`` for identifiers never registered (it never raises
  for a well-formed identifier: the public page must answer "not found" the same way).
- ``revoke(identifier, actor=..., reason=...)`` is an audited action (who, when, why);
  the next ``status``/``lookup`` reflects it. Revoking an unknown identifier raises
  :class:`~signing.errors.CertificateNotFoundError`; revoking twice keeps the first record.
- ``lookup(identifier)`` returns the public facts of a version or ``None``.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

from signing.errors import CertificateNotFoundError, InvalidMetadataError
from signing.metadata import CertificateMeta, CertificateStatus

__all__ = ["AuditRecord", "CertificateRegistry", "InMemoryRegistry", "RegistryEntry"]


@dataclass(frozen=True)
class RegistryEntry:
    """Public facts about one certificate version (no holder code: it is personal data)."""

    identifier: str
    name: str  # 证照名称
    number: str  # 证照编号
    holder: str  # 持证主体 (mask before showing it publicly)
    issuer: str
    issued_on: dt.date
    valid_from: dt.date
    valid_until: dt.date | None
    status: CertificateStatus
    status_changed_at: dt.datetime | None = None
    status_reason: str | None = None
    superseded_by: str | None = None


@dataclass(frozen=True)
class AuditRecord:
    at: dt.datetime
    actor: str
    action: str  # "register" | "revoke" | "supersede"
    identifier: str
    reason: str | None = None


@runtime_checkable
class CertificateRegistry(Protocol):
    def register(
        self, meta: CertificateMeta, *, actor: str, supersedes: str | None = None
    ) -> RegistryEntry: ...

    def status(self, identifier: str) -> CertificateStatus: ...

    def lookup(self, identifier: str) -> RegistryEntry | None: ...

    def revoke(self, identifier: str, *, actor: str, reason: str) -> RegistryEntry: ...


class InMemoryRegistry:
    """Thread-safe in-memory registry with an append-only audit list."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, RegistryEntry] = {}
        self.audit: list[AuditRecord] = []

    def register(
        self, meta: CertificateMeta, *, actor: str, supersedes: str | None = None
    ) -> RegistryEntry:
        ident = str(meta.identifier)
        now = dt.datetime.now(dt.UTC)
        entry = RegistryEntry(
            identifier=ident,
            name=meta.name,
            number=meta.number,
            holder=meta.holder,
            issuer=meta.issuer,
            issued_on=meta.issued_on,
            valid_from=meta.valid_from,
            valid_until=meta.valid_until,
            status=CertificateStatus.VALID,
        )
        with self._lock:
            if ident in self._entries:
                raise InvalidMetadataError("identifier", detail=f"{ident} already registered")
            if supersedes is not None:
                old = self._entries.get(supersedes)
                if old is None:
                    raise CertificateNotFoundError(supersedes)
                self._entries[supersedes] = replace(
                    old,
                    status=CertificateStatus.SUPERSEDED,
                    status_changed_at=now,
                    superseded_by=ident,
                )
                self.audit.append(AuditRecord(now, actor, "supersede", supersedes, ident))
            self._entries[ident] = entry
            self.audit.append(AuditRecord(now, actor, "register", ident))
        return entry

    def status(self, identifier: str) -> CertificateStatus:
        entry = self.lookup(identifier)
        return CertificateStatus.UNKNOWN if entry is None else entry.status

    def lookup(self, identifier: str) -> RegistryEntry | None:
        with self._lock:
            return self._entries.get(identifier)

    def revoke(self, identifier: str, *, actor: str, reason: str) -> RegistryEntry:
        now = dt.datetime.now(dt.UTC)
        with self._lock:
            entry = self._entries.get(identifier)
            if entry is None:
                raise CertificateNotFoundError(identifier)
            if entry.status is CertificateStatus.REVOKED:
                return entry
            entry = replace(
                entry,
                status=CertificateStatus.REVOKED,
                status_changed_at=now,
                status_reason=reason,
            )
            self._entries[identifier] = entry
            self.audit.append(AuditRecord(now, actor, "revoke", identifier, reason))
            return entry
