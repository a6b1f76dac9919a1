"""The e-certificate library's HTTP adapter against a simulator of the province's platform,
over real HTTP: signed requests, lookups by holder and type, fetches, refusals."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from signing import (
    CertificateNotFoundError,
    CertificateRenderer,
    CertificateVerifier,
    PadesSigner,
    PadesValidator,
    SignatureLevel,
)
from signing.ecert import EcertOutcome, read_certificate
from signing.facedata import FaceData
from signing.library import (
    DEFAULT_TYPES,
    CertificateLibrary,
    LibraryError,
    LibrarySettings,
    SharingPlatformLibrary,
)
from signing.metadata import CertificateStatus
from signing.testing import sample_meta
from tests.signing.conftest import free_port
from tests.signing.platform_sim import Platform, Served, SimCertificate

HOLDER = "330106198503120016"
PROPERTY = DEFAULT_TYPES["property_certificate"]
FACE = {"certificate_number": "浙(2026)杭州市不动产权第0000001号", "owners": ["张三"]}


@pytest.fixture(scope="module")
def face_pdf(renderer: CertificateRenderer, signers: dict[str, PadesSigner]) -> bytes:
    meta = dataclasses.replace(sample_meta(), face=FaceData.of("property_certificate", FACE))
    return signers["ecdsa-p256"].sign(renderer.render(meta), level=SignatureLevel.B_B)


@pytest.fixture(scope="module")
def platform(face_pdf: bytes) -> Iterator[tuple[Platform, str]]:
    p = Platform(app_key="paoyici-test", app_secret="s3cret-for-tests")
    ident = str(sample_meta().identifier)
    p.certificates += [
        SimCertificate(
            ident, PROPERTY, HOLDER, "张三", "第0000001号", "2026-11-27", "valid", face_pdf
        ),
        SimCertificate(
            str(sample_meta(serial="2026000002").identifier),
            PROPERTY,
            HOLDER,
            "张三",
            "第0000002号",
            "2025-01-02",
            "revoked",
            b"%PDF-revoked",
        ),
        SimCertificate(
            str(sample_meta(serial="2026000003").identifier),
            PROPERTY,
            "330106199001010012",
            "李四",
            "第0000003号",
            "2026-01-02",
            "valid",
            b"%PDF-other",
        ),
    ]
    port = free_port()
    with Served(p.app(), port):
        yield p, f"http://127.0.0.1:{port}/irs/ecert/v1"


def _library(base_url: str, **kw: str) -> SharingPlatformLibrary:
    settings = LibrarySettings(
        base_url=base_url,
        app_key=kw.get("app_key", "paoyici-test"),
        app_secret=kw.get("app_secret", "s3cret-for-tests"),
    )
    return SharingPlatformLibrary(settings)


def test_lookup_and_fetch_over_http(
    platform: tuple[Platform, str], face_pdf: bytes, validator: PadesValidator
) -> None:
    sim, url = platform
    lib = _library(url)
    assert isinstance(lib, CertificateLibrary)
    try:
        found = lib.holder_certificates(holder_code=HOLDER, doc_types=["property_certificate"])
        # only the holder's valid ones, of the asked type
        assert [c.identifier for c in found] == [str(sample_meta().identifier)]
        [cert] = found
        assert cert.doc_type == "property_certificate" and cert.status is CertificateStatus.VALID
        assert lib.holder_certificates(holder_code=HOLDER, doc_types=["business_license"]) == []
        pdf = lib.fetch(cert.identifier)
        assert pdf == face_pdf
        # what came over the wire is verified like an upload before its data is used
        reading = read_certificate(CertificateVerifier(validator=validator), pdf)
        assert reading.outcome is EcertOutcome.VERIFIED and reading.face is not None
        assert reading.face.fields == FACE
        with pytest.raises(CertificateNotFoundError):
            lib.fetch(str(sample_meta(serial="2026999999").identifier))
    finally:
        lib.close()
    assert any("holder_code=" + HOLDER in r for r in sim.requests)


def test_wrong_credentials_are_refused(platform: tuple[Platform, str]) -> None:
    _, url = platform
    lib = _library(url, app_secret="wrong")
    try:
        with pytest.raises(LibraryError):
            lib.holder_certificates(holder_code=HOLDER, doc_types=["property_certificate"])
    finally:
        lib.close()


def test_unreachable_platform_is_a_library_error() -> None:
    lib = _library(f"http://127.0.0.1:{free_port()}/irs")
    try:
        with pytest.raises(LibraryError) as e:
            lib.holder_certificates(holder_code=HOLDER, doc_types=["property_certificate"])
        assert e.value.code == "library_unavailable" and e.value.message
    finally:
        lib.close()


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAOYICI_LIBRARY_BASE_URL", "https://irs.example.gov.cn/ecert")
    monkeypatch.setenv("PAOYICI_LIBRARY_APP_KEY", "k")
    monkeypatch.setenv("PAOYICI_LIBRARY_TYPES", '{"property_certificate": "11100000BDCQZ"}')
    s = LibrarySettings()
    assert s.base_url == "https://irs.example.gov.cn/ecert" and s.app_key == "k"
    assert s.types == {"property_certificate": "11100000BDCQZ"}
