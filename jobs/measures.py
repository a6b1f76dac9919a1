"""The supervisor's measures of issue 15, additive to :mod:`jobs.supervision`.

Each measure is one set-based query (a few for the reviewers) over the records, aggregated by
the database: Python sees one row per group (matter, bucket, reviewer), never one per case, so
the answer stays quick at 100 000 cases (``bench/kpi_latency.py``); tests check each against a
hand-counted set. Quantiles are nearest-rank (a value that happened), in hours.

- ``first_pass_by_matter``: per matter, submitted cases and the share never sent back to the
  citizen (no ``needs_fix`` round, no reviewer return).
- ``correction_rounds_distribution``: submitted cases by how often they went back (0, 1, 2, 3+).
- ``visits``: finished cases (certificate issued and handed over, or rejected aside) by window
  visits: each checked-in booking is one; a pickup at the window without a checked-in booking
  (walk-in) is one; a courier delivery or download is none. ``zero_share``, ``one_share``,
  ``more_share`` — the reform's own measure is zero-or-one.
- ``time_to_verdict_hours`` (submission → first approve/reject) and
  ``time_to_certificate_hours`` (submission → first certificate): count, p50, p90.
- ``reviewers``: per reviewer, open cases held, decisions made, and first response
  (submission → the first recorded reviewer action on a case, credited to whoever acted), p50/p90.
- ``alerts_by_department``: warnings and overdue alarms raised (:mod:`jobs.warnings`) by the
  department of the case's matter.
- ``ratings``: count by level, satisfaction (基本满意 or better) rate, poor ratings, follow-ups
  open and overdue.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from cases.models import (
    Application,
    Booking,
    Certificate,
    DeadlineAlert,
    Delivery,
    FollowUp,
    Rating,
    Review,
    User,
)
from jobs.deadlines import DeadlineSettings, WorkingCalendar, add_office_hours
from jobs.ratings import LEVELS
from jobs.supervision import FINISHED_STATES

OPEN_STATES = ("prechecking", "needs_review", "ready", "accepted_pending")
HANDED_OVER = ("issued", "shipped", "delivered", "picked_up")
DECISIONS = ("approve", "reject")
ACTIONS = ("approve", "reject", "return", "confirm", "correct")


def _hours(session: Session, later: Any, earlier: Any) -> ColumnElement[Any]:
    """``later - earlier`` in hours, computed by the database (PostgreSQL or SQLite)."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 24.0
    # extract() answers numeric; double precision is what Python's float holds, and faster
    return cast(func.extract("epoch", later - earlier), Float) / 3600.0


def _spreads(
    session: Session, values: Select[Any], *, total: bool = False
) -> dict[Any, dict[str, Any]]:
    """Count, p50 and p90 (nearest rank) of ``values`` (columns ``g``, ``v``, ``g`` never
    null) per ``g`` — and with ``total`` over all of them, keyed ``None`` — in one query on
    PostgreSQL; Python only rounds one row per group."""
    sub = values.subquery()
    if session.get_bind().dialect.name == "postgresql":
        group = func.rollup(sub.c.g) if total else sub.c.g
        # percentile_disc is the nearest rank: the first value whose rank reaches q·n
        query = select(
            sub.c.g,
            func.count(),
            func.percentile_disc(0.5).within_group(sub.c.v),
            func.percentile_disc(0.9).within_group(sub.c.v),
        ).group_by(group)
    else:
        if total:  # SQLite has no ROLLUP: the whole set ranked once more, as one group
            everyone = select(literal(None).label("g"), sub.c.v)
            return _spreads(session, select(sub.c.g, sub.c.v)) | _spreads(session, everyone)
        ranked = select(
            sub.c.g,
            sub.c.v,
            func.row_number().over(partition_by=sub.c.g, order_by=sub.c.v).label("rn"),
            func.count().over(partition_by=sub.c.g).label("n"),
        ).subquery()
        # nearest rank ceil(q·n), in integers: ceil(n/2) = (n+1)//2, ceil(9n/10) = (9n+9)//10
        query = select(
            ranked.c.g,
            func.max(ranked.c.n),
            func.max(case((ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.v))),
            func.max(case((ranked.c.rn == (ranked.c.n * 9 + 9) // 10, ranked.c.v))),
        ).group_by(ranked.c.g)
    return {
        g: {"count": int(n), "p50": _round2(p50), "p90": _round2(p90)}
        for g, n, p50, p90 in session.execute(query)
    }


def _round2(v: Any) -> float | None:
    return None if v is None else round(float(v), 2)


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _one(spreads: Mapping[Any, dict[str, Any]]) -> dict[str, Any]:
    return next(iter(spreads.values()), {"count": 0, "p50": None, "p90": None})


def _returns() -> Subquery:
    return (
        select(Review.application_id.label("app"), func.count().label("n"))
        .where(Review.decision == "return")
        .group_by(Review.application_id)
        .subquery()
    )


def _first_certificate() -> Subquery:
    return (
        select(
            Certificate.application_id.label("app"), func.min(Certificate.created_at).label("at")
        )
        .where(Certificate.application_id.is_not(None))
        .group_by(Certificate.application_id)
        .subquery()
    )


def _rounds_bucket(total: ColumnElement[Any]) -> ColumnElement[Any]:
    return case((total >= 3, "3+"), (total == 2, "2"), (total == 1, "1"), else_="0")


def first_pass_by_matter(session: Session) -> dict[str, Any]:
    ret = _returns()
    total = func.coalesce(Application.correction_rounds, 0) + func.coalesce(ret.c.n, 0)
    bucket = _rounds_bucket(total).label("bucket")
    rows = session.execute(
        select(Application.matter_id, bucket, func.count())
        .outerjoin(ret, ret.c.app == Application.id)
        .where(Application.submitted_at.is_not(None))
        .group_by(Application.matter_id, bucket)
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rounds: Counter[str] = Counter()
    for matter, b, n in rows:
        counts[matter][0] += int(n)
        counts[matter][1] += int(n) if b == "0" else 0
        rounds[b] += int(n)
    out = {
        matter: {"submitted": n, "first_pass": first, "rate": _ratio(first, n)}
        for matter, (n, first) in sorted(counts.items())
    }
    return {
        "first_pass_by_matter": out,
        "correction_rounds_distribution": {k: rounds.get(k, 0) for k in ("0", "1", "2", "3+")},
    }


def visits(session: Session) -> dict[str, Any]:
    checkins = (
        select(Booking.application_id, func.count().label("n"))
        .where(Booking.status == "checked_in")
        .group_by(Booking.application_id)
        .subquery()
    )
    n = func.coalesce(checkins.c.n, 0)
    # a pickup at the window without a checked-in booking (walk-in) is one visit
    walk_in = case(
        (and_(or_(Application.state == "picked_up", Delivery.method == "pickup"), n == 0), 1),
        else_=0,
    )
    v = n + walk_in
    bucket = case((v == 0, "0"), (v == 1, "1"), else_="2+").label("bucket")
    rows = session.execute(
        select(bucket, func.count())
        .select_from(Application)
        .outerjoin(Delivery, Delivery.application_id == Application.id)
        .outerjoin(checkins, checkins.c.application_id == Application.id)
        .where(Application.state.in_(HANDED_OVER))
        .group_by(bucket)
    )
    by: Counter[str] = Counter({b: int(k) for b, k in rows})
    total = sum(by.values())
    return {
        "visits": {
            "finished": total,
            "zero": by["0"],
            "one": by["1"],
            "more": by["2+"],
            "zero_share": _ratio(by["0"], total),
            "one_share": _ratio(by["1"], total),
            "zero_or_one_share": _ratio(by["0"] + by["1"], total),
            "more_share": _ratio(by["2+"], total),
        }
    }


def durations(
    session: Session, *, time_to_certificate: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Submission → first verdict and → first certificate; the latter is also a figure of
    :func:`case_kpis` (the same definition), which the route passes in rather than count twice."""
    verdict = (
        select(Review.application_id.label("app"), func.min(Review.created_at).label("at"))
        .where(Review.decision.in_(DECISIONS))
        .group_by(Review.application_id)
        .subquery()
    )
    cert = _first_certificate()
    to_verdict = (
        select(
            literal(0).label("g"),
            _hours(session, verdict.c.at, Application.submitted_at).label("v"),
        )
        .select_from(Application)
        .join(verdict, verdict.c.app == Application.id)
    )
    to_cert = (
        select(
            literal(0).label("g"), _hours(session, cert.c.at, Application.submitted_at).label("v")
        )
        .select_from(Application)
        .join(cert, cert.c.app == Application.id)
    )
    submitted = Application.submitted_at.is_not(None)
    cert_hours = (
        _one(_spreads(session, to_cert.where(submitted)))
        if time_to_certificate is None
        else time_to_certificate
    )
    return {
        "time_to_verdict_hours": _one(_spreads(session, to_verdict.where(submitted))),
        "time_to_certificate_hours": dict(cert_hours),
    }


def reviewers(session: Session) -> dict[str, Any]:
    names = dict(
        session.execute(select(User.id, User.username).where(User.role == "reviewer")).all()
    )
    held = dict(
        session.execute(
            select(Application.assignee_id, func.count())
            .where(Application.state.in_(OPEN_STATES), Application.assignee_id.is_not(None))
            .group_by(Application.assignee_id)
        ).all()
    )
    decided = dict(
        session.execute(
            select(Review.reviewer, func.count())
            .where(Review.decision.in_((*DECISIONS, "return")))
            .group_by(Review.reviewer)
        ).all()
    )
    first = (
        select(Review.application_id, func.min(Review.id).label("first_id"))
        .where(Review.decision.in_(ACTIONS))
        .group_by(Review.application_id)
        .subquery()
    )

    def responses(group: Any) -> Select[Any]:
        return (
            select(
                group.label("g"),
                _hours(session, Review.created_at, Application.submitted_at).label("v"),
            )
            .select_from(Review)
            .join(first, first.c.first_id == Review.id)
            .join(Application, Application.id == Review.application_id)
            .where(Application.submitted_at.is_not(None))
        )

    per = _spreads(session, responses(Review.reviewer), total=True)
    # Review.reviewer holds the reviewer's user id; the answer is keyed by username
    out: dict[str, Any] = {}
    for uid, username in sorted(names.items(), key=lambda kv: kv[1]):
        out[username] = {
            "open_held": int(held.get(uid, 0)),
            "decisions": int(decided.get(uid, 0)),
            "first_response_hours": per.get(uid, {"count": 0, "p50": None, "p90": None}),
        }
    everyone = per.get(None, {"count": 0, "p50": None, "p90": None})
    return {"reviewers": out, "first_response_hours": everyone}


def alerts_by_department(session: Session, departments: Mapping[str, str]) -> dict[str, Any]:
    rows = session.execute(
        select(DeadlineAlert.matter_id, DeadlineAlert.kind, func.count())
        .where(DeadlineAlert.subject_type == "application")
        .group_by(DeadlineAlert.matter_id, DeadlineAlert.kind)
    )
    out: dict[str, dict[str, int]] = {}
    for matter, kind, n in rows:
        dept = departments.get(matter or "", "") or "未标明部门"
        d = out.setdefault(dept, {"warned": 0, "overdue": 0})
        d["warned" if kind == "warning" else "overdue"] += int(n)
    return {"alerts_by_department": dict(sorted(out.items()))}


def rating_measures(session: Session, *, now: datetime) -> dict[str, Any]:
    counts = dict(session.execute(select(Rating.level, func.count()).group_by(Rating.level)).all())
    total = sum(int(n) for n in counts.values())
    satisfied = sum(int(n) for lvl, n in counts.items() if lvl >= 3)
    open_f, overdue_f = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((FollowUp.due_at <= now, 1), else_=0)), 0),
        ).where(FollowUp.closed_at.is_(None))
    ).one()
    late_answers = session.scalar(
        select(func.count()).where(
            and_(FollowUp.closed_at.is_not(None), FollowUp.closed_at > FollowUp.due_at)
        )
    )
    return {
        "ratings": {
            "count": total,
            "by_level": {
                LEVELS[lvl]: int(counts.get(lvl, 0)) for lvl in sorted(LEVELS, reverse=True)
            },
            "satisfaction_rate": _ratio(satisfied, total),
            "poor": sum(int(n) for lvl, n in counts.items() if lvl <= 2),
            "follow_ups_open": int(open_f),
            "follow_ups_overdue": int(overdue_f),
            "follow_ups_answered_late": int(late_answers or 0),
        }
    }


def compute_measures(
    session: Session,
    *,
    now: datetime,
    departments: Mapping[str, str] | None = None,
    time_to_certificate: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every measure above, as one JSON object (merged into ``GET /api/supervision/kpis``)."""
    return {
        **first_pass_by_matter(session),
        **visits(session),
        **durations(session, time_to_certificate=time_to_certificate),
        **reviewers(session),
        **alerts_by_department(session, departments or {}),
        **rating_measures(session, now=now),
    }


def case_kpis(
    session: Session, *, now: datetime, calendar: WorkingCalendar, settings: DeadlineSettings
) -> dict[str, Any]:
    """:func:`jobs.supervision.compute_kpis` over every application, computed by the database.

    The same figures as ``compute_kpis(collect_facts(session), ...)`` (a test holds them equal)
    without loading one object per case: one grouped query per (matter, state) and one ranked
    query for the certificate times. ``overdue`` / ``due_soon`` need the working-day calendar
    only once: "due soon" is every due time up to ``now`` plus the warning window in office
    hours, a single instant (the same one :func:`jobs.deadlines.deadline_status` computes).
    """
    now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    # exactly as deadline_status reckons it (office hours in the office's time zone)
    soon = add_office_hours(
        now.astimezone(ZoneInfo(settings.timezone)),
        settings.warn_before_hours,
        calendar=calendar,
        settings=settings,
    ).astimezone(UTC)  # SQLite compares the stored UTC text: bind UTC too
    # one pass over the reviews: each case's returns and its last approve/reject (by id, as
    # collect_facts reads them)
    hist = (
        select(
            Review.application_id.label("app"),
            func.count().filter(Review.decision == "return").label("n"),
            func.max(Review.id).filter(Review.decision.in_(DECISIONS)).label("id"),
        )
        .where(Review.decision.in_(("return", *DECISIONS)))
        .group_by(Review.application_id)
        .subquery()
    )
    decision = aliased(Review)
    submitted = Application.submitted_at.is_not(None)
    is_open = and_(submitted, Application.state.in_(OPEN_STATES))
    rounds = func.coalesce(Application.correction_rounds, 0) + func.coalesce(hist.c.n, 0)
    due = Application.due_at

    def count(cond: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    rows = session.execute(
        select(
            Application.matter_id,
            Application.state,
            count(Application.id.is_not(None)),
            count(submitted),
            count(and_(submitted, rounds == 0)),
            func.coalesce(func.sum(case((submitted, rounds), else_=0)), 0),
            func.max(case((submitted, rounds))),
            count(
                and_(submitted, or_(Delivery.method == "pickup", Application.state == "picked_up"))
            ),
            count(and_(is_open, due <= now)),
            count(and_(is_open, due > now, due <= soon)),
            count(and_(submitted, decision.created_at.is_not(None), due.is_not(None))),
            count(and_(submitted, decision.created_at <= due)),
        )
        .select_from(Application)
        .outerjoin(hist, hist.c.app == Application.id)
        .outerjoin(Delivery, Delivery.application_id == Application.id)
        .outerjoin(decision, decision.id == hist.c.id)
        .group_by(Application.matter_id, Application.state)
    ).all()
    by_state: Counter[str] = Counter()
    per_matter: dict[str, dict[str, int]] = {}
    sums = Counter[str]()
    max_rounds: int | None = None
    for matter, state, n, sub, first, rsum, rmax, pickup, overdue, due_soon, timed, in_time in rows:
        by_state[state] += int(n)
        finished = state in FINISHED_STATES and state != "rejected"
        opened = state in OPEN_STATES
        sums.update(
            submitted=int(sub), first_pass=int(first), rounds=int(rsum),
            finished=int(sub) if finished else 0, visits=int(pickup) if finished else 0,
            open=int(sub) if opened else 0, overdue=int(overdue), due_soon=int(due_soon),
            timed=int(timed), in_time=int(in_time),
        )  # fmt: skip
        if rmax is not None:
            max_rounds = int(rmax) if max_rounds is None else max(max_rounds, int(rmax))
        if int(sub):
            m = per_matter.setdefault(matter, {"submitted": 0, "open": 0, "overdue": 0})
            m["submitted"] += int(sub)
            m["open"] += int(sub) if opened else 0
            m["overdue"] += int(overdue)
    cert = _first_certificate()
    hours = _one(
        _spreads(
            session,
            select(
                literal(0).label("g"),
                _hours(session, cert.c.at, Application.submitted_at).label("v"),
            )
            .select_from(Application)
            .join(cert, cert.c.app == Application.id)
            .where(submitted),
        )
    )
    n_sub = sums["submitted"]
    return {
        "as_of": now.astimezone(UTC).isoformat(),
        "applications": sum(by_state.values()),
        "by_state": dict(sorted(by_state.items())),
        "submitted": n_sub,
        "first_pass_ready_rate": _ratio(sums["first_pass"], n_sub),
        "visits_per_case": _ratio(sums["visits"], sums["finished"]),
        "correction_rounds": {
            "mean": round(sums["rounds"] / n_sub, 4) if n_sub else None,
            "max": max_rounds,
        },
        "time_to_certificate_hours": hours,
        "open": sums["open"],
        "overdue": sums["overdue"],
        "due_soon": sums["due_soon"],
        "on_time_rate": _ratio(sums["in_time"], sums["timed"]),
        "by_matter": dict(sorted(per_matter.items())),
    }
