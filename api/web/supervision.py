"""Issue 15's pages: the supervisor's dashboard (the KPI figures, charts drawn here as SVG), the
warnings and overdue list, the follow-ups of poor ratings with their written answer, in-app
notifications, the citizen's rating form and booking of the one visit (book, move, cancel), and
the window's check-in by booking code or pickup code.

Each action calls the same use case as its API route (:mod:`jobs.ratings`, :mod:`jobs.booking`,
:mod:`api.routers.supervision`): the same checks, audit and errors; a refusal is a page saying
why in Chinese (``WebRoute``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select, update

from api.deps import ServicesDep, SessionDep
from api.routers.supervision import kpi_figures
from api.security import Principal
from api.services import Services
from api.web.auth import LoginRequired, web_principal
from api.web.deps import CatalogueDep, CsrfChecked
from api.web.routing import WebRoute
from api.web.templating import render
from cases import accounts
from cases.models import Application, DeadlineAlert, Notification, Rating, ServiceWindow
from jobs import booking, delivery, ratings
from jobs.errors import NotFoundError
from precheck import Catalogue, UnknownMatterError

__all__ = ["Bar", "bars", "router"]

router = APIRouter(route_class=WebRoute, include_in_schema=False)

_TZ = ZoneInfo("Asia/Shanghai")
_BOOKING_STATUS = {"booked": "已预约", "cancelled": "已取消", "checked_in": "已签到"}
_REASONS = (
    "办理时间太长",
    "需要多次跑腿",
    "工作人员态度不好",
    "材料要求说明不清楚",
    "网上操作不方便",
)


def _page_path(request: Request) -> str:
    return request.url.path if request.method in ("GET", "HEAD") else "/"


def _signed_in(request: Request, services: ServicesDep) -> Principal:
    principal = web_principal(request, services)
    if principal is None:
        raise LoginRequired(_page_path(request))
    return principal


def _supervisor(request: Request, services: ServicesDep) -> Principal:
    principal = _signed_in(request, services)
    if principal.role not in (accounts.Role.SUPERVISOR, accounts.Role.ADMIN):
        raise LoginRequired(_page_path(request), "该页面供效能监督人员使用，请用监督人员账号登录")
    return principal


def _citizen(request: Request, services: ServicesDep) -> Principal:
    principal = _signed_in(request, services)
    if principal.role != accounts.Role.CITIZEN:
        raise LoginRequired(_page_path(request), "该页面供申请人使用，请用申请人账号登录")
    return principal


def _staff(request: Request, services: ServicesDep) -> Principal:
    principal = _signed_in(request, services)
    if not principal.is_staff:
        raise LoginRequired(_page_path(request), "该页面供窗口工作人员使用，请用工作人员账号登录")
    return principal


SignedInPage = Annotated[Principal, Depends(_signed_in)]
SupervisorPage = Annotated[Principal, Depends(_supervisor)]
CitizenPage = Annotated[Principal, Depends(_citizen)]
WindowPage = Annotated[Principal, Depends(_staff)]


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _local(at: datetime | str | None) -> str:
    if at is None:
        return ""
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    when = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return when.astimezone(_TZ).strftime("%Y-%m-%d %H:%M")


# --- charts: horizontal bars as server-side SVG -------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str  # the figure as words beside the bar (the chart never relies on length alone)
    width: float  # 0..1 of the longest bar
    y: int = 0


def bars(rows: list[tuple[str, float | None, str]]) -> list[Bar]:
    """(label, value, shown) → bars scaled to the largest value; a missing value is a 0-length
    bar whose words say "暂无数据"."""
    top = max((v for _, v, _ in rows if v is not None), default=0) or 1
    return [
        Bar(label, shown if value is not None else "暂无数据", (value or 0) / top, 8 + 34 * i)
        for i, (label, value, shown) in enumerate(rows)
    ]


def _pct(v: float | None) -> str:
    return "暂无数据" if v is None else f"{v * 100:.1f}%"


def _hours(v: float | None) -> str:
    return "暂无数据" if v is None else f"{v:g} 小时"


def _matter_name(catalogue: Catalogue, matter: str | None) -> str:
    if not matter:
        return ""
    try:
        return catalogue.get(matter).name
    except UnknownMatterError:  # a matter withdrawn from the catalogue keeps its id
        return matter


def _charts(k: dict[str, Any], catalogue: Catalogue) -> list[dict[str, Any]]:
    def name(matter: str) -> str:
        return _matter_name(catalogue, matter)

    first = k["first_pass_by_matter"]
    v = k["visits"]
    tv, tc = k["time_to_verdict_hours"], k["time_to_certificate_hours"]
    charts = [
        {
            "id": "first-pass",
            "title": "各事项首次预审通过率",
            "bars": bars(
                [
                    (
                        name(m),
                        f["rate"],
                        f"{_pct(f['rate'])}（{f['first_pass']}/{f['submitted']} 件）",
                    )
                    for m, f in first.items()
                ]
            ),
        },
        {
            "id": "visits",
            "title": "办结件跑动次数占比",
            "bars": bars(
                [
                    ("零跑动", v["zero_share"], f"{_pct(v['zero_share'])}（{v['zero']} 件）"),
                    ("跑一次", v["one_share"], f"{_pct(v['one_share'])}（{v['one']} 件）"),
                    ("跑两次及以上", v["more_share"], f"{_pct(v['more_share'])}（{v['more']} 件）"),
                ]
            ),
        },
        {
            "id": "durations",
            "title": "办理时长（中位数与第 90 百分位）",
            "bars": bars(
                [
                    ("提交到审批 中位数", tv["p50"], _hours(tv["p50"])),
                    ("提交到审批 P90", tv["p90"], _hours(tv["p90"])),
                    ("提交到出证 中位数", tc["p50"], _hours(tc["p50"])),
                    ("提交到出证 P90", tc["p90"], _hours(tc["p90"])),
                ]
            ),
        },
        {
            "id": "workload",
            "title": "审核人员工作量（已作出决定的件数）",
            "bars": bars(
                [
                    (who, r["decisions"], f"决定 {r['decisions']} 件，在办 {r['open_held']} 件")
                    for who, r in k["reviewers"].items()
                ]
            ),
        },
        {
            "id": "alerts",
            "title": "各部门预警与超期件数",
            "bars": bars(
                [
                    row
                    for dept, a in k["alerts_by_department"].items()
                    for row in (
                        (f"{dept} 预警", a["warned"], f"{a['warned']} 件"),
                        (f"{dept} 超期", a["overdue"], f"{a['overdue']} 件"),
                    )
                ]
            ),
        },
        {
            "id": "ratings",
            "title": "好差评各等级件数",
            "bars": bars([(lvl, n, f"{n} 件") for lvl, n in k["ratings"]["by_level"].items()]),
        },
    ]
    return charts


@router.get("/supervision", name="web_supervision")
def dashboard(
    request: Request,
    principal: SupervisorPage,
    services: ServicesDep,
    session: SessionDep,
    catalogue: CatalogueDep,
) -> Response:
    k = kpi_figures(session, services, now=datetime.now(UTC))
    summary = [
        ("已提交办件", f"{k['submitted']} 件"),
        ("首次预审通过率", _pct(k["first_pass_ready_rate"])),
        ("零跑动或跑一次占比", _pct(k["visits"]["zero_or_one_share"])),
        ("在办件", f"{k['open']} 件"),
        ("已超期", f"{k['overdue']} 件"),
        ("即将到期", f"{k['due_soon']} 件"),
        ("按期办结率", _pct(k["on_time_rate"])),
        ("满意率（基本满意及以上）", _pct(k["ratings"]["satisfaction_rate"])),
        ("差评待整改", f"{k['ratings']['follow_ups_open']} 件"),
    ]
    return render(
        request,
        "supervision_dashboard.html",
        summary=summary,
        charts=_charts(k, catalogue),
        as_of=_local(k["as_of"]),
    )


@router.get("/supervision/alerts", name="web_supervision_alerts")
def alerts(
    request: Request, principal: SupervisorPage, session: SessionDep, catalogue: CatalogueDep
) -> Response:
    rows = session.execute(
        select(DeadlineAlert, Application.state)
        .outerjoin(Application, Application.id == DeadlineAlert.subject_id)
        .order_by(DeadlineAlert.fired_at.desc(), DeadlineAlert.id.desc())
        .limit(200)
    ).all()
    items = []
    for a, state in rows:
        matter = _matter_name(catalogue, a.matter_id)
        items.append(
            {
                "kind": "已超期" if a.kind == "overdue" else "预警",
                "overdue": a.kind == "overdue",
                "subject": "办件" if a.subject_type == "application" else "差评整改",
                "subject_id": a.subject_id,
                "matter": matter,
                "due": _local(a.due_at),
                "fired": _local(a.fired_at),
                "state": state or "",
            }
        )
    return render(request, "supervision_alerts.html", items=items)


@router.get("/supervision/follow-ups", name="web_follow_ups")
def follow_ups(request: Request, principal: SupervisorPage, session: SessionDep) -> Response:
    items = [
        f | {"due": _local(f["due_at"]), "closed": _local(f["closed_at"])}
        for f in ratings.list_follow_ups(session)
    ]
    reasons = {
        r.application_id: r
        for r in session.scalars(
            select(Rating).where(Rating.application_id.in_([f["application_id"] for f in items]))
        )
    }
    for f in items:
        r = reasons.get(f["application_id"])
        f["reasons"] = "、".join(r.reasons or []) if r else ""
        f["comment"] = (r.comment or "") if r else ""
    return render(request, "supervision_follow_ups.html", items=items)


@router.post("/supervision/follow-ups/{application_id}", name="web_answer_follow_up")
def answer_follow_up(
    _: CsrfChecked,
    application_id: str,
    principal: SupervisorPage,
    session: SessionDep,
    answer: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    ratings.answer_follow_up(
        session,
        application_id=application_id,
        answer=answer,
        actor=principal.username,
        role=str(principal.role),
        now=datetime.now(UTC),
    )
    return _see_other("/supervision/follow-ups")


# --- notifications ------------------------------------------------------------------------------


@router.get("/notifications", name="web_notifications")
def notifications(request: Request, principal: SignedInPage, session: SessionDep) -> Response:
    rows = session.scalars(
        select(Notification)
        .where(Notification.user_id == principal.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(200)
    ).all()
    items = [
        {"title": n.title, "body": n.body, "at": _local(n.created_at), "unread": n.read_at is None}
        for n in rows
    ]
    return render(request, "notifications.html", items=items)


@router.post("/notifications/read", name="web_notifications_read")
def notifications_read(_: CsrfChecked, principal: SignedInPage, session: SessionDep) -> Response:
    session.execute(
        update(Notification)
        .where(Notification.user_id == principal.id, Notification.read_at.is_(None))
        .values(read_at=datetime.now(UTC))
    )
    return _see_other("/notifications")


# --- the citizen: my visits and ratings ---------------------------------------------------------


def _own(session: Any, principal: Principal, application_id: str) -> Application:
    app = session.get(Application, application_id)
    if app is None or app.owner_id != principal.id:
        raise NotFoundError()  # someone else's case is not disclosed
    return app


@router.get("/visits", name="web_visits")
def my_visits(
    request: Request, principal: CitizenPage, session: SessionDep, catalogue: CatalogueDep
) -> Response:
    apps = session.scalars(
        select(Application)
        .where(Application.owner_id == principal.id, Application.submitted_at.is_not(None))
        .order_by(Application.created_at.desc())
        .limit(100)
    ).all()
    rated = set(
        session.scalars(select(Rating.application_id).where(Rating.user_id == principal.id)).all()
    )
    items = []
    for a in apps:
        b = booking.active_booking(session, a.id)
        items.append(
            {
                "id": a.id,
                "matter": _matter_name(catalogue, a.matter_id),
                "bookable": a.state in booking.BOOKABLE_STATES,
                "booking": None if b is None else {"code": b.code, "at": _local(b.starts_at)},
                "rateable": a.state in ratings.ENDED_STATES and a.id not in rated,
                "rated": a.id in rated,
            }
        )
    return render(request, "visits.html", items=items)


@router.get("/applications/{application_id}/rating", name="web_rating")
def rating_form(
    request: Request,
    application_id: str,
    principal: CitizenPage,
    session: SessionDep,
    catalogue: CatalogueDep,
) -> Response:
    app = _own(session, principal, application_id)
    done = session.scalar(select(Rating).where(Rating.application_id == application_id))
    return render(
        request,
        "rating.html",
        app_id=app.id,
        matter=catalogue.get(app.matter_id).name,
        ended=app.state in ratings.ENDED_STATES,
        rating=None if done is None else ratings.rating_view(done),
        levels=list(ratings.LEVELS.items()),
        reasons=_REASONS,
    )


@router.post("/applications/{application_id}/rating", name="web_rate")
def rate(
    _: CsrfChecked,
    application_id: str,
    principal: CitizenPage,
    services: ServicesDep,
    session: SessionDep,
    level: Annotated[str, Form()] = "",
    comment: Annotated[str, Form(max_length=1000)] = "",
    reasons: Annotated[list[str] | None, Form()] = None,
) -> Response:
    _own(session, principal, application_id)
    ratings.rate(
        session,
        user_id=principal.id,
        application_id=application_id,
        level=int(level) if level.isdigit() else level,  # the form sends 5 … 1
        reasons=[r for r in reasons or [] if r in _REASONS],
        comment=comment or None,
        now=datetime.now(UTC),
        deadlines=services.deadlines,
        follow_up_working_days=services.settings.warnings.follow_up_working_days,
    )
    return _see_other(f"/applications/{application_id}/rating")


# --- the citizen: booking the one visit ---------------------------------------------------------


def _days(services: Services, *, start: date, n: int = 10) -> list[date]:
    cal = services.deadlines.calendar
    out: list[date] = []
    day = start
    while len(out) < n and day < start + timedelta(days=booking.HORIZON_DAYS):
        if cal.is_working_day(day):
            out.append(day)
        day += timedelta(days=1)
    return out


@router.get("/applications/{application_id}/booking", name="web_booking")
def booking_page(
    request: Request,
    application_id: str,
    principal: CitizenPage,
    services: ServicesDep,
    session: SessionDep,
    catalogue: CatalogueDep,
    window: int = 0,
    day: str = "",
) -> Response:
    app = _own(session, principal, application_id)
    current = booking.active_booking(session, application_id)
    windows = booking.list_windows(session, matter=app.matter_id)
    now = datetime.now(UTC)
    days = _days(services, start=now.astimezone(_TZ).date() + timedelta(days=1))
    chosen_window = next((w for w in windows if w.id == window), windows[0] if windows else None)
    try:
        chosen_day = date.fromisoformat(day) if day else (days[0] if days else None)
    except ValueError:
        chosen_day = days[0] if days else None
    slots = []
    if chosen_window is not None and chosen_day is not None:
        slots = [
            {"value": s.starts_at.isoformat(), "label": _local(s.starts_at)[11:], "free": s.free}
            for s in booking.slots(
                session,
                window_id=chosen_window.id,
                day=chosen_day,
                deadlines=services.deadlines,
                now=now,
            )
        ]
    shown = None
    if current is not None:
        w = session.get(ServiceWindow, current.window_id)
        shown = {
            "code": current.code,
            "at": _local(current.starts_at),
            "window": f"{w.hall} {w.number} 号窗口" if w else "",
        }
    return render(
        request,
        "booking.html",
        app_id=app.id,
        matter=catalogue.get(app.matter_id).name,
        bookable=app.state in booking.BOOKABLE_STATES,
        current=shown,
        windows=[
            {"id": w.id, "label": f"{w.hall} {w.number} 号窗口", "chosen": w is chosen_window}
            for w in windows
        ],
        window_id=chosen_window.id if chosen_window else 0,
        days=[
            {"value": d.isoformat(), "label": f"{d:%m月%d日}", "chosen": d == chosen_day}
            for d in days
        ],
        slots=slots,
    )


def _starts(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value)
    except ValueError as e:
        from jobs.visit_errors import SlotUnavailableError

        raise SlotUnavailableError() from e
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


@router.post("/applications/{application_id}/booking", name="web_book")
def book(
    _: CsrfChecked,
    application_id: str,
    principal: CitizenPage,
    services: ServicesDep,
    session: SessionDep,
    window_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    starts_at: Annotated[str, Form(max_length=40)],
) -> Response:
    at = _starts(starts_at)
    if booking.active_booking(session, application_id) is None:
        booking.book(
            session,
            user_id=principal.id,
            application_id=application_id,
            window_id=window_id,
            starts_at=at,
            deadlines=services.deadlines,
            now=datetime.now(UTC),
        )
    else:
        booking.move_booking(
            session,
            user_id=principal.id,
            application_id=application_id,
            starts_at=at,
            window_id=window_id,
            deadlines=services.deadlines,
            now=datetime.now(UTC),
        )
    return _see_other(f"/applications/{application_id}/booking")


@router.post("/applications/{application_id}/booking/cancel", name="web_cancel_booking")
def cancel(
    _: CsrfChecked, application_id: str, principal: CitizenPage, session: SessionDep
) -> Response:
    booking.cancel_booking(session, user_id=principal.id, application_id=application_id)
    return _see_other(f"/applications/{application_id}/booking")


# --- the window: check-in by booking code, pickup code -------------------------------------------


@router.get("/window", name="web_window")
def window_desk(request: Request, principal: WindowPage, done: str = "") -> Response:
    messages = {
        "checked_in": "签到成功：请按叫号到窗口办理。",
        "picked_up": "领取成功：证照已交给申请人。",
    }
    return render(request, "window_desk.html", done=messages.get(done, ""))


@router.post("/window/check-in", name="web_check_in")
def window_check_in(
    _: CsrfChecked,
    principal: WindowPage,
    services: ServicesDep,
    session: SessionDep,
    code: Annotated[str, Form(min_length=1, max_length=32)],
) -> Response:
    booking.check_in(
        session,
        code=code.strip(),
        window_id=None,
        actor=principal.username,
        role=str(principal.role),
        now=datetime.now(UTC),
        deadlines=services.deadlines,
    )
    return _see_other("/window?done=checked_in")


@router.post("/window/pickup", name="web_window_pickup")
def window_pickup(
    _: CsrfChecked,
    principal: WindowPage,
    services: ServicesDep,
    session: SessionDep,
    code: Annotated[str, Form(min_length=1, max_length=32)],
) -> Response:
    booking.pickup_at_window(
        session,
        code=code.strip(),
        secret=delivery.runtime(services.job_context).pickup_secret,
        actor=principal.username,
        role=str(principal.role),
        now=datetime.now(UTC),
    )
    return _see_other("/window?done=picked_up")
