"""A test PKI for the embedded default and the tests (``paoyici pki init DIR``).

Layout of ``DIR`` (every certificate PEM, every key PKCS#8 PEM or PKCS#12, all marked as test):

==================  ==========================================================================
``root.pem``        trust anchor (self-signed root CA); ``root.key.pem``
``ca.pem``          issuing CA (signs seal, TSA and OCSP certificates and ``ca.crl``)
``seal.p12``        seal signer, ECDSA P-256, key usage digitalSignature + nonRepudiation
``seal-rsa.p12``    the same with RSA-3072
``tsa.pem``         RFC 3161 timestamp unit, EKU timeStamping (critical); ``tsa.key.pem``
``ocsp.pem``        delegated OCSP responder, EKU OCSPSigning + id-pkix-ocsp-nocheck
``ca.crl``          CRLs at creation time (DER; ``root.crl`` too), served fresh by the responder
``pki.json``        base URL, file names, ``test: true``
``state.json``      issued serials and revocations (read by the loopback responders)
==================  ==========================================================================

Every leaf carries AIA (OCSP + caIssuers) and a CRL distribution point under ``<base>/pki/…``,
served by :mod:`signing.testing.responders`. Production uses the licensed CA's certificates
instead.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from signing.errors import PkiError
from signing.settings import DEFAULT_BASE_URL, DEV_PASSPHRASE

__all__ = [
    "REVOCATION_INFO_LIFETIME",
    "PkiUrls",
    "RevocationState",
    "TestPki",
    "init_test_pki",
    "open_test_pki",
]

# how long a CRL (and an OCSP answer) of this PKI stays current
REVOCATION_INFO_LIFETIME = dt.timedelta(days=1)

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


# The loopback trust services, each at ``<base>/pki<path>``: the certificates name these URLs
# and signing.testing.responders serves these paths.
SERVICE_PATHS: Mapping[str, str] = {
    "tsa": "/tsa",
    "ocsp": "/ocsp",
    "ca_crl": "/crl/ca.crl",
    "root_crl": "/crl/root.crl",
    "ca_cert": "/ca.crt",
    "root_cert": "/root.crt",
}


@dataclass(frozen=True)
class PkiUrls:
    """Where the loopback trust services live, below ``base_url`` (see :data:`SERVICE_PATHS`)."""

    base_url: str
    tsa: str = field(init=False)
    ocsp: str = field(init=False)
    ca_crl: str = field(init=False)
    root_crl: str = field(init=False)
    ca_cert: str = field(init=False)

    def __post_init__(self) -> None:
        for f in fields(self)[1:]:
            object.__setattr__(self, f.name, f"{self.base_url}/pki{SERVICE_PATHS[f.name]}")


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "浙江省"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "跑一次测试证书体系（仅供测试）"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _new_key(algorithm: str) -> PrivateKey:
    if algorithm == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    raise ValueError(f"unknown key algorithm {algorithm!r}")


def _pem_key(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write(path: Path, data: bytes, *, secret: bool = False) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    if secret:
        os.chmod(tmp, 0o600)
    tmp.replace(path)


class RevocationState:
    """Issued serials and revocations of the test CA, persisted in ``state.json``.

    Thread-safe; reloads the file when another process changed it, so a revocation made by one
    process (CLI, tests) is seen by the responders of another on the next request.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._mtime_ns = -1
        self._issued: set[int] = set()
        self._revoked: dict[int, tuple[dt.datetime, str]] = {}
        self.version = 0
        if path.exists():
            self._reload()

    def _reload(self) -> None:
        try:
            stat = self._path.stat()
        except FileNotFoundError:
            return
        if stat.st_mtime_ns == self._mtime_ns:
            return
        raw = json.loads(self._path.read_text("utf-8"))
        self._issued = {int(s, 16) for s in raw.get("issued", [])}
        self._revoked = {
            int(s, 16): (dt.datetime.fromisoformat(v["at"]), v["reason"])
            for s, v in raw.get("revoked", {}).items()
        }
        self._mtime_ns = stat.st_mtime_ns
        self.version += 1

    def _save(self) -> None:
        raw = {
            "issued": sorted(f"{s:x}" for s in self._issued),
            "revoked": {
                f"{s:x}": {"at": at.isoformat(), "reason": reason}
                for s, (at, reason) in sorted(self._revoked.items())
            },
        }
        _write(self._path, json.dumps(raw, indent=1).encode())
        self._mtime_ns = self._path.stat().st_mtime_ns
        self.version += 1

    def add_issued(self, serial: int) -> None:
        with self._lock:
            self._reload()
            self._issued.add(serial)
            self._save()

    def revoke(
        self, serial: int, *, reason: str = "key_compromise", at: dt.datetime | None = None
    ) -> None:
        """Revoke a certificate of the issuing CA (``reason``: an RFC 5280 CRLReason name)."""
        with self._lock:
            self._reload()
            self._revoked[serial] = (at or dt.datetime.now(dt.UTC), reason)
            self._save()

    def lookup(self, serial: int) -> tuple[str, dt.datetime | None, str | None]:
        """``("good" | "revoked" | "unknown", revoked_at, reason)``."""
        with self._lock:
            self._reload()
            if serial in self._revoked:
                at, reason = self._revoked[serial]
                return "revoked", at, reason
            if serial in self._issued:
                return "good", None, None
            return "unknown", None, None

    def revoked(self) -> dict[int, tuple[dt.datetime, str]]:
        with self._lock:
            self._reload()
            return dict(self._revoked)

    def current_version(self) -> int:
        with self._lock:
            self._reload()
            return self.version


class TestPki:
    """The loaded test PKI: certificates and keys, able to issue more seal certificates."""

    __test__ = False  # not a pytest class

    def __init__(self, directory: Path, *, passphrase: str = DEV_PASSPHRASE) -> None:
        self.directory = directory
        self.passphrase = passphrase
        try:
            manifest = json.loads((directory / "pki.json").read_text("utf-8"))
            self.urls = PkiUrls(manifest["base_url"])
            self.root_cert = self._cert("root.pem")
            self.root_key = self._key("root.key.pem")
            self.ca_cert = self._cert("ca.pem")
            self.ca_key = self._key("ca.key.pem")
            self.tsa_cert = self._cert("tsa.pem")
            self.tsa_key = self._key("tsa.key.pem")
            self.ocsp_cert = self._cert("ocsp.pem")
            self.ocsp_key = self._key("ocsp.key.pem")
        except (OSError, ValueError, KeyError) as e:
            raise PkiError(detail=f"{directory}: {e}") from e
        self.state = RevocationState(directory / "state.json")

    def _cert(self, name: str) -> x509.Certificate:
        return x509.load_pem_x509_certificate((self.directory / name).read_bytes())

    def _key(self, name: str) -> PrivateKey:
        key = serialization.load_pem_private_key((self.directory / name).read_bytes(), None)
        assert isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
        return key

    @property
    def seal_p12(self) -> Path:
        return self.directory / "seal.p12"

    @property
    def seal_rsa_p12(self) -> Path:
        return self.directory / "seal-rsa.p12"

    def issue_seal(
        self,
        *,
        stem: str,
        common_name: str = "跑一次测试签章（仅供测试）",
        algorithm: str = "ec",
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> Path:
        """Issue a seal certificate and write ``<stem>.p12`` (+ ``<stem>.pem``,
        ``<stem>.key.pem``). Returns the PKCS#12 path."""
        now = dt.datetime.now(dt.UTC)
        key = _new_key(algorithm)
        cert = _issue(
            issuer_cert=self.ca_cert,
            issuer_key=self.ca_key,
            subject=_name(common_name),
            public_key=key.public_key(),
            not_before=not_before or now - dt.timedelta(hours=1),
            not_after=not_after or now + dt.timedelta(days=3 * 365),
            profile="seal",
            urls=self.urls,
        )
        self.state.add_issued(cert.serial_number)
        _write(self.directory / f"{stem}.pem", cert.public_bytes(serialization.Encoding.PEM))
        _write(self.directory / f"{stem}.key.pem", _pem_key(key), secret=True)
        p12 = pkcs12.serialize_key_and_certificates(
            name=stem.encode(),
            key=key,
            cert=cert,
            cas=[self.ca_cert, self.root_cert],
            encryption_algorithm=serialization.BestAvailableEncryption(self.passphrase.encode()),
        )
        path = self.directory / f"{stem}.p12"
        _write(path, p12, secret=True)
        return path

    def revoke(self, cert: x509.Certificate, *, reason: str = "key_compromise") -> None:
        self.state.revoke(cert.serial_number, reason=reason)

    def crl(self, which: str, *, number: int, at: dt.datetime) -> bytes:
        """A DER CRL issued at ``at``: of the issuing CA (``"ca"``, every revocation in
        :attr:`state`) or of the root (``"root"``)."""
        if which == "ca":
            issuer, key, revoked = self.ca_cert, self.ca_key, self.state.revoked()
        else:
            # the root only ever issued the CA, which this test PKI never revokes
            issuer, key, revoked = self.root_cert, self.root_key, {}
        b = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer.subject)
            .last_update(at - dt.timedelta(seconds=5))
            .next_update(at + REVOCATION_INFO_LIFETIME)
            .add_extension(x509.CRLNumber(number), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()),
                critical=False,
            )
        )
        for serial, (revoked_at, reason) in revoked.items():
            entry = (
                x509.RevokedCertificateBuilder()
                .serial_number(serial)
                .revocation_date(revoked_at)
                .add_extension(x509.CRLReason(x509.ReasonFlags[reason]), critical=False)
                .build()
            )
            b = b.add_revoked_certificate(entry)
        return b.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _issue(
    *,
    issuer_cert: x509.Certificate | None,
    issuer_key: PrivateKey,
    subject: x509.Name,
    public_key: ec.EllipticCurvePublicKey | rsa.RSAPublicKey,
    not_before: dt.datetime,
    not_after: dt.datetime,
    profile: str,
    urls: PkiUrls,
) -> x509.Certificate:
    issuer_name = subject if issuer_cert is None else issuer_cert.subject
    issuer_public = issuer_key.public_key()
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False
        )
    )
    ku = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    if profile in ("root", "ca"):
        b = b.add_extension(
            x509.BasicConstraints(ca=True, path_length=1 if profile == "root" else 0),
            critical=True,
        )
        ku.update(key_cert_sign=True, crl_sign=True)
    else:
        b = b.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        ku.update(digital_signature=True)
    if profile == "seal":
        ku.update(content_commitment=True)
        # emailProtection: NSS (pdfsig, Firefox, Thunderbird) validates PDF signers with its
        # e-mail-signer usage, and poppler 22.x reports a stale "extension not found" error when
        # the EKU is absent; id-kp-documentSigning (RFC 9336) states the real purpose.
        b = b.add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.EMAIL_PROTECTION, x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")]
            ),
            critical=False,
        )
    b = b.add_extension(x509.KeyUsage(**ku), critical=True)
    if profile == "tsa":
        b = b.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    if profile == "ocsp":
        b = b.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False
        )
        b = b.add_extension(x509.OCSPNoCheck(), critical=False)
    if profile == "ca":
        b = b.add_extension(_crl_dp(urls.root_crl), critical=False)
    if profile in ("seal", "tsa"):
        b = b.add_extension(_crl_dp(urls.ca_crl), critical=False)
        b = b.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        x509.AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(urls.ocsp),
                    ),
                    x509.AccessDescription(
                        x509.AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(urls.ca_cert),
                    ),
                ]
            ),
            critical=False,
        )
    return b.sign(issuer_key, hashes.SHA256())


def _crl_dp(url: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(url)],
                relative_name=None,
                reasons=None,
                crl_issuer=None,
            )
        ]
    )


def init_test_pki(
    *,
    directory: Path,
    base_url: str = DEFAULT_BASE_URL,
    passphrase: str = DEV_PASSPHRASE,
    with_rsa_seal: bool = True,
) -> TestPki:
    """Create a fresh test PKI in ``directory`` (created if missing; existing files replaced)."""
    directory.mkdir(parents=True, exist_ok=True)
    urls = PkiUrls(base_url.rstrip("/"))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = now - dt.timedelta(days=1)

    def issue(
        profile: str, cn: str, years: int, by: tuple[x509.Certificate, PrivateKey] | None
    ) -> tuple[x509.Certificate, PrivateKey]:
        """A fresh EC key and its certificate, issued ``by`` (None: self-signed)."""
        key = _new_key("ec")
        cert = _issue(
            issuer_cert=by[0] if by else None,
            issuer_key=by[1] if by else key,
            subject=_name(cn),
            public_key=key.public_key(),
            not_before=start,
            not_after=now + dt.timedelta(days=years * 365),
            profile=profile,
            urls=urls,
        )
        return cert, key

    root, root_key = issue("root", "跑一次测试根证书（仅供测试）", 20, None)
    ca, ca_key = issue("ca", "跑一次测试签发CA（仅供测试）", 10, (root, root_key))
    leaves = {
        stem: issue(stem, cn, 5, (ca, ca_key))
        for stem, cn in (
            ("tsa", "跑一次测试时间戳服务（仅供测试）"),
            ("ocsp", "跑一次测试OCSP服务（仅供测试）"),
        )
    }
    pem = serialization.Encoding.PEM
    _write(directory / "root.pem", root.public_bytes(pem))
    _write(directory / "root.key.pem", _pem_key(root_key), secret=True)
    _write(directory / "ca.pem", ca.public_bytes(pem))
    _write(directory / "ca.key.pem", _pem_key(ca_key), secret=True)
    for stem, (cert, key) in leaves.items():
        _write(directory / f"{stem}.pem", cert.public_bytes(pem))
        _write(directory / f"{stem}.key.pem", _pem_key(key), secret=True)
    state = directory / "state.json"
    state.unlink(missing_ok=True)
    manifest = {
        "test": True,
        "note": "仅供测试：不得用于签发真实电子证照",
        "base_url": urls.base_url,
        "created": now.isoformat(),
        "trust_anchor": "root.pem",
        "seal": "seal.p12",
    }
    _write(directory / "pki.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    pki = TestPki(directory, passphrase=passphrase)
    for cert, _ in leaves.values():
        pki.state.add_issued(cert.serial_number)
    pki.issue_seal(stem="seal", algorithm="ec")
    if with_rsa_seal:
        pki.issue_seal(
            stem="seal-rsa", common_name="跑一次测试签章RSA（仅供测试）", algorithm="rsa"
        )
    # initial CRLs as files, for tools that want them offline; the responders serve fresh ones
    _write(directory / "ca.crl", pki.crl("ca", number=1, at=now))
    _write(directory / "root.crl", pki.crl("root", number=1, at=now))
    return pki


def open_test_pki(
    directory: Path, *, base_url: str = DEFAULT_BASE_URL, passphrase: str = DEV_PASSPHRASE
) -> TestPki:
    """The test PKI in ``directory``, created there on first use. An existing one is kept: a new
    root would leave every certificate issued before it untrusted."""
    if not (directory / "pki.json").exists():
        init_test_pki(directory=directory, base_url=base_url, passphrase=passphrase)
    return TestPki(directory, passphrase=passphrase)
