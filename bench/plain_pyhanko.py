"""The baseline of ``bench/signing_throughput.py``: pyHanko's plain path, as its documentation
shows it — ``SimpleSigner.load_pkcs12`` once, ``sign_pdf`` with default options
(``SimpleSigner`` re-parses its key for every signature; default /Contents reservation; for
B-LT a fresh validation context per signature and pyHanko's default HTTP clients)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator import ValidationContext

from signing import SignatureLevel

__all__ = ["PlainPyhankoSigner"]


class PlainPyhankoSigner:
    def __init__(
        self, *, p12: Path, passphrase: str, trust_roots: Sequence[x509.Certificate], tsa_url: str
    ) -> None:
        signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=passphrase.encode())
        if signer is None:
            raise RuntimeError(f"cannot load {p12}")
        self._signer = signer
        self._roots = [
            asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
            for c in trust_roots
        ]
        self._tsa_url = tsa_url

    def sign(self, pdf: bytes, *, level: SignatureLevel) -> bytes:
        lt = level.needs_revocation_info
        meta = signers.PdfSignatureMetadata(
            field_name="Signature1",
            subfilter=fields.SigSeedSubFilter.PADES,
            embed_validation_info=lt,
            validation_context=(
                ValidationContext(trust_roots=self._roots, allow_fetching=True) if lt else None
            ),
        )
        out = io.BytesIO()
        signers.PdfSigner(
            meta,
            signer=self._signer,
            timestamper=HTTPTimeStamper(self._tsa_url) if level.needs_timestamp else None,
        ).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), output=out)
        return out.getvalue()
