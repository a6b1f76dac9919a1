"""The citizen's journey on pages: start an application from the checklist, upload per material
(several files at once, with progress), watch the pre-check live, read the report with each
finding's box on the image, replace or reuse a file, check and submit, choose pickup or courier,
download the certificate and its QR code.

Every route calls one use case of ``jobs.applications`` (the same the API routes call) as the
signed-in citizen; another person's application is "not found", as in the API. A citizen
whose identity is verified may let the e-certificate library fill materials (数据共享). Forms
answer with a redirect to the application's page (post/redirect/get); the upload script asks
for a short answer instead (``X-Paoyici-Upload: 1``) and shows the message of a refused file
in its place.
"""

from __future__ import annotations

import asyncio
import io
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.deps import JobContextDep
from api.errors import FormIncompleteError, http_status
from api.routers.applications import certificate_download
from api.web.auth import CitizenPage
from api.web.deps import CatalogueDep, CsrfChecked
from api.web.feedback import (
    application_slots,
    decision_words,
    highlighted_png,
    shipment_words,
    state_words,
)
from api.web.routing import WebRoute
from api.web.sessions import session_of
from api.web.templating import render
from cases.identity import IdentityNotVerifiedError, identity_of
from cases.models import Upload, User
from common import DomainError
from jobs import applications, sharing
from jobs.context import JobContext
from jobs.errors import (
    CourierUnavailableError,
    NoCertificateError,
    NotEditableError,
    NotFoundError,
)
from signing.library import LibraryError
from storage import Bucket

__all__ = ["router"]

router = APIRouter(route_class=WebRoute, include_in_schema=False)

UPLOAD_HEADER = "x-paoyici-upload"
_EVENTS_POLL_S = 1.0
_EVENTS_MAX_S = 300.0


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _page_of(application_id: str, anchor: str = "") -> str:
    return f"/applications/{application_id}" + (f"#{anchor}" if anchor else "")


def _answers_for(request: Request, matter_id: str) -> dict[str, Any]:
    stored = session_of(request).get("answers")
    answers = stored.get(matter_id) if isinstance(stored, dict) else None
    return dict(answers) if isinstance(answers, dict) else {}


@router.post("/applications", name="web_start")
def start(
    _: CsrfChecked,
    request: Request,
    principal: CitizenPage,
    ctx: JobContextDep,
    matter: Annotated[str, Form()],
) -> Response:
    view = applications.start(
        ctx,
        owner_id=principal.id,
        actor=principal.username,
        matter_id=matter,
        answers=_answers_for(request, matter),
    )
    return _see_other(_page_of(view["id"]))


@router.get("/applications", name="web_applications")
def my_applications(
    request: Request, principal: CitizenPage, ctx: JobContextDep, catalogue: CatalogueDep
) -> Response:
    views = applications.list_views(ctx, owner_id=principal.id)
    rows = [
        {
            "id": v["id"],
            "matter": catalogue.get(v["matter"]).name,
            "state": state_words(v)[0],
            "created_at": v["created_at"],
        }
        for v in views
    ]
    return render(request, "applications.html", rows=rows)


def _context(view: dict[str, Any], catalogue: Any) -> dict[str, Any]:
    matter = catalogue.get(view["matter"])
    slots, general = application_slots(view, matter)
    reading = any(f["status"] in ("queued", "reading") for f in view["files"])
    # while a file is being read, the last verdict is about materials that have since changed
    title, meaning = state_words({"state": "prechecking"} if reading else view)
    return {
        "a": view,
        "m": matter,
        "slots": slots,
        "decision": decision_words(view, matter),
        "shipment": shipment_words(view.get("delivery")),
        "general": general,
        "state_title": title,
        "state_meaning": meaning,
        "reading": reading or view["state"] == "prechecking",
        "editable": _editable(view),
        "submittable": _submittable(view, reading),
        "uploaded": [f for s in slots for f in s.files if f["status"] == "done"],
    }


_EDITABLE = {"draft", "prechecking", "needs_fix", "needs_review", "ready", "returned"}


def _editable(view: dict[str, Any]) -> bool:
    # what the page offers; jobs.applications decides (and refuses) on its own
    return view["state"] == "returned" or (
        view["state"] in _EDITABLE and not view.get("submitted_at")
    )


def _submittable(view: dict[str, Any], reading: bool) -> bool:
    return (
        not reading
        and view["state"] in ("ready", "needs_review", "accepted_pending")
        and (not view.get("submitted_at") or view["state"] == "returned")
    )


@router.get("/applications/{application_id}", name="web_application")
def application_page(
    request: Request,
    application_id: str,
    principal: CitizenPage,
    ctx: JobContextDep,
    catalogue: CatalogueDep,
) -> Response:
    view = applications.view_own(ctx, owner_id=principal.id, application_id=application_id)
    notice = session_of(request).pop("notice", None)
    return render(
        request,
        "application.html",
        notice=notice,
        identity=_identity(ctx, principal.id),
        **_context(view, catalogue),
    )


def _identity(ctx: JobContext, user_id: str) -> dict[str, Any] | None:
    """The citizen's verified identity as the page shows it (ID number masked), or None."""
    with ctx.sessions() as s:
        user = s.get(User, user_id)
        identity = identity_of(user, ctx.cipher) if user is not None else None
    return identity.masked() if identity is not None else None


@router.post("/applications/{application_id}/sharing", name="web_sharing")
def share(
    _: CsrfChecked,
    request: Request,
    application_id: str,
    principal: CitizenPage,
    ctx: JobContextDep,
    catalogue: CatalogueDep,
) -> Response:
    """The citizen authorises the data-sharing lookup of their own e-certificates."""
    try:
        result = sharing.share(
            ctx, owner_id=principal.id, actor=principal.username, application_id=application_id
        )
    except (IdentityNotVerifiedError, LibraryError, NotEditableError) as e:
        session_of(request)["notice"] = e.message
        return _see_other(_page_of(application_id))
    matter = catalogue.get(result["application"]["matter"])
    names = "、".join(matter.slot(s).name for s in result["filled"])
    session_of(request)["notice"] = (
        f"已通过数据共享获取：{names}，无需再上传。"
        if names
        else "电子证照库中没有可用于本申请的其他证照，请上传材料。"
    )
    return _see_other(_page_of(application_id))


@router.get("/applications/{application_id}/live", name="web_application_live")
def application_live(
    request: Request,
    application_id: str,
    principal: CitizenPage,
    ctx: JobContextDep,
    catalogue: CatalogueDep,
) -> Response:
    """The part of the page that changes while files are read (htmx swaps it in)."""
    view = applications.view_own(ctx, owner_id=principal.id, application_id=application_id)
    return render(request, "_application_live.html", **_context(view, catalogue))


@router.get("/applications/{application_id}/events", name="web_application_events")
async def application_events(
    request: Request, application_id: str, principal: CitizenPage, ctx: JobContextDep
) -> StreamingResponse:
    """Server-sent events: ``changed`` whenever the application or a file changes (the page
    then fetches its live part); the page polls instead where EventSource is missing."""

    def snapshot() -> str:
        view = applications.view_own(ctx, owner_id=principal.id, application_id=application_id)
        view.pop("updated_at", None)
        return json.dumps(view, sort_keys=True, default=str)

    first = await run_in_threadpool(snapshot)

    async def stream() -> AsyncIterator[str]:
        last, started = first, time.monotonic()
        yield "retry: 3000\n\n"
        while time.monotonic() - started < _EVENTS_MAX_S:
            await asyncio.sleep(_EVENTS_POLL_S)
            if await request.is_disconnected():
                return
            latest = await run_in_threadpool(snapshot)
            if latest != last:
                last = latest
                yield "event: changed\ndata: {}\n\n"

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )


def _upload_answer(request: Request, application_id: str, error: DomainError | None) -> Response:
    if request.headers.get(UPLOAD_HEADER) == "1":
        if error is None:
            return Response(status_code=204)
        return PlainTextResponse(error.message, status_code=http_status(error))
    if error is not None:
        session_of(request)["notice"] = f"有文件没有上传成功：{error.message}"
    return _see_other(_page_of(application_id, "materials"))


def _add(
    ctx: JobContext, principal: Any, application_id: str, slot: str, name: str, data: bytes
) -> None:
    applications.add_file(
        ctx,
        owner_id=principal.id,
        actor=principal.username,
        application_id=application_id,
        slot=slot,
        filename=name,
        fh=io.BytesIO(data),
        size=len(data),
    )


@router.post("/applications/{application_id}/files", name="web_upload")
async def upload(
    _: CsrfChecked,
    request: Request,
    application_id: str,
    principal: CitizenPage,
    ctx: JobContextDep,
) -> Response:
    form = await request.form()
    slot = str(form.get("slot") or "")
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    replaces = str(form.get("replaces") or "")
    try:
        if not files:
            raise _NoFileError()
        for f in files:
            data = await f.read()
            await run_in_threadpool(
                _add, ctx, principal, application_id, slot, f.filename or "", data
            )
        if replaces.isdigit():
            # the new file is in: the one it replaces goes
            await run_in_threadpool(
                lambda: applications.remove_file(
                    ctx,
                    owner_id=principal.id,
                    actor=principal.username,
                    application_id=application_id,
                    file_id=int(replaces),
                )
            )
    except DomainError as e:
        return _upload_answer(request, application_id, e)
    return _upload_answer(request, application_id, None)


class _NoFileError(FormIncompleteError):
    message = "没有选择文件，请先选择要上传的照片或 PDF"


@router.post("/applications/{application_id}/reuse", name="web_reuse")
def reuse(
    _: CsrfChecked,
    request: Request,
    application_id: str,
    principal: CitizenPage,
    ctx: JobContextDep,
    slot: Annotated[str, Form()],
    file_id: Annotated[str, Form()],
) -> Response:
    """Put a file already uploaded to this application into another material too."""
    view = applications.view_own(ctx, owner_id=principal.id, application_id=application_id)
    if file_id not in {f["id"] for f in view["files"]}:
        return _upload_answer(request, application_id, NotFoundError())
    with ctx.sessions() as s:
        upload_row = s.scalar(select(Upload).where(Upload.id == int(file_id)))
        key, name = upload_row.object_key, upload_row.filename  # type: ignore[union-attr]
    data = ctx.store.get_bytes(kind=Bucket.UPLOADS, key=key)
    try:
        _add(ctx, principal, application_id, slot, name, data)
    except DomainError as e:
        return _upload_answer(request, application_id, e)
    return _upload_answer(request, application_id, None)


@router.post("/applications/{application_id}/files/{file_id}/delete", name="web_remove")
def remove(
    _: CsrfChecked,
    application_id: str,
    file_id: int,
    principal: CitizenPage,
    ctx: JobContextDep,
) -> Response:
    applications.remove_file(
        ctx,
        owner_id=principal.id,
        actor=principal.username,
        application_id=application_id,
        file_id=file_id,
    )
    return _see_other(_page_of(application_id, "materials"))


@router.get("/applications/{application_id}/files/{file_id}/image", name="web_file_image")
def file_image(
    application_id: str,
    file_id: str,
    principal: CitizenPage,
    ctx: JobContextDep,
    finding: int | None = None,
) -> Response:
    """The file's page as an image; with ``finding``, that finding's boxes drawn on it."""
    view = applications.view_own(ctx, owner_id=principal.id, application_id=application_id)
    index = next((i for i, f in enumerate(view["files"]) if f["id"] == file_id), None)
    if index is None:
        raise NotFoundError()
    boxes: list[list[float]] = []
    page = 0
    findings = (view.get("report") or {}).get("findings") or []
    if finding is not None and 0 <= finding < len(findings):
        for e in findings[finding].get("evidence") or []:
            if e.get("file") == index and e.get("box"):
                boxes.append(e["box"])
                page = int(e.get("page") or 0)
    with ctx.sessions() as s:
        key = s.scalar(select(Upload.object_key).where(Upload.id == int(file_id)))
    data = ctx.store.get_bytes(kind=Bucket.UPLOADS, key=str(key))
    png = highlighted_png(data, boxes=boxes, page=page)
    return Response(png, media_type="image/png", headers={"cache-control": "private, no-store"})


@router.get("/applications/{application_id}/check", name="web_check")
def check_answers(
    request: Request,
    application_id: str,
    principal: CitizenPage,
    ctx: JobContextDep,
    catalogue: CatalogueDep,
) -> Response:
    view = applications.view_own(ctx, owner_id=principal.id, application_id=application_id)
    return render(request, "check.html", **_context(view, catalogue))


@router.post("/applications/{application_id}/submit", name="web_submit")
def submit(
    _: CsrfChecked,
    request: Request,
    application_id: str,
    principal: CitizenPage,
    ctx: JobContextDep,
) -> Response:
    try:
        applications.submit(
            ctx, owner_id=principal.id, actor=principal.username, application_id=application_id
        )
    except DomainError as e:
        if http_status(e) >= 500:
            raise
        session_of(request)["notice"] = e.message
        return _see_other(_page_of(application_id))
    session_of(request)["notice"] = "已提交。审核结果会显示在本页。"
    return _see_other(_page_of(application_id))


@router.post("/applications/{application_id}/delivery", name="web_delivery")
async def delivery(
    _: CsrfChecked,
    request: Request,
    application_id: str,
    principal: CitizenPage,
    ctx: JobContextDep,
) -> Response:
    form = await request.form()
    method = str(form.get("method") or "")
    recipient = {
        k: str(form.get(k) or "").strip()
        for k in ("name", "phone", "province", "city", "district", "address")
    }
    try:
        if method not in ("pickup", "courier"):
            raise _NoMethodError()
        await run_in_threadpool(
            lambda: applications.request_delivery(
                ctx,
                owner_id=principal.id,
                actor=principal.username,
                application_id=application_id,
                method=method,
                carrier=str(form.get("carrier") or "sf") if method == "courier" else None,
                recipient=recipient if method == "courier" else None,
            )
        )
    except DomainError as e:
        if http_status(e) >= 500 and not isinstance(e, CourierUnavailableError):
            raise
        session_of(request)["notice"] = e.message
    return _see_other(_page_of(application_id, "delivery"))


class _NoMethodError(FormIncompleteError):
    message = "请选择窗口领取或邮寄"


@router.get("/applications/{application_id}/certificate.pdf", name="web_certificate")
def certificate(application_id: str, principal: CitizenPage, ctx: JobContextDep) -> Response:
    identifier, pdf = applications.certificate_pdf(
        ctx, owner_id=principal.id, actor=principal.username, application_id=application_id
    )
    return certificate_download(identifier, pdf)


@router.get("/applications/{application_id}/qr.svg", name="web_certificate_qr")
def certificate_qr(application_id: str, principal: CitizenPage, ctx: JobContextDep) -> Response:
    """The QR code of the certificate's verification address (the one printed on it)."""
    import qrcode
    import qrcode.image.svg

    view = applications.view_own(ctx, owner_id=principal.id, application_id=application_id)
    cert = view.get("certificate")
    if not cert:
        raise NoCertificateError()
    img = qrcode.make(cert["verify_url"], image_factory=qrcode.image.svg.SvgPathFillImage)
    out = io.BytesIO()
    img.save(out)
    return Response(out.getvalue(), media_type="image/svg+xml")
