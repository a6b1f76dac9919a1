"""Operations on applications that keep the state machine and the audit trail in step."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cases.audit import append_event
from cases.errors import ApplicationNotFoundError
from cases.models import Application
from cases.states import State, check_transition


def create_application(
    session: Session, *, matter_id: str, answers: dict[str, bool], actor: str, role: str = "citizen"
) -> Application:
    application = Application(matter_id=matter_id, answers=dict(answers), state=State.DRAFT.value)
    session.add(application)
    session.flush()
    append_event(
        session,
        actor=actor,
        role=role,
        action="application.created",
        subject_type="application",
        subject_id=application.id,
        data={"matter": matter_id, "answers": dict(answers)},
    )
    return application


def get_application(session: Session, application_id: str) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise ApplicationNotFoundError()
    return application


def move(
    session: Session,
    application: Application,
    target: State | str,
    *,
    actor: str,
    role: str,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> Application:
    """Move ``application`` to ``target`` and audit it.

    An illegal move raises IllegalTransitionError before anything is changed.
    """
    current = application.state
    new_state = check_transition(current, target)
    application.state = new_state.value
    if new_state is State.NEEDS_FIX:
        application.correction_rounds += 1
    session.flush()
    append_event(
        session,
        actor=actor,
        role=role,
        action="application.state_changed",
        subject_type="application",
        subject_id=application.id,
        data={"from": current, "to": new_state.value, "reason": reason, **(data or {})},
    )
    return application
