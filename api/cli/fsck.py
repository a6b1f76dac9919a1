"""``paoyici fsck``: the database and the object store agree, the audit chain is whole."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from api.cli._common import EXIT_FAILED, print_json


def fsck_command(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    grace_s: Annotated[
        float,
        typer.Option("--grace-s", help="不报告此秒数内新写入的无引用文件（上传进行中）"),
    ] = 900.0,
    deep: Annotated[bool, typer.Option("--deep", help="逐个读取上传文件并重算摘要")] = False,
) -> None:
    """核对数据库与对象存储、审计链；一切一致退出 0，发现问题时逐条列出并退出 1。"""
    import cases
    from api.settings import load_settings
    from jobs.fsck import fsck
    from storage import build_store

    settings = load_settings()
    engine = cases.make_engine(settings.database, data_dir=settings.data_dir)
    store = build_store(settings.storage, data_dir=settings.data_dir)
    try:
        report = fsck(
            cases.make_sessionmaker(engine),
            store,
            grace=timedelta(seconds=max(grace_s, 0.0)),
            deep=deep,
        )
    finally:
        store.close()
        engine.dispose()
    if as_json:
        print_json(report.as_dict())
    else:
        c = report.checked
        typer.echo(
            f"已核对：{c.get('rows', 0)} 条引用文件的记录，{c.get('objects', 0)} 个文件，"
            f"{max(c.get('audit_events', 0), 0)} 条审计记录"
        )
        for p in report.problems:
            where = " ".join(
                x for x in (p.table and f"{p.table}#{p.row}", p.kind and f"{p.kind}/{p.key}") if x
            )
            typer.echo(f"[{p.code}] {p.message}：{where}", err=True)
        typer.echo("一致" if report.ok else f"发现 {len(report.problems)} 个问题")
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def register(app: typer.Typer) -> None:
    app.command("fsck")(fsck_command)
