"""Verbs that run the service: ``serve`` and ``worker``."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli._common import usage_error

db_app = typer.Typer(help="数据库。", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """把数据库结构升级到最新版本（Alembic 迁移）。"""
    import cases
    from api.settings import load_settings

    settings = load_settings()
    engine = cases.make_engine(settings.database, data_dir=settings.data_dir)
    try:
        cases.upgrade(engine)
    finally:
        engine.dispose()
    typer.echo(f"数据库已是最新版本：{engine.url.render_as_string(hide_password=True)}")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")

    @app.command("serve")
    def serve_cmd(
        host: Annotated[str | None, typer.Option("--host", help="监听地址")] = None,
        port: Annotated[int | None, typer.Option("--port", help="监听端口")] = None,
    ) -> None:
        """以内置默认配置启动 HTTP 服务（127.0.0.1:8000，数据在 ./var 下）。"""
        import uvicorn

        from api.app import create_app
        from api.settings import InsecureConfigurationError, load_settings

        overrides: dict[str, object] = {}
        if host is not None:
            overrides["host"] = host
        if port is not None:
            overrides["port"] = port
        settings = load_settings(**overrides)
        try:
            settings.enforce_production()
        except InsecureConfigurationError as e:
            usage_error(str(e))
        uvicorn.run(
            create_app(settings),
            host=settings.api.host,
            port=settings.api.port,
            log_level=settings.api.log_level.lower(),
            proxy_headers=True,
        )

    @app.command("worker")
    def worker_cmd(
        pool: Annotated[
            int, typer.Option("--pool", "--concurrency", min=1, help="并行执行的任务数（线程）")
        ] = 2,
    ) -> None:
        """启动任务执行进程（分布式部署：PAOYICI_JOBS_BACKEND=celery）。"""
        from api.settings import load_settings
        from api.worker import run_worker

        settings = load_settings()
        if settings.jobs.backend != "celery":
            usage_error("worker 需要分布式任务队列：请设置 PAOYICI_JOBS_BACKEND=celery")
        run_worker(settings, pool=pool)
