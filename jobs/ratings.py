"""好差评: the citizen rates a finished case; a poor rating opens a follow-up a supervisor answers.

The national five levels (政务服务"好差评"制度, 国办发〔2019〕51号): 非常满意, 满意, 基本满意,
不满意, 非常不满意, stored as 5 … 1. A rating is made once, only by the case's owner, only once the
case has ended (issued, delivered, picked up, rejected). 不满意 or worse opens a :class:`FollowUp`
that a supervisor closes with a written answer within ``follow_up_working_days`` working days;
:mod:`jobs.warnings` warns on it like on any deadline. Everything is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases.audit import append_event
from cases.models import Application, FollowUp, Notification, Rating, User
from jobs.deadlines import Deadlines, LimitUnit, TimeLimit, due_at
from jobs.errors import NotFoundError
from jobs.visit_errors import (
    AlreadyRatedError,
    AnswerRequiredError,
    FollowUpClosedError,
    InvalidRatingError,
    NoFollowUpError,
    NotRatableError,
)

LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
_BY_LABEL = {label: level for level, label in LEVELS.items()}
#: a rating at or below this level opens a follow-up
POOR = 2
ENDED_STATES = frozenset({"issued", "shipped", "delivered", "picked_up", "rejected"})
MAX_REASONS = 10


def parse_level(value: int | str) -> int:
    """5 … 1, or the Chinese label; anything else is :class:`InvalidRatingError`."""
    if isinstance(value, bool):
        raise InvalidRatingError()
    if isinstance(value, int) and value in LEVELS:
        return value
    if isinstance(value, str) and value.strip() in _BY_LABEL:
        return _BY_LABEL[value.strip()]
    raise InvalidRatingError()


def rate(
    session: Session,
    *,
    user_id: str,
    application_id: str,
    level: int | str,
    reasons: Sequence[str] = (),
    comment: str | None = None,
    now: datetime,
    deadlines: Deadlines,
    follow_up_working_days: int = 5,
) -> Rating:
    """Record the owner's rating; another's case answers like a missing one (NotFoundError)."""
    app = session.get(Application, application_id)
    if app is None or app.owner_id != user_id:
        raise NotFoundError()
    if app.state not in ENDED_STATES:
        raise NotRatableError()
    lvl = parse_level(level)
    clean = [r.strip()[:100] for r in reasons if r and r.strip()][:MAX_REASONS]
    if session.scalar(select(Rating.id).where(Rating.application_id == app.id)) is not None:
        raise AlreadyRatedError()
    rating = Rating(
        application_id=app.id,
        user_id=user_id,
        level=lvl,
        reasons=clean,
        comment=(comment or "").strip()[:1000] or None,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(rating)
    except IntegrityError as e:  # a concurrent second rating of the same case
        raise AlreadyRatedError() from e
    append_event(
        session,
        actor=user_id,
        role="citizen",
        action="rated",
        subject_type="application",
        subject_id=app.id,
        data={"level": lvl, "label": LEVELS[lvl], "reasons": clean},
    )
    if lvl <= POOR:
        limit = TimeLimit(follow_up_working_days, LimitUnit.WORKING_DAYS, "差评整改")
        follow = FollowUp(
            rating_id=rating.id,
            application_id=app.id,
            due_at=due_at(now, limit, calendar=deadlines.calendar, settings=deadlines.settings),
            created_at=now,
        )
        session.add(follow)
        session.flush()
        for sup in session.scalars(
            select(User.id).where(User.role == "supervisor", User.active.is_(True))
        ):
            session.add(
                Notification(
                    user_id=sup,
                    kind="poor_rating",
                    subject_type="follow_up",
                    subject_id=str(follow.id),
                    title=f"收到差评（{LEVELS[lvl]}），请整改答复",
                    body=f"办件 {app.id} 收到{LEVELS[lvl]}评价，"
                    f"请在 {follow_up_working_days} 个工作日内书面答复。",
                    created_at=now,
                )
            )
        append_event(
            session,
            actor="system",
            role="system",
            action="follow_up_opened",
            subject_type="application",
            subject_id=app.id,
            data={"follow_up": follow.id, "due_at": follow.due_at.isoformat()},
        )
    session.flush()
    return rating


def follow_up_of(session: Session, application_id: str) -> FollowUp | None:
    return session.scalars(
        select(FollowUp).where(FollowUp.application_id == application_id)
    ).first()


def answer_follow_up(
    session: Session, *, application_id: str, answer: str, actor: str, role: str, now: datetime
) -> FollowUp:
    """Close the case's follow-up with a written answer (the citizen is notified)."""
    text = (answer or "").strip()
    if session.get(Application, application_id) is None:
        raise NotFoundError()
    follow = follow_up_of(session, application_id)
    if follow is None:
        raise NoFollowUpError()
    if follow.closed_at is not None:
        raise FollowUpClosedError()
    if len(text) < 5:
        raise AnswerRequiredError()
    follow.answer = text[:4000]
    follow.answered_by = actor
    follow.closed_at = now
    app = session.get(Application, application_id)
    if app is not None and app.owner_id is not None:
        session.add(
            Notification(
                user_id=app.owner_id,
                kind="follow_up_answered",
                subject_type="application",
                subject_id=application_id,
                title="您的评价已收到答复",
                body=follow.answer,
                created_at=now,
            )
        )
    due = follow.due_at if follow.due_at.tzinfo else follow.due_at.replace(tzinfo=UTC)
    append_event(
        session,
        actor=actor,
        role=role,
        action="follow_up_answered",
        subject_type="application",
        subject_id=application_id,
        data={"follow_up": follow.id, "in_time": now <= due},
    )
    session.flush()
    return follow


def _iso(at: datetime | None) -> str | None:
    # SQLite hands back naive datetimes; every stored time is UTC.
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat()


def rating_view(rating: Rating) -> dict[str, Any]:
    return {
        "application_id": rating.application_id,
        "level": rating.level,
        "label": LEVELS[rating.level],
        "reasons": list(rating.reasons or []),
        "comment": rating.comment,
        "created_at": _iso(rating.created_at),
    }


def follow_up_view(f: FollowUp, rating: Rating | None = None) -> dict[str, Any]:
    return {
        "id": f.id,
        "application_id": f.application_id,
        "level": rating.level if rating else None,
        "label": LEVELS[rating.level] if rating else None,
        "due_at": _iso(f.due_at),
        "answer": f.answer,
        "answered_by": f.answered_by,
        "closed_at": _iso(f.closed_at),
    }


def list_follow_ups(session: Session, *, open_only: bool = False) -> list[dict[str, Any]]:
    q = select(FollowUp, Rating).join(Rating, Rating.id == FollowUp.rating_id)
    if open_only:
        q = q.where(FollowUp.closed_at.is_(None))
    return [follow_up_view(f, r) for f, r in session.execute(q.order_by(FollowUp.due_at)).all()]
