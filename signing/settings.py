"""Settings of the signing package (``PAOYICI_SIGNING_*``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_BASE_URL", "DEV_PASSPHRASE", "SigningSettings"]

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEV_PASSPHRASE = "paoyici-test-only"  # noqa: S105 - dev default, flagged by insecure_defaults()


class SigningSettings(BaseSettings):
    """Where the seal key lives, which trust services to use, how verification behaves.

    Embedded default: a test PKI under ``<data dir>/pki`` (created on first start), its seal in
    ``seal.p12``, the service itself hosting the loopback TSA/OCSP/CRL at ``/pki``. Production:
    ``key_source=pkcs11`` (HSM), ``tsa_url`` of a licensed TSA, the CA's root in ``trust_roots``
    and ``serve_test_pki=false``; :meth:`insecure_defaults` lists what is still at dev values.
    """

    model_config = SettingsConfigDict(env_prefix="PAOYICI_SIGNING_", extra="ignore")

    # public base URL: QR codes, and the AIA/CRL URLs of a generated test PKI
    public_base_url: str = DEFAULT_BASE_URL
    pki_dir: Path | None = None  # default: <data dir>/pki
    serve_test_pki: bool = True

    key_source: Literal["pkcs12", "pkcs11"] = "pkcs12"
    pkcs12_path: Path | None = None  # default: <pki dir>/seal.p12
    pkcs12_passphrase: str = DEV_PASSPHRASE
    pkcs11_module: Path = Path("/usr/lib/softhsm/libsofthsm2.so")
    pkcs11_token_label: str = "paoyici-seal"  # noqa: S105 - a label, not a secret
    pkcs11_pin: str = "1234"  # dev default, flagged by insecure_defaults()
    pkcs11_key_label: str = "seal"
    pkcs11_cert_label: str | None = None

    trust_roots: list[Path] = []  # default: <pki dir>/root.pem
    tsa_url: str | None = None  # default: <public base url>/pki/tsa when serving the test PKI
    level: Literal["B-B", "B-T", "B-LT", "B-LTA"] = "B-LT"
    timeout_s: float = 5.0

    issuer_name: str = "杭州市不动产登记中心（测试）"
    issuer_code: str = "11330100MB0000000N"  # 统一社会信用代码 (GB 32100 check passes)

    verify_allow_fetching: bool = True
    verify_max_bytes: int = 20 * 1024 * 1024

    def resolved_pki_dir(self, data_dir: Path) -> Path:
        return self.pki_dir or data_dir / "pki"

    def resolved_pkcs12(self, data_dir: Path) -> Path:
        return self.pkcs12_path or self.resolved_pki_dir(data_dir) / "seal.p12"

    def resolved_trust_roots(self, data_dir: Path) -> list[Path]:
        return self.trust_roots or [self.resolved_pki_dir(data_dir) / "root.pem"]

    def resolved_tsa_url(self) -> str | None:
        if self.tsa_url:
            return self.tsa_url
        if self.serve_test_pki:
            return f"{self.public_base_url.rstrip('/')}/pki/tsa"
        return None

    def insecure_defaults(self) -> list[str]:
        out = []
        if self.serve_test_pki:
            out.append("PAOYICI_SIGNING_SERVE_TEST_PKI (test PKI, loopback TSA/OCSP)")
        if self.key_source == "pkcs12" and self.pkcs12_passphrase == DEV_PASSPHRASE:
            out.append("PAOYICI_SIGNING_PKCS12_PASSPHRASE")
        if self.key_source == "pkcs11" and self.pkcs11_pin == "1234":
            out.append("PAOYICI_SIGNING_PKCS11_PIN")
        if not self.trust_roots:
            out.append("PAOYICI_SIGNING_TRUST_ROOTS (test root)")
        if self.public_base_url == DEFAULT_BASE_URL:
            out.append("PAOYICI_SIGNING_PUBLIC_BASE_URL")
        return out
