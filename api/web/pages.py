"""The public pages: find a matter, answer its questions, read and print the 一次性告知
checklist; check an electronic certificate by its identifier or by uploading its PDF; choose
the large-text mode.

Every page is rendered from the same domain functions the API uses (``precheck`` for matters
and checklists, the one ``CertificateVerifier`` for certificates). Answers are kept in the
encrypted session, never in a URL: ``POST .../answers`` stores them and redirects to the
checklist (post/redirect/get, so a reload or a print never re-submits).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import VerifierDep
from api.errors import http_status
from api.routers.verify import public_record, read_limited
from api.web.deps import CatalogueDep, CsrfChecked
from api.web.routing import WebRoute
from api.web.search import search_matters
from api.web.sessions import session_of
from api.web.templating import TEXT_SIZE_COOKIE, render
from precheck import Matter, build_checklist, render_checklist_pdf
from signing import CertificateStatus, NotAPdfError, SigningError, VerificationResult

__all__ = ["router"]

router = APIRouter(route_class=WebRoute, include_in_schema=False)

_ANSWERS = "answers"
_TEXT_SIZE_MAX_AGE = 365 * 24 * 3600


def _local_path(target: str | None) -> str:
    """Only a path on this site may be a redirect target (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- matters -------------------------------------------------------------------------------


@router.get("/", name="web_home")
async def home(request: Request, catalogue: CatalogueDep, q: str = "") -> Response:
    query = q.strip()[:50]
    matters = search_matters(catalogue, query)
    template = "_matter_list.html" if request.headers.get("hx-request") else "home.html"
    return render(request, template, matters=matters, query=query)


def _stored_answers(request: Request, matter: Matter) -> dict[str, bool] | None:
    stored = session_of(request).get(_ANSWERS, {})
    answers = stored.get(matter.id) if isinstance(stored, dict) else None
    if not isinstance(answers, dict):
        return None
    return {k: v for k, v in answers.items() if k in matter.questions and isinstance(v, bool)}


@router.get("/matters/{matter_id}", name="web_matter")
async def matter_page(request: Request, matter_id: str, catalogue: CatalogueDep) -> Response:
    matter = catalogue.get(matter_id)
    return render(
        request,
        "matter.html",
        m=matter,
        answers=_stored_answers(request, matter) or {},
        missing=[],
    )


@router.post("/matters/{matter_id}/answers", name="web_answers")
async def save_answers(
    _: CsrfChecked, request: Request, matter_id: str, catalogue: CatalogueDep
) -> Response:
    matter = catalogue.get(matter_id)
    form = await request.form()
    answers: dict[str, bool] = {}
    missing = []
    for qid in matter.questions:
        value = form.get(qid)
        if value in ("yes", "no"):
            answers[qid] = value == "yes"
        else:
            missing.append(qid)
    if missing:
        # say which questions are unanswered, keeping what was answered
        return render(
            request, "matter.html", status_code=422, m=matter, answers=answers, missing=missing
        )
    matter.validate_answers(answers)
    session = session_of(request)
    stored = session.get(_ANSWERS)
    stored = dict(stored) if isinstance(stored, dict) else {}
    stored[matter.id] = answers
    session[_ANSWERS] = stored
    return _see_other(str(request.url_for("web_checklist", matter_id=matter.id)))


def _checklist_or_redirect(request: Request, matter: Matter) -> Any:
    answers = _stored_answers(request, matter)
    if answers is None and matter.questions:
        return None
    return build_checklist(matter=matter, answers=answers or {})


@router.get("/matters/{matter_id}/checklist", name="web_checklist")
async def checklist_page(request: Request, matter_id: str, catalogue: CatalogueDep) -> Response:
    matter = catalogue.get(matter_id)
    checklist = _checklist_or_redirect(request, matter)
    if checklist is None:
        return _see_other(str(request.url_for("web_matter", matter_id=matter.id)))
    return render(request, "checklist.html", c=checklist, m=matter)


@router.get("/matters/{matter_id}/checklist.pdf", name="web_checklist_pdf")
async def checklist_pdf(request: Request, matter_id: str, catalogue: CatalogueDep) -> Response:
    matter = catalogue.get(matter_id)
    checklist = _checklist_or_redirect(request, matter)
    if checklist is None:
        return _see_other(str(request.url_for("web_matter", matter_id=matter.id)))
    pdf = await run_in_threadpool(render_checklist_pdf, checklist)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "content-disposition": f'inline; filename="checklist-{matter.id}.pdf"',
            "cache-control": "no-store",
        },
    )


# --- preferences ---------------------------------------------------------------------------


@router.post("/settings/text-size", name="web_text_size")
async def text_size(
    _: CsrfChecked,
    request: Request,
    size: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    response = _see_other(_local_path(next))
    if size == "large":
        response.set_cookie(
            TEXT_SIZE_COOKIE,
            "large",
            max_age=_TEXT_SIZE_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE)
    return response


# --- certificate verification ----------------------------------------------------------------


@router.get("/verify", name="web_verify")
async def verify_form(request: Request, identifier: str = "") -> Response:
    identifier = identifier.strip()
    if identifier:
        # an identifier is public (it is printed in the QR code): its page has its own address
        return _see_other(str(request.url_for("verify_identifier", identifier=identifier)))
    return render(request, "verify.html", result=None, record=None, error=None)


_PROBLEM_TEXT = {
    "intact": "文件在签章后被修改过",
    "valid": "电子签章无效",
    "trusted": "签章不是由受信任的签发机构作出",
    "covers_document": "签章没有覆盖整个文件（签章后又追加了内容）",
    "revoked_signer": "签章所用的证书已被吊销",
    "identifier_ok": "文件中的证照标识缺失或校验位错误",
}


def _problems_in_words(result: VerificationResult) -> list[str]:
    words = [text for attr, text in _PROBLEM_TEXT.items() if not getattr(result, attr)]
    if result.status == CertificateStatus.REVOKED:
        words.append("该电子证照已被颁发机构注销")
    elif result.status == CertificateStatus.SUPERSEDED:
        words.append("该电子证照已被新版本替代，请使用新版本")
    if result.problems and not words:
        words.append("签章核验未通过")
    return words


@router.post("/verify/file", name="web_verify_file")
async def verify_file(
    _: CsrfChecked,
    request: Request,
    verifier: VerifierDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    try:
        data = await read_limited(request, file, verifier.max_bytes)
        if not data:
            raise NotAPdfError(detail="empty upload")
        result = await run_in_threadpool(verifier.verify_pdf, data)
        record = None
        if result.identifier_ok and result.identifier is not None:
            status, entry = await run_in_threadpool(verifier.lookup, result.identifier)
            record = public_record(result.identifier, status, entry) if entry else None
    except SigningError as e:
        return render(
            request,
            "verify.html",
            status_code=http_status(e),
            result=None,
            record=None,
            error=e.message,
        )
    return render(
        request,
        "verify.html",
        result=result,
        problems=_problems_in_words(result),
        record=record,
        filename=file.filename or "",
        error=None,
    )
