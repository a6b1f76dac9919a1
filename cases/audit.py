"""The tamper-evident audit trail: an append-only hash chain in the database.

Each event's ``hash`` is SHA-256 over a canonical JSON of its content and ``prev_hash``. Forks are
impossible: ``prev_hash`` is unique, so of two concurrent appends on the same head one fails and is
retried by the caller's transaction. Personal data never goes into ``data`` in plain text: callers
pass masked values (``common.mask_id_number``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import false, func, select, update
from sqlalchemy.orm import Session

from cases.errors import AuditChainBrokenError
from cases.models import AuditEvent, utcnow

#: the advisory lock that serializes appends to the chain on PostgreSQL (any constant bigint)
AUDIT_LOCK_KEY = 0x7061_6F79_6963_6901  # the bytes of "paoyici" and 0x01

GENESIS = "0" * 64


def _canonical_time(at: datetime) -> str:
    # SQLite hands back naive datetimes; every stored time is UTC.
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    at: datetime,
    actor: str,
    role: str,
    action: str,
    subject_type: str,
    subject_id: str,
    data: dict[str, Any],
    prev_hash: str,
) -> str:
    body = {
        "at": _canonical_time(at),
        "actor": actor,
        "role": role,
        "action": action,
        "subject": [subject_type, subject_id],
        "data": data,
        "prev": prev_hash,
    }
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def append_event(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    subject_type: str,
    subject_id: str,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event after the current head (flushed, not committed).

    On PostgreSQL, appends take a transaction-scoped advisory lock first: concurrent requests
    (two uploads at once) then append one after the other instead of racing for the same head
    and failing on the unique ``prev_hash`` (that race was an HTTP 500 under load). On SQLite the
    head is read without a transaction unless this one already writes, so a no-op write first
    takes the database's write lock (held to commit) before the head is read."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(AUDIT_LOCK_KEY)))
    elif dialect == "sqlite":
        session.execute(update(AuditEvent).where(false()).values(id=AuditEvent.id))
    head = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    prev = head or GENESIS
    payload = dict(data or {})
    # round-trip through JSON so the hashed form equals what the database gives back
    payload = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
    event = AuditEvent(
        at=utcnow(),
        actor=actor,
        role=role,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        data=payload,
        prev_hash=prev,
    )
    event.hash = _hash_of(event, prev)
    session.add(event)
    session.flush()
    return event


def verify_chain(session: Session) -> int:
    """Recompute every hash in order; return the number of events or raise AuditChainBrokenError."""
    prev = GENESIS
    count = 0
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
        expected = _hash_of(ev, prev)
        if ev.prev_hash != prev or ev.hash != expected:
            raise AuditChainBrokenError(ev.id)
        prev = ev.hash
        count += 1
    return count


def _hash_of(ev: AuditEvent, prev_hash: str) -> str:
    return event_hash(
        at=ev.at,
        actor=ev.actor,
        role=ev.role,
        action=ev.action,
        subject_type=ev.subject_type,
        subject_id=ev.subject_id,
        data=ev.data,
        prev_hash=prev_hash,
    )
