"""POST /verify and GET /verify/{identifier} in a small FastAPI app wired like the lifespan."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_verifier
from api.errors import install_error_handlers
from api.routers import verify
from signing import (
    CertificateIssuer,
    CertificateRenderer,
    CertificateVerifier,
    PadesSigner,
    PadesValidator,
    SignatureLevel,
)
from signing.registry import InMemoryRegistry
from signing.testing import sample_meta


@pytest.fixture()
def registry() -> InMemoryRegistry:
    return InMemoryRegistry()


@pytest.fixture()
def client(validator: PadesValidator, registry: InMemoryRegistry) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)
    verifier = CertificateVerifier(validator=validator, registry=registry, max_bytes=512 * 1024)
    app.dependency_overrides[get_verifier] = lambda: verifier
    app.include_router(verify.router)
    return TestClient(app)


@pytest.fixture()
def issued(
    signers: dict[str, PadesSigner], renderer: CertificateRenderer, registry: InMemoryRegistry
) -> tuple[str, bytes]:
    issuer = CertificateIssuer(renderer=renderer, signer=signers["ecdsa-p256"])
    meta = sample_meta(serial="3000001", holder="欧阳娜娜")
    cert = issuer.issue(meta=meta, level=SignatureLevel.B_LT)
    registry.register(meta, actor="system")
    return str(meta.identifier), cert.pdf


def _post(client: TestClient, data: bytes, name: str = "c.pdf") -> object:
    return client.post("/verify", files={"file": (name, data, "application/pdf")})


def test_upload_verifies_and_reflects_revocation(
    client: TestClient, issued: tuple[str, bytes], registry: InMemoryRegistry
) -> None:
    ident, pdf = issued
    r = _post(client, pdf)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verified"] is True
    assert body["intact"] and body["valid"] and body["trusted"]
    assert body["level"] == "B-LT" and body["identifier"] == ident and body["status"] == "valid"
    registry.revoke(ident, actor="officer:1", reason="登记错误")
    body = _post(client, pdf).json()
    assert body["status"] == "revoked" and body["verified"] is False


def test_tampered_upload_is_not_verified(client: TestClient, issued: tuple[str, bytes]) -> None:
    _, pdf = issued
    i = pdf.index(b"/Creator (") + 12
    tampered = pdf[:i] + bytes([pdf[i] ^ 1]) + pdf[i + 1 :]
    body = _post(client, tampered).json()
    assert body["verified"] is False and body["intact"] is False


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (b"GIF89a not a pdf", 415, "not_a_pdf"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\ntrailer <<>>\n%%EOF", 422, None),
        (b"%PDF-1.4\n" + b"\xff" * (600 * 1024), 413, "too_large"),
    ],
    ids=["not-pdf", "garbage-pdf", "too-large"],
)
def test_hostile_uploads_get_4xx_with_error_and_message(
    client: TestClient, payload: bytes, status: int, code: str | None
) -> None:
    r = _post(client, payload)
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "message"}
    if code:
        assert body["error"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_unsigned_pdf_is_422(client: TestClient, unsigned_pdf: bytes) -> None:
    r = _post(client, unsigned_pdf)
    assert r.status_code == 422 and r.json()["error"] == "not_signed"


def test_qr_landing_json_and_html_mask_the_holder(
    client: TestClient, issued: tuple[str, bytes], registry: InMemoryRegistry
) -> None:
    ident, _ = issued
    r = client.get(f"/verify/{ident}")
    assert r.status_code == 200
    doc = r.json()
    assert doc["status"] == "valid" and doc["holder"] == "欧***"
    assert "330106198503120016" not in r.text and "欧阳娜娜" not in r.text
    page = client.get(f"/verify/{ident}", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "电子证照有效" in page.text and "欧***" in page.text and "欧阳娜娜" not in page.text
    registry.revoke(ident, actor="officer:1", reason="x")
    assert client.get(f"/verify/{ident}").json()["status"] == "revoked"
    assert "已注销" in client.get(f"/verify/{ident}", headers={"accept": "text/html"}).text


def test_qr_landing_wrong_check_char_and_unknown(client: TestClient) -> None:
    ident = str(sample_meta(serial="424242").identifier)
    wrong = ident[:-1] + ("A" if ident[-1] != "A" else "B")
    r = client.get(f"/verify/{wrong}")
    assert r.status_code == 422 and r.json()["error"] == "invalid_identifier"
    r = client.get(f"/verify/{ident}")
    assert r.status_code == 404 and r.json()["error"] == "certificate_not_found"
    page = client.get(f"/verify/{ident}", headers={"accept": "text/html"})
    assert page.status_code == 404 and "未找到" in page.text
