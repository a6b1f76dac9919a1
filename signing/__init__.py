"""signing: electronic certificates (电子证照) — identifiers (GB/T 36904), metadata
(GB/T 36903), rendering, PAdES signing and verification, key sources, and the registry protocol
for certificate status.

What a caller needs is exported here: the services builder and its settings, issuing, verifying,
the registry protocol and its records, the identifier and metadata types a caller constructs,
and the errors. Everything else is imported from its module by this package and its tests. The
test PKI, its loopback trust services and sample data are in :mod:`signing.testing`.

Importing the package costs what it uses: pyHanko is imported only by :mod:`signing.pades`, and
reportlab only by :mod:`signing.render`; the names they define (:class:`PadesSigner`,
:class:`PadesValidator`, :class:`CertificateRenderer`) load their module when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
from signing.registry import AuditRecord, CertificateRegistry, RegistryEntry
from signing.service import SigningServices, build_signing_services, load_trust_roots
from signing.settings import SigningSettings
from signing.signature import SignatureLevel, SignatureReport
from signing.verify import CertificateVerifier, VerificationResult

if TYPE_CHECKING:
    from signing.pades import PadesSigner, PadesValidator
    from signing.render import CertificateRenderer

# name → the module that defines it, imported on first access (PEP 562)
_LAZY = {
    "PadesSigner": "signing.pades",
    "PadesValidator": "signing.pades",
    "CertificateRenderer": "signing.render",
}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'signing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
