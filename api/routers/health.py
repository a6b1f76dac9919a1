"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter

from api.deps import ServicesDep
from api.errors import NotReadyError

router = APIRouter(tags=["运维"])


@router.get("/healthz", summary="存活检查")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="就绪检查：数据库与对象存储均可达")
async def readyz(services: ServicesDep) -> dict[str, Any]:
    probes = services.readiness_probes()
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
        raise NotReadyError(failing=failing, checks=checks)
    return {"status": "ready", "checks": checks}
