"""PAdES signing and validation: the only module that imports pyHanko.

:class:`PadesSigner` turns any :class:`signing.keys.KeySource` into a pyHanko signer once and
signs at B-B, B-T (RFC 3161 timestamp), B-LT (revocation info in the DSS) or B-LTA (plus a
document timestamp). :class:`PadesValidator` checks a signed PDF against a set of trust anchors
and reports a :class:`~signing.signature.SignatureReport`.

Importing it loads pyHanko: the rest of the package imports it where it signs or verifies.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.generic import DictionaryObject, IndirectObject, NameObject, StreamObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import PdfHandler
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as HankoSigningError
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
)
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.errors import (
    CorruptPdfError,
    NotAPdfError,
    SignerCertificateError,
    SigningError,
    TrustServiceUnavailableError,
    UnsignedPdfError,
)
from signing.keys import KeySource, check_signer_certificate
from signing.signature import SignatureLevel, SignatureReport

try:  # the exception pyHanko raises when a file has no DSS
    from pyhanko.sign.validation.errors import NoDSSFoundError as NoDssError
except ImportError:  # pragma: no cover - older pyHanko

    class NoDssError(Exception):  # type: ignore[no-redef]
        pass


__all__ = ["PadesSigner", "PadesValidator"]

SIGNATURE_FIELD = "Seal"


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    """The certificate as asn1crypto parses it, parsed through once here: asn1crypto parses
    lazily and caches as it goes, and two threads signing with one shared signer would otherwise
    race on that cache (pyHanko reads the subject's common name in every signature)."""
    parsed = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    _ = parsed.native
    return parsed


class _MetadataKeepingWriter(IncrementalPdfFileWriter):
    """Leaves the document information and XMP exactly as rendered: pyHanko would otherwise
    re-parse and rewrite the XMP packet (ModDate, Producer) in every signed revision, a sixth
    of the B-B signing time, and the GB/T 36903 metadata is the renderer's to state."""

    def _update_meta(self) -> None:
        return None


class _KeySourceSigner(Signer):
    """pyHanko signer over a KeySource: the key stays parsed (or the token session open)."""

    def __init__(self, source: KeySource, *, embed_roots: bool) -> None:
        store = SimpleCertificateStore.from_certs([_asn1(c) for c in source.chain])
        super().__init__(
            signing_cert=_asn1(source.certificate), cert_registry=store, embed_roots=embed_roots
        )
        self._source = source

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            # an upper bound of the signature size, without touching the key (HSM round trip)
            return bytes(512 if self._source.key_algorithm == "rsa" else 72)
        return self._source.sign(data, digest=digest_algorithm)


class _CachedRevinfoNotice(logging.Filter):
    """pyHanko warns whenever revocation info is embedded without fetching; with our cache of
    freshly fetched answers that is the intended path, not a problem worth a log line per
    certificate."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


_NOTICE_FILTER = _CachedRevinfoNotice()


class PadesSigner:
    """Signs PDFs with one seal key. Immutable after construction; safe to share across threads
    (each call builds its own pyHanko writer and validation context).

    ``tsa_url`` is needed for B-T and above; ``trust_roots`` (the CA's root) and network access
    to the OCSP/CRL URLs in the certificates are needed for B-LT and above, whose revocation
    check also refuses a revoked seal certificate.
    """

    def __init__(
        self,
        *,
        key_source: KeySource,
        trust_roots: Sequence[x509.Certificate] = (),
        tsa_url: str | None = None,
        timeout_s: float = 5.0,
        reason: str = "电子证照签发",
        location: str = "浙江省",
        check_certificate: bool = True,
        revinfo_cache_s: float = 300.0,
    ) -> None:
        self._source = key_source
        self._signer = _KeySourceSigner(key_source, embed_roots=True)
        self._trust_roots = [_asn1(c) for c in trust_roots]
        self._chain = [_asn1(c) for c in key_source.chain]
        self._certs_size = len(_asn1(key_source.certificate).dump()) + sum(
            len(c.dump()) for c in self._chain
        )
        self._timestamper = RequestsHTTPTimeStamper(tsa_url, timeout=timeout_s) if tsa_url else None
        self._timeout_s = timeout_s
        self._reason = reason
        self._location = location
        self._check = check_certificate
        # Revocation info (OCSP responses, CRLs) fetched for one B-LT signature is reused for
        # the next ones for ``revinfo_cache_s`` (never past its nextUpdate, which the validator
        # enforces): the certificates are the same, so are the answers. A revocation of the
        # seal therefore reaches this signer within that time, as for any relying party that
        # caches OCSP. 0 disables the cache.
        self._revinfo_ttl = revinfo_cache_s
        self._revinfo_lock = threading.Lock()
        self._revinfo: tuple[float, list[Any], list[Any]] | None = None
        hanko_log = logging.getLogger("pyhanko.sign.signers.pdf_signer")
        if _NOTICE_FILTER not in hanko_log.filters:
            hanko_log.addFilter(_NOTICE_FILTER)

    @property
    def certificate(self) -> x509.Certificate:
        return self._source.certificate

    def _reserve(self, level: SignatureLevel) -> int:
        # pyHanko's bytes_reserved counts hex digits of /Contents (2 per DER byte). A tight
        # reservation halves B-B time (the whole placeholder is hashed and hex-encoded).
        # DER size ≈ certificates + signer info (+ the TSA token with its own certificates).
        der = self._certs_size + (1024 if self._source.key_algorithm == "ec" else 1536)
        if level.needs_timestamp:
            der += 3072
        return 2 * der

    def sign(self, pdf: bytes, *, level: SignatureLevel = SignatureLevel.B_LT) -> bytes:
        """Sign ``pdf`` (an unsigned certificate PDF) and return the signed bytes."""
        if self._check:
            check_signer_certificate(self._source.certificate)
        if level.needs_timestamp and self._timestamper is None:
            raise TrustServiceUnavailableError("tsa", detail=f"{level.value} needs a TSA URL")
        if not level.needs_revocation_info:
            return self._sign(pdf, level, None)
        cached = self._cached_revinfo()
        if cached is not None:
            try:
                return self._sign(pdf, level, self._context(cached))
            except (SignerCertificateError, TrustServiceUnavailableError):
                pass  # e.g. a new TSA certificate the cache has no answer for: fetch afresh
        vc = self._context(None)
        out = self._sign(pdf, level, vc)
        if self._revinfo_ttl > 0:
            with self._revinfo_lock:
                self._revinfo = (time.monotonic(), list(vc.ocsps), list(vc.crls))
        return out

    def _cached_revinfo(self) -> tuple[list[Any], list[Any]] | None:
        with self._revinfo_lock:
            entry = self._revinfo
        if entry is None or time.monotonic() - entry[0] >= self._revinfo_ttl:
            return None
        return entry[1], entry[2]

    def _context(self, cached: tuple[list[Any], list[Any]] | None) -> ValidationContext:
        if cached is not None:
            return ValidationContext(
                trust_roots=self._trust_roots,
                other_certs=self._chain,
                ocsps=cached[0],
                crls=cached[1],
                allow_fetching=False,
                revocation_mode="hard-fail",
            )
        return ValidationContext(
            trust_roots=self._trust_roots,
            other_certs=self._chain,
            allow_fetching=True,
            revocation_mode="hard-fail",
            fetcher_backend=RequestsFetcherBackend(per_request_timeout=self._timeout_s),
        )

    def _sign(self, pdf: bytes, level: SignatureLevel, vc: ValidationContext | None) -> bytes:
        meta = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            md_algorithm="sha256",
            reason=self._reason,
            location=self._location,
            subfilter=fields.SigSeedSubFilter.PADES,
            embed_validation_info=vc is not None,
            validation_context=vc,
            use_pades_lta=level is SignatureLevel.B_LTA,
            certify=True,
            docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        )
        pdf_signer = signers.PdfSigner(
            meta,
            signer=self._signer,
            timestamper=self._timestamper if level.needs_timestamp else None,
        )
        out = io.BytesIO()
        try:
            writer = _MetadataKeepingWriter(io.BytesIO(pdf), strict=False)
            pdf_signer.sign_pdf(writer, output=out, bytes_reserved=self._reserve(level))
        except TimestampRequestError as e:
            raise TrustServiceUnavailableError("tsa", detail=str(e)) from e
        except (PathValidationError, PathBuildingError) as e:
            raise _path_error(e) from e
        except HankoSigningError as e:
            cause = e.__cause__ or e.__context__
            if isinstance(cause, PathValidationError | PathBuildingError):
                raise _path_error(cause) from e
            raise SigningError(detail=str(e)) from e
        except PdfError as e:
            raise CorruptPdfError(detail=str(e)) from e
        return out.getvalue()


def _path_error(e: Exception) -> SigningError:
    """A revoked or expired seal is the seal's fault; no answer from OCSP/CRL is the trust
    services' (retry later), not a reason to replace the seal."""
    if isinstance(e, InsufficientRevinfoError):
        return TrustServiceUnavailableError("ocsp/crl", detail=str(e))
    if isinstance(e, RevokedError):
        return SignerCertificateError("revoked", detail=str(e))
    if isinstance(e, ExpiredError):
        return SignerCertificateError("expired", detail=str(e))
    return SignerCertificateError("untrusted", detail=str(e))


class PadesValidator:
    """Validates signed PDFs against fixed trust anchors. Immutable; thread-safe.

    ``allow_fetching`` lets validation ask the OCSP/CRL URLs in the certificates when the
    document carries no revocation info (B-B, B-T); without it those levels are checked
    offline and revocation is unknown. B-LT and above are validated with the revocation info
    they carry, at the time of their signature timestamp (responses must cover that moment).
    """

    def __init__(
        self,
        *,
        trust_roots: Sequence[x509.Certificate],
        allow_fetching: bool = False,
        timeout_s: float = 5.0,
    ) -> None:
        if not trust_roots:
            raise ValueError("at least one trust anchor")
        self._roots = [_asn1(c) for c in trust_roots]
        self._allow_fetching = allow_fetching
        self._timeout_s = timeout_s

    def validate(self, pdf: bytes) -> SignatureReport:
        """Raises :class:`~signing.errors.NotAPdfError` (and subclasses) for a file that is not
        a signed PDF; any signed PDF gets a report, whatever its signature is worth."""
        doc = _open_signed(pdf)
        dss = _read_dss(doc.reader)
        has_revinfo = dss is not None and bool(dss.ocsps or dss.crls)
        try:
            status = validate_pdf_signature(
                doc.signature,
                signer_validation_context=self._context(doc.signature, dss, has_revinfo),
            )
        except Exception as e:  # a malformed signature is a failed verification, not a crash
            verdict = _Verdict(problems=(f"signature_unreadable: {type(e).__name__}",))
        else:
            verdict = _judge(
                status, has_revinfo=has_revinfo, document_timestamped=doc.document_timestamped
            )
        return doc.report(verdict)

    def _context(
        self,
        signature: EmbeddedPdfSignature,
        dss: DocumentSecurityStore | None,
        has_revinfo: bool,
    ) -> ValidationContext:
        """With embedded revocation info: that info only, hard-fail. Without: soft-fail, asking
        the certificates' OCSP/CRL URLs when allowed."""
        kwargs: dict[str, Any] = {
            "trust_roots": self._roots,
            "allow_fetching": self._allow_fetching and not has_revinfo,
            "revocation_mode": "hard-fail" if has_revinfo else "soft-fail",
        }
        ts_time = _claimed_timestamp_time(signature.signer_info)
        if has_revinfo and ts_time is not None:
            # LTV: the chain is judged at the (verified, see timestamp_validity) signature
            # timestamp with the revocation info embedded for that moment; a seal that expired
            # or was revoked later does not undo a certificate issued before.
            kwargs["moment"] = ts_time
        if self._allow_fetching and not has_revinfo:
            kwargs["fetcher_backend"] = RequestsFetcherBackend(per_request_timeout=self._timeout_s)
        return dss.as_validation_context(kwargs) if dss is not None else ValidationContext(**kwargs)


@dataclass(frozen=True)
class _Verdict:
    """What checking the signature found; the defaults are those of an unreadable signature."""

    intact: bool = False
    valid: bool = False
    trusted: bool = False
    revoked: bool = False
    covers_document: bool = False
    level: SignatureLevel = SignatureLevel.B_B
    signed_at: dt.datetime | None = None
    timestamped: bool = False
    signer_subject: str = ""
    signer_serial: int = 0
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class _SignedPdf:
    """A parsed PDF with a document signature, and what its signed revision and the whole file
    state about the certificate."""

    reader: PdfFileReader
    signature: EmbeddedPdfSignature
    document_timestamped: bool
    document_info: dict[str, str]
    xmp: bytes | None
    final_document_info: dict[str, str]
    final_xmp: bytes | None

    def report(self, verdict: _Verdict) -> SignatureReport:
        """The verdict (every field of it is one of the report's) with what the PDF states."""
        return SignatureReport(
            **vars(verdict),
            document_info=self.document_info,
            xmp=self.xmp,
            final_document_info=self.final_document_info,
            final_xmp=self.final_xmp,
        )


def _open_signed(pdf: bytes) -> _SignedPdf:
    """Parse ``pdf``; raise :class:`NotAPdfError` (or a subclass) for anything but an
    unencrypted PDF with a document signature. Hostile input: any parser failure is "corrupt",
    never a 500."""
    if not pdf.lstrip()[:5].startswith(b"%PDF-"):
        raise NotAPdfError(detail="no %PDF- header")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        if reader.encrypted:
            raise NotAPdfError("encrypted", detail="encrypted PDF")
        signatures = reader.embedded_regular_signatures
        document_timestamped = bool(reader.embedded_timestamp_signatures)
        if not signatures:
            raise UnsignedPdfError()
        # the metadata a verifier reports is the signed one; later revisions may only add
        # revocation info and document timestamps (the coverage check in _judge)
        signed_view = reader.get_historical_resolver(signatures[0].signed_revision)
        return _SignedPdf(
            reader=reader,
            signature=signatures[0],
            document_timestamped=document_timestamped,
            document_info=_document_info(signed_view),
            xmp=_xmp(signed_view),
            final_document_info=_document_info(reader),
            final_xmp=_xmp(reader),
        )
    except NotAPdfError:
        raise
    except Exception as e:
        raise CorruptPdfError(detail=f"{type(e).__name__}: {e}") from e


def _read_dss(reader: PdfFileReader) -> DocumentSecurityStore | None:
    """The document security store (revocation info added after signing), if there is one."""
    try:
        return DocumentSecurityStore.read_dss(reader)
    except NoDssError:
        return None
    except Exception as e:
        raise CorruptPdfError(detail=f"DSS: {type(e).__name__}: {e}") from e


def _judge(
    status: PdfSignatureStatus, *, has_revinfo: bool, document_timestamped: bool
) -> _Verdict:
    ts = status.timestamp_validity
    timestamp_ok = ts is None or (ts.intact and ts.valid and ts.trusted)
    cert = status.signing_cert
    return _Verdict(
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        revoked=bool(status.revoked),
        covers_document=_covers_document(status),
        level=_level(
            timestamped=ts is not None,
            has_revinfo=has_revinfo,
            document_timestamped=document_timestamped,
        ),
        signed_at=ts.timestamp if ts is not None else status.signer_reported_dt,
        timestamped=ts is not None,
        signer_subject=cert.subject.human_friendly,
        signer_serial=int(cert.serial_number),
        problems=() if timestamp_ok else ("timestamp_invalid",),
    )


def _level(*, timestamped: bool, has_revinfo: bool, document_timestamped: bool) -> SignatureLevel:
    if document_timestamped:
        return SignatureLevel.B_LTA
    if has_revinfo and timestamped:
        return SignatureLevel.B_LT
    return SignatureLevel.B_T if timestamped else SignatureLevel.B_B


def _covers_document(status: PdfSignatureStatus) -> bool:
    """The signature covers the whole file, or its revision is followed only by permitted
    updates (DSS, document timestamps) that its DocMDP permissions allow."""
    return status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level is not None
        and status.modification_level.value <= 1  # NONE or LTA_UPDATES (DSS, doc timestamps)
        and bool(status.docmdp_ok)
    )


def _claimed_timestamp_time(signer_info: Any) -> dt.datetime | None:
    """genTime of the signature timestamp token (unverified here; pyHanko checks the token)."""
    try:
        for attr in signer_info["unsigned_attrs"]:
            if attr["type"].native == "signature_time_stamp_token":
                signed_data = attr["values"][0]["content"]
                tst_info = signed_data["encap_content_info"]["content"].parsed
                gen_time: dt.datetime = tst_info["gen_time"].native
                return gen_time
    except (KeyError, ValueError, TypeError, IndexError):
        return None
    return None


def _resolve(handler: PdfHandler, value: Any) -> Any:
    """Dereference through ``handler`` itself: an ``IndirectObject``'s own ``get_object()``
    resolves in the latest revision, which would show a historical view's later changes."""
    if isinstance(value, IndirectObject):
        return handler.get_object(value.reference)
    return value


def _document_info(handler: PdfHandler) -> dict[str, str]:
    trailer = handler.trailer_view
    info = _resolve(handler, trailer.raw_get("/Info")) if "/Info" in trailer else None
    if not isinstance(info, DictionaryObject):
        return {}
    out: dict[str, str] = {}
    for k in info:
        v = _resolve(handler, info.raw_get(k))
        if isinstance(v, str | NameObject):
            out[str(k).lstrip("/")] = str(v)
    return out


def _xmp(handler: PdfHandler) -> bytes | None:
    trailer = handler.trailer_view
    root = _resolve(handler, trailer.raw_get("/Root")) if "/Root" in trailer else None
    if not isinstance(root, DictionaryObject) or "/Metadata" not in root:
        return None
    md = _resolve(handler, root.raw_get("/Metadata"))
    if not isinstance(md, StreamObject):
        return None
    data: bytes = md.data
    return data
