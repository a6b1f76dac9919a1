"""Security headers on every answer of the service.

The Content-Security-Policy admits scripts, styles, images and connections from this origin
only: no inline script, no inline style, no ``eval``, no plug-ins, no framing, forms post only
here. Images may also be ``data:``/``blob:`` (a photo previewed before upload). FastAPI's own
API explorer (``/docs``, ``/redoc``) loads its assets from a CDN with inline script, so it keeps
the other headers but not the policy. In production, HSTS tells browsers to use HTTPS only.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_SECURITY_POLICY", "SecurityHeadersMiddleware", "security_headers"]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
_EXEMPT_FROM_CSP = ("/docs", "/redoc")
_COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(self), microphone=(), geolocation=(), payment=()",
}


def security_headers(path: str, *, production: bool) -> dict[str, str]:
    """The headers of an answer to ``path`` (also for the 500 that Starlette's outermost error
    middleware answers, past this middleware: api/errors.py)."""
    out = dict(_COMMON)
    if not path.startswith(_EXEMPT_FROM_CSP):
        out["content-security-policy"] = CONTENT_SECURITY_POLICY
    if production:
        out["strict-transport-security"] = "max-age=31536000"
    return out


class SecurityHeadersMiddleware:
    """Pure ASGI; a header a route set itself is left as the route set it."""

    def __init__(self, app: ASGIApp, *, production: bool) -> None:
        self.app = app
        self._production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = security_headers(scope.get("path", ""), production=self._production)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
