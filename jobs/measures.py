"""The supervisor's measures of issue 15, additive to :mod:`jobs.supervision`.

Each measure is one query (or one pass over one query's rows) over the records; tests check
each against a hand-counted set. Quantiles are nearest-rank (a value that happened), in hours.

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

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

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
from jobs.ratings import LEVELS

OPEN_STATES = ("prechecking", "needs_review", "ready", "accepted_pending")
HANDED_OVER = ("issued", "shipped", "delivered", "picked_up")
DECISIONS = ("approve", "reject")
ACTIONS = ("approve", "reject", "return", "confirm", "correct")


def _at(at: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _quantile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(1, math.ceil(q * len(ordered))) - 1], 2)


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _spread(hours: Sequence[float]) -> dict[str, Any]:
    return {"count": len(hours), "p50": _quantile(hours, 0.5), "p90": _quantile(hours, 0.9)}


def _returns(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Review.application_id, func.count())
        .where(Review.decision == "return")
        .group_by(Review.application_id)
    )
    return {a: int(n) for a, n in rows}


def first_pass_by_matter(session: Session, returns: Mapping[str, int]) -> dict[str, Any]:
    out: dict[str, dict[str, Any]] = {}
    rows = session.execute(
        select(Application.id, Application.matter_id, Application.correction_rounds).where(
            Application.submitted_at.is_not(None)
        )
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rounds: Counter[str] = Counter()
    for app_id, matter, corr in rows:
        total = (corr or 0) + returns.get(app_id, 0)
        counts[matter][0] += 1
        counts[matter][1] += total == 0
        rounds["3+" if total >= 3 else str(total)] += 1
    for matter, (n, first) in sorted(counts.items()):
        out[matter] = {"submitted": n, "first_pass": first, "rate": _ratio(first, n)}
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
    rows = session.execute(
        select(Application.state, Delivery.method, func.coalesce(checkins.c.n, 0))
        .outerjoin(Delivery, Delivery.application_id == Application.id)
        .outerjoin(checkins, checkins.c.application_id == Application.id)
        .where(Application.state.in_(HANDED_OVER))
    )
    by: Counter[str] = Counter()
    for state, method, n in rows:
        walk_in = 1 if (state == "picked_up" or method == "pickup") and not n else 0
        v = int(n) + walk_in
        by["0" if v == 0 else "1" if v == 1 else "2+"] += 1
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


def durations(session: Session) -> dict[str, Any]:
    verdict = (
        select(Review.application_id, func.min(Review.created_at).label("at"))
        .where(Review.decision.in_(DECISIONS))
        .group_by(Review.application_id)
        .subquery()
    )
    cert = (
        select(Certificate.application_id, func.min(Certificate.created_at).label("at"))
        .where(Certificate.application_id.is_not(None))
        .group_by(Certificate.application_id)
        .subquery()
    )
    rows = session.execute(
        select(Application.submitted_at, verdict.c.at, cert.c.at)
        .outerjoin(verdict, verdict.c.application_id == Application.id)
        .outerjoin(cert, cert.c.application_id == Application.id)
        .where(Application.submitted_at.is_not(None))
    )
    to_verdict: list[float] = []
    to_cert: list[float] = []
    for sub, v, c in rows:
        if v is not None:
            to_verdict.append((_at(v) - _at(sub)).total_seconds() / 3600)
        if c is not None:
            to_cert.append((_at(c) - _at(sub)).total_seconds() / 3600)
    return {
        "time_to_verdict_hours": _spread(to_verdict),
        "time_to_certificate_hours": _spread(to_cert),
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
    rows = session.execute(
        select(Review.reviewer, Review.created_at, Application.submitted_at)
        .join(first, first.c.first_id == Review.id)
        .join(Application, Application.id == Review.application_id)
        .where(Application.submitted_at.is_not(None))
    )
    responses: dict[str, list[float]] = defaultdict(list)
    for reviewer, at, sub in rows:
        if sub is not None:
            responses[reviewer].append((_at(at) - _at(sub)).total_seconds() / 3600)
    # Review.reviewer holds the reviewer's user id; the answer is keyed by username
    out: dict[str, Any] = {}
    for uid, username in sorted(names.items(), key=lambda kv: kv[1]):
        out[username] = {
            "open_held": int(held.get(uid, 0)),
            "decisions": int(decided.get(uid, 0)),
            "first_response_hours": _spread(responses.get(uid, [])),
        }
    everyone = [h for hs in responses.values() for h in hs]
    return {"reviewers": out, "first_response_hours": _spread(everyone)}


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
    session: Session, *, now: datetime, departments: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Every measure above, as one JSON object (merged into ``GET /api/supervision/kpis``)."""
    returns = _returns(session)
    return {
        **first_pass_by_matter(session, returns),
        **visits(session),
        **durations(session),
        **reviewers(session),
        **alerts_by_department(session, departments or {}),
        **rating_measures(session, now=now),
    }
