"""signing: electronic certificates (电子证照) — identifiers (GB/T 36904), metadata
(GB/T 36903), rendering, PAdES signing and verification, key sources, a test PKI with loopback
TSA/OCSP/CRL services, and the registry protocol for certificate status.

pyHanko is imported only by :mod:`signing.pades`.
"""

from signing.errors import (
    CertificateNotFoundError,
    CorruptPdfError,
    InvalidIdentifierError,
    InvalidMetadataError,
    KeySourceError,
    NotAPdfError,
    PdfTooLargeError,
    PkiError,
    SignerCertificateError,
    SigningError,
    TrustServiceUnavailableError,
    UnsignedPdfError,
)
from signing.identifier import (
    CertificateIdentifier,
    credit_code_check_char,
    iso7064_mod37_36_check,
    parse_identifier,
)
from signing.issue import CertificateIssuer, IssuedCertificate, sample_meta
from signing.keys import KeySource, Pkcs11KeySource, Pkcs12KeySource, check_signer_certificate
from signing.metadata import (
    CertificateKind,
    CertificateMeta,
    CertificateStatus,
    HolderCodeType,
    mask_name,
)
from signing.pades import (
    PadesSigner,
    PadesValidator,
    PlainPyhankoSigner,
    SignatureLevel,
    SignatureReport,
)
from signing.pki import DEFAULT_BASE_URL, PkiUrls, TestPki, init_test_pki
from signing.registry import AuditRecord, CertificateRegistry, InMemoryRegistry, RegistryEntry
from signing.render import CertificateRenderer
from signing.responders import LoopbackPkiServer, PkiAsgiApp, PkiResponder
from signing.service import SigningServices, build_signing_services, load_trust_roots
from signing.settings import SigningSettings
from signing.verify import CertificateVerifier, VerificationResult

__all__ = [
    "DEFAULT_BASE_URL",
    "AuditRecord",
    "CertificateIdentifier",
    "CertificateIssuer",
    "CertificateKind",
    "CertificateMeta",
    "CertificateNotFoundError",
    "CertificateRegistry",
    "CertificateRenderer",
    "CertificateStatus",
    "CertificateVerifier",
    "CorruptPdfError",
    "HolderCodeType",
    "InMemoryRegistry",
    "InvalidIdentifierError",
    "InvalidMetadataError",
    "IssuedCertificate",
    "KeySource",
    "KeySourceError",
    "LoopbackPkiServer",
    "NotAPdfError",
    "PadesSigner",
    "PadesValidator",
    "PdfTooLargeError",
    "Pkcs11KeySource",
    "Pkcs12KeySource",
    "PkiAsgiApp",
    "PkiError",
    "PkiResponder",
    "PkiUrls",
    "PlainPyhankoSigner",
    "RegistryEntry",
    "SignatureLevel",
    "SignatureReport",
    "SignerCertificateError",
    "SigningError",
    "SigningServices",
    "SigningSettings",
    "TestPki",
    "TrustServiceUnavailableError",
    "UnsignedPdfError",
    "VerificationResult",
    "build_signing_services",
    "check_signer_certificate",
    "credit_code_check_char",
    "init_test_pki",
    "iso7064_mod37_36_check",
    "load_trust_roots",
    "mask_name",
    "parse_identifier",
    "sample_meta",
]
