"""Verbs for electronic certificates: ``pki init``, ``certificate sample``, ``verify``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli._common import not_available

pki_app = typer.Typer(help="测试用 PKI。", no_args_is_help=True)
certificate_app = typer.Typer(help="电子证照。", no_args_is_help=True)


@pki_app.command("init")
def pki_init(dir: Annotated[Path, typer.Argument(help="输出目录")]) -> None:
    """生成测试 PKI：根证书、签发 CA、印章密钥、时间戳与 OCSP。"""
    not_available("pki init")


@certificate_app.command("sample")
def certificate_sample(
    out: Annotated[Path, typer.Argument(help="输出 PDF")],
    pki: Annotated[Path, typer.Option("--pki", help="pki init 生成的目录")],
) -> None:
    """生成并签署一份示例电子证照。"""
    not_available("certificate sample")


def register(app: typer.Typer) -> None:
    app.add_typer(pki_app, name="pki")
    app.add_typer(certificate_app, name="certificate")

    @app.command("verify")
    def verify_cmd(
        file: Annotated[Path, typer.Argument(help="电子证照 PDF")],
        trust: Annotated[Path, typer.Option("--trust", help="信任根证书 PEM")],
        json_out: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    ) -> None:
        """核验电子证照的签名、完整性与状态。"""
        not_available("verify")
