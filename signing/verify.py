"""Verification of an electronic certificate: signature (via :mod:`signing.pades`),
identifier check and registry status, in one :class:`VerificationResult`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from signing.errors import InvalidIdentifierError, PdfTooLargeError
from signing.identifier import parse_identifier
from signing.metadata import CertificateStatus
from signing.registry import CertificateRegistry, RegistryEntry
from signing.signature import SignatureReport

if TYPE_CHECKING:  # the caller's validator has loaded pyHanko
    from signing.pades import PadesValidator

__all__ = ["CertificateVerifier", "VerificationResult"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class VerificationResult:
    """``verified`` is the one verdict: a signature that holds (``signature_ok``: intact, valid,
    trusted, not revoked, over the whole document, see :attr:`SignatureReport.ok`), a
    well-formed identifier with a correct check character, and a registry status that is
    ``valid`` or ``unknown`` (no registry consulted)."""

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
    signature_ok: bool

    @property
    def verified(self) -> bool:
        # the problems are the signature's (in signature_ok) and the identifier's (identifier_ok)
        registered = self.status in (CertificateStatus.VALID, CertificateStatus.UNKNOWN)
        return self.signature_ok and self.identifier_ok and registered

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
        return self.verify_with_report(pdf)[0]

    def verify_with_report(self, pdf: bytes) -> tuple[VerificationResult, SignatureReport]:
        """:meth:`verify_pdf`, and the signature report it rests on (whose ``xmp`` is the
        signed revision's: :mod:`signing.ecert` reads the face data from it)."""
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
            signature_ok=report.ok,
        ), report

    def lookup(self, identifier: str) -> tuple[CertificateStatus, RegistryEntry | None]:
        """For the QR landing page. Raises :class:`InvalidIdentifierError` for a malformed
        identifier or a wrong check character (a mistyped identifier is caught before any
        registry access)."""
        parse_identifier(identifier)
        if self._registry is None:
            return CertificateStatus.UNKNOWN, None
        entry = self._registry.lookup(identifier)
        return (CertificateStatus.UNKNOWN if entry is None else entry.status), entry


_ECERT_NS = "{urn:paoyici:ecert:gbt36903:1.0#}"
# keys of the document information that state the certificate (set by signing.render)
_INFO_KEYS = ("Title", "Author", "Subject", "Keywords")


def _xmp_fields(xmp: bytes | None) -> dict[str, str]:
    """GB/T 36903 name → value pairs and the identifier from the XMP packet, in either RDF form
    (elements as rendered; attributes after pyHanko re-serialises it for a DSS update)."""
    if not xmp:
        return {}
    # untrusted input: no DTDs (entity expansion) and a size bound before parsing
    if len(xmp) > 1024 * 1024 or b"<!DOCTYPE" in xmp or b"<!ENTITY" in xmp:
        return {"_rejected": "1"}
    body = xmp.split(b"<?xpacket end", 1)[0].split(b"?>", 1)[-1]
    try:
        root = ElementTree.fromstring(body)  # noqa: S314 - DTDs refused above
    except ElementTree.ParseError:
        return {"_unparseable": "1"}

    def part(el: ElementTree.Element, local: str) -> str | None:
        value = el.get(_ECERT_NS + local)
        if value is None:
            child = el.find(_ECERT_NS + local)
            value = None if child is None else (child.text or "")
        return value

    out: dict[str, str] = {}
    for el in root.iter():
        if el.tag == _ECERT_NS + "identifier":
            out["identifier"] = el.text or ""
        elif el.get(_ECERT_NS + "identifier") is not None:
            out["identifier"] = el.get(_ECERT_NS + "identifier") or ""
        name, value = part(el, "name"), part(el, "value")
        if name is not None and value is not None:
            out[name] = value
    return out


def _stated(info: dict[str, str], xmp: bytes | None) -> dict[str, str]:
    keys = {k: v for k, v in info.items() if k.startswith("ECert") or k in _INFO_KEYS}
    return {**{f"info:{k}": v for k, v in keys.items()}, **_xmp_fields(xmp)}


def _identifier(report: SignatureReport) -> tuple[str | None, list[str]]:
    signed = _stated(report.document_info, report.xmp)
    problems = []
    # later revisions may add revocation info and timestamps; they must not restate the
    # certificate (pyHanko's own DSS revision only touches ModDate/Producer)
    if _stated(report.final_document_info, report.final_xmp) != signed:
        problems.append("metadata_changed_after_signing")
    from_info = signed.get("info:ECertIdentifier")
    from_xmp = signed.get("identifier")
    identifier = from_info or from_xmp
    if identifier is None:
        return None, [*problems, "identifier_missing"]
    if from_info and from_xmp and from_info != from_xmp:
        problems.append("identifier_conflict")
    try:
        parse_identifier(identifier)
    except InvalidIdentifierError:
        problems.append("identifier_invalid")
    return identifier, problems
