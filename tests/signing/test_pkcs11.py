"""The seal key on a PKCS#11 token (SoftHSM2 in a temporary directory)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from signing import (
    KeySource,
    KeySourceError,
    PadesSigner,
    PadesValidator,
    Pkcs11KeySource,
    SignatureLevel,
)
from signing.testing import TestPki

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN = "paoyici-test"
PIN = "123456"

pytestmark = pytest.mark.skipif(
    not MODULE.exists() or shutil.which("softhsm2-util") is None, reason="softhsm2 not installed"
)


@pytest.fixture(scope="module")
def token(pki: TestPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pkcs11")
    import pkcs11
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, ObjectClass

    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    # SoftHSM reads SOFTHSM2_CONF when the module is initialised, once per process
    os.environ["SOFTHSM2_CONF"] = str(conf)
    util = ["softhsm2-util"]
    subprocess.run(
        [*util, "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "87654321"],
        check=True,
        capture_output=True,
    )
    for label, key_id in (("seal", "01"), ("seal-rsa", "02")):
        subprocess.run(
            [
                *util,
                "--import",
                str(pki.directory / f"{label}.key.pem"),
                "--token",
                TOKEN,
                "--label",
                label,
                "--id",
                key_id,
                "--pin",
                PIN,
            ],
            check=True,
            capture_output=True,
        )
    lib = pkcs11.lib(str(MODULE))
    with lib.get_token(token_label=TOKEN).open(rw=True, user_pin=PIN) as session:
        for label, key_id in (("seal", "01"), ("seal-rsa", "02")):
            der = (pki.directory / f"{label}.pem").read_bytes()
            from cryptography import x509

            cert = x509.load_pem_x509_certificate(der)
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: label,
                    Attribute.ID: bytes.fromhex(key_id),
                    Attribute.SUBJECT: cert.subject.public_bytes(),
                    Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                }
            )
    return conf


@pytest.mark.parametrize("label", ["seal", "seal-rsa"])
def test_pkcs11_seal_signs_verifiable_pdfs(
    token: Path,
    label: str,
    pki: TestPki,
    unsigned_pdf: bytes,
    validator: PadesValidator,
    pdfsig: Callable[..., object],
) -> None:
    source = Pkcs11KeySource(
        module=MODULE,
        token_label=TOKEN,
        pin=PIN,
        key_label=label,
        chain=(pki.ca_cert, pki.root_cert),
    )
    assert isinstance(source, KeySource)
    assert source.certificate.serial_number == pki._cert(f"{label}.pem").serial_number
    signer = PadesSigner(key_source=source, trust_roots=[pki.root_cert], tsa_url=pki.urls.tsa)
    for level in (SignatureLevel.B_B, SignatureLevel.B_LT):
        pdf = signer.sign(unsigned_pdf, level=level)
        report = validator.validate(pdf)
        assert report.ok and report.level is level, report
        ps = pdfsig(pdf)
        assert ps.ok, ps.raw
    # the session is kept: many signatures without re-login
    for _ in range(5):
        assert validator.validate(signer.sign(unsigned_pdf, level=SignatureLevel.B_B)).ok


def test_wrong_pin_is_a_key_source_error(token: Path) -> None:
    with pytest.raises(KeySourceError):
        Pkcs11KeySource(module=MODULE, token_label=TOKEN, pin="000000", key_label="seal")


def test_missing_key_is_a_key_source_error(token: Path) -> None:
    with pytest.raises(KeySourceError):
        Pkcs11KeySource(module=MODULE, token_label=TOKEN, pin=PIN, key_label="nope")
