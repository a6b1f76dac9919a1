"""The loopback trust services, through the ASGI app (as the service mounts it) and over HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import httpx
import pytest
from asn1crypto import parser, tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from fastapi import FastAPI
from fastapi.testclient import TestClient

from signing.testing import PkiAsgiApp, PkiResponder, TestPki


@pytest.fixture(scope="module")
def client(pki: TestPki) -> TestClient:
    app = FastAPI()
    app.mount("/pki", PkiAsgiApp(PkiResponder(pki)))
    return TestClient(app)


def _ocsp_request(cert: x509.Certificate, issuer: x509.Certificate) -> bytes:
    req = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA256())
    req = req.add_extension(x509.OCSPNonce(secrets.token_bytes(16)), critical=False)
    return req.build().public_bytes(serialization.Encoding.DER)


def test_ocsp_good_then_revoked_and_crl_lists_it(client: TestClient, pki: TestPki) -> None:
    pki.issue_seal(stem="ocsp-probe")
    cert = pki._cert("ocsp-probe.pem")
    r = client.post(
        "/pki/ocsp",
        content=_ocsp_request(cert, pki.ca_cert),
        headers={"content-type": "application/ocsp-request"},
    )
    assert r.status_code == 200 and r.headers["content-type"] == "application/ocsp-response"
    resp = ocsp.load_der_ocsp_response(r.content)
    assert resp.response_status is ocsp.OCSPResponseStatus.SUCCESSFUL
    assert resp.certificate_status is ocsp.OCSPCertStatus.GOOD
    assert resp.serial_number == cert.serial_number
    # signed by the delegated responder, which the CA issued
    pki.ocsp_cert.public_key().verify(  # type: ignore[call-arg]
        resp.signature,
        resp.tbs_response_bytes,
        __import__("cryptography.hazmat.primitives.asymmetric.ec", fromlist=["ECDSA"]).ECDSA(
            hashes.SHA256()
        ),
    )
    pki.revoke(cert, reason="key_compromise")
    resp = ocsp.load_der_ocsp_response(
        client.post("/pki/ocsp", content=_ocsp_request(cert, pki.ca_cert)).content
    )
    assert resp.certificate_status is ocsp.OCSPCertStatus.REVOKED
    assert resp.revocation_reason is x509.ReasonFlags.key_compromise
    crl = x509.load_der_x509_crl(client.get("/pki/crl/ca.crl").content)
    assert crl.is_signature_valid(pki.ca_cert.public_key())  # type: ignore[arg-type]
    assert crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None
    root_crl = x509.load_der_x509_crl(client.get("/pki/crl/root.crl").content)
    assert root_crl.is_signature_valid(pki.root_cert.public_key())  # type: ignore[arg-type]


def test_ocsp_for_a_foreign_issuer_is_unauthorized(client: TestClient, pki: TestPki) -> None:
    # ask about the CA itself as if the root were its issuer's issuer: not this responder's CA
    resp = ocsp.load_der_ocsp_response(
        client.post("/pki/ocsp", content=_ocsp_request(pki.ca_cert, pki.root_cert)).content
    )
    assert resp.response_status is ocsp.OCSPResponseStatus.UNAUTHORIZED
    bad = ocsp.load_der_ocsp_response(client.post("/pki/ocsp", content=b"\x30\x03junk").content)
    assert bad.response_status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_timestamp_token_covers_the_imprint(client: TestClient, pki: TestPki) -> None:
    digest = hashlib.sha256(b"certificate bytes").digest()
    nonce = secrets.randbits(63)
    req = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": digest,
            },
            "nonce": nonce,
            "cert_req": True,
        }
    )
    r = client.post(
        "/pki/tsa", content=req.dump(), headers={"content-type": "application/timestamp-query"}
    )
    assert r.status_code == 200
    resp = tsp.TimeStampResp.load(r.content)
    assert resp["status"]["status"].native == "granted"
    signed = resp["time_stamp_token"]["content"]
    info = signed["encap_content_info"]["content"].parsed
    assert info["message_imprint"]["hashed_message"].native == digest
    assert info["nonce"].native == nonce
    gen = info["gen_time"].native
    assert abs(gen - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    certs = [c.chosen.dump() for c in signed["certificates"]]
    assert pki.tsa_cert.public_bytes(serialization.Encoding.DER) in certs
    # SHA-1 imprints are refused
    weak = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha1"},
                "hashed_message": b"\0" * 20,
            },
        }
    )
    raw = client.post("/pki/tsa", content=weak.dump()).content
    # TimeStampResp without a token (asn1crypto's class insists on one): parse the status only
    refused = tsp.PKIStatusInfo.load(parser.parse(raw)[4])
    assert refused["status"].native == "rejection"
    assert "bad_alg" in refused["fail_info"].native


def test_bad_requests(client: TestClient) -> None:
    assert client.post("/pki/tsa", content=b"not asn1").status_code == 400
    assert client.get("/pki/nothing").status_code == 404
    assert client.post("/pki/ocsp", content=b"\0" * (70 * 1024)).status_code == 413
    assert client.get("/pki/ca.crt").headers["content-type"] == "application/pkix-cert"


def test_threaded_server_answers_over_http(pki: TestPki) -> None:
    # the session's LoopbackPkiServer listens on the PKI's base URL
    r = httpx.get(pki.urls.ca_crl, timeout=5)
    assert r.status_code == 200
    x509.load_der_x509_crl(r.content)
