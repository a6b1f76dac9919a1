"""The ``precheck`` verb: judge a set of materials for a matter."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli._common import not_available


def register(app: typer.Typer) -> None:
    @app.command("precheck")
    def precheck_cmd(
        matter: Annotated[str, typer.Option("--matter", help="事项编号")],
        answers: Annotated[Path, typer.Option("--answers", help="情形问答 JSON 文件")],
        file: Annotated[list[str], typer.Option("--file", help="SLOT=PATH，可重复")],
        as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD")] = None,
        json_out: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    ) -> None:
        """预审一组材料，给出结论与需补正事项。"""
        not_available("precheck")
