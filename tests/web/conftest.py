"""One service for the web-page tests: the embedded defaults, with three registered certificates
(valid, revoked, superseded) issued by the service's own signer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import make_settings

ARTIFACTS = Path(__file__).parent / "artifacts"


@dataclass(frozen=True)
class Certificates:
    valid: str  # identifier of a valid certificate
    valid_pdf: bytes
    revoked: str
    revoked_pdf: bytes
    superseded: str
    successor: str


def issue_certificates(app: FastAPI) -> Certificates:
    """Issue, register, revoke and supersede through the service's one registry."""
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
