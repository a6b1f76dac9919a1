"""Signing in to the pages: the same accounts, passwords, tokens and throttle as ``/api/auth``.

A page session holds the account's bearer token inside the encrypted session cookie (never in a
URL, never readable by script), so revocation, a deactivated account and a changed role take
effect on pages exactly as on the API. Signing in starts a new session (a new CSRF token: no
session fixation); signing out revokes the token.

Time limits (适老化: none a person cannot extend): a citizen's token is renewed while they use
the pages; a staff session ends after :data:`STAFF_IDLE_SECONDS` without a request the person
made, and the page warns before that with a button to continue (``POST /session/extend``).
Requests a page makes by itself (polling) send ``X-Paoyici-Background: 1`` and do not count.
"""

from __future__ import annotations

import time
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import ServicesDep
from api.security import Principal, UnauthenticatedError, revoke
from api.services import Services
from api.web.deps import CsrfChecked
from api.web.routing import NOTICE_KEY, PageRedirect, WebRoute
from api.web.sessions import session_of
from api.web.templating import WHO_KEY, render
from cases import accounts, transaction
from cases.accounts import AccountError, InvalidCredentialsError
from cases.models import User
from common import DomainError

__all__ = [
    "STAFF_IDLE_SECONDS",
    "CitizenPage",
    "LoginRequired",
    "OptionalPrincipal",
    "StaffPage",
    "router",
    "web_principal",
]

#: A staff page session ends after this long without a request the person made (15 minutes).
STAFF_IDLE_SECONDS = 15 * 60
_TOKEN = "token"  # noqa: S105 - the session key the token is kept under
_SEEN = "seen"
_NOTICE = NOTICE_KEY
BACKGROUND_HEADER = "x-paoyici-background"

router = APIRouter(route_class=WebRoute, include_in_schema=False)


class LoginRequired(PageRedirect):
    """A page that needs a signed-in account (of a role): to the sign-in page, and back here
    afterwards."""

    def __init__(self, next_path: str, notice: str = "请先登录") -> None:
        super().__init__(f"/login?next={quote(next_path)}", notice=notice)


def _sign_in(request: Request, services: Services, user: User) -> None:
    session = session_of(request)
    session.clear()  # a new session on sign-in: the old CSRF token (and anything else) goes
    session[_TOKEN] = services.tokens.issue(user).access_token
    session[_SEEN] = int(time.time())
    # what the page header shows (no database read per page for it)
    session[WHO_KEY] = {"name": user.name or user.username, "role": user.role}


def web_principal(request: Request, services: Services) -> Principal | None:
    """The account signed in to this page session, or None (the session is cleared when its
    token was revoked or expired, or a staff session sat idle too long)."""
    session = session_of(request)
    token = session.get(_TOKEN)
    if not isinstance(token, str):
        return None
    now = time.time()
    seen = session.get(_SEEN)
    try:
        with transaction(services.sessions) as db:
            principal = services.tokens.principal(db, token)
            idle = principal.is_staff and (
                not isinstance(seen, int) or now - seen > STAFF_IDLE_SECONDS
            )
            if idle:
                revoke(db, principal)
            elif _half_spent(services, principal, now):
                # someone still at work keeps a token: a fresh one, the old one expires alone
                user = db.get(User, principal.id)
                if user is not None:
                    session[_TOKEN] = services.tokens.issue(user).access_token
    except UnauthenticatedError as e:
        session.pop(_TOKEN, None)
        session.pop(WHO_KEY, None)
        session[_NOTICE] = e.message
        return None
    if idle:
        session.clear()
        session[_NOTICE] = "为保护信息安全，您长时间未操作，已自动退出，请重新登录"
        return None
    if request.headers.get(BACKGROUND_HEADER) != "1":
        session[_SEEN] = int(now)
    return principal


def _half_spent(services: Services, principal: Principal, now: float) -> bool:
    expires = principal.token_expires_at
    ttl = services.tokens.ttl.total_seconds()
    return expires is not None and expires.timestamp() - now < ttl / 2


def _optional(request: Request, services: ServicesDep) -> Principal | None:
    return web_principal(request, services)


def _page_path(request: Request) -> str:
    return request.url.path if request.method in ("GET", "HEAD") else "/"


def _citizen(request: Request, services: ServicesDep) -> Principal:
    principal = web_principal(request, services)
    if principal is None:
        raise LoginRequired(_page_path(request))
    if principal.role != accounts.Role.CITIZEN:
        raise LoginRequired(_page_path(request), "该页面供申请人使用，请用申请人账号登录")
    return principal


def _staff(request: Request, services: ServicesDep) -> Principal:
    principal = web_principal(request, services)
    if principal is None:
        raise LoginRequired(_page_path(request))
    if not principal.is_staff:
        raise LoginRequired(_page_path(request), "该页面供工作人员使用，请用工作人员账号登录")
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(_optional)]
CitizenPage = Annotated[Principal, Depends(_citizen)]
StaffPage = Annotated[Principal, Depends(_staff)]


def _local(target: str | None) -> str | None:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def _home_of(principal_role: str) -> str:
    return (
        "/review" if principal_role in {r.value for r in accounts.STAFF_ROLES} else "/applications"
    )


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/login", name="web_login")
async def login_form(request: Request, principal: OptionalPrincipal, next: str = "") -> Response:
    notice = session_of(request).pop(_NOTICE, None)
    return render(
        request,
        "login.html",
        next=_local(next) or "",
        error=None,
        notice=notice,
        username="",
        principal=principal,
    )


@router.post("/login", name="web_login_post")
def login(
    _: CsrfChecked,
    request: Request,
    services: ServicesDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    username = username.strip()
    try:
        if not username or not password:
            raise InvalidCredentialsError("请填写用户名和密码")
        address = request.client.host if request.client else "unknown"
        services.login_throttle.check(address=address, username=username)
        with transaction(services.sessions) as db:
            user = accounts.authenticate(db, username=username, password=password)
            role = user.role
            _sign_in(request, services, user)
    except DomainError as e:
        from api.errors import http_status

        message = e.message
        if isinstance(e, InvalidCredentialsError) and username and password:
            message = "用户名或密码错误。请检查大小写和输入法后重试"
        return render(
            request,
            "login.html",
            status_code=http_status(e),
            next=_local(next) or "",
            error=message,
            notice=None,
            username=username,
            principal=None,
        )
    return _see_other(_local(next) or _home_of(role))


@router.get("/register", name="web_register")
async def register_form(request: Request, services: ServicesDep) -> Response:
    return render(
        request,
        "register.html",
        error=None,
        values={},
        open=services.settings.api.allow_registration,
    )


@router.post("/register", name="web_register_post")
def register(
    _: CsrfChecked,
    request: Request,
    services: ServicesDep,
    name: Annotated[str, Form()] = "",
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    password_again: Annotated[str, Form()] = "",
) -> Response:
    values = {"name": name.strip(), "username": username.strip()}
    error = None
    if not services.settings.api.allow_registration:
        error = "本服务不开放自行注册，请通过浙江政务服务网统一身份认证登录"
    elif not values["name"]:
        error = "请填写您的姓名"
    elif password != password_again:
        error = "两次输入的密码不一致，请重新输入"
    if error is None:
        try:
            with transaction(services.sessions) as db:
                user = accounts.create_user(
                    db,
                    username=values["username"],
                    password=password,
                    name=values["name"],
                    role=accounts.Role.CITIZEN,
                    actor=values["username"],
                )
                _sign_in(request, services, user)
        except AccountError as e:
            error = e.message
    if error is not None:
        return render(
            request,
            "register.html",
            status_code=422,
            error=error,
            values=values,
            open=services.settings.api.allow_registration,
        )
    return _see_other("/applications")


@router.post("/logout", name="web_logout")
def logout(_: CsrfChecked, request: Request, services: ServicesDep) -> Response:
    principal = web_principal(request, services)
    if principal is not None:
        with transaction(services.sessions) as db:
            revoke(db, principal)
    session = session_of(request)
    session.clear()
    session[_NOTICE] = "您已安全退出"
    return _see_other("/login")


@router.post("/session/extend", name="web_session_extend")
def extend(_: CsrfChecked, request: Request, services: ServicesDep) -> Response:
    """The "continue" button of the idle warning: a request the person made."""
    principal = web_principal(request, services)
    return Response(status_code=204 if principal is not None else 401)
