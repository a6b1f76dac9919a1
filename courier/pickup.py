"""One-time pickup codes for collecting a certificate at the window.

A code is 8 random digits (``secrets``). Only an HMAC-SHA256 of it under the pickup secret is
the lookup key: a copy of the database alone does not let anyone try the 10^8 codes offline.
An encrypted copy (``cases.FieldCipher``) lets the owner see the code again on their page.
A code is single use (marked used in the same UPDATE that checks it is unused, so two windows
redeeming at once cannot both succeed), expires, and is locked after ``max_attempts`` wrong
tries against its application. Issuing a new code revokes the previous one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cases import FieldCipher
from cases.models import PickupCode
from courier.errors import PickupCodeError

DIGITS = 8


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: datetime


def code_hash(code: str, secret: bytes) -> str:
    return hmac.new(secret, code.encode(), hashlib.sha256).hexdigest()


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def issue_pickup_code(
    session: Session,
    *,
    application_id: str,
    secret: bytes,
    cipher: FieldCipher,
    ttl: timedelta,
    now: datetime | None = None,
) -> IssuedCode:
    """A fresh code for ``application_id`` (earlier unused codes revoked). Flushed."""
    now = now or datetime.now(UTC)
    session.execute(
        update(PickupCode)
        .where(
            PickupCode.application_id == application_id,
            PickupCode.used_at.is_(None),
            PickupCode.revoked.is_(False),
        )
        .values(revoked=True)
    )
    for _ in range(10):
        code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
        digest = code_hash(code, secret)
        if session.execute(select(PickupCode.id).where(PickupCode.code_hash == digest)).first():
            continue  # 1 in 10^8 per live code: draw again
        session.add(
            PickupCode(
                application_id=application_id,
                code_hash=digest,
                code_enc=cipher.encrypt(code.encode()),
                expires_at=now + ttl,
            )
        )
        session.flush()
        return IssuedCode(code=code, expires_at=now + ttl)
    raise RuntimeError("no free pickup code after 10 draws")  # pragma: no cover


def current_code(session: Session, *, application_id: str, cipher: FieldCipher) -> str | None:
    """The owner's live code (for their page), or None."""
    row = session.execute(
        select(PickupCode)
        .where(
            PickupCode.application_id == application_id,
            PickupCode.used_at.is_(None),
            PickupCode.revoked.is_(False),
        )
        .order_by(PickupCode.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None or row.code_enc is None or _aware(row.expires_at) <= datetime.now(UTC):
        return None
    return cipher.decrypt(row.code_enc).decode()


def redeem_pickup_code(
    session: Session,
    *,
    code: str,
    secret: bytes,
    application_id: str | None = None,
    max_attempts: int = 5,
    now: datetime | None = None,
) -> str:
    """Use ``code`` once; returns its application id, else ``PickupCodeError`` (one message
    for wrong, used, expired and locked). With ``application_id`` (the window looked the case
    up first) a wrong code counts against that application's live code."""
    now = now or datetime.now(UTC)
    code = (code or "").strip()
    digest = code_hash(code, secret)
    if application_id is not None:
        live = session.execute(
            select(PickupCode)
            .where(
                PickupCode.application_id == application_id,
                PickupCode.used_at.is_(None),
                PickupCode.revoked.is_(False),
            )
            .order_by(PickupCode.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        if live is None or live.attempts >= max_attempts:
            raise PickupCodeError(detail="no live code or locked")
        if not hmac.compare_digest(live.code_hash, digest):
            live.attempts += 1
            session.flush()
            raise PickupCodeError(detail="wrong code")
    row = session.execute(
        select(PickupCode).where(PickupCode.code_hash == digest)
    ).scalar_one_or_none()
    if (
        row is None
        or row.revoked
        or row.used_at is not None
        or row.attempts >= max_attempts
        or _aware(row.expires_at) <= now
    ):
        raise PickupCodeError(detail="unknown, used, revoked, locked or expired")
    used: Any = session.execute(
        update(PickupCode)
        .where(PickupCode.id == row.id, PickupCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        raise PickupCodeError(detail="used concurrently")
    session.flush()
    return row.application_id
