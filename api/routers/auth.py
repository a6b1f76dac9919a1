"""Accounts (CONTRACT §4): register, sign in (OAuth2 password flow), sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import PrincipalDep, ServicesDep
from api.schemas import MeOut, RegisterIn, TokenOut, UserOut
from api.security import RegistrationClosedError, revoke
from cases import accounts, transaction

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


@router.get("/me", summary="当前登录的账号")
def me(principal: PrincipalDep) -> MeOut:
    return MeOut(
        id=principal.id,
        username=principal.username,
        role=principal.role.value,
        name=principal.name,
        matters=list(principal.matters),
    )
