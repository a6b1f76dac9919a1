"""The reviewer's console: the queue with filters and deadlines, a case with each flagged field
beside its crop (the whole page one click away), confirm / correct, return / reject / approve with
reasons chosen from the case's findings or typed, and the case's audit history; keyboard
shortcuts shown on the page.

Each route calls the function of ``api.routers.review`` that the API route of the same action
is, so a decision here is exactly the API's decision (the same checks, audit and jobs).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

import api.routers.review as api_review
from api.deps import ServicesDep, SessionDep
from api.errors import http_status
from api.web.auth import STAFF_IDLE_SECONDS, StaffPage
from api.web.deps import CatalogueDep, CsrfChecked
from api.web.feedback import FIELD_NAMES, highlighted_png
from api.web.routing import WebRoute
from api.web.sessions import session_of
from api.web.templating import render
from cases import transaction
from common import DomainError
from jobs import review as use
from storage import Bucket

__all__ = ["FIELD_NAMES", "router"]

router = APIRouter(route_class=WebRoute, include_in_schema=False)

_STATES = {
    "needs_review": "待人工确认",
    "ready": "预审通过",
    "prechecking": "正在重新预审",
    "needs_fix": "需申请人修改",
    "accepted_pending": "容缺受理",
}

#: reasons a reviewer often gives, beside the case's own findings
_COMMON_REASONS = (
    "材料照片不清晰，请在光线充足处重新拍摄上传",
    "材料与申请事项不符，请按一次性告知单上传",
    "材料信息前后不一致，请核对后重新上传",
)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _deadline_words(due: datetime | None, status: Any) -> tuple[str, str]:
    """(words, css class); the words alone say it (colour only repeats them)."""
    if due is None:
        return "无承诺时限", "due-none"
    when = due.astimezone(UTC).strftime("%Y-%m-%d")
    value = getattr(status, "value", status)
    if value == "overdue":
        days = max(1, (datetime.now(UTC) - due).days)
        return f"已超期 {days} 天（{when} 到期）", "due-overdue"
    if value == "due_soon":
        return f"即将到期（{when}）", "due-soon"
    return f"{when} 前办结", "due-ok"


@router.get("/review", name="web_review_queue")
def queue(
    request: Request,
    principal: StaffPage,
    services: ServicesDep,
    session: SessionDep,
    catalogue: CatalogueDep,
    matter: str = "",
    state: str = "",
) -> Response:
    items = api_review.queue(
        principal, services, session, matter=matter or None, state=state or None
    )
    rows = []
    for i in items:
        words, css = _deadline_words(i.due_at, i.deadline_status)
        rows.append(
            {
                "id": i.id,
                "matter": catalogue.get(i.matter).name,
                "state": _STATES.get(i.state, i.state),
                "submitted_at": i.submitted_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
                "deadline": words,
                "deadline_class": css,
                "assignee": i.assignee,
            }
        )
    return render(
        request,
        "review_queue.html",
        notice=session_of(request).pop("notice", None),
        rows=rows,
        matters=[m for m in catalogue if principal.sees_matter(m.id)],
        states=_STATES,
        matter=matter,
        state=state,
        idle_seconds=STAFF_IDLE_SECONDS,
    )


def _case_context(
    services: Any, session: Any, principal: Any, application_id: str, catalogue: Any
) -> dict[str, Any]:
    view = api_review.detail(application_id, principal, services, session).model_dump()
    matter = catalogue.get(view["matter"])
    history = api_review.audit(application_id, principal, session)
    files = {f["id"]: f for f in view["files"]}
    flags = [
        dict(
            f,
            label=FIELD_NAMES.get(f["field"], f["field"]),
            slot_name=matter.slots[f["slot"]].name if f["slot"] in matter.slots else f["slot"],
            filename=files.get(f["file"], {}).get("filename", ""),
            shown=_shown(f["value"]),
        )
        for f in view["flags"]
    ]
    findings = (view.get("report") or {}).get("findings") or []
    reasons = list(dict.fromkeys([f["message"] for f in findings] + list(_COMMON_REASONS)))
    claimed_by_me = False
    application = use.case_for_staff(session, principal, application_id)
    lease = use.Lease(application.assignee_id, application.claim_expires_at)
    claimed_by_me = lease.held_by(principal.id, datetime.now(UTC))
    return {
        "a": view,
        "m": matter,
        "flags": flags,
        "reasons": reasons,
        "history": history,
        "claimed": claimed_by_me,
        "state_words": _STATES.get(view["state"], view["state"]),
        "can_act": principal.role.value == "reviewer",
        "idle_seconds": STAFF_IDLE_SECONDS,
    }


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return "，".join(str(v) for v in value.values())
    return "" if value is None else str(value)


@router.get("/review/{application_id}", name="web_review_case")
def case(
    request: Request,
    application_id: str,
    principal: StaffPage,
    services: ServicesDep,
    session: SessionDep,
    catalogue: CatalogueDep,
) -> Response:
    notice = session_of(request).pop("notice", None)
    context = _case_context(services, session, principal, application_id, catalogue)
    return render(request, "review_case.html", notice=notice, **context)


def _after(request: Request, application_id: str, error: DomainError | None, done: str) -> Response:
    if error is not None and http_status(error) >= 500:
        raise error
    session_of(request)["notice"] = error.message if error is not None else done
    return _see_other(f"/review/{application_id}")


@router.post("/review/{application_id}/claim", name="web_review_claim")
def claim(
    _: CsrfChecked,
    request: Request,
    application_id: str,
    principal: StaffPage,
    services: ServicesDep,
) -> Response:
    try:
        # committed before the redirect: the next page's audit entry chains after this one
        with transaction(services.sessions) as session:
            api_review.claim(application_id, principal, services, session)
    except DomainError as e:
        return _after(request, application_id, e, "")
    return _after(request, application_id, None, "已领取本办件，请在领取时限内办理")


@router.post("/review/{application_id}/fields", name="web_review_field")
def review_field(
    _: CsrfChecked,
    request: Request,
    application_id: str,
    principal: StaffPage,
    services: ServicesDep,
    file: Annotated[str, Form()],
    field: Annotated[str, Form()],
    action: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
) -> Response:
    try:
        body = api_review.FieldReviewIn.model_validate(
            {
                "file": file,
                "field": field,
                "action": action,
                "value": value if action == "correct" else None,
            }
        )
        with transaction(services.sessions) as session:
            api_review.review_field(application_id, body, principal, services, session)
    except DomainError as e:
        return _after(request, application_id, e, "")
    except ValueError:
        return _after(request, application_id, use.InvalidCorrectionError(), "")
    label = FIELD_NAMES.get(field, field)
    done = f"已确认“{label}”" if action == "confirm" else f"已更正“{label}”"
    return _after(request, application_id, None, done + "，系统正在重新预审")


@router.post("/review/{application_id}/decision", name="web_review_decision")
def decision(
    _: CsrfChecked,
    request: Request,
    application_id: str,
    principal: StaffPage,
    services: ServicesDep,
    decision: Annotated[str, Form()] = "",
    reason_choice: Annotated[str, Form()] = "",
    reason_text: Annotated[str, Form()] = "",
) -> Response:
    reason = "；".join(r for r in (reason_choice.strip(), reason_text.strip()) if r)
    words = {
        "approve": "已核准，系统正在签发电子证照",
        "return": "已退回申请人",
        "reject": "已不予受理",
    }
    if decision not in words:
        session_of(request)["notice"] = "请选择核准、退回或不予受理"
        return _see_other(f"/review/{application_id}#decision")
    try:
        with transaction(services.sessions) as session:
            items = (
                _return_items(session, principal, application_id, reason_choice)
                if decision == "return"
                else []
            )
            body = api_review.DecisionIn.model_validate(
                {"decision": decision, "reason": reason or None, "items": items}
            )
            api_review.decision(application_id, body, principal, services, session)
    except DomainError as e:
        return _after(request, application_id, e, "")
    # decided: back to the queue, the next case (the case itself moves on without the reviewer)
    session_of(request)["notice"] = f"{words[decision]}（办件 {application_id[:8]}）"
    return _see_other("/review")


def _return_items(
    session: Any, principal: Any, application_id: str, chosen: str
) -> list[dict[str, Any]]:
    """A return whose reason was chosen from the case's findings names that finding's material
    and field, so the citizen's page says where to change what (a typed reason names none)."""
    chosen = chosen.strip()
    if not chosen:
        return []
    report = use.case_for_staff(session, principal, application_id).report or {}
    for finding in report.get("findings") or []:
        if finding.get("message") == chosen and finding.get("slot"):
            return [{"slot": finding["slot"], "field": finding.get("field"), "reason": chosen}]
    return []


@router.get("/review/{application_id}/files/{file_id}/crop", name="web_review_crop")
def crop(
    application_id: str,
    file_id: str,
    field: str,
    principal: StaffPage,
    services: ServicesDep,
    session: SessionDep,
) -> Response:
    return api_review.crop(application_id, file_id, field, principal, services, session)


@router.get("/review/{application_id}/files/{file_id}/page", name="web_review_page")
def whole_page(
    application_id: str,
    file_id: str,
    principal: StaffPage,
    services: ServicesDep,
    session: SessionDep,
    field: str = "",
) -> Response:
    """The whole page the field is on, its box drawn (audited like a crop)."""
    view = api_review.detail(application_id, principal, services, session).model_dump()
    flag = next((f for f in view["flags"] if f["file"] == file_id and f["field"] == field), None)
    application = use.case_for_staff(session, principal, application_id)
    upload = next((u for u in application.uploads if str(u.id) == file_id), None)
    if upload is None:
        raise use.UnknownFieldError(file_id)
    data = services.store.get_bytes(kind=Bucket.UPLOADS, key=upload.object_key)
    boxes = [flag["box"]] if flag and flag.get("box") else []
    png = highlighted_png(data, boxes=boxes, page=int(flag["page"]) if flag else 0)
    use.record_staff_view(session, principal, application, f"page:{file_id}")
    return Response(png, media_type="image/png", headers=api_review.NO_STORE)
