"""``paoyici user add``: staff accounts (CONTRACT §4). The password is one line on stdin.

``paoyici user verify USER --name 姓名 --id-number 号码 [--by STAFF]``: a staff member checked the
citizen's ID card in person (the embedded identity verification, ``cases.identity``); the
account's verified identity is recorded and audited, the number masked in every output."""

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


@user_app.command("verify")
def user_verify(
    username: Annotated[str, typer.Argument(help="申请人的用户名")],
    name: Annotated[str, typer.Option("--name", help="身份证上的姓名")],
    id_number: Annotated[str, typer.Option("--id-number", help="身份证号码")],
    by: Annotated[str, typer.Option("--by", help="现场核验身份证的工作人员")] = "cli",
) -> None:
    """工作人员现场核验身份证后，为申请人账号记录实名身份。"""
    from sqlalchemy import select

    import cases
    from api.settings import load_settings
    from cases import accounts
    from cases.identity import (
        IdentityError,
        InPersonCheck,
        InPersonCredential,
        record_identity,
    )
    from cases.models import User
    from common import mask_id_number
    from ocr.validators import id_number_problems

    problems = id_number_problems(id_number.strip().upper())
    if problems:
        words = {"format": "应为 18 位", "birth_date": "出生日期不对", "check_char": "校验码不对"}
        usage_error(f"身份证号码无效：{'、'.join(words.get(p, p) for p in problems)}")
    try:
        identity = InPersonCheck().verify(
            InPersonCredential(name=name, id_number=id_number, staff=by)
        )
    except IdentityError as e:
        usage_error(e.message)
    settings = load_settings()
    engine = cases.make_engine(settings.database, data_dir=settings.data_dir)
    cipher = cases.FieldCipher(settings.database.encryption_key)
    try:
        if settings.api.migrate_on_start:
            cases.upgrade(engine)
        with cases.transaction(cases.make_sessionmaker(engine)) as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                usage_error(f"用户“{username}”不存在")
            if user.role != accounts.Role.CITIZEN.value:
                usage_error(f"用户“{username}”不是申请人账号")
            record_identity(
                session, user=user, identity=identity, cipher=cipher, actor=by, role="staff"
            )
    except IdentityError as e:
        usage_error(e.message)
    finally:
        engine.dispose()
    typer.echo(
        f"已为 {username} 记录实名身份：{identity.name}，{mask_id_number(identity.id_number)}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
