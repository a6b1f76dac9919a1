"""Composition: build the issuer, verifier and loopback trust services from settings, once.

In the FastAPI lifespan (and once per worker process)::

    signing = build_signing_services(settings=settings.signing, data_dir=settings.data_dir,
                                     registry=sql_registry)
    app.state.verifier = signing.verifier
    app.state.registry = sql_registry          # any signing.CertificateRegistry
    if signing.pki_app is not None:             # embedded default: loopback TSA/OCSP/CRL
        app.mount("/pki", signing.pki_app)
    app.include_router(api.routers.verify.router)

Issuing (a job, off the event loop): ``signing.issuer.issue(meta=...)`` → ``IssuedCertificate``
(PDF bytes, SHA-256, level, verification URL); store the PDF, then
``registry.register(meta, actor=..., supersedes=previous_identifier_or_None)`` in the same
transaction as the application's state change. B-T and above call the TSA (and B-LT the OCSP
and CRL URLs in the certificates) over HTTP: in the embedded default those are this service's
own ``/pki`` routes, so the server must be up when a job signs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509

from signing.errors import PkiError
from signing.issue import CertificateIssuer
from signing.keys import KeySource, Pkcs11KeySource, Pkcs12KeySource
from signing.registry import CertificateRegistry
from signing.settings import SigningSettings
from signing.signature import SignatureLevel
from signing.verify import CertificateVerifier

if TYPE_CHECKING:
    from signing.testing import PkiAsgiApp, TestPki

__all__ = ["SigningServices", "build_signing_services", "load_trust_roots"]


@dataclass(frozen=True)
class SigningServices:
    issuer: CertificateIssuer
    verifier: CertificateVerifier
    key_source: KeySource
    test_pki: TestPki | None
    pki_app: PkiAsgiApp | None  # mount at "/pki" when not None


def load_trust_roots(paths: list[Path]) -> list[x509.Certificate]:
    roots: list[x509.Certificate] = []
    for p in paths:
        try:
            roots.extend(x509.load_pem_x509_certificates(p.read_bytes()))
        except (OSError, ValueError) as e:
            raise PkiError(detail=f"trust root {p}: {e}") from e
    return roots


def build_signing_services(
    *,
    settings: SigningSettings,
    data_dir: Path,
    registry: CertificateRegistry | None = None,
) -> SigningServices:
    """Create (on first start) and load the test PKI when ``serve_test_pki``; load the seal key
    once; build the issuer and the verifier. Call it in the FastAPI lifespan / worker start."""
    # here, not at the top: importing the package must not load pyHanko or reportlab
    from signing.pades import PadesSigner, PadesValidator
    from signing.render import CertificateRenderer

    test_pki = None
    pki_app = None
    if settings.serve_test_pki:
        # the embedded default only: with a real PKI configured, signing.testing is never loaded
        from signing.testing import PkiAsgiApp, PkiResponder, open_test_pki

        test_pki = open_test_pki(
            settings.resolved_pki_dir(data_dir),
            base_url=settings.public_base_url,
            passphrase=settings.pkcs12_passphrase,
        )
        pki_app = PkiAsgiApp(PkiResponder(test_pki))
    source: KeySource
    if settings.key_source == "pkcs11":
        source = Pkcs11KeySource(
            module=settings.pkcs11_module,
            token_label=settings.pkcs11_token_label,
            pin=settings.pkcs11_pin,
            key_label=settings.pkcs11_key_label,
            cert_label=settings.pkcs11_cert_label,
            chain=(test_pki.ca_cert, test_pki.root_cert) if test_pki else (),
        )
    else:
        source = Pkcs12KeySource(
            settings.resolved_pkcs12(data_dir), passphrase=settings.pkcs12_passphrase
        )
    roots = load_trust_roots(settings.resolved_trust_roots(data_dir))
    signer = PadesSigner(
        key_source=source,
        trust_roots=roots,
        tsa_url=settings.resolved_tsa_url(),
        timeout_s=settings.timeout_s,
    )
    renderer = CertificateRenderer(verify_base_url=settings.public_base_url)
    issuer = CertificateIssuer(
        renderer=renderer, signer=signer, level=SignatureLevel(settings.level)
    )
    verifier = CertificateVerifier(
        validator=PadesValidator(
            trust_roots=roots,
            allow_fetching=settings.verify_allow_fetching,
            timeout_s=settings.timeout_s,
        ),
        registry=registry,
        max_bytes=settings.verify_max_bytes,
    )
    return SigningServices(
        issuer=issuer, verifier=verifier, key_source=source, test_pki=test_pki, pki_app=pki_app
    )
