"""The certificate registry over the ``certificates`` table, with every change in the audit trail.

Implements :class:`signing.registry.CertificateRegistry` (same contract suite as the in-memory
one). Each call is one transaction; :meth:`SqlCertificateRegistry.bound` gives a registry that
works inside a caller's open session instead, so registering a certificate and moving its
application to ``issued`` commit together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import cases
from cases.models import Certificate
from common import mask_id_number
from signing.errors import CertificateNotFoundError, InvalidMetadataError
from signing.metadata import CertificateMeta, CertificateStatus
from signing.registry import RegistryEntry

__all__ = ["SqlCertificateRegistry"]


class SqlCertificateRegistry:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        cipher: cases.FieldCipher,
        *,
        session: Session | None = None,
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._session = session

    def bound(self, session: Session) -> SqlCertificateRegistry:
        """The same registry acting inside ``session`` (the caller commits)."""
        return SqlCertificateRegistry(self._sessions, self._cipher, session=session)

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        if self._session is not None:
            yield self._session
            return
        with cases.transaction(self._sessions) as s:
            yield s

    def register(
        self, meta: CertificateMeta, *, actor: str, supersedes: str | None = None
    ) -> RegistryEntry:
        ident = str(meta.identifier)
        now = dt.datetime.now(dt.UTC)
        try:
            with self._tx() as s:
                if _find(s, ident) is not None:
                    raise InvalidMetadataError("identifier", detail=f"{ident} already registered")
                previous = None
                if supersedes is not None:
                    previous = _find(s, supersedes)
                    if previous is None:
                        raise CertificateNotFoundError(supersedes)
                    previous.status = CertificateStatus.SUPERSEDED.value
                    previous.status_changed_at = now
                    _audit(s, actor, "certificate.superseded", supersedes, {"by": ident})
                row = Certificate(
                    identifier=ident,
                    name=meta.name,
                    type_code=meta.type_code,
                    number=meta.number,
                    serial=meta.identifier.serial,
                    version=meta.identifier.version,
                    holder_name=meta.holder,
                    holder_code_enc=self._cipher.encrypt(meta.holder_code.encode()),
                    holder_code_type=meta.holder_code_type.value,
                    issuer_name=meta.issuer,
                    issuer_code=meta.issuer_code,
                    issued_on=meta.issued_on,
                    valid_from=meta.valid_from,
                    valid_until=meta.valid_until,
                    status=CertificateStatus.VALID.value,
                    supersedes_id=previous.id if previous is not None else None,
                )
                s.add(row)
                s.flush()
                _audit(
                    s,
                    actor,
                    "certificate.registered",
                    ident,
                    {"number": meta.number, "holder": mask_id_number(meta.holder_code)},
                )
                return _entry(s, row)
        except IntegrityError as e:  # a concurrent registration of the same identifier
            raise InvalidMetadataError("identifier", detail=f"{ident} already registered") from e

    def status(self, identifier: str) -> CertificateStatus:
        entry = self.lookup(identifier)
        return CertificateStatus.UNKNOWN if entry is None else entry.status

    def lookup(self, identifier: str) -> RegistryEntry | None:
        with self._tx() as s:
            row = _find(s, identifier)
            return None if row is None else _entry(s, row)

    def revoke(self, identifier: str, *, actor: str, reason: str) -> RegistryEntry:
        with self._tx() as s:
            row = _find(s, identifier, for_update=True)
            if row is None:
                raise CertificateNotFoundError(identifier)
            if row.status != CertificateStatus.REVOKED.value:
                row.status = CertificateStatus.REVOKED.value
                row.status_changed_at = dt.datetime.now(dt.UTC)
                row.status_reason = reason
                s.flush()
                _audit(s, actor, "certificate.revoked", identifier, {"reason": reason})
            return _entry(s, row)


def _find(s: Session, identifier: str, *, for_update: bool = False) -> Certificate | None:
    q = select(Certificate).where(Certificate.identifier == identifier)
    if for_update:
        q = q.with_for_update()
    return s.execute(q).scalar_one_or_none()


def _audit(s: Session, actor: str, action: str, identifier: str, data: dict[str, object]) -> None:
    role = actor.split(":", 1)[0] if ":" in actor else "system"
    cases.append_event(
        s,
        actor=actor,
        role=role,
        action=action,
        subject_type="certificate",
        subject_id=identifier,
        data=dict(data),
    )


def _entry(s: Session, row: Certificate) -> RegistryEntry:
    successor = s.execute(
        select(Certificate.identifier).where(Certificate.supersedes_id == row.id)
    ).scalar_one_or_none()
    changed = row.status_changed_at
    if changed is not None and changed.tzinfo is None:  # SQLite gives naive UTC
        changed = changed.replace(tzinfo=dt.UTC)
    return RegistryEntry(
        identifier=row.identifier,
        name=row.name,
        number=row.number,
        holder=row.holder_name,
        issuer=row.issuer_name,
        issued_on=row.issued_on,
        valid_from=row.valid_from or row.issued_on,
        valid_until=row.valid_until,
        status=CertificateStatus(row.status),
        status_changed_at=changed,
        status_reason=row.status_reason,
        superseded_by=successor,
    )
