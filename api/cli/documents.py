"""The ``ocr`` verb: read one document (CONTRACT §1)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli._common import EXIT_FAILED, EXIT_UNREADABLE, print_json, usage_error


def register(app: typer.Typer) -> None:
    @app.command("ocr")
    def ocr_cmd(
        file: Annotated[Path, typer.Argument(help="图片或 PDF 文件")],
        json_out: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    ) -> None:
        """识别一份材料：文档类型、质量与字段。"""
        # logs go to stderr so stdout holds exactly one JSON document
        logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
        if not file.is_file():
            usage_error(f"文件不存在：{file}")
        from api.settings import ApiSettings
        from ocr import OcrError, OcrPipeline, OcrSettings, UnreadableFileError

        settings = OcrSettings()
        try:
            data = file.read_bytes()
        except OSError as e:
            usage_error(f"无法读取文件 {file}: {e}")
        try:
            pipeline = OcrPipeline.load(settings, data_dir=ApiSettings().data_dir)
            doc = pipeline.analyze(data)
        except OcrError as e:
            # unreadable input: exit 3 (CONTRACT §1); anything else (engine missing): exit 1
            if json_out:
                print_json({"error": e.code, "message": e.message})
            else:
                typer.echo(f"{e.code}: {e.message}", err=True)
            code = EXIT_UNREADABLE if isinstance(e, UnreadableFileError) else EXIT_FAILED
            raise typer.Exit(code) from e
        if json_out:
            print_json(doc.to_json())
            return
        q = "合格" if doc.quality.ok else "问题：" + "、".join(doc.quality.issues)
        typer.echo(f"类型 {doc.doc_type}（置信度 {doc.confidence:.2f}），{doc.pages} 页，质量{q}")
        for name, f in doc.fields.items():
            flag = "" if f.confidence >= 0.8 else "  ← 需人工确认"
            sug = f"（建议：{f.suggestion}）" if f.suggestion else ""
            typer.echo(f"  {name}: {f.value} [{f.confidence:.2f}]{sug}{flag}")
