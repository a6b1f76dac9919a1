"""The security headers are on every answer of the service: every route of the app (API,
pages, mounted apps, static files) called as an anonymous client, the errors the framework
answers itself (404, 405, 422), a refused oversized body, and an unexpected 500."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, routing
from fastapi.testclient import TestClient
from starlette.routing import Mount

from api.app import create_app
from api.web.security import CONTENT_SECURITY_POLICY
from tests.api.conftest import make_settings

EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    made = create_app(make_settings(tmp_path_factory.mktemp("headers")))

    def boom() -> None:
        raise RuntimeError("an unexpected failure")

    made.add_api_route("/api/__reliab_boom", boom, methods=["GET"])
    yield made


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _calls(app: FastAPI) -> list[tuple[str, str]]:
    calls: list[tuple[str, str]] = []
    for route in app.routes:
        if isinstance(route, Mount):
            calls.append(("GET", route.path + "/"))
            calls.append(("GET", route.path + "/missing"))
    for ctx in routing.iter_route_contexts(app.routes):
        methods = getattr(ctx, "methods", None)
        if not methods or not ctx.path:
            continue  # mounts: above
        calls += [(m, _concrete(ctx.path)) for m in sorted(methods) if m != "HEAD"]
    calls += [
        ("GET", "/static/app.css"),
        ("GET", "/no/such/page"),
        ("DELETE", "/api/matters"),  # 405
        ("POST", "/api/auth/register"),  # 422: no body
        ("GET", "/api/__reliab_boom"),  # 500
    ]
    return calls


def test_every_answer_carries_the_security_headers(app: FastAPI) -> None:
    missing: list[str] = []
    statuses: set[int] = set()
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        calls = _calls(app)
        assert len(calls) > 40, calls
        for method, path in calls:
            r = client.request(method, path, timeout=30)
            statuses.add(r.status_code)
            for name, value in EXPECTED.items():
                if r.headers.get(name) != value:
                    missing.append(
                        f"{method} {path} → {r.status_code}: {name}={r.headers.get(name)}"
                    )
            csp = r.headers.get("content-security-policy")
            if not path.startswith(("/docs", "/redoc")) and csp != CONTENT_SECURITY_POLICY:
                missing.append(f"{method} {path} → {r.status_code}: no CSP")
        # an upload refused for its declared size, before the body is read
        r = client.post(
            "/api/applications/1/files",
            headers={
                "content-length": str(10**12),
                "content-type": "multipart/form-data; boundary=x",
            },
            content=b"--x--",
        )
        statuses.add(r.status_code)
        for name, value in EXPECTED.items():
            if r.headers.get(name) != value:
                missing.append(f"oversized upload → {r.status_code}: {name}")
    assert {200, 401, 404, 405, 422, 500} <= statuses, statuses
    assert not missing, "\n".join(missing)


def test_a_production_answer_adds_hsts(tmp_path: Path) -> None:
    from api.web.security import SecurityHeadersMiddleware

    async def plain(scope, receive, send):  # type: ignore[no-untyped-def]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    client = TestClient(SecurityHeadersMiddleware(plain, production=True))
    assert client.get("/").headers["strict-transport-security"].startswith("max-age=")
