"""The supervisor's measures (效能监督): how well the service keeps its promise.

:func:`compute_kpis` works on plain :class:`CaseFacts` (one per application), so every measure is
defined in one place and tested without a database; :func:`collect_facts` reads them.

- ``first_pass_ready_rate``: of submitted cases, the share that never went back to the citizen
  (no ``needs_fix`` round and no return by a reviewer) — the "跑一次" promise kept on paper.
- ``visits_per_case``: of finished cases, window visits per case: a pickup is one visit, a
  courier delivery or a downloaded e-certificate none (the goal is ≤ 1).
- ``correction_rounds``: how often a case went back to the citizen (mean, max).
- ``time_to_certificate_hours``: submission → certificate issued (p50, p90, in hours).
- ``overdue`` / ``due_soon``: open cases past, or within the warning window of, their promised
  deadline (承诺时限, :mod:`jobs.deadlines`); ``on_time_rate``: decided cases decided in time.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.models import Application, Certificate, Delivery, Review
from jobs.deadlines import DeadlineSettings, DeadlineStatus, WorkingCalendar, deadline_status

# states in which a submitted case waits for the office (not yet decided, not with the citizen)
OPEN_STATES = frozenset({"prechecking", "needs_review", "ready", "accepted_pending"})
DECIDED_STATES = frozenset({"approved", "rejected", "issued", "shipped", "delivered", "picked_up"})
FINISHED_STATES = frozenset({"issued", "shipped", "delivered", "picked_up", "rejected"})


@dataclass(frozen=True)
class CaseFacts:
    matter: str
    state: str
    submitted_at: datetime | None
    due_at: datetime | None
    correction_rounds: int = 0
    returns: int = 0
    decided_at: datetime | None = None  # approve or reject
    issued_at: datetime | None = None
    delivery: str | None = None  # "pickup" | "courier" | None


def _utc(at: datetime | None) -> datetime | None:
    return None if at is None else _at(at)


def _at(at: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _quantile(sorted_values: Sequence[float], q: float) -> float | None:
    """Nearest-rank quantile (no interpolation: a value that happened)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def compute_kpis(
    facts: Iterable[CaseFacts],
    *,
    now: datetime,
    calendar: WorkingCalendar,
    settings: DeadlineSettings,
) -> dict[str, Any]:
    """The measures as JSON (see the module docstring); ``None`` where there is nothing to
    measure yet (no case of that kind), never a misleading 0."""
    cases = list(facts)
    by_state = Counter(c.state for c in cases)
    submitted = [c for c in cases if c.submitted_at is not None]
    first_pass = sum(1 for c in submitted if c.correction_rounds == 0 and c.returns == 0)
    finished = [c for c in submitted if c.state in FINISHED_STATES and c.state != "rejected"]
    visits = sum(1 for c in finished if c.delivery == "pickup" or c.state == "picked_up")
    rounds = [c.correction_rounds + c.returns for c in submitted]
    hours = sorted(
        (_at(c.issued_at) - _at(c.submitted_at)).total_seconds() / 3600
        for c in submitted
        if c.issued_at is not None and c.submitted_at is not None
    )
    open_cases = [c for c in submitted if c.state in OPEN_STATES]
    statuses = Counter(
        deadline_status(_utc(c.due_at), now=now, calendar=calendar, settings=settings)
        for c in open_cases
    )
    in_time = [
        _at(c.decided_at) <= _at(c.due_at)
        for c in submitted
        if c.decided_at is not None and c.due_at is not None
    ]
    per_matter: dict[str, dict[str, int]] = {}
    for c in submitted:
        m = per_matter.setdefault(c.matter, {"submitted": 0, "open": 0, "overdue": 0})
        m["submitted"] += 1
        if c.state in OPEN_STATES:
            m["open"] += 1
            status = deadline_status(_utc(c.due_at), now=now, calendar=calendar, settings=settings)
            if status is DeadlineStatus.OVERDUE:
                m["overdue"] += 1
    return {
        "as_of": now.astimezone(UTC).isoformat(),
        "applications": len(cases),
        "by_state": dict(sorted(by_state.items())),
        "submitted": len(submitted),
        "first_pass_ready_rate": _ratio(first_pass, len(submitted)),
        "visits_per_case": _ratio(visits, len(finished)),
        "correction_rounds": {
            "mean": round(sum(rounds) / len(rounds), 4) if rounds else None,
            "max": max(rounds) if rounds else None,
        },
        "time_to_certificate_hours": {
            "count": len(hours),
            "p50": _round(_quantile(hours, 0.5)),
            "p90": _round(_quantile(hours, 0.9)),
        },
        "open": len(open_cases),
        "overdue": statuses[DeadlineStatus.OVERDUE],
        "due_soon": statuses[DeadlineStatus.DUE_SOON],
        "on_time_rate": _ratio(sum(in_time), len(in_time)),
        "by_matter": dict(sorted(per_matter.items())),
    }


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


def collect_facts(session: Session, *, since: datetime | None = None) -> list[CaseFacts]:
    """One :class:`CaseFacts` per application (created since ``since``, default all)."""
    scope = select(Application.id)
    if since is not None:
        scope = scope.where(Application.created_at >= since)
    apps = list(session.scalars(select(Application).where(Application.id.in_(scope))))
    if not apps:
        return []
    # the related rows are selected by the same subquery, not by a list of ids: a list of 100 000
    # bound parameters is more than PostgreSQL accepts (65 535) and answered the KPIs with a 500
    ids = scope
    returns: Counter[str] = Counter()
    decided: dict[str, datetime] = {}
    for app_id, decision, at in session.execute(
        select(Review.application_id, Review.decision, Review.created_at)
        .where(Review.application_id.in_(ids), Review.decision.in_(("return", "approve", "reject")))
        .order_by(Review.id)
    ):
        if decision == "return":
            returns[app_id] += 1
        else:
            decided[app_id] = at
    issued: dict[str, datetime] = {}
    for cert_app, first in session.execute(
        select(Certificate.application_id, func.min(Certificate.created_at))
        .where(Certificate.application_id.in_(ids))
        .group_by(Certificate.application_id)
    ):
        if cert_app is not None:
            issued[cert_app] = first
    delivery = dict(
        session.execute(
            select(Delivery.application_id, Delivery.method).where(Delivery.application_id.in_(ids))
        ).all()
    )
    return [
        CaseFacts(
            matter=a.matter_id,
            state=a.state,
            submitted_at=a.submitted_at,
            due_at=a.due_at,
            correction_rounds=a.correction_rounds or 0,
            returns=returns[a.id],
            decided_at=decided.get(a.id),
            issued_at=issued.get(a.id),
            delivery=delivery.get(a.id),
        )
        for a in apps
    ]
