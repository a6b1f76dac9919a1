"""One service for the web-page tests: the embedded defaults, with three registered certificates
(valid, revoked, superseded) issued by the service's own signer."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import free_port, make_settings

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = os.environ.get("PAOYICI_CHROMIUM", "/usr/bin/chromium")


@dataclass(frozen=True)
class Certificates:
    valid: str  # identifier of a valid certificate
    valid_pdf: bytes
    revoked: str
    revoked_pdf: bytes
    superseded: str
    successor: str


def issue_certificates(app: FastAPI) -> Certificates:
    """Issue, register, revoke and supersede through the service's one registry. In a thread
    of its own: signing runs asyncio.run, which refuses to run inside Playwright's loop."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_issue_certificates, app).result()


def _issue_certificates(app: FastAPI) -> Certificates:
    from signing import SignatureLevel
    from signing.testing import sample_meta

    services = app.state.services
    issued = {}
    for serial, holder in (("7100001", "欧阳娜娜"), ("7100002", "李四"), ("7100003", "王五")):
        meta = sample_meta(serial=serial, holder=holder)
        pdf = services.signing.issuer.issue(meta=meta, level=SignatureLevel.B_B).pdf
        services.registry.register(meta, actor="test")
        issued[serial] = (str(meta.identifier), pdf)
    services.registry.revoke(issued["7100002"][0], actor="test", reason="登记错误")
    successor = sample_meta(serial="7100004", holder="王五", version=2)
    services.registry.register(successor, actor="test", supersedes=issued["7100003"][0])
    return Certificates(
        valid=issued["7100001"][0],
        valid_pdf=issued["7100001"][1],
        revoked=issued["7100002"][0],
        revoked_pdf=issued["7100002"][1],
        superseded=issued["7100003"][0],
        successor=str(successor.identifier),
    )


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Certificates]]:
    app = create_app(make_settings(tmp_path_factory.mktemp("web")))
    with TestClient(app) as client:
        yield client, issue_certificates(app)


@pytest.fixture
def client(web_app: tuple[TestClient, Certificates]) -> TestClient:
    c = web_app[0]
    c.cookies.clear()
    return c


@pytest.fixture
def certs(web_app: tuple[TestClient, Certificates]) -> Certificates:
    return web_app[1]


def csrf_of(html: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert found, "every page carries its CSRF token"
    return found.group(1)


@dataclass(frozen=True)
class Live:
    """The service on a real port: its address, its certificates, the app (for its services)."""

    url: str
    certs: Certificates
    app: FastAPI


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    from dataclasses import replace

    import uvicorn

    from signing import SigningSettings
    from storage import StorageSettings

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # the test PKI's TSA/OCSP/CRL and the QR codes point at this very server
    settings = make_settings(tmp_path_factory.mktemp("live"), public_base_url=url)
    settings = replace(
        settings,
        signing=SigningSettings(public_base_url=url),
        storage=StorageSettings(public_base_url=url),
    )
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the service did not start")
        time.sleep(0.05)
    try:
        yield Live(url, issue_certificates(app), app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not installed at {CHROMIUM} (scripts/install-system-deps.sh)")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # root in a container has no user namespace for Chromium's sandbox
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


def axe_check(page: Any, name: str, label: str) -> dict[str, Any]:
    """axe-core on the page as it is now, a full-page screenshot ``NAME-LABEL.png``, the result
    added to ``axe-results.json``; fails on any serious or critical violation."""
    import json

    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    summary = {
        "url": page.url.split("/", 3)[-1],
        "violations": {v["id"]: v["impact"] for v in violations},
        "passes": len(results.response.get("passes", [])),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    path = ARTIFACTS / "axe-results.json"
    doc = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    doc.setdefault(label, {})[name] = summary
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{name} ({label}): {bad}"
    return summary
