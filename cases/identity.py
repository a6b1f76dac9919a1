"""Verified identity (实名认证): a citizen's real name and ID number on the account, set only by
an identity verification, never typed by the citizen into a form.

An :class:`IdentityProvider` turns a credential into a :class:`VerifiedIdentity`;
:func:`record_identity` puts it on the account (ID number encrypted at rest with a keyed lookup
digest, audited with the number masked). Two providers:

- :class:`InPersonCheck` (embedded default): a staff member checked the citizen's ID card in
  person and records what it says (``paoyici user verify USER --name --id-number``).
- :class:`ZlbAssertionProvider` (production): the province's unified real-name login (浙里办 /
  浙江政务服务网) hands the citizen back with a signed assertion, a JWT signed by the issuer
  (RS256 or ES256) and verified here with the issuer's public key from settings
  (``PAOYICI_IDENTITY_*``). Claims: ``iss`` (the configured issuer), ``aud`` (this service),
  ``exp``/``iat``, ``name``, ``id_number`` and ``auth_level`` (the real-name level, at least
  ``min_auth_level``).

One person, one verified account: an ID number verified on another account is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.audit import append_event
from cases.crypto import FieldCipher
from cases.errors import CaseError
from cases.models import User
from common import mask_id_number

__all__ = [
    "IdentityAssertionError",
    "IdentityError",
    "IdentityLoginUnavailableError",
    "IdentityNotVerifiedError",
    "IdentityProvider",
    "IdentitySettings",
    "IdentityTakenError",
    "InPersonCheck",
    "InPersonCredential",
    "VerifiedIdentity",
    "ZlbAssertionProvider",
    "build_assertion_provider",
    "identity_of",
    "record_identity",
]


class IdentityError(CaseError):
    code = "identity_error"
    message = "实名认证失败"


class IdentityAssertionError(IdentityError):
    """The real-name login's assertion does not verify (says why in ``detail``)."""

    code = "identity_assertion_invalid"
    message = "实名认证凭证无效或已过期，请重新通过浙里办登录完成实名认证"


class IdentityLoginUnavailableError(IdentityError):
    code = "identity_login_unavailable"
    message = "本服务未接入统一实名认证，请到窗口由工作人员核验身份"


class IdentityNotVerifiedError(IdentityError):
    code = "identity_not_verified"
    message = (
        "您的账号尚未完成实名认证，不能授权数据共享查询；请先通过浙里办实名认证或到窗口核验身份"
    )


class IdentityTakenError(IdentityError):
    code = "identity_taken"
    message = "该身份证号码已在另一个账号上完成实名认证，一人只能认证一个账号"


@dataclass(frozen=True)
class VerifiedIdentity:
    """A real name and ID number as an identity verification stated them."""

    name: str
    id_number: str
    provider: str
    verified_at: datetime | None = None

    def masked(self) -> dict[str, Any]:
        """What an answer or a log may show."""
        return {
            "verified": True,
            "name": self.name,
            "id_number": mask_id_number(self.id_number),
            "provider": self.provider,
            "verified_at": self.verified_at.isoformat() if self.verified_at else None,
        }


_C_contra = TypeVar("_C_contra", contravariant=True)


class IdentityProvider(Protocol[_C_contra]):
    """Turns a credential into a verified identity, or raises :class:`IdentityError`."""

    name: str

    def verify(self, credential: _C_contra) -> VerifiedIdentity: ...


_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _clean(name: Any, id_number: Any) -> tuple[str, str]:
    """Name and number as stored (spaces removed, upper-case X); raises when either is not one."""
    if not isinstance(name, str) or not isinstance(id_number, str):
        raise IdentityAssertionError(detail="name or id_number missing")
    n = re.sub(r"\s+", "", name)
    i = re.sub(r"\s+", "", id_number).upper()
    if not 1 <= len(n) <= 64:
        raise IdentityAssertionError(detail="bad name")
    check = "10X98765432"[sum(int(c) * w for c, w in zip(i[:17], _WEIGHTS, strict=False)) % 11]
    if not _ID_NUMBER.match(i) or i[17] != check:
        raise IdentityAssertionError(detail="bad id_number")
    return n, i


@dataclass(frozen=True)
class InPersonCredential:
    """What a staff member read from the citizen's ID card, in person."""

    name: str
    id_number: str
    staff: str


class InPersonCheck:
    """Embedded default: a staff member checked the ID card (the CLI records who)."""

    name = "in_person"

    def verify(self, credential: InPersonCredential) -> VerifiedIdentity:
        name, number = _clean(credential.name, credential.id_number)
        return VerifiedIdentity(name=name, id_number=number, provider=self.name)


class IdentitySettings(BaseSettings):
    """``PAOYICI_IDENTITY_*``: the unified real-name login; without an issuer and its public
    key, only in-person verification is available."""

    model_config = SettingsConfigDict(env_prefix="PAOYICI_IDENTITY_", extra="ignore")

    issuer: str | None = None
    audience: str = "paoyici"
    # the issuer's public key, PEM text (RSA or EC P-256)
    public_key_pem: str | None = None
    algorithms: list[str] = ["RS256", "ES256"]
    min_auth_level: int = 2
    leeway_s: int = 30


class ZlbAssertionProvider:
    """Production: a signed assertion of the province's real-name login, verified with the
    issuer's public key (never the shared secret of a symmetric algorithm)."""

    name = "zlb"

    def __init__(
        self,
        *,
        issuer: str,
        public_key_pem: str,
        audience: str,
        algorithms: list[str] | tuple[str, ...] = ("RS256", "ES256"),
        min_auth_level: int = 2,
        leeway_s: int = 30,
    ) -> None:
        bad = [a for a in algorithms if not a.startswith(("RS", "ES", "PS"))]
        if bad:
            raise ValueError(f"asymmetric algorithms only, not {bad}")
        key = serialization.load_pem_public_key(public_key_pem.encode())
        # only the algorithms of the key's own kind: an RSA key never checks an ES256 token
        family = ("ES",) if isinstance(key, ec.EllipticCurvePublicKey) else ("RS", "PS")
        self._algorithms = [a for a in algorithms if a.startswith(family)]
        if not self._algorithms:
            raise ValueError(f"no algorithm in {list(algorithms)} fits the issuer's key")
        self._key = key
        self._issuer = issuer
        self._audience = audience
        self._min_level = min_auth_level
        self._leeway = leeway_s

    def verify(self, credential: str) -> VerifiedIdentity:
        try:
            claims = jwt.decode(
                credential,
                self._key,  # type: ignore[arg-type]
                algorithms=self._algorithms,
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "aud"]},
            )
        except jwt.PyJWTError as e:
            raise IdentityAssertionError(detail=f"{type(e).__name__}: {e}") from e
        level = claims.get("auth_level")
        if not isinstance(level, int) or level < self._min_level:
            raise IdentityAssertionError(detail=f"auth_level {level!r} < {self._min_level}")
        name, number = _clean(claims.get("name"), claims.get("id_number"))
        return VerifiedIdentity(name=name, id_number=number, provider=self.name)


def build_assertion_provider(settings: IdentitySettings) -> ZlbAssertionProvider | None:
    """The real-name login's verifier, or None where it is not configured."""
    if not settings.issuer or not settings.public_key_pem:
        return None
    return ZlbAssertionProvider(
        issuer=settings.issuer,
        public_key_pem=settings.public_key_pem,
        audience=settings.audience,
        algorithms=settings.algorithms,
        min_auth_level=settings.min_auth_level,
        leeway_s=settings.leeway_s,
    )


def record_identity(
    session: Session,
    *,
    user: User,
    identity: VerifiedIdentity,
    cipher: FieldCipher,
    actor: str,
    role: str,
    now: datetime | None = None,
) -> VerifiedIdentity:
    """Put a verified identity on a citizen's account (audited ``user.identity_verified``)."""
    digest = cipher.lookup_digest(identity.id_number)
    other = session.scalar(
        select(User.id).where(User.identity_id_digest == digest, User.id != user.id)
    )
    if other is not None:
        raise IdentityTakenError()
    previous = identity_of(user, cipher)
    at = now or datetime.now(UTC)
    user.identity_name = identity.name
    user.identity_id_enc = cipher.encrypt(identity.id_number.encode())
    user.identity_id_digest = digest
    user.identity_provider = identity.provider
    user.identity_verified_at = at
    append_event(
        session,
        actor=actor,
        role=role,
        action="user.identity_verified",
        subject_type="user",
        subject_id=user.id,
        data={
            "provider": identity.provider,
            "name": identity.name,
            "id_number": mask_id_number(identity.id_number),
            "previous": mask_id_number(previous.id_number) if previous is not None else None,
        },
    )
    return VerifiedIdentity(identity.name, identity.id_number, identity.provider, at)


def identity_of(user: User, cipher: FieldCipher) -> VerifiedIdentity | None:
    """The account's verified identity, or None."""
    if user.identity_id_enc is None or not user.identity_name:
        return None
    return VerifiedIdentity(
        name=user.identity_name,
        id_number=cipher.decrypt(user.identity_id_enc).decode(),
        provider=user.identity_provider or "",
        verified_at=user.identity_verified_at,
    )
