"""Session fixtures: one generated PKI with its loopback TSA/OCSP/CRL server, seal signers
(ECDSA P-256, RSA-3072), an NSS database trusting the root for pdfsig, signed samples."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from signing import (
    CertificateRenderer,
    PadesSigner,
    PadesValidator,
    Pkcs12KeySource,
    SignatureLevel,
)
from signing.testing import LoopbackPkiServer, PkiResponder, TestPki, init_test_pki, sample_meta


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPki]:
    port = free_port()
    directory = tmp_path_factory.mktemp("pki")
    test_pki = init_test_pki(directory=directory, base_url=f"http://127.0.0.1:{port}")
    with LoopbackPkiServer(PkiResponder(test_pki), port=port):
        yield test_pki


@pytest.fixture(scope="session")
def renderer(pki: TestPki) -> CertificateRenderer:
    return CertificateRenderer(verify_base_url=pki.urls.base_url)


@pytest.fixture(scope="session")
def unsigned_pdf(renderer: CertificateRenderer) -> bytes:
    return renderer.render(sample_meta())


@pytest.fixture(scope="session")
def signers(pki: TestPki) -> dict[str, PadesSigner]:
    out = {}
    for alg, p12 in (("ecdsa-p256", pki.seal_p12), ("rsa-3072", pki.seal_rsa_p12)):
        source = Pkcs12KeySource(p12, passphrase=pki.passphrase)
        out[alg] = PadesSigner(key_source=source, trust_roots=[pki.root_cert], tsa_url=pki.urls.tsa)
    return out


@pytest.fixture(scope="session")
def validator(pki: TestPki) -> PadesValidator:
    return PadesValidator(trust_roots=[pki.root_cert], allow_fetching=True)


@pytest.fixture(scope="session")
def signed(
    signers: dict[str, PadesSigner], unsigned_pdf: bytes
) -> Callable[[str, SignatureLevel], bytes]:
    cache: dict[tuple[str, SignatureLevel], bytes] = {}

    def get(alg: str, level: SignatureLevel) -> bytes:
        if (alg, level) not in cache:
            cache[(alg, level)] = signers[alg].sign(unsigned_pdf, level=level)
        return cache[(alg, level)]

    return get


@dataclass(frozen=True)
class PdfsigReport:
    signature: str  # "Signature is Valid." / "Digest Mismatch." / "Signature is Invalid." ...
    certificate: str  # "Certificate is Trusted." / "Certificate has been Revoked." ...
    total_document_signed: bool
    signatures: int
    raw: str

    @property
    def ok(self) -> bool:
        return (
            self.signature == "Signature is Valid."
            and self.certificate == "Certificate is Trusted."
        )


@pytest.fixture(scope="session")
def nssdb(pki: TestPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("pdfsig") is None or shutil.which("certutil") is None:
        pytest.skip("poppler-utils / libnss3-tools not installed")
    db = tmp_path_factory.mktemp("nssdb")
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{db}",
            "-n",
            "root",
            "-t",
            "CT,C,C",
            "-i",
            str(pki.directory / "root.pem"),
        ],
        check=True,
    )
    return db


@pytest.fixture(scope="session")
def pdfsig(nssdb: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., PdfsigReport]:
    """Run poppler's pdfsig and parse its text: its exit status is 0 even on a digest
    mismatch. OCSP checking is on (pdfsig's default) unless ``ocsp=False``."""
    work = tmp_path_factory.mktemp("pdfsig")
    counter = iter(range(10**9))

    def run(pdf: bytes, *, ocsp: bool = True) -> PdfsigReport:
        path = work / f"doc{next(counter)}.pdf"
        path.write_bytes(pdf)
        args = ["pdfsig", "-nssdir", f"sql:{nssdb}"]
        if not ocsp:
            args.append("-no-ocsp")
        proc = subprocess.run([*args, str(path)], capture_output=True, text=True, timeout=60)
        out = proc.stdout
        sig = re.search(r"Signature Validation: (.+)", out)
        cert = re.search(r"Certificate Validation: (.+)", out)
        return PdfsigReport(
            signature=sig.group(1).strip() if sig else "",
            certificate=cert.group(1).strip() if cert else "",
            total_document_signed="Total document signed" in out,
            signatures=len(re.findall(r"^Signature #\d+", out, flags=re.M)),
            raw=out + proc.stderr,
        )

    return run
