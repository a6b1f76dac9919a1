"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["运维"])

_NAMES = {"database": "数据库", "storage": "对象存储", "jobs": "任务队列"}


@router.get("/healthz", summary="存活检查")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="就绪检查：数据库与对象存储均可达")
async def readyz(request: Request) -> JSONResponse:
    probes = request.app.state.readiness_probes
    checks: dict[str, Any] = {}
    failing: list[str] = []
    for name, probe in probes.items():
        try:
            # probes do blocking I/O; keep them off the event loop and bounded in time
            await asyncio.wait_for(asyncio.to_thread(probe), timeout=5)
            checks[name] = "ok"
        except Exception as e:  # each failure is reported by name, never raised
            checks[name] = getattr(e, "message", None) or type(e).__name__
            failing.append(name)
    if failing:
        parts = "、".join(_NAMES.get(n, n) for n in failing)
        return JSONResponse(
            {
                "error": "not_ready",
                "message": f"服务暂不可用：{parts}不可达",
                "status": "unavailable",
                "failing": failing,
                "checks": checks,
            },
            status_code=503,
        )
    return JSONResponse({"status": "ready", "checks": checks})
