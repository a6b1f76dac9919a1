"""``install_web``: the pages, their session, CSRF and security headers, on the one app."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.settings import Settings
from api.web import auth, citizen, console, pages, supervision
from api.web.security import SecurityHeadersMiddleware
from api.web.sessions import SessionMiddleware
from api.web.templating import STATIC_DIR

__all__ = ["install_web"]


def install_web(app: FastAPI, settings: Settings) -> None:
    production = settings.api.env == "production"
    app.include_router(pages.router)
    app.include_router(auth.router)
    app.include_router(citizen.router)
    app.include_router(console.router)
    app.include_router(supervision.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.api.secret_key,
        secure=production,
    )
    app.add_middleware(SecurityHeadersMiddleware, production=production)
