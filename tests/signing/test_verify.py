"""CertificateVerifier: identifier from the signed revision, changes after signing, hostile
files (bounded time, a typed error, never a crash)."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

from api.errors import http_status
from signing import (
    CertificateStatus,
    CertificateVerifier,
    CorruptPdfError,
    NotAPdfError,
    PadesValidator,
    PdfTooLargeError,
    SignatureLevel,
    UnsignedPdfError,
)
from signing.registry import InMemoryRegistry
from signing.testing import sample_meta


@pytest.fixture(scope="module")
def verifier(validator: PadesValidator) -> CertificateVerifier:
    return CertificateVerifier(validator=validator, max_bytes=2 * 1024 * 1024)


def test_verified_result_has_the_contract_keys(
    verifier: CertificateVerifier, signed: Callable[[str, SignatureLevel], bytes]
) -> None:
    result = verifier.verify_pdf(signed("rsa-3072", SignatureLevel.B_T))
    assert result.verified
    doc = result.to_json()
    assert doc["level"] == "B-T" and doc["status"] == "unknown"
    assert doc["identifier"] == str(sample_meta().identifier)


def test_registry_status_decides(
    validator: PadesValidator, signed: Callable[[str, SignatureLevel], bytes]
) -> None:
    registry = InMemoryRegistry()
    v = CertificateVerifier(validator=validator, registry=registry)
    pdf = signed("ecdsa-p256", SignatureLevel.B_B)
    assert v.verify_pdf(pdf).status is CertificateStatus.UNKNOWN
    meta = sample_meta()
    registry.register(meta, actor="system")
    assert v.verify_pdf(pdf).status is CertificateStatus.VALID and v.verify_pdf(pdf).verified
    registry.register(sample_meta(version=2), actor="system", supersedes=str(meta.identifier))
    result = v.verify_pdf(pdf)
    assert result.status is CertificateStatus.SUPERSEDED and not result.verified


def _incremental(pdf: bytes, edit: Callable[[PdfWriter], None]) -> bytes:
    w = PdfWriter(io.BytesIO(pdf), incremental=True)
    edit(w)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_metadata_changed_in_a_later_revision_is_caught(
    verifier: CertificateVerifier, signed: Callable[[str, SignatureLevel], bytes]
) -> None:
    pdf = signed("ecdsa-p256", SignatureLevel.B_B)
    other = str(sample_meta(serial="9999999").identifier)

    def swap_identifier(w: PdfWriter) -> None:
        w.add_metadata({"/ECertIdentifier": other, "/Title": "伪造"})

    result = verifier.verify_pdf(_incremental(pdf, swap_identifier))
    assert not result.verified
    assert "metadata_changed_after_signing" in result.problems
    # the identifier reported is the signed one, not the swapped one
    assert result.identifier == str(sample_meta().identifier)


def test_content_added_in_a_later_revision_is_caught(
    verifier: CertificateVerifier, signed: Callable[[str, SignatureLevel], bytes]
) -> None:
    def overlay(w: PdfWriter) -> None:
        page = w.pages[0]
        stream = DecodedStreamObject()
        stream.set_data(b"BT /F1 30 Tf 100 400 Td (VOID) Tj ET")
        ref = w._add_object(stream)
        page[NameObject("/Contents")] = ArrayObject([page.raw_get("/Contents"), ref])

    result = verifier.verify_pdf(_incremental(signed("ecdsa-p256", SignatureLevel.B_B), overlay))
    assert result.intact and not result.covers_document and not result.verified


HOSTILE = {
    "not-a-pdf": (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, NotAPdfError),
    "deep-nesting": (
        b"%PDF-1.7\n1 0 obj\n"
        + b"[" * 100000
        + b"]" * 100000
        + b"\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF",
        NotAPdfError,
    ),
    "xref-loop": (
        b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\nxref\n0 1\n0000000000 65535 f \n"
        b"trailer<</Size 1/Root 1 0 R/Prev 9>>\nstartxref\n9\n%%EOF",
        NotAPdfError,
    ),
    "huge-length": (
        b"%PDF-1.7\n1 0 obj<</Length 99999999999>>stream\nabc\nendstream endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF",
        NotAPdfError,
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_fail_fast_with_a_typed_error(
    verifier: CertificateVerifier, name: str
) -> None:
    data, error = HOSTILE[name]
    start = time.monotonic()
    with pytest.raises(error) as e:
        verifier.verify_pdf(data)
    assert time.monotonic() - start < 10
    assert 400 <= http_status(e.value) < 500 and e.value.code and e.value.message


def test_truncated_signed_pdf(
    verifier: CertificateVerifier, signed: Callable[[str, SignatureLevel], bytes]
) -> None:
    pdf = signed("ecdsa-p256", SignatureLevel.B_B)
    with pytest.raises(CorruptPdfError):
        verifier.verify_pdf(pdf[: len(pdf) // 2])


def test_unsigned_and_too_large(verifier: CertificateVerifier, unsigned_pdf: bytes) -> None:
    with pytest.raises(UnsignedPdfError):
        verifier.verify_pdf(unsigned_pdf)
    with pytest.raises(PdfTooLargeError):
        verifier.verify_pdf(b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024))
