"""Reading an electronic certificate as data (证照复用): verify first, then read its face data.

:func:`read_certificate` returns the face data (:mod:`signing.facedata`) of a signed PDF only
when its signature is intact, valid, over the whole document and trusted, its signer not
revoked, its identifier well-formed and its registry status not ``revoked`` / ``superseded``.
Anything else is an :class:`EcertOutcome` saying what is wrong, with a Chinese message; the
caller must never fall back to reading such a file by OCR.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from signing.facedata import FaceData, face_from_xmp
from signing.metadata import CertificateStatus
from signing.verify import CertificateVerifier, VerificationResult

__all__ = ["MESSAGES", "EcertOutcome", "EcertReading", "read_certificate"]


class EcertOutcome(Enum):
    VERIFIED = "verified"  # face data returned
    NO_FACE_DATA = "no_face_data"  # genuine signed PDF that states no face data
    INVALID = "invalid"  # changed after signing, broken signature, bad identifier
    UNTRUSTED = "untrusted"  # signature fine, but its chain reaches none of our trust roots
    REVOKED = "revoked"  # the certificate (registry) or its seal certificate is revoked
    SUPERSEDED = "superseded"  # a newer version of the certificate replaced it


#: what is wrong, in Chinese, for each outcome that is not read
MESSAGES = {
    EcertOutcome.INVALID: (
        "电子证照签名校验失败：文件在签章后被改动或签名已损坏，请上传原始电子证照文件"
    ),
    EcertOutcome.UNTRUSTED: "电子证照的签章不是由受信任的发证机关签发，无法确认其真实性",
    EcertOutcome.REVOKED: "该电子证照已被注销（吊销），不能作为申请材料",
    EcertOutcome.SUPERSEDED: "该电子证照已被新版本替代，请提供最新版本的电子证照",
}


@dataclass(frozen=True)
class EcertReading:
    outcome: EcertOutcome
    verification: VerificationResult
    face: FaceData | None = None  # set only when outcome is VERIFIED

    @property
    def identifier(self) -> str | None:
        return self.verification.identifier

    @property
    def message(self) -> str:
        return MESSAGES.get(self.outcome, "")


def _outcome(v: VerificationResult) -> EcertOutcome:
    if not (v.intact and v.valid and v.covers_document):
        return EcertOutcome.INVALID
    if v.revoked_signer:
        return EcertOutcome.REVOKED
    if not v.trusted:
        return EcertOutcome.UNTRUSTED
    if not v.signature_ok or v.problems or not v.identifier_ok:
        return EcertOutcome.INVALID
    if v.status is CertificateStatus.REVOKED:
        return EcertOutcome.REVOKED
    if v.status is CertificateStatus.SUPERSEDED:
        return EcertOutcome.SUPERSEDED
    return EcertOutcome.VERIFIED


def read_certificate(verifier: CertificateVerifier, pdf: bytes) -> EcertReading:
    """Verify ``pdf`` and read its face data from the signed revision. Raises
    :class:`~signing.errors.NotAPdfError` (and subclasses: unsigned, corrupt, too large) for a
    file that is not a signed PDF."""
    result, report = verifier.verify_with_report(pdf)
    outcome = _outcome(result)
    if outcome is not EcertOutcome.VERIFIED:
        return EcertReading(outcome, result)
    face = face_from_xmp(report.xmp)  # the signed revision's XMP, never a later one
    if face is None:
        return EcertReading(EcertOutcome.NO_FACE_DATA, result)
    return EcertReading(outcome, result, face)
