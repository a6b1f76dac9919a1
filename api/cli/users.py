"""``paoyici user add``: staff accounts (CONTRACT §4). The password is one line on stdin."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from api.cli._common import usage_error

user_app = typer.Typer(help="账号管理。", no_args_is_help=True)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[str, typer.Option("--role", help="reviewer | supervisor | admin")],
    name: Annotated[str, typer.Option("--name", help="中文姓名")] = "",
    matter: Annotated[
        list[str] | None, typer.Option("--matter", help="审核人员负责的事项，可重复")
    ] = None,
) -> None:
    """新建工作人员账号；密码从标准输入读取一行。"""
    import cases
    import precheck
    from api.settings import load_settings
    from cases import accounts

    if role not in {r.value for r in accounts.STAFF_ROLES}:
        usage_error(f"角色“{role}”无效：工作人员角色为 reviewer、supervisor 或 admin")
    catalogue = precheck.load_catalogue()
    for m in matter or []:
        try:
            catalogue.get(m)
        except precheck.UnknownMatterError as e:
            usage_error(e.message)
    password = sys.stdin.readline().rstrip("\r\n")
    settings = load_settings()
    engine = cases.make_engine(settings.database, data_dir=settings.data_dir)
    try:
        if settings.api.migrate_on_start:
            cases.upgrade(engine)
        with cases.transaction(cases.make_sessionmaker(engine)) as session:
            user = accounts.create_user(
                session,
                username=username,
                password=password,
                name=name,
                role=role,
                matters=matter or [],
                actor="cli",
            )
            user_id = user.id
    except accounts.UsernameTakenError:
        usage_error(f"用户“{username}”已存在")
    except accounts.InvalidAccountError as e:
        usage_error(e.message)
    finally:
        engine.dispose()
    typer.echo(f"已创建账号 {username}（{role}），编号 {user_id}")


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
