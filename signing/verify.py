"""Verification of an electronic certificate: signature (via :mod:`signing.pades`),
identifier check and registry status, in one :class:`VerificationResult`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from signing.errors import InvalidIdentifierError, PdfTooLargeError
from signing.identifier import parse_identifier
from signing.metadata import CertificateStatus
from signing.pades import PadesValidator, SignatureReport
from signing.registry import CertificateRegistry, RegistryEntry

__all__ = ["CertificateVerifier", "VerificationResult"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class VerificationResult:
    """``verified`` is the one verdict: intact, valid and trusted signature over the whole
    document, a well-formed identifier with a correct check character, and a registry status
    that is ``valid`` or ``unknown`` (no registry consulted)."""

    intact: bool
    valid: bool
    trusted: bool
    revoked_signer: bool
    covers_document: bool
    level: str
    signed_at: dt.datetime | None
    identifier: str | None
    identifier_ok: bool
    status: CertificateStatus
    signer: str
    problems: tuple[str, ...]

    @property
    def verified(self) -> bool:
        return (
            self.intact
            and self.valid
            and self.trusted
            and not self.revoked_signer
            and self.covers_document
            and self.identifier_ok
            and self.status in (CertificateStatus.VALID, CertificateStatus.UNKNOWN)
            and not self.problems
        )

    def to_json(self) -> dict[str, Any]:
        """CONTRACT §1 ``verify --json`` keys first, then details."""
        return {
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "level": self.level,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "identifier": self.identifier,
            "status": self.status.value,
            "verified": self.verified,
            "identifier_ok": self.identifier_ok,
            "covers_document": self.covers_document,
            "signer_revoked": self.revoked_signer,
            "signer": self.signer,
            "problems": list(self.problems),
        }


class CertificateVerifier:
    """Immutable; share one per process. ``registry`` ``None`` → status ``unknown``."""

    def __init__(
        self,
        *,
        validator: PadesValidator,
        registry: CertificateRegistry | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self._validator = validator
        self._registry = registry
        self.max_bytes = max_bytes

    @property
    def registry(self) -> CertificateRegistry | None:
        return self._registry

    def verify_pdf(self, pdf: bytes) -> VerificationResult:
        """Raises :class:`~signing.errors.NotAPdfError` (and subclasses) for input that is not
        a signed PDF; any signed PDF gets a result, verified or not."""
        if len(pdf) > self.max_bytes:
            raise PdfTooLargeError(len(pdf), self.max_bytes)
        report = self._validator.validate(pdf)
        identifier, ident_problems = _identifier(report)
        status = CertificateStatus.UNKNOWN
        if identifier is not None and not ident_problems and self._registry is not None:
            status = self._registry.status(identifier)
        problems = list(report.problems) + ident_problems
        if report.revoked:
            problems.append("signer_certificate_revoked")
        return VerificationResult(
            intact=report.intact,
            valid=report.valid,
            trusted=report.trusted,
            revoked_signer=report.revoked,
            covers_document=report.covers_document,
            level=report.level.value,
            signed_at=report.signed_at,
            identifier=identifier,
            identifier_ok=identifier is not None and not ident_problems,
            status=status,
            signer=report.signer_subject,
            problems=tuple(problems),
        )

    def lookup(self, identifier: str) -> tuple[CertificateStatus, RegistryEntry | None]:
        """For the QR landing page. Raises :class:`InvalidIdentifierError` for a malformed
        identifier or a wrong check character (a mistyped identifier is caught before any
        registry access)."""
        parse_identifier(identifier)
        if self._registry is None:
            return CertificateStatus.UNKNOWN, None
        entry = self._registry.lookup(identifier)
        return (CertificateStatus.UNKNOWN if entry is None else entry.status), entry


def _identifier(report: SignatureReport) -> tuple[str | None, list[str]]:
    from_info = report.document_info.get("ECertIdentifier")
    from_xmp = None
    if report.xmp:
        text = report.xmp.decode("utf-8", "replace")
        start = text.find("<ecert:identifier>")
        end = text.find("</ecert:identifier>")
        if 0 <= start < end:
            from_xmp = text[start + len("<ecert:identifier>") : end]
    identifier = from_info or from_xmp
    if identifier is None:
        return None, ["identifier_missing"]
    problems = []
    if from_info and from_xmp and from_info != from_xmp:
        problems.append("identifier_conflict")
    try:
        parse_identifier(identifier)
    except InvalidIdentifierError:
        problems.append("identifier_invalid")
    return identifier, problems
