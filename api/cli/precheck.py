"""The ``precheck`` verb: judge a set of materials for a matter (CONTRACT §1).

Exit 0 whenever a report was produced, whatever its verdict; 2 with one line on stderr for
usage errors (unknown matter or slot, unreadable answers file, missing path, bad date). A file
that cannot be read safely is an ``unreadable`` finding in the report, not an error here. With
``--json`` stdout holds exactly the report: anything the OCR stack prints is sent to stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli._common import EXIT_OK, print_json, usage_error

if TYPE_CHECKING:
    from ocr import OcrSettings
    from precheck import Matter

VERDICT_WORDS = {
    "ready": "材料齐全、一致、有效：可以办理",
    "needs_fix": "需要补正：请按下列提示修改后重新上传",
    "needs_review": "需人工核对：工作人员确认后通知您",
}
SEVERITY_WORDS = {"error": "须补正", "warning": "待核对", "info": "提示"}


def _load_matter(matter_id: str) -> Matter:
    """The catalogue's matter, or exit 2 naming the unknown id."""
    import precheck

    try:
        return precheck.load_catalogue().get(matter_id)
    except precheck.UnknownMatterError as e:
        usage_error(e.message)


def _read_answers(path: Path) -> dict[str, Any]:
    """The answers file as a JSON object, or exit 2 saying what is wrong with it."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        usage_error(f"无法读取情形问答文件 {path}：{e}")
    if not isinstance(raw, dict):
        usage_error(f"情形问答文件 {path} 应是 JSON 对象")
    return raw


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Send everything written to fd 1 (Python or native code) to stderr while reading files."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def load_reader(settings: OcrSettings, *, data_dir: Path) -> tuple[Any, str]:
    """The OCR reader the jobs use (the pipeline is loaded once, on first use) and its cache
    version."""
    from jobs.context import OcrReader

    reader = OcrReader(settings, data_dir=data_dir)
    return reader.read, reader.version


def _parse_files(specs: list[str]) -> list[tuple[str, Path]]:
    out = []
    for spec in specs:
        slot, sep, path = spec.partition("=")
        if not sep or not slot or not path:
            usage_error(f"--file 应写成 SLOT=PATH：{spec}")
        p = Path(path)
        if not p.is_file():
            usage_error(f"文件不存在：{path}")
        out.append((slot, p))
    return out


def _print_text(report: Any) -> None:
    doc = report.to_json()
    typer.echo(f"事项：{doc['matter']}")
    typer.echo(f"结论：{doc['verdict']}（{VERDICT_WORDS[doc['verdict']]}）")
    for f in doc["findings"]:
        where = f"[{f['slot']}{'.' + f['field'] if f['field'] else ''}]" if f["slot"] else ""
        typer.echo(f"  - {SEVERITY_WORDS[f['severity']]} {f['code']} {where} {f['message']}")
    typer.echo("材料清单：")
    for item in doc["checklist"]:
        mark = "✓" if item["satisfied"] else "✗"
        typer.echo(f"  {mark} {item['name']}（{item['slot']}）")


def register(app: typer.Typer) -> None:
    @app.command("checklist")
    def checklist_cmd(
        matter: Annotated[str, typer.Option("--matter", help="事项编号")],
        answers: Annotated[
            Path | None, typer.Option("--answers", help="情形问答 JSON 文件")
        ] = None,
        html: Annotated[Path | None, typer.Option("--html", help="写出网页")] = None,
        pdf: Annotated[Path | None, typer.Option("--pdf", help="写出可打印的 PDF")] = None,
        json_out: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    ) -> None:
        """一次性告知：按情形列出需要提交的材料及原因。"""
        import precheck

        m = _load_matter(matter)
        raw = _read_answers(answers) if answers is not None else {}
        try:
            c = precheck.build_checklist(matter=m, answers=raw)
        except precheck.InvalidAnswersError as e:
            usage_error(e.message)
        if html is not None:
            html.write_text(precheck.render_checklist_html(c), encoding="utf-8")
        if pdf is not None:
            pdf.write_bytes(precheck.render_checklist_pdf(c))
        if json_out:
            print_json(c.to_json())
        else:
            typer.echo(f"一次性告知单：{m.name}")
            for n, item in enumerate(c.items, 1):
                typer.echo(f"{n}. {item.name}：{item.reason}")

    @app.command("precheck")
    def precheck_cmd(
        matter: Annotated[str, typer.Option("--matter", help="事项编号")],
        answers: Annotated[Path, typer.Option("--answers", help="情形问答 JSON 文件")],
        file: Annotated[list[str], typer.Option("--file", help="SLOT=PATH，可重复")],
        as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD")] = None,
        json_out: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    ) -> None:
        """预审一组材料，给出结论与需补正事项。"""
        import precheck
        from api.settings import load_settings

        m = _load_matter(matter)
        raw = _read_answers(answers)
        try:
            clean = m.validate_answers(raw)
        except precheck.InvalidAnswersError as e:
            usage_error(e.message)
        try:
            day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        except ValueError:
            usage_error(f"--as-of 应为 YYYY-MM-DD：{as_of}")
        files = _parse_files(file)
        for slot, _p in files:
            if slot not in m.slots:
                usage_error(f"事项“{m.id}”没有材料项“{slot}”（可用：{'、'.join(m.slots)}）")
        raw_files: list[tuple[str, bytes, str]] = []
        for slot, p in files:
            try:
                raw_files.append((slot, p.read_bytes(), p.name))
            except OSError as e:
                usage_error(f"无法读取文件 {p}：{e.strerror}")
        settings = load_settings()
        with stdout_to_stderr():
            from jobs.checking import check_files
            from jobs.context import OcrReader

            report = check_files(
                matter=m,
                answers=clean,
                files=raw_files,
                reader=OcrReader(settings.ocr, data_dir=settings.data_dir),
                cache=precheck.DiskDocumentCache(
                    settings.precheck.resolved_cache_dir(settings.data_dir)
                ),
                settings=settings.precheck,
                as_of=day,
            )
        if json_out:
            print_json(report.to_json())
        else:
            _print_text(report)
        raise typer.Exit(EXIT_OK)
