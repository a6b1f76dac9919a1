"""What the page routes depend on, beyond ``api.deps``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.web.sessions import CSRF_FIELD, check_csrf
from precheck import Catalogue, load_catalogue

__all__ = ["CatalogueDep", "CsrfChecked", "get_catalogue", "require_csrf"]


def get_catalogue() -> Catalogue:
    """The matters catalogue the rule engine uses (the bundled one, loaded once)."""
    return load_catalogue()


async def require_csrf(request: Request) -> None:
    """Refuse an unsafe request whose form (or header) lacks this session's CSRF token."""
    content_type = request.headers.get("content-type", "")
    submitted = None
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    check_csrf(request, submitted)


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
#: Put ``_: CsrfChecked`` first among a form route's parameters.
CsrfChecked = Annotated[None, Depends(require_csrf)]
