"""Verbs for electronic certificates: ``pki init``, ``pki serve``, ``certificate sample``,
``verify`` (CONTRACT §1). Exit codes for ``verify``: 0 verified, 1 not verified (including a
file that is not a signed PDF), 2 usage errors.

Every verb reads the service's settings (``api.settings.load_settings``): the test PKI's
passphrase, its default base URL, trust-service timeouts and verification limits mean here what
they mean in ``paoyici serve``."""

from __future__ import annotations

import contextlib
import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from api.cli._common import EXIT_FAILED, EXIT_OK, print_json, usage_error

if TYPE_CHECKING:
    from signing import SigningSettings
    from signing.testing import TestPki


def _signing_settings() -> SigningSettings:
    """The signing settings of the service (loaded on use: ``--help`` stays cheap)."""
    from api.settings import load_settings

    return load_settings().signing


pki_app = typer.Typer(help="测试用 PKI。", no_args_is_help=True)
certificate_app = typer.Typer(help="电子证照。", no_args_is_help=True)


@pki_app.command("init")
def pki_init(
    dir: Annotated[Path, typer.Argument(help="输出目录")],
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="TSA/OCSP/CRL 服务的基础地址（写入证书；默认为服务的公开地址）",
        ),
    ] = None,
) -> None:
    """生成测试 PKI：根证书、签发 CA、印章密钥、时间戳与 OCSP。"""
    from signing.testing import init_test_pki

    if dir.exists() and not dir.is_dir():
        usage_error(f"{dir} 不是目录")
    signing = _signing_settings()
    pki = init_test_pki(
        directory=dir,
        base_url=base_url or signing.public_base_url,
        passphrase=signing.pkcs12_passphrase,
    )
    typer.echo(f"测试 PKI 已生成（仅供测试）：{dir}", err=True)
    typer.echo(f"  信任根：{dir / 'root.pem'}", err=True)
    typer.echo(f"  印章：{pki.seal_p12}（ECDSA P-256），{pki.seal_rsa_p12}（RSA-3072）", err=True)
    typer.echo(f"  时间戳/OCSP/CRL：{pki.urls.tsa} {pki.urls.ocsp} {pki.urls.ca_crl}", err=True)


@pki_app.command("serve")
def pki_serve(
    dir: Annotated[Path, typer.Argument(help="pki init 生成的目录")],
) -> None:
    """单独运行测试 PKI 的时间戳、OCSP 与 CRL 服务（地址取自 pki init 的 --base-url）。"""
    from signing import PkiError
    from signing.testing import LoopbackPkiServer, PkiResponder, TestPki

    try:
        pki = TestPki(dir, passphrase=_signing_settings().pkcs12_passphrase)
    except PkiError as e:
        usage_error(e.message + f"（{dir}）")
    host, port = _host_port(pki.urls.base_url)
    server = LoopbackPkiServer(PkiResponder(pki), host=host, port=port)
    typer.echo(f"测试 PKI 服务：{pki.urls.base_url}/pki/（Ctrl-C 结束）", err=True)
    server.start()
    with contextlib.suppress(KeyboardInterrupt):
        server._thread.join()
    server.stop()


def _host_port(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    return parts.hostname or "127.0.0.1", parts.port or 80


@contextlib.contextmanager
def _trust_services(pki: TestPki) -> Iterator[None]:
    """Serve the test PKI's TSA/OCSP/CRL for the duration of one CLI command, unless something
    (``paoyici serve`` / ``pki serve``) already listens on its base URL."""
    from signing.testing import LoopbackPkiServer, PkiResponder

    host, port = _host_port(pki.urls.base_url)
    with socket.socket() as s:
        s.settimeout(0.5)
        busy = s.connect_ex((host, port)) == 0
    if busy:
        yield
        return
    with LoopbackPkiServer(PkiResponder(pki), host=host, port=port):
        yield


@certificate_app.command("sample")
def certificate_sample(
    out: Annotated[Path, typer.Argument(help="输出 PDF")],
    pki: Annotated[Path, typer.Option("--pki", help="pki init 生成的目录")],
    level: Annotated[
        str | None,
        typer.Option("--level", help="B-B | B-T | B-LT | B-LTA（默认 PAOYICI_SIGNING_LEVEL）"),
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="real_estate_registration | individual_business_license")
    ] = "real_estate_registration",
    rsa: Annotated[
        bool, typer.Option("--rsa", help="用 RSA-3072 印章（默认 ECDSA P-256）")
    ] = False,
) -> None:
    """生成并签署一份示例电子证照。"""
    from signing import (
        CertificateIssuer,
        CertificateKind,
        CertificateRenderer,
        PadesSigner,
        Pkcs12KeySource,
        PkiError,
        SignatureLevel,
        SigningError,
    )
    from signing.testing import TestPki, sample_meta

    settings = _signing_settings()
    try:
        lvl = SignatureLevel(level or settings.level)
        knd = CertificateKind(kind)
    except ValueError as e:
        usage_error(str(e))
    try:
        test_pki = TestPki(pki, passphrase=settings.pkcs12_passphrase)
    except PkiError as e:
        usage_error(f"{e.message}（{pki}）")
    source = Pkcs12KeySource(
        test_pki.seal_rsa_p12 if rsa else test_pki.seal_p12, passphrase=test_pki.passphrase
    )
    signer = PadesSigner(
        key_source=source,
        trust_roots=[test_pki.root_cert],
        tsa_url=test_pki.urls.tsa,
        timeout_s=settings.timeout_s,
    )
    issuer = CertificateIssuer(
        renderer=CertificateRenderer(verify_base_url=test_pki.urls.base_url), signer=signer
    )
    meta = sample_meta(kind=knd)
    try:
        with _trust_services(test_pki):
            issued = issuer.issue(meta=meta, level=lvl)
    except SigningError as e:
        typer.echo(f"paoyici: {e}", err=True)
        raise typer.Exit(EXIT_FAILED) from e
    out.write_bytes(issued.pdf)
    typer.echo(
        f"{out}：{meta.name} {meta.identifier} {lvl.value}，核验地址 {issued.verification_url}",
        err=True,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(pki_app, name="pki")
    app.add_typer(certificate_app, name="certificate")

    @app.command("verify")
    def verify_cmd(
        file: Annotated[Path, typer.Argument(help="电子证照 PDF")],
        trust: Annotated[Path, typer.Option("--trust", help="信任根证书 PEM")],
        json_out: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
        offline: Annotated[
            bool, typer.Option("--offline", help="不联网查询证书吊销状态（OCSP/CRL）")
        ] = False,
    ) -> None:
        """核验电子证照的签名、完整性与状态。"""
        from signing import (
            CertificateVerifier,
            NotAPdfError,
            PadesValidator,
            PkiError,
            load_trust_roots,
        )

        if not file.is_file():
            usage_error(f"找不到文件：{file}")
        settings = _signing_settings()
        try:
            roots = load_trust_roots([trust])
        except PkiError as e:
            usage_error(f"无法读取信任根证书：{trust}（{e.detail}）")
        if not roots:
            usage_error(f"信任根文件中没有证书：{trust}")
        verifier = CertificateVerifier(
            validator=PadesValidator(
                trust_roots=roots,
                allow_fetching=settings.verify_allow_fetching and not offline,
                timeout_s=settings.timeout_s,
            ),
            max_bytes=settings.verify_max_bytes,
        )
        data = file.read_bytes()
        try:
            result = verifier.verify_pdf(data)
        except NotAPdfError as e:
            if json_out:
                print_json({"error": e.code, "message": e.message})
            else:
                typer.echo(f"未通过：{e.message}", err=True)
            raise typer.Exit(EXIT_FAILED) from e
        if json_out:
            print_json(result.to_json())
        else:
            _print_human(result.to_json())
        raise typer.Exit(EXIT_OK if result.verified else EXIT_FAILED)


def _print_human(doc: dict[str, object]) -> None:
    yes = {True: "是", False: "否"}
    lines = [
        f"核验结果：{'通过' if doc['verified'] else '未通过'}",
        f"  文件未被篡改：{yes[bool(doc['intact'])]}",
        f"  签名有效：{yes[bool(doc['valid'])]}",
        f"  签章证书可信：{yes[bool(doc['trusted'])]}",
        f"  签名级别：PAdES {doc['level']}",
        f"  签署时间：{doc['signed_at'] or '未知'}",
        f"  证照标识：{doc['identifier'] or '无'}",
        f"  证照状态：{doc['status']}",
    ]
    if doc["problems"]:
        lines.append(f"  问题：{json.dumps(doc['problems'], ensure_ascii=False)}")
    sys.stdout.write("\n".join(lines) + "\n")
