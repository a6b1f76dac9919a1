"""The application record: models, state machine, audit trail, persistence."""

from cases.applications import create_application, get_application, move
from cases.audit import append_event, verify_chain
from cases.crypto import FieldCipher
from cases.db import make_engine, make_sessionmaker, ping, transaction
from cases.errors import (
    ApplicationNotFoundError,
    AuditChainBrokenError,
    CaseError,
    ConcurrentUpdateError,
    DatabaseUnavailableError,
    IllegalTransitionError,
)
from cases.migrate import downgrade, upgrade
from cases.settings import DatabaseSettings
from cases.states import LABELS, TERMINAL, TRANSITIONS, State, check_transition

__all__ = [
    "LABELS",
    "TERMINAL",
    "TRANSITIONS",
    "ApplicationNotFoundError",
    "AuditChainBrokenError",
    "CaseError",
    "ConcurrentUpdateError",
    "DatabaseSettings",
    "DatabaseUnavailableError",
    "FieldCipher",
    "IllegalTransitionError",
    "State",
    "append_event",
    "check_transition",
    "create_application",
    "downgrade",
    "get_application",
    "make_engine",
    "make_sessionmaker",
    "move",
    "ping",
    "transaction",
    "upgrade",
    "verify_chain",
]
