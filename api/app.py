"""The FastAPI application: ``create_app()`` builds everything once in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from api.errors import PkiNotServedError, install_error_handlers
from api.logging_setup import configure_logging
from api.routers import (
    applications,
    auth,
    courier,
    health,
    matters,
    objects,
    review,
    supervision,
    verify,
    visits,
)
from api.services import Services, build_services
from api.settings import Settings, load_settings
from api.upload_limit import BodyTimeoutMiddleware, UploadLimitMiddleware
from api.web.app import install_web


async def _test_pki_services(scope: Scope, receive: Receive, send: Send) -> None:
    """The embedded default is its own loopback TSA / OCSP / CRL (test PKI); production has none."""
    services: Services | None = getattr(scope["app"].state, "services", None)
    pki_app = services.signing.pki_app if services is not None else None
    if pki_app is None:
        raise PkiNotServedError(detail="PAOYICI_SIGNING_SERVE_TEST_PKI is off")
    await pki_app(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.api.log_level)
        services: Services = build_services(settings)
        # the one composition root: routes reach it through the aliases in api.deps
        app.state.services = services
        services.start()
        try:
            yield
        finally:
            services.close()

    app = FastAPI(
        title="跑一次 Paoyici",
        description="办事材料预审、人工复核与电子证照签发服务",
        version="0.1.0",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.add_middleware(UploadLimitMiddleware)
    app.add_middleware(BodyTimeoutMiddleware)
    app.include_router(health.router)
    app.include_router(objects.router)
    app.include_router(verify.router)
    app.include_router(auth.router)
    app.include_router(matters.router)
    app.include_router(applications.router)
    app.include_router(review.router)
    app.include_router(supervision.router)
    supervision.instrument(app)
    app.include_router(courier.router)
    app.include_router(visits.router)
    app.mount("/pki", _test_pki_services)
    if settings.courier.simulator:
        # embedded default: the simulator carrier (SF + Kuaidi100 protocols) in the same server
        from courier.settings import SIMULATOR_PATH
        from courier.simulator import embedded_app

        app.mount(SIMULATOR_PATH, embedded_app(settings.courier))
    install_web(app, settings)
    return app
