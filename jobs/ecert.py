"""E-certificates as data (证照复用): a signed PDF in a slot is verified and read from its signed
face data, never by OCR.

:func:`read_signed_pdf` is what ``read_upload`` asks first: ``None`` for anything that is not a
signed PDF (the OCR path reads it), otherwise a ``precheck.Upload`` holding either the face
data as a document (every field confidence 1.0) or a problem whose code is the finding the
pre-check reports (``certificate_invalid`` / ``_untrusted`` / ``_revoked`` / ``_superseded``).
A genuine signed PDF without face data (e.g. a contract signed elsewhere) goes to OCR.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

import precheck
from jobs.context import JobContext
from ocr.document import DocType, Document, Field, Quality
from precheck.findings import FindingCode
from signing import NotAPdfError
from signing.ecert import MESSAGES, EcertOutcome, EcertReading, read_certificate
from signing.facedata import FaceData
from signing.metadata import CertificateStatus

log = logging.getLogger(__name__)

#: ``Upload.source`` of a file read from a verified e-certificate
SOURCE = "e_certificate"

# CONTRACT §1's two codes: ``certificate_invalid`` (broken or not trusted) and
# ``certificate_revoked`` (revoked or superseded); the message says which exactly.
_CODES = {
    EcertOutcome.INVALID: FindingCode.CERTIFICATE_INVALID,
    EcertOutcome.UNTRUSTED: FindingCode.CERTIFICATE_INVALID,
    EcertOutcome.REVOKED: FindingCode.CERTIFICATE_REVOKED,
    EcertOutcome.SUPERSEDED: FindingCode.CERTIFICATE_REVOKED,
}


def looks_signed(data: bytes) -> bool:
    """Cheap pre-test before parsing: a PDF with a signature dictionary's byte range."""
    return data.lstrip()[:5].startswith(b"%PDF-") and b"/ByteRange" in data


def face_document(face: FaceData, *, sha256: str = "") -> Document:
    """The face data as a read document: exact values, confidence 1.0, no boxes."""
    return Document(
        doc_type=DocType(face.doc_type),
        confidence=1.0,
        pages=1,
        quality=Quality(ok=True),
        fields={k: Field(value=v, confidence=1.0) for k, v in face.fields.items()},
        sha256=sha256,
    )


def upload_of(reading: EcertReading, slot: str, *, sha256: str = "") -> precheck.Upload | None:
    """The ``precheck.Upload`` of a reading; ``None`` for a genuine PDF without face data."""
    if reading.outcome is EcertOutcome.NO_FACE_DATA:
        return None
    meta = {"source": SOURCE, "identifier": reading.identifier}
    if reading.outcome is EcertOutcome.VERIFIED:
        assert reading.face is not None
        try:
            doc = face_document(reading.face, sha256=sha256)
        except ValueError:  # face data of a type this version does not know
            return precheck.Upload(
                slot,
                0,
                None,
                precheck.FileProblem(
                    FindingCode.CERTIFICATE_INVALID.value, "电子证照的照面信息类型无法识别"
                ),
                meta,
            )
        return precheck.Upload(slot, 0, doc, None, meta)
    code = _CODES[reading.outcome]
    return precheck.Upload(slot, 0, None, precheck.FileProblem(code.value, reading.message), meta)


def read_signed_pdf(
    ctx: JobContext, *, slot: str, data: bytes, sha256: str = ""
) -> precheck.Upload | None:
    if not looks_signed(data):
        return None
    try:
        reading = read_certificate(ctx.signing.verifier, data)
    except NotAPdfError:  # unsigned after all, corrupt, too large: the ordinary path decides
        return None
    log.info("slot %s: e-certificate %s %s", slot, reading.identifier, reading.outcome.value)
    return upload_of(reading, slot, sha256=sha256)


_STATUS_OUTCOMES = {
    CertificateStatus.REVOKED: EcertOutcome.REVOKED,
    CertificateStatus.SUPERSEDED: EcertOutcome.SUPERSEDED,
}


def recheck_status(
    ctx: JobContext, up: precheck.Upload, *, session: Session | None = None
) -> precheck.Upload:
    """An upload read from an e-certificate, as of now: a certificate revoked or superseded
    since it was read becomes its finding (the signature was checked when it was read; the
    registry status can change any day)."""
    identifier = up.meta.get("e_certificate")
    if not identifier or up.document is None:
        return up
    registry = ctx.registry if session is None else ctx.registry.bound(session)
    outcome = _STATUS_OUTCOMES.get(registry.status(str(identifier)))
    if outcome is None:
        return up
    problem = precheck.FileProblem(_CODES[outcome].value, MESSAGES[outcome])
    return precheck.Upload(up.slot, up.file, None, problem, up.meta)
