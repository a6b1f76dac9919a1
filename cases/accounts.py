"""Accounts: citizens and staff, their roles, and password checks (Argon2 via pwdlib).

Citizens register themselves (a setting can switch that off where they come from the province's
unified identity login); staff are made with ``paoyici user add``. A reviewer's ``matters``
limits the cases they see; an empty list means every matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.audit import append_event
from cases.errors import CaseError
from cases.models import User


class Role(StrEnum):
    CITIZEN = "citizen"
    REVIEWER = "reviewer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


STAFF_ROLES: frozenset[Role] = frozenset({Role.REVIEWER, Role.SUPERVISOR, Role.ADMIN})


class AccountError(CaseError):
    code = "account_error"
    message = "账号操作失败"


class UsernameTakenError(AccountError):
    code = "username_taken"
    message = "该用户名已被注册"


class InvalidCredentialsError(AccountError):
    code = "invalid_credentials"
    message = "用户名或密码错误"


class InvalidAccountError(AccountError):
    """A username, password or role that cannot make an account (says which)."""

    code = "invalid_account"


_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
MIN_PASSWORD = 8

_hasher = PasswordHash((Argon2Hasher(),))
# verified against when the username is unknown, so a miss costs what a hit does
_DUMMY_HASH = _hasher.hash("paoyici-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    name: str = "",
    role: Role | str = Role.CITIZEN,
    matters: Iterable[str] = (),
    actor: str = "system",
) -> User:
    """A new active account; raises UsernameTakenError or InvalidAccountError."""
    try:
        role = Role(role)
    except ValueError:
        raise InvalidAccountError(
            f"角色“{role}”无效（可用：{'、'.join(r.value for r in Role)}）"
        ) from None
    if not _USERNAME.match(username):
        raise InvalidAccountError("用户名须为 3–64 位字母、数字或 _ . @ -")
    if len(password) < MIN_PASSWORD:
        raise InvalidAccountError(f"密码至少 {MIN_PASSWORD} 位")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UsernameTakenError()
    user = User(
        username=username,
        password_hash=hash_password(password),
        name=name.strip()[:64],
        role=role.value,
        matters=sorted(set(matters)),
        active=True,
    )
    session.add(user)
    session.flush()
    append_event(
        session,
        actor=actor,
        role="system" if actor == "system" else role.value,
        action="user.created",
        subject_type="user",
        subject_id=user.id,
        data={"username": username, "role": role.value, "matters": list(user.matters)},
    )
    return user


def authenticate(session: Session, *, username: str, password: str) -> User:
    """The active account with this password; raises InvalidCredentialsError otherwise."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        _hasher.verify(password, _DUMMY_HASH)
        raise InvalidCredentialsError()
    ok, new_hash = _hasher.verify_and_update(password, user.password_hash)
    if not ok or not user.active:
        raise InvalidCredentialsError()
    if new_hash is not None:
        user.password_hash = new_hash
    return user


def get_user(session: Session, user_id: str) -> User | None:
    return session.get(User, user_id)
