"""Face data (照面信息) in the signed revision, read back only from a verified certificate."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from signing import (
    CertificateRenderer,
    CertificateVerifier,
    PadesSigner,
    PadesValidator,
    Pkcs12KeySource,
    SignatureLevel,
)
from signing.ecert import EcertOutcome, read_certificate
from signing.facedata import FaceData, face_from_xmp
from signing.registry import InMemoryRegistry
from signing.testing import TestPki, init_test_pki, sample_meta

FACE = {
    "certificate_number": "浙(2026)杭州市不动产权第0000001号",
    "owners": ["李四", "王五"],
    "co_ownership": "共同共有",
    "location": "杭州市西湖区文三路100号1幢2单元301室",
    "unit_number": "330106001001GB00001F00010001",
    "area": "89.50",
}


def _meta(serial: str = "2026000001", version: int = 1):  # type: ignore[no-untyped-def]
    return dataclasses.replace(
        sample_meta(serial=serial, version=version),
        face=FaceData.of("property_certificate", FACE),
    )


@pytest.fixture(scope="module")
def face_pdf(renderer: CertificateRenderer, signers: dict[str, PadesSigner]) -> bytes:
    return signers["ecdsa-p256"].sign(renderer.render(_meta()), level=SignatureLevel.B_B)


def test_face_data_round_trips_through_xmp(renderer: CertificateRenderer) -> None:
    pdf = renderer.render(_meta())
    start = pdf.index(b"<?xpacket begin")
    end = pdf.index(b"<?xpacket end") + 20
    face = face_from_xmp(pdf[start:end])
    assert face is not None and face.doc_type == "property_certificate"
    assert face.fields == FACE
    # GB/T 36903 metadata is still there beside it
    assert b"urn:paoyici:ecert:gbt36903:1.0#" in pdf[start:end]


def test_verified_certificate_gives_its_face_data(
    validator: PadesValidator, face_pdf: bytes
) -> None:
    registry = InMemoryRegistry()
    registry.register(_meta(), actor="system")
    reading = read_certificate(
        CertificateVerifier(validator=validator, registry=registry), face_pdf
    )
    assert reading.outcome is EcertOutcome.VERIFIED
    assert reading.face is not None and reading.face.fields == FACE
    assert reading.identifier == str(_meta().identifier)


def test_one_changed_byte_is_invalid(validator: PadesValidator, face_pdf: bytes) -> None:
    # one byte of the signed face data (the XMP stream is stored uncompressed): 89.50 → 99.50
    at = face_pdf.index(b"89.50")
    tampered = face_pdf[:at] + b"9" + face_pdf[at + 1 :]
    reading = read_certificate(CertificateVerifier(validator=validator), tampered)
    assert reading.outcome is EcertOutcome.INVALID and reading.face is None
    assert "改动" in reading.message


def test_revoked_and_superseded(validator: PadesValidator, face_pdf: bytes) -> None:
    registry = InMemoryRegistry()
    verifier = CertificateVerifier(validator=validator, registry=registry)
    registry.register(_meta(), actor="system")
    registry.register(_meta(version=2), actor="system", supersedes=str(_meta().identifier))
    reading = read_certificate(verifier, face_pdf)
    assert reading.outcome is EcertOutcome.SUPERSEDED and reading.face is None

    registry2 = InMemoryRegistry()
    registry2.register(_meta(), actor="system")
    registry2.revoke(str(_meta().identifier), actor="reviewer", reason="错误登记")
    reading = read_certificate(
        CertificateVerifier(validator=validator, registry=registry2), face_pdf
    )
    assert reading.outcome is EcertOutcome.REVOKED and reading.face is None
    assert "注销" in reading.message


def test_untrusted_pki(
    tmp_path: Path, renderer: CertificateRenderer, validator: PadesValidator
) -> None:
    other: TestPki = init_test_pki(directory=tmp_path / "other", with_rsa_seal=False)
    signer = PadesSigner(key_source=Pkcs12KeySource(other.seal_p12, passphrase=other.passphrase))
    pdf = signer.sign(renderer.render(_meta()), level=SignatureLevel.B_B)
    reading = read_certificate(CertificateVerifier(validator=validator), pdf)
    assert reading.outcome is EcertOutcome.UNTRUSTED and reading.face is None
    assert "受信任" in reading.message


def test_signed_pdf_without_face_data(validator: PadesValidator, signed: object) -> None:
    pdf = signed("ecdsa-p256", SignatureLevel.B_B)  # type: ignore[operator]
    reading = read_certificate(CertificateVerifier(validator=validator), pdf)
    assert reading.outcome is EcertOutcome.NO_FACE_DATA and reading.face is None
