"""Accounts (CONTRACT §4): register, sign in (OAuth2 password flow), sign out, and the verified
real-name identity (``/me`` shows it masked; ``/identity`` records one from the province's
real-name login assertion)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import CitizenDep, PrincipalDep, ServicesDep
from api.schemas import IdentityAssertionIn, IdentityOut, MeOut, RegisterIn, TokenOut, UserOut
from api.security import Principal, RegistrationClosedError, revoke
from api.services import Services
from cases import accounts, transaction
from cases.identity import (
    IdentityLoginUnavailableError,
    ZlbAssertionProvider,
    build_assertion_provider,
    identity_of,
    record_identity,
)
from cases.models import User

router = APIRouter(prefix="/api/auth", tags=["账号"])


@router.post("/register", status_code=201, summary="注册（申请人）")
def register(body: RegisterIn, services: ServicesDep) -> UserOut:
    if not services.settings.api.allow_registration:
        raise RegistrationClosedError()
    # committed before the answer leaves: the client's next request (sign in) must find it
    with transaction(services.sessions) as session:
        user = accounts.create_user(
            session,
            username=body.username,
            password=body.password,
            name=body.name,
            role=accounts.Role.CITIZEN,
            actor=body.username,
        )
        return UserOut(id=user.id, username=user.username, role=user.role)


@router.post("/token", summary="登录，取得访问令牌")
def token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    services: ServicesDep,
) -> TokenOut:
    address = request.client.host if request.client else "unknown"
    services.login_throttle.check(address=address, username=form.username)
    with transaction(services.sessions) as session:
        user = accounts.authenticate(session, username=form.username, password=form.password)
        issued = services.tokens.issue(user)
    return TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)


@router.post("/logout", status_code=204, summary="退出登录（令牌随即失效）")
def logout(principal: PrincipalDep, services: ServicesDep) -> Response:
    with transaction(services.sessions) as session:
        revoke(session, principal)
    return Response(status_code=204)


@router.get("/me", summary="当前登录的账号（含实名认证状态，身份证号码脱敏）")
def me(principal: PrincipalDep, services: ServicesDep) -> MeOut:
    return _me(principal, services)


def _me(principal: Principal, services: Services) -> MeOut:
    with services.sessions() as session:
        user = session.get(User, principal.id)
        identity = identity_of(user, services.cipher) if user is not None else None
    return MeOut(
        id=principal.id,
        username=principal.username,
        role=principal.role.value,
        name=principal.name,
        matters=list(principal.matters),
        identity=IdentityOut(**identity.masked()) if identity else IdentityOut(verified=False),
    )


_PROVIDER = "identity_provider"


def assertion_provider(services: Services) -> ZlbAssertionProvider:
    """The real-name login's verifier, built once per process from the settings."""
    extras = services.job_context.extras
    if _PROVIDER not in extras:
        extras[_PROVIDER] = build_assertion_provider(services.settings.identity)
    provider: ZlbAssertionProvider | None = extras[_PROVIDER]
    if provider is None:
        raise IdentityLoginUnavailableError()
    return provider


@router.post("/identity", summary="以统一实名认证（浙里办）凭证完成实名认证")
def verify_identity(
    body: IdentityAssertionIn, principal: CitizenDep, services: ServicesDep
) -> MeOut:
    identity = assertion_provider(services).verify(body.assertion)
    with transaction(services.sessions) as session:
        user = session.get(User, principal.id)
        assert user is not None  # the principal was read from it on this request
        record_identity(
            session,
            user=user,
            identity=identity,
            cipher=services.cipher,
            actor=principal.username,
            role="citizen",
        )
    return _me(principal, services)
