"""The application state machine (docs/architecture.md "Flow of one application").

``accepted_pending`` is 容缺受理: the case is accepted while one non-critical material is still owed
on a signed promise; it carries a deadline on the application row.
"""

from __future__ import annotations

from enum import StrEnum

from cases.errors import IllegalTransitionError


class State(StrEnum):
    DRAFT = "draft"
    PRECHECKING = "prechecking"
    NEEDS_FIX = "needs_fix"
    NEEDS_REVIEW = "needs_review"
    READY = "ready"
    ACCEPTED_PENDING = "accepted_pending"
    APPROVED = "approved"
    RETURNED = "returned"
    REJECTED = "rejected"
    ISSUED = "issued"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    PICKED_UP = "picked_up"


LABELS: dict[State, str] = {
    State.DRAFT: "草稿",
    State.PRECHECKING: "预审中",
    State.NEEDS_FIX: "需补正",
    State.NEEDS_REVIEW: "待人工复核",
    State.READY: "预审通过",
    State.ACCEPTED_PENDING: "容缺受理",
    State.APPROVED: "已核准",
    State.RETURNED: "已退回",
    State.REJECTED: "不予受理",
    State.ISSUED: "已出证",
    State.SHIPPED: "已寄出",
    State.DELIVERED: "已签收",
    State.PICKED_UP: "已自取",
}

_REVIEW_OUTCOMES = {State.APPROVED, State.RETURNED, State.REJECTED}

TRANSITIONS: dict[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.PRECHECKING}),
    State.PRECHECKING: frozenset(
        {State.NEEDS_FIX, State.NEEDS_REVIEW, State.READY, State.ACCEPTED_PENDING}
    ),
    State.NEEDS_FIX: frozenset({State.PRECHECKING}),
    # A reviewer may confirm uncertain fields (→ ready), find a defect (→ needs_fix) or decide.
    State.NEEDS_REVIEW: frozenset({State.PRECHECKING, State.READY, State.NEEDS_FIX})
    | _REVIEW_OUTCOMES,
    State.READY: frozenset({State.PRECHECKING}) | _REVIEW_OUTCOMES,
    State.ACCEPTED_PENDING: frozenset({State.PRECHECKING}) | _REVIEW_OUTCOMES,
    State.RETURNED: frozenset({State.PRECHECKING}),
    State.APPROVED: frozenset({State.ISSUED}),
    State.ISSUED: frozenset({State.SHIPPED, State.PICKED_UP}),
    State.SHIPPED: frozenset({State.DELIVERED}),
    State.REJECTED: frozenset(),
    State.DELIVERED: frozenset(),
    State.PICKED_UP: frozenset(),
}

TERMINAL: frozenset[State] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)


def check_transition(current: State | str, target: State | str) -> State:
    """Return ``target`` as a State if the move is allowed, else raise IllegalTransitionError."""
    cur, tgt = State(current), State(target)
    if tgt not in TRANSITIONS[cur]:
        raise IllegalTransitionError(LABELS[cur], LABELS[tgt])
    return tgt
