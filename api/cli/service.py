"""Verbs that run the service: ``serve`` and ``worker``."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli._common import not_available


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port")] = 8000,
    ) -> None:
        """以内置默认配置启动 HTTP 服务（数据在 ./var 下）。"""
        not_available("serve")

    @app.command("worker")
    def worker_cmd() -> None:
        """启动任务执行进程（分布式部署）。"""
        not_available("worker")
