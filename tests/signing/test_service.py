"""Composition from settings, as the lifespan does it: test PKI created on first start, the
trust services mounted at /pki, issue at the configured level, verify, registry status."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_verifier
from api.routers import verify
from signing import SigningSettings, build_signing_services
from signing.registry import InMemoryRegistry
from signing.testing import LoopbackPkiServer, PkiResponder, sample_meta
from tests.signing.conftest import free_port


def test_build_services_issue_and_verify(tmp_path: Path) -> None:
    port = free_port()
    settings = SigningSettings(public_base_url=f"http://127.0.0.1:{port}", level="B-LT")
    registry = InMemoryRegistry()
    services = build_signing_services(settings=settings, data_dir=tmp_path, registry=registry)
    assert (tmp_path / "pki" / "root.pem").is_file()
    assert services.test_pki is not None and services.pki_app is not None
    # a second start reuses the PKI instead of replacing the trust anchor
    root = (tmp_path / "pki" / "root.pem").read_bytes()
    build_signing_services(settings=settings, data_dir=tmp_path)
    assert (tmp_path / "pki" / "root.pem").read_bytes() == root

    meta = sample_meta(serial="5000001")
    # the service serves its own /pki; here a loopback server stands in for uvicorn
    with LoopbackPkiServer(PkiResponder(services.test_pki), port=port):
        issued = services.issuer.issue(meta=meta)
    assert issued.level.value == "B-LT"
    assert issued.verification_url.endswith(f"/verify/{meta.identifier}")
    registry.register(meta, actor="system")

    app = FastAPI()
    app.dependency_overrides[get_verifier] = lambda: services.verifier
    app.include_router(verify.router)
    app.mount("/pki", services.pki_app)
    client = TestClient(app)
    body = client.post("/verify", files={"file": ("c.pdf", issued.pdf, "application/pdf")}).json()
    assert body["verified"] and body["status"] == "valid" and body["level"] == "B-LT"
    assert client.get("/pki/crl/ca.crl").status_code == 200


def test_insecure_defaults_are_reported() -> None:
    dev = SigningSettings().insecure_defaults()
    assert any("PKCS12_PASSPHRASE" in x for x in dev)
    assert any("SERVE_TEST_PKI" in x for x in dev)
    prod = SigningSettings(
        serve_test_pki=False,
        key_source="pkcs11",
        pkcs11_pin="a-real-pin",
        trust_roots=[Path("/etc/paoyici/ca-root.pem")],
        tsa_url="https://tsa.example.gov.cn/tsa",
        public_base_url="https://zwfw.example.gov.cn",
    )
    assert prod.insecure_defaults() == []
