"""The ``ocr`` verb: read one document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli._common import not_available


def register(app: typer.Typer) -> None:
    @app.command("ocr")
    def ocr_cmd(
        file: Annotated[Path, typer.Argument(help="图片或 PDF 文件")],
        json_out: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    ) -> None:
        """识别一份材料：文档类型、质量与字段。"""
        not_available("ocr")
