"""Courier pushes (CONTRACT §5): carriers post route updates here.

Both routes take the carrier's own form (Kuaidi100: ``param`` + ``sign``; SF: ``msgData`` +
``timestamp`` + ``msgDigest``), verify it with the carrier's secret before anything is read
into the database, record the events (a replay adds nothing), move the application along
(``issued → shipped → delivered``) and answer the acknowledgement the carrier expects. A wrong
signature answers 401 ``invalid_signature`` and records nothing; a push for a tracking number
the service does not know is acknowledged and logged, and creates nothing. No bearer token:
the signature is the authentication.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from api.deps import JobContextDep
from jobs import delivery

router = APIRouter(prefix="/api/courier", tags=["courier"])

MAX_FORM_BYTES = 1024 * 1024  # a Kuaidi100 push of a long history is a few kB


async def _form(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0, max_fields=32, max_part_size=MAX_FORM_BYTES)
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post("/kuaidi100/callback", summary="快递100 物流轨迹推送")
async def kuaidi100_callback(request: Request, ctx: JobContextDep) -> dict[str, Any]:
    form = await _form(request)
    return await run_in_threadpool(delivery.accept_push, ctx, "kuaidi100", form)


@router.post("/sf/push", summary="顺丰 路由推送")
async def sf_push(request: Request, ctx: JobContextDep) -> dict[str, Any]:
    form = await _form(request)
    return await run_in_threadpool(delivery.accept_push, ctx, "sf", form)
