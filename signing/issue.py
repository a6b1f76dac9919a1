"""Issuing a certificate: render, sign, hand back the bytes. Persisting the PDF (storage) and
registering it (``CertificateRegistry.register``) is the caller's job, in one transaction with
the application's state change."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from signing.metadata import CertificateMeta
from signing.signature import SignatureLevel

if TYPE_CHECKING:  # the caller's renderer and signer have loaded reportlab and pyHanko
    from signing.pades import PadesSigner
    from signing.render import CertificateRenderer

__all__ = ["CertificateIssuer", "IssuedCertificate"]


@dataclass(frozen=True)
class IssuedCertificate:
    meta: CertificateMeta
    pdf: bytes
    sha256: str
    level: SignatureLevel
    verification_url: str


class CertificateIssuer:
    """Renderer + signer, composed once. Thread-safe; CPU-bound (run it off the event loop)."""

    def __init__(
        self,
        *,
        renderer: CertificateRenderer,
        signer: PadesSigner,
        level: SignatureLevel = SignatureLevel.B_LT,
    ) -> None:
        self._renderer = renderer
        self._signer = signer
        self.level = level

    def issue(
        self, *, meta: CertificateMeta, level: SignatureLevel | None = None
    ) -> IssuedCertificate:
        lvl = level or self.level
        pdf = self._signer.sign(self._renderer.render(meta), level=lvl)
        return IssuedCertificate(
            meta=meta,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            level=lvl,
            verification_url=self._renderer.verification_url(meta),
        )
