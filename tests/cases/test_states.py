from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import cases
from cases import State
from cases.models import Application, AuditEvent


def _app_in(session: Session, state: State) -> Application:
    app = cases.create_application(
        session, matter_id="second-hand-house-transfer", answers={}, actor="u1"
    )
    app.state = state.value  # placed directly: this test is about the next move
    session.flush()
    return app


def test_every_state_is_reachable_from_draft() -> None:
    seen, frontier = {State.DRAFT}, [State.DRAFT]
    while frontier:
        for nxt in cases.TRANSITIONS[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(State)


def test_terminal_states_have_no_exit_and_cannot_be_left() -> None:
    assert {State.REJECTED, State.DELIVERED, State.PICKED_UP} == cases.TERMINAL
    for terminal in cases.TERMINAL:
        for target in State:
            with pytest.raises(cases.IllegalTransitionError):
                cases.check_transition(terminal, target)


def test_ready_is_only_reached_through_precheck_or_review() -> None:
    sources = {s for s, nxt in cases.TRANSITIONS.items() if State.READY in nxt}
    assert sources == {State.PRECHECKING, State.NEEDS_REVIEW}


@pytest.mark.parametrize(
    ("src", "dst"),
    [(s, d) for s, nxts in cases.TRANSITIONS.items() for d in sorted(nxts)],
    ids=lambda v: str(v),
)
def test_allowed_move_changes_state_and_is_audited(
    sessions: sessionmaker[Session], src: State, dst: State
) -> None:
    with cases.transaction(sessions) as s:
        app_id = _app_in(s, src).id
    with cases.transaction(sessions) as s:
        cases.move(
            s, cases.get_application(s, app_id), dst, actor="r1", role="reviewer", reason="t"
        )
    with sessions() as s:
        assert cases.get_application(s, app_id).state == dst.value
        last = s.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
        assert (last.action, last.data["from"], last.data["to"]) == (
            "application.state_changed",
            src.value,
            dst.value,
        )


def test_illegal_move_raises_and_changes_nothing(sessions: sessionmaker[Session]) -> None:
    with cases.transaction(sessions) as s:
        app_id = _app_in(s, State.NEEDS_FIX).id
    with sessions() as s:
        events_before = s.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(cases.IllegalTransitionError) as err, cases.transaction(sessions) as s:
        cases.move(s, cases.get_application(s, app_id), State.APPROVED, actor="x", role="reviewer")
    assert err.value.code == "illegal_transition"
    assert "需补正" in err.value.message and "已核准" in err.value.message
    with sessions() as s:
        assert cases.get_application(s, app_id).state == State.NEEDS_FIX.value
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == events_before


def test_needs_fix_counts_correction_rounds(sessions: sessionmaker[Session]) -> None:
    with cases.transaction(sessions) as s:
        app = _app_in(s, State.PRECHECKING)
        cases.move(s, app, State.NEEDS_FIX, actor="system", role="system")
        cases.move(s, app, State.PRECHECKING, actor="u1", role="citizen")
        cases.move(s, app, State.NEEDS_FIX, actor="system", role="system")
        assert app.correction_rounds == 2


def test_unknown_application_is_a_domain_error(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, pytest.raises(cases.ApplicationNotFoundError):
        cases.get_application(s, "nope")
