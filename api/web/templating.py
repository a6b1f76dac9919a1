"""The pages' Jinja2 environment and the one function that renders a page.

Autoescaping is on for every template and undefined names fail loudly. Every page gets the
request, its CSRF token (``csrf_token()``), the text size chosen (``large_text``) and the path
to come back to after a preference form (``here``). Templates carry no inline script and no
``style`` attribute: the Content-Security-Policy allows neither.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from api.web.sessions import CSRF_FIELD, csrf_token, session_of

__all__ = [
    "STATIC_DIR",
    "TEMPLATES_DIR",
    "TEXT_SIZE_COOKIE",
    "WHO_KEY",
    "large_text",
    "render",
    "render_str",
]

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
#: The 适老化 preference: ``large`` makes the base text 24 px (18 pt) instead of 18 px.
TEXT_SIZE_COOKIE = "paoyici_text"
#: The session key of who is signed in, as the header shows it: ``{"name", "role"}``.
WHO_KEY = "who"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def large_text(request: Request) -> bool:
    return request.cookies.get(TEXT_SIZE_COOKIE) == "large"


def _here(request: Request) -> str:
    """Where a preference form returns to: this page when it can be fetched again (GET; the
    query is dropped, it only ever holds a search), else the home page."""
    return request.url.path if request.method in ("GET", "HEAD") else "/"


def _who(request: Request) -> dict[str, str] | None:
    who = session_of(request).get(WHO_KEY)
    return who if isinstance(who, dict) else None


def render_str(request: Request, template: str, **context: Any) -> str:
    return _env.get_template(template).render(
        request=request,
        csrf_token=lambda: csrf_token(request),
        csrf_field=CSRF_FIELD,
        large_text=large_text(request),
        here=_here(request),
        who=_who(request),
        **context,
    )


def render(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page. Pages may show personal data: they are never stored by a cache."""
    response = HTMLResponse(
        render_str(request, template, **context), status_code=status_code, headers=headers
    )
    response.headers.setdefault("cache-control", "no-store")
    return response
