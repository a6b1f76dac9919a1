"""``paoyici audit verify``: recompute the hash chain of the audit trail, name the first break."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli._common import print_json

audit_app = typer.Typer(help="审计记录。", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """校验审计记录的哈希链；完好退出 0，断链时指出第一条被改动的记录并退出 1。"""
    import cases
    from api.settings import load_settings

    settings = load_settings()
    engine = cases.make_engine(settings.database, data_dir=settings.data_dir)
    try:
        with cases.make_sessionmaker(engine)() as session:
            try:
                count = cases.verify_chain(session)
            except cases.AuditChainBrokenError as e:
                if as_json:
                    print_json({"intact": False, "first_broken": e.event_id, "message": e.message})
                else:
                    typer.echo(f"审计链在第 {e.event_id} 条记录处断开：{e.message}", err=True)
                raise typer.Exit(1) from None
    finally:
        engine.dispose()
    if as_json:
        print_json({"intact": True, "events": count})
    else:
        typer.echo(f"审计链完好：共 {count} 条记录")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
