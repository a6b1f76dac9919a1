"""signing: electronic certificates (电子证照) — identifiers (GB/T 36904), metadata
(GB/T 36903), rendering, PAdES signing and verification, key sources, and the registry protocol
for certificate status.

What a caller needs is exported here: the services builder and its settings, issuing, verifying,
the registry protocol and its records, the identifier and metadata types a caller constructs,
and the errors. Everything else is imported from its module by this package and its tests. The
test PKI, its loopback trust services and sample data are in :mod:`signing.testing`.

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
from signing.identifier import CertificateIdentifier, parse_identifier
from signing.issue import CertificateIssuer, IssuedCertificate
from signing.keys import KeySource, Pkcs11KeySource, Pkcs12KeySource
from signing.metadata import (
    CertificateKind,
    CertificateMeta,
    CertificateStatus,
    HolderCodeType,
    mask_name,
)
from signing.pades import PadesSigner, PadesValidator, SignatureLevel, SignatureReport
from signing.registry import AuditRecord, CertificateRegistry, RegistryEntry
from signing.render import CertificateRenderer
from signing.service import SigningServices, build_signing_services, load_trust_roots
from signing.settings import SigningSettings
from signing.verify import CertificateVerifier, VerificationResult

__all__ = [
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
    "InvalidIdentifierError",
    "InvalidMetadataError",
    "IssuedCertificate",
    "KeySource",
    "KeySourceError",
    "NotAPdfError",
    "PadesSigner",
    "PadesValidator",
    "PdfTooLargeError",
    "Pkcs11KeySource",
    "Pkcs12KeySource",
    "PkiError",
    "RegistryEntry",
    "SignatureLevel",
    "SignatureReport",
    "SignerCertificateError",
    "SigningError",
    "SigningServices",
    "SigningSettings",
    "TrustServiceUnavailableError",
    "UnsignedPdfError",
    "VerificationResult",
    "build_signing_services",
    "load_trust_roots",
    "mask_name",
    "parse_identifier",
]
