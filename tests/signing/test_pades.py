"""Signing at every level with ECDSA P-256 and RSA-3072, verified by pyHanko and by poppler's
pdfsig (independent: NSS); tampering detected by both; expired and revoked seals refused."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from asn1crypto import cms
from pypdf import PdfReader

from api.errors import http_status
from signing import (
    PadesSigner,
    PadesValidator,
    Pkcs12KeySource,
    SignatureLevel,
    SignerCertificateError,
)
from signing.testing import TestPki, sample_meta

ALGS = ["ecdsa-p256", "rsa-3072"]
LEVELS = list(SignatureLevel)


@pytest.mark.parametrize("alg", ALGS)
@pytest.mark.parametrize("level", LEVELS, ids=[lv.value for lv in LEVELS])
def test_sign_and_verify_with_pyhanko_and_pdfsig(
    alg: str,
    level: SignatureLevel,
    signed: Callable[[str, SignatureLevel], bytes],
    validator: PadesValidator,
    pdfsig: Callable[..., object],
) -> None:
    pdf = signed(alg, level)
    report = validator.validate(pdf)
    assert report.ok, report
    assert report.level is level
    assert report.timestamped is level.needs_timestamp
    assert report.signed_at is not None
    assert abs(report.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=10)
    ps = pdfsig(pdf)
    assert ps.signature == "Signature is Valid.", ps.raw
    assert ps.certificate == "Certificate is Trusted.", ps.raw
    # LT/LTA append a DSS (and a document timestamp) after the signature
    assert ps.total_document_signed is (level in (SignatureLevel.B_B, SignatureLevel.B_T))
    assert ps.signatures == (2 if level is SignatureLevel.B_LTA else 1)


def _flip(pdf: bytes, at: int) -> bytes:
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]


def _signature_value_offset(pdf: bytes) -> int:
    """An offset inside the hex /Contents of the signature: the raw signature value sits near
    the end of the CMS blob, before the zero padding."""
    m = re.search(rb"/Contents <([0-9a-fA-F]+)>", pdf)
    assert m
    hexstr = m.group(1).rstrip(b"0")
    # the last signer-info field is the signature value; for B-B it ends the DER
    return m.start(1) + len(hexstr) - 20


def _stream_offset(pdf: bytes) -> int:
    """An offset inside the page's content stream data (not the signature)."""
    reader = PdfReader(io.BytesIO(pdf))
    ref = reader.pages[0].raw_get("/Contents")
    obj = re.search(rb"\n%d 0 obj" % ref.idnum, pdf)
    assert obj
    start = pdf.index(b"stream", obj.end()) + len(b"stream\n")
    end = pdf.index(b"endstream", start)
    return start + (end - start) // 2


def _body_offset(pdf: bytes) -> int:
    """An offset in a literal string of the document information (body, not a stream)."""
    i = pdf.index(b"/Creator (")
    return i + len(b"/Creator (") + 2


@pytest.mark.parametrize("alg", ALGS)
@pytest.mark.parametrize(
    ("where", "pdfsig_says"),
    [
        ("body", "Digest Mismatch."),
        ("stream", "Digest Mismatch."),
        ("signature", "Signature is Invalid."),
    ],
)
def test_one_changed_byte_is_detected_by_both(
    alg: str,
    where: str,
    pdfsig_says: str,
    signed: Callable[[str, SignatureLevel], bytes],
    validator: PadesValidator,
    pdfsig: Callable[..., object],
) -> None:
    pdf = signed(alg, SignatureLevel.B_B)
    offset = {"body": _body_offset, "stream": _stream_offset, "signature": _signature_value_offset}[
        where
    ](pdf)
    if where == "signature":  # stay a hex digit: the file parses, the value is wrong
        tampered = (
            pdf[:offset] + (b"1" if pdf[offset : offset + 1] != b"1" else b"2") + pdf[offset + 1 :]
        )
    else:
        tampered = _flip(pdf, offset)
    assert tampered != pdf and len(tampered) == len(pdf)
    report = validator.validate(tampered)
    assert not report.ok
    if where == "signature":
        assert report.intact and not report.valid
    else:
        assert not report.intact
    ps = pdfsig(tampered)
    assert ps.signature == pdfsig_says, ps.raw


def test_expired_seal_is_refused_for_signing_and_verification(
    pki: TestPki, unsigned_pdf: bytes, validator: PadesValidator, pdfsig: Callable[..., object]
) -> None:
    now = dt.datetime.now(dt.UTC)
    p12 = pki.issue_seal(
        stem="expired",
        not_before=now - dt.timedelta(days=30),
        not_after=now - dt.timedelta(days=1),
    )
    source = Pkcs12KeySource(p12, passphrase=pki.passphrase)
    signer = PadesSigner(key_source=source, trust_roots=[pki.root_cert], tsa_url=pki.urls.tsa)
    for level in (SignatureLevel.B_B, SignatureLevel.B_LT):
        with pytest.raises(SignerCertificateError) as e:
            signer.sign(unsigned_pdf, level=level)
        assert e.value.reason == "expired"
    # a document signed anyway (a clock set back, a foreign signer) does not verify
    forced = PadesSigner(key_source=source, check_certificate=False).sign(
        unsigned_pdf, level=SignatureLevel.B_B
    )
    report = validator.validate(forced)
    assert report.intact and report.valid and not report.trusted and not report.ok
    ps = pdfsig(forced)
    assert ps.signature == "Signature is Valid."
    assert ps.certificate == "Certificate has Expired", ps.raw


def test_revoked_seal_is_refused_for_signing_and_verification(
    pki: TestPki, unsigned_pdf: bytes, validator: PadesValidator, pdfsig: Callable[..., object]
) -> None:
    p12 = pki.issue_seal(stem="to-revoke")
    source = Pkcs12KeySource(p12, passphrase=pki.passphrase)
    signer = PadesSigner(key_source=source, trust_roots=[pki.root_cert], tsa_url=pki.urls.tsa)
    before = signer.sign(unsigned_pdf, level=SignatureLevel.B_B)
    lt_before = signer.sign(unsigned_pdf, level=SignatureLevel.B_LT)
    assert validator.validate(before).ok
    assert pdfsig(before).ok

    pki.revoke(source.certificate)

    # signing at B-LT checks revocation through OCSP and refuses (a signer that cached the
    # "good" answer keeps it for revinfo_cache_s, like any OCSP cache; a fresh one asks)
    fresh = PadesSigner(
        key_source=source, trust_roots=[pki.root_cert], tsa_url=pki.urls.tsa, revinfo_cache_s=0
    )
    with pytest.raises(SignerCertificateError) as refused:
        fresh.sign(unsigned_pdf, level=SignatureLevel.B_LT)
    assert refused.value.reason == "revoked"
    # a B-B document (no embedded revocation info) is checked online and refused
    report = validator.validate(before)
    assert report.revoked and not report.ok
    ps = pdfsig(before)
    assert ps.signature == "Signature is Valid."
    assert ps.certificate == "Certificate has been Revoked.", ps.raw
    # a B-LT document proves the seal was good when it was timestamped: it stays valid (LTV)
    lt_report = validator.validate(lt_before)
    assert lt_report.ok and lt_report.level is SignatureLevel.B_LT


def test_b_lt_verifies_offline_from_embedded_revocation_info(
    pki: TestPki, signed: Callable[[str, SignatureLevel], bytes]
) -> None:
    offline = PadesValidator(trust_roots=[pki.root_cert], allow_fetching=False)
    report = offline.validate(signed("ecdsa-p256", SignatureLevel.B_LT))
    assert report.ok and report.level is SignatureLevel.B_LT


def test_untrusted_root_is_not_trusted(
    signed: Callable[[str, SignatureLevel], bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from signing.testing import init_test_pki

    other = init_test_pki(directory=tmp_path_factory.mktemp("other"), with_rsa_seal=False)
    report = PadesValidator(trust_roots=[other.root_cert]).validate(
        signed("ecdsa-p256", SignatureLevel.B_B)
    )
    assert report.intact and report.valid and not report.trusted and not report.ok


def test_one_signer_shared_by_threads(
    pki: TestPki, unsigned_pdf: bytes, validator: PadesValidator
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    source = Pkcs12KeySource(pki.seal_p12, passphrase=pki.passphrase)
    signer = PadesSigner(key_source=source, trust_roots=[pki.root_cert], tsa_url=pki.urls.tsa)
    levels = [SignatureLevel.B_B, SignatureLevel.B_T, SignatureLevel.B_LT] * 4
    with ThreadPoolExecutor(max_workers=6) as pool:
        pdfs = list(pool.map(lambda lv: signer.sign(unsigned_pdf, level=lv), levels))
    for level, pdf in zip(levels, pdfs, strict=True):
        report = validator.validate(pdf)
        assert report.ok and report.level is level


def test_b_lt_outlives_its_seal_certificate_b_b_does_not(
    pki: TestPki, unsigned_pdf: bytes, validator: PadesValidator
) -> None:
    import time

    now = dt.datetime.now(dt.UTC)
    p12 = pki.issue_seal(stem="short-lived", not_after=now + dt.timedelta(seconds=4))
    source = Pkcs12KeySource(p12, passphrase=pki.passphrase)
    signer = PadesSigner(key_source=source, trust_roots=[pki.root_cert], tsa_url=pki.urls.tsa)
    bb = signer.sign(unsigned_pdf, level=SignatureLevel.B_B)
    lt = signer.sign(unsigned_pdf, level=SignatureLevel.B_LT)
    assert validator.validate(bb).ok and validator.validate(lt).ok
    time.sleep(
        max(0.0, (source.certificate.not_valid_after_utc - dt.datetime.now(dt.UTC)).total_seconds())
        + 1.5
    )
    assert not validator.validate(bb).trusted  # judged now: the seal has expired
    lt_report = validator.validate(lt)  # judged at its timestamp, with the embedded OCSP/CRL
    assert lt_report.ok, lt_report


def test_trust_services_down_is_unavailable_not_a_bad_seal(
    pki: TestPki, unsigned_pdf: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from signing import TrustServiceUnavailableError
    from signing.testing import init_test_pki

    # a PKI whose TSA/OCSP/CRL URLs point at a port nobody listens on
    down = init_test_pki(
        directory=tmp_path_factory.mktemp("down"),
        base_url="http://127.0.0.1:9",
        with_rsa_seal=False,
    )
    signer = PadesSigner(
        key_source=Pkcs12KeySource(down.seal_p12, passphrase=down.passphrase),
        trust_roots=[down.root_cert],
        tsa_url=down.urls.tsa,
        timeout_s=2,
    )
    for level in (SignatureLevel.B_T, SignatureLevel.B_LT):
        with pytest.raises(TrustServiceUnavailableError) as e:
            signer.sign(unsigned_pdf, level=level)
        assert http_status(e.value) == 503
    assert signer.sign(unsigned_pdf, level=SignatureLevel.B_B)  # B-B needs no service


def test_an_unreadable_signature_is_a_failed_report_not_a_crash(
    signed: Callable[[str, SignatureLevel], bytes], validator: PadesValidator
) -> None:
    pdf = signed("ecdsa-p256", SignatureLevel.B_B)
    m = re.search(rb"/Contents <([0-9a-fA-F]+)>", pdf)
    assert m
    blob = cms.ContentInfo.load(bytes.fromhex(m.group(1).decode()))
    blob["content"]["signer_infos"][0]["digest_algorithm"] = {"algorithm": "1.2.3.4.5"}
    contents = blob.dump(force=True).hex().encode()
    contents += b"0" * (len(m.group(1)) - len(contents))  # same length: the byte range holds
    report = validator.validate(pdf[: m.start(1)] + contents + pdf[m.end(1) :])
    assert not (report.ok or report.intact or report.valid or report.trusted)
    assert report.level is SignatureLevel.B_B and not report.timestamped
    assert report.signer_subject == "" and report.signed_at is None
    assert len(report.problems) == 1 and report.problems[0].startswith("signature_unreadable")
    # what the signed revision states is still read and reported
    assert report.document_info["ECertIdentifier"] == str(sample_meta().identifier)
