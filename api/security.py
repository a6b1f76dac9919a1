"""Bearer tokens (PyJWT, HS256) and who is asking (:class:`Principal`).

A token carries the account id (``sub``), a unique ``jti`` and an expiry; logging out records the
``jti`` in ``revoked_tokens`` until the token would have expired anyway. Every request re-reads
the account, so a deactivated account or a changed role takes effect at once. Tokens are never
logged.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from sqlalchemy import delete
from sqlalchemy.orm import Session

from cases.accounts import STAFF_ROLES, Role
from cases.models import RevokedToken, User
from common import DomainError

ALGORITHM = "HS256"
ISSUER = "paoyici"


class UnauthenticatedError(DomainError):
    code = "unauthenticated"
    message = "请先登录"


class ForbiddenError(DomainError):
    code = "forbidden"
    message = "您没有执行该操作的权限"


class RegistrationClosedError(DomainError):
    code = "registration_closed"
    message = "本服务不开放自行注册，请通过浙江政务服务网统一身份认证登录"


class LoginThrottledError(DomainError):
    code = "too_many_attempts"
    message = "登录尝试过于频繁，请稍后再试"


@dataclass(frozen=True)
class Principal:
    """The signed-in account, as the routes and jobs see it."""

    id: str
    username: str
    name: str
    role: Role
    matters: tuple[str, ...] = ()
    token_id: str = ""
    token_expires_at: datetime | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def sees_matter(self, matter_id: str) -> bool:
        """Staff see every matter unless their account names some."""
        return not self.matters or matter_id in self.matters

    @classmethod
    def of(cls, user: User, **token: Any) -> Principal:
        return cls(
            id=user.id,
            username=user.username,
            name=user.name,
            role=Role(user.role),
            matters=tuple(user.matters or ()),
            **token,
        )


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    jti: str


class TokenService:
    """Issues and checks bearer tokens with one secret."""

    def __init__(self, *, secret: str, ttl: timedelta) -> None:
        if len(secret) < 16:
            raise ValueError("token secret too short")
        # a key of its own, derived from the service secret (32 bytes whatever its length)
        self._secret = hashlib.sha256(b"paoyici/jwt/v1\0" + secret.encode()).digest()
        self.ttl = ttl

    def issue(self, user: User, *, now: datetime | None = None) -> IssuedToken:
        now = now or datetime.now(UTC)
        jti = uuid.uuid4().hex
        claims = {
            "sub": user.id,
            "role": user.role,
            "jti": jti,
            "iat": now,
            "exp": now + self.ttl,
            "iss": ISSUER,
        }
        token = jwt.encode(claims, self._secret, algorithm=ALGORITHM)
        return IssuedToken(token, int(self.ttl.total_seconds()), jti)

    def principal(self, session: Session, token: str | None) -> Principal:
        """The principal of a valid, unrevoked token of an active account; else raise
        UnauthenticatedError."""
        if not token:
            raise UnauthenticatedError()
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["sub", "jti", "exp", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise UnauthenticatedError("登录已过期，请重新登录") from None
        except jwt.InvalidTokenError:
            raise UnauthenticatedError("登录凭证无效，请重新登录") from None
        jti = str(claims["jti"])
        if session.get(RevokedToken, jti) is not None:
            raise UnauthenticatedError("您已退出登录，请重新登录")
        user = session.get(User, str(claims["sub"]))
        if user is None or not user.active:
            raise UnauthenticatedError("账号不可用，请重新登录")
        expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
        return Principal.of(user, token_id=jti, token_expires_at=expires)


def revoke(session: Session, principal: Principal) -> None:
    """Refuse ``principal``'s token from now on; forget revocations that have expired."""
    now = datetime.now(UTC)
    session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now))
    if session.get(RevokedToken, principal.token_id) is None:
        session.add(
            RevokedToken(
                jti=principal.token_id,
                expires_at=principal.token_expires_at or now + timedelta(days=1),
            )
        )


class LoginThrottle:
    """Login attempts per account and per address (slowapi's limiter and storage).

    Both keys are hit on every attempt: many addresses cannot try one account faster than
    ``rate`` (e.g. ``"10/minute"``), nor one address many accounts faster than ``address_rate``
    (looser: many citizens may share one address behind a NAT).
    """

    def __init__(self, *, rate: str, address_rate: str, storage_uri: str = "memory://") -> None:
        from limits import parse
        from slowapi import Limiter
        from slowapi.util import get_remote_address

        self._limiter = Limiter(key_func=get_remote_address, storage_uri=storage_uri)
        self._account = parse(rate)
        self._address = parse(address_rate)

    def check(self, *, address: str, username: str) -> None:
        strategy = self._limiter.limiter
        by_address = strategy.hit(self._address, "login", "address", address)
        by_account = strategy.hit(self._account, "login", "account", username.casefold())
        if not (by_address and by_account):
            raise LoginThrottledError()

    def reset(self) -> None:
        self._limiter.reset()
