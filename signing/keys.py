"""Seal key sources: where the seal's private key lives and how it signs.

A :class:`KeySource` is loaded once (the parsed key or the open token session is kept) and then
signs any number of digests. It knows nothing of PDF; :mod:`signing.pades` turns it into a
pyHanko signer. Implementations: :class:`Pkcs12KeySource` (a ``.p12`` file, the embedded
default) and :class:`Pkcs11KeySource` (an HSM or SoftHSM2 token through ``python-pkcs11``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import pkcs12

from signing.errors import KeySourceError, SignerCertificateError

__all__ = ["KeySource", "Pkcs11KeySource", "Pkcs12KeySource", "check_signer_certificate"]

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


@runtime_checkable
class KeySource(Protocol):
    """A loaded seal key and its certificate chain.

    - ``certificate``: the seal (signer) certificate;
    - ``chain``: the CA certificates above it, nearest first (may include the root);
    - ``key_algorithm``: ``"ec"`` or ``"rsa"`` (what pyHanko names the mechanism after);
    - ``sign(data, digest=...)``: hash ``data`` with ``digest`` (``sha256`` …) and sign it:
      ECDSA → DER ``Ecdsa-Sig-Value``; RSA → PKCS#1 v1.5. Thread-safe.
    """

    @property
    def certificate(self) -> x509.Certificate: ...

    @property
    def chain(self) -> tuple[x509.Certificate, ...]: ...

    @property
    def key_algorithm(self) -> str: ...

    def sign(self, data: bytes, *, digest: str) -> bytes: ...


def _hash(digest: str) -> hashes.HashAlgorithm:
    try:
        return _HASHES[digest]()
    except KeyError:
        raise KeySourceError(detail=f"unsupported digest {digest}") from None


def check_signer_certificate(cert: x509.Certificate, *, at: dt.datetime | None = None) -> None:
    """Refuse a seal certificate that is outside its validity or lacks the seal key usages."""
    at = at or dt.datetime.now(dt.UTC)
    if at < cert.not_valid_before_utc:
        raise SignerCertificateError(
            "not_yet_valid", detail=f"valid from {cert.not_valid_before_utc}"
        )
    if at > cert.not_valid_after_utc:
        raise SignerCertificateError("expired", detail=f"expired {cert.not_valid_after_utc}")
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound as e:
        raise SignerCertificateError("key_usage", detail="no KeyUsage extension") from e
    if not (ku.digital_signature and ku.content_commitment):
        raise SignerCertificateError(
            "key_usage", detail="needs digitalSignature and nonRepudiation"
        )


_SealKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def _seal_key(key: object, *, where: str = "") -> _SealKey:
    if not isinstance(key, _SealKey):
        raise KeySourceError(detail=f"{where}unsupported key type {type(key).__name__}")
    return key


def _algorithm(key: _SealKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey) -> str:
    return (
        "ec" if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) else "rsa"
    )


class _LoadedKeySource:
    """What every key source holds once loaded: the seal certificate, the CA certificates above
    it and the key algorithm (the :class:`KeySource` properties)."""

    def __init__(
        self, certificate: x509.Certificate, chain: tuple[x509.Certificate, ...], algorithm: str
    ) -> None:
        self._cert = certificate
        self._chain = chain
        self._algorithm = algorithm

    @property
    def certificate(self) -> x509.Certificate:
        return self._cert

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        return self._chain

    @property
    def key_algorithm(self) -> str:
        return self._algorithm


class Pkcs12KeySource(_LoadedKeySource):
    """A PKCS#12 file, decrypted and parsed once at construction."""

    def __init__(self, path: Path, *, passphrase: str) -> None:
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(
                path.read_bytes(), passphrase.encode()
            )
        except (OSError, ValueError) as e:
            raise KeySourceError(detail=f"{path.name}: {e}") from e
        if key is None or cert is None:
            raise KeySourceError(detail=f"{path.name}: no key or certificate")
        self._key = _seal_key(key, where=f"{path.name}: ")
        super().__init__(cert, tuple(extra), _algorithm(self._key))

    @classmethod
    def from_pem(cls, *, cert: Path, key: Path, chain: tuple[Path, ...] = ()) -> Pkcs12KeySource:
        """The same from PEM files (certificate, unencrypted PKCS#8 key, CA certificates)."""
        try:
            k = serialization.load_pem_private_key(key.read_bytes(), None)
            certificate = x509.load_pem_x509_certificate(cert.read_bytes())
            ca_certs = tuple(x509.load_pem_x509_certificate(p.read_bytes()) for p in chain)
        except (OSError, ValueError) as e:
            raise KeySourceError(detail=str(e)) from e
        self = cls.__new__(cls)
        self._key = _seal_key(k)
        _LoadedKeySource.__init__(self, certificate, ca_certs, _algorithm(self._key))
        return self

    def sign(self, data: bytes, *, digest: str) -> bytes:
        h = _hash(digest)
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(h))
        return self._key.sign(data, padding.PKCS1v15(), h)


class Pkcs11KeySource(_LoadedKeySource):
    """A key on a PKCS#11 token (HSM; SoftHSM2 in tests). The session is opened once and kept;
    calls are serialised because a PKCS#11 session is not thread-safe.

    The certificate is read from the token (object with ``cert_label``, default ``key_label``)
    unless ``certificate`` is given; ``chain`` are the CA certificates above it.
    The digest is computed here and the token does raw ECDSA / RSA PKCS#1 v1.5 on it, which
    every token supports (SoftHSM2 lacks combined ECDSA-SHA256 mechanisms).
    """

    def __init__(
        self,
        *,
        module: Path,
        token_label: str,
        pin: str,
        key_label: str,
        cert_label: str | None = None,
        certificate: x509.Certificate | None = None,
        chain: tuple[x509.Certificate, ...] = (),
    ) -> None:
        try:
            import pkcs11
            import pkcs11.exceptions
            from pkcs11 import Attribute, Mechanism, ObjectClass
        except ImportError as e:  # optional extra "pkcs11"
            raise KeySourceError(detail="python-pkcs11 is not installed (extra 'pkcs11')") from e
        self._mechanism_ecdsa = Mechanism.ECDSA
        self._mechanism_rsa = Mechanism.RSA_PKCS
        try:
            lib = pkcs11.lib(str(module))
            token = lib.get_token(token_label=token_label)
            try:
                self._session = token.open(user_pin=pin)
            except pkcs11.exceptions.UserAlreadyLoggedIn:
                # Another source in this process holds the login (PKCS#11 login is per
                # application and token). Share it only with the same PIN, or a wrong PIN
                # would ride on someone else's login.
                if _LOGINS.get((str(module), token_label)) != _pin_digest(pin):
                    raise KeySourceError(
                        detail="token already logged in with another PIN"
                    ) from None
                self._session = token.open()
            _LOGINS[(str(module), token_label)] = _pin_digest(pin)
            self._key: Any = self._session.get_key(
                object_class=ObjectClass.PRIVATE_KEY, label=key_label
            )
            if certificate is None:
                objs = list(
                    self._session.get_objects(
                        {
                            Attribute.CLASS: ObjectClass.CERTIFICATE,
                            Attribute.LABEL: cert_label or key_label,
                        }
                    )
                )
                if not objs:
                    raise KeySourceError(
                        detail=f"no certificate labelled {cert_label or key_label}"
                    )
                certificate = x509.load_der_x509_certificate(bytes(objs[0][Attribute.VALUE]))
        except KeySourceError:
            raise
        except Exception as e:  # python-pkcs11 raises many unrelated classes
            raise KeySourceError(detail=f"PKCS#11 {type(e).__name__}: {e}") from e
        pub = certificate.public_key()
        if not isinstance(pub, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
            raise KeySourceError(detail=f"unsupported key type {type(pub).__name__}")
        super().__init__(certificate, chain, _algorithm(pub))
        self._lock = threading.Lock()

    def sign(self, data: bytes, *, digest: str) -> bytes:
        h = hashes.Hash(_hash(digest))
        h.update(data)
        md = h.finalize()
        try:
            with self._lock:
                if self._algorithm == "ec":
                    raw = bytes(self._key.sign(md, mechanism=self._mechanism_ecdsa))
                else:
                    raw = bytes(
                        self._key.sign(_digest_info(digest, md), mechanism=self._mechanism_rsa)
                    )
        except Exception as e:
            raise KeySourceError(detail=f"PKCS#11 sign: {type(e).__name__}: {e}") from e
        if self._algorithm == "ec":
            half = len(raw) // 2
            return encode_dss_signature(
                int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
            )
        return raw

    def close(self) -> None:
        with self._lock:
            self._session.close()


_LOGINS: dict[tuple[str, str], bytes] = {}


def _pin_digest(pin: str) -> bytes:
    return hashlib.sha256(pin.encode()).digest()


_DIGEST_INFO_PREFIX = {
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}


def _digest_info(digest: str, md: bytes) -> bytes:
    return _DIGEST_INFO_PREFIX[digest] + md
