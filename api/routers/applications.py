"""The citizen's applications (CONTRACT §4): each route parses, calls one use case of
``jobs.applications``, and answers. Another user's application is 404, like a missing one."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from api.deps import CitizenDep, JobContextDep, SettingsDep
from api.schemas import (
    ApplicationIn,
    ApplicationOut,
    DeliveryIn,
    DeliveryOut,
    FileOut,
    NewApplicationOut,
    SharingOut,
)
from jobs import applications, sharing

router = APIRouter(prefix="/api/applications", tags=["申请"])


@router.post("", status_code=201, summary="新建申请：选择事项并回答情形问题，返回材料清单")
def create(body: ApplicationIn, principal: CitizenDep, ctx: JobContextDep) -> NewApplicationOut:
    view = applications.start(
        ctx,
        owner_id=principal.id,
        actor=principal.username,
        matter_id=body.matter,
        answers=body.answers,
    )
    return NewApplicationOut.model_validate(view)


@router.get("", summary="我的申请（最新在前）")
def list_mine(principal: CitizenDep, ctx: JobContextDep) -> list[ApplicationOut]:
    views = applications.list_views(ctx, owner_id=principal.id)
    return [ApplicationOut.model_validate(v) for v in views]


@router.get("/{application_id}", summary="申请详情：材料、预审报告、证照与寄递")
def get_one(application_id: str, principal: CitizenDep, ctx: JobContextDep) -> ApplicationOut:
    view = applications.view_own(ctx, owner_id=principal.id, application_id=application_id)
    return ApplicationOut.model_validate(view)


@router.post(
    "/{application_id}/files",
    status_code=202,
    summary="上传一份材料（每个文件调用一次）；识别在后台进行",
)
def upload_file(
    application_id: str,
    slot: Annotated[str, Form(min_length=1, max_length=64)],
    file: Annotated[UploadFile, File()],
    principal: CitizenDep,
    ctx: JobContextDep,
) -> FileOut:
    view = applications.add_file(
        ctx,
        owner_id=principal.id,
        actor=principal.username,
        application_id=application_id,
        slot=slot,
        filename=file.filename or "",
        fh=file.file,
        size=file.size if file.size is not None else _size_of(file),
    )
    return FileOut.model_validate(view)


def _size_of(file: UploadFile) -> int:
    file.file.seek(0, 2)
    size = file.file.tell()
    file.file.seek(0)
    return size


@router.delete("/{application_id}/files/{file_id}", status_code=204, summary="删除一份材料")
def delete_file(
    application_id: str, file_id: int, principal: CitizenDep, ctx: JobContextDep
) -> Response:
    applications.remove_file(
        ctx,
        owner_id=principal.id,
        actor=principal.username,
        application_id=application_id,
        file_id=file_id,
    )
    return Response(status_code=204)


@router.post("/{application_id}/submit", summary="提交审核")
def submit(application_id: str, principal: CitizenDep, ctx: JobContextDep) -> ApplicationOut:
    view = applications.submit(
        ctx, owner_id=principal.id, actor=principal.username, application_id=application_id
    )
    return ApplicationOut.model_validate(view)


@router.post(
    "/{application_id}/sharing",
    summary="授权数据共享：从电子证照库调取本人证照，免于提交对应材料",
)
def share(application_id: str, principal: CitizenDep, ctx: JobContextDep) -> SharingOut:
    view = sharing.share(
        ctx, owner_id=principal.id, actor=principal.username, application_id=application_id
    )
    return SharingOut.model_validate(view)


@router.get(
    "/{application_id}/certificate",
    summary="下载电子证照（PDF）",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def certificate(application_id: str, principal: CitizenDep, ctx: JobContextDep) -> Response:
    identifier, pdf = applications.certificate_pdf(
        ctx, owner_id=principal.id, actor=principal.username, application_id=application_id
    )
    return certificate_download(identifier, pdf)


def certificate_download(identifier: str, pdf: bytes) -> Response:
    """The owner's certificate as a download, never kept by a shared cache (API and pages)."""
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{identifier}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@router.post("/{application_id}/delivery", status_code=201, summary="选择领取方式：自取或邮寄")
def delivery(
    application_id: str, body: DeliveryIn, principal: CitizenDep, ctx: JobContextDep
) -> DeliveryOut:
    view = applications.request_delivery(
        ctx,
        owner_id=principal.id,
        actor=principal.username,
        application_id=application_id,
        method=body.method,
        carrier=body.carrier,
        recipient=body.recipient.model_dump() if body.recipient is not None else None,
    )
    return DeliveryOut.model_validate(view)


@router.get(
    "/{application_id}/events",
    summary="状态与材料变化的事件流（Server-Sent Events）",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def events(
    application_id: str,
    request: Request,
    principal: CitizenDep,
    ctx: JobContextDep,
    settings: SettingsDep,
) -> StreamingResponse:
    def snapshot() -> str:
        view = applications.view_own(ctx, owner_id=principal.id, application_id=application_id)
        return ApplicationOut.model_validate(view).model_dump_json()

    first = await run_in_threadpool(snapshot)  # 404 before the stream starts

    async def stream() -> AsyncIterator[str]:
        poll, longest = settings.api.events_poll_s, settings.api.events_max_s
        started = last_sent = time.monotonic()
        body, n = first, 1
        yield f"retry: 3000\nevent: application\nid: {n}\ndata: {body}\n\n"
        while time.monotonic() - started < longest:
            await asyncio.sleep(poll)
            if await request.is_disconnected():
                return
            latest = await run_in_threadpool(snapshot)
            if _changed(body, latest):
                body, n, last_sent = latest, n + 1, time.monotonic()
                yield f"event: application\nid: {n}\ndata: {body}\n\n"
            elif time.monotonic() - last_sent > 15:
                last_sent = time.monotonic()
                yield ": keep-alive\n\n"

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _changed(before: str, after: str) -> bool:
    a, b = json.loads(before), json.loads(after)
    a.pop("updated_at", None)
    b.pop("updated_at", None)
    return bool(a != b)
