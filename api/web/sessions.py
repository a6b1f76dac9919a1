"""Cookie sessions for the pages, and CSRF protection for every form.

The session is a small JSON object kept in one cookie, encrypted and authenticated with Fernet
(AES-128-CBC + HMAC-SHA256) under a key derived from ``PAOYICI_SECRET_KEY``: the browser can
neither read it nor change it, so answers and sign-in state never travel in clear or in a URL.
The cookie is ``HttpOnly``, ``SameSite=Lax`` and, in production, ``Secure``; it lives as long
as the browser session, and Fernet's timestamp bounds it to :data:`SESSION_MAX_AGE` whatever the
browser does.

CSRF: a random token is kept in the session (the synchronizer-token pattern). Every form carries
it in a hidden ``csrf_token`` field (htmx sends it as the ``X-CSRF-Token`` header, from the page's
``<meta name="csrf-token">``); every unsafe request to a page route is refused unless the token
matches and, when the browser says where the request comes from (``Origin``), it is this site.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import CsrfError

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "SESSION_MAX_AGE",
    "SessionMiddleware",
    "WebSession",
    "check_csrf",
    "csrf_token",
    "session_of",
]

SESSION_COOKIE = "paoyici_session"
#: Seconds after which a session cookie is refused whatever its expiry says (12 hours).
SESSION_MAX_AGE = 12 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SCOPE_KEY = "paoyici.web_session"
_CSRF_KEY = "csrf"
# a browser keeps cookies up to ~4 KB; a session that outgrows it is a bug, not a user's fault
_MAX_COOKIE = 3800


class WebSession(dict[str, Any]):
    """The session's data; the middleware writes the cookie again only when it changed."""

    def __init__(self, data: dict[str, Any] | None = None, *, fresh: bool = True) -> None:
        super().__init__(data or {})
        self.fresh = fresh
        self._loaded = json.dumps(self, sort_keys=True, ensure_ascii=False)

    @property
    def changed(self) -> bool:
        return json.dumps(self, sort_keys=True, ensure_ascii=False) != self._loaded


def _fernet(secret_key: str) -> Fernet:
    # a key of its own for the cookie, so the secret's other uses (tokens) never share it
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"paoyici web session v1"
    ).derive(secret_key.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(key))


class SessionMiddleware:
    """Pure ASGI (streamed answers such as server-sent events pass through untouched)."""

    def __init__(self, app: ASGIApp, *, secret_key: str, secure: bool) -> None:
        self.app = app
        self._fernet = _fernet(secret_key)
        self._secure = secure

    def _load(self, raw: str | None) -> WebSession:
        if not raw:
            return WebSession()
        try:
            data = json.loads(self._fernet.decrypt(raw.encode("ascii"), ttl=SESSION_MAX_AGE))
        except (InvalidToken, ValueError, UnicodeError):
            return WebSession()  # tampered, expired or from another key: start afresh
        return WebSession(data, fresh=False) if isinstance(data, dict) else WebSession()

    def _cookie(self, session: WebSession) -> str:
        attrs = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if self._secure else "")
        if not session:
            return f"{SESSION_COOKIE}=; Max-Age=0{attrs}"
        body = json.dumps(session, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        token = self._fernet.encrypt(body).decode("ascii")
        if len(token) > _MAX_COOKIE:
            raise RuntimeError(f"web session too large for a cookie ({len(token)} bytes)")
        return f"{SESSION_COOKIE}={token}{attrs}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        session = self._load(HTTPConnection(scope).cookies.get(SESSION_COOKIE))
        scope[_SCOPE_KEY] = session

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and (
                session.changed or (not session and not session.fresh)
            ):
                MutableHeaders(scope=message).append("set-cookie", self._cookie(session))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def session_of(request: HTTPConnection) -> MutableMapping[str, Any]:
    """The request's session; a throwaway one where the middleware is not installed (a small
    test app mounting one router), so rendering a page never depends on it."""
    session = request.scope.get(_SCOPE_KEY)
    if session is None:
        session = request.scope[_SCOPE_KEY] = WebSession()
    return session


def csrf_token(request: HTTPConnection) -> str:
    """The session's CSRF token, made on first use."""
    session = session_of(request)
    token = session.get(_CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = session[_CSRF_KEY] = secrets.token_urlsafe(32)
    return token


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return True  # no Origin header (an old browser): the token alone decides
    parts = urlsplit(origin)
    host = request.headers.get("host", "")
    return bool(parts.scheme in ("http", "https") and parts.netloc == host)


def check_csrf(request: Request, submitted: str | None) -> None:
    """Raise :class:`~api.errors.CsrfError` unless ``submitted`` (the form field, else the
    header) is this session's token and the request comes from this site."""
    expected = session_of(request).get(_CSRF_KEY)
    given = submitted or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(expected, str) or not expected or not _same_origin(request):
        raise CsrfError()
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise CsrfError()
