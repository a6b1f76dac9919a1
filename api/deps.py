"""Request dependencies: ``Annotated`` aliases over the one :class:`~api.services.Services`.

The lifespan builds every long-lived part once and keeps it at ``app.state.services``; routes
take what they need by alias (``store: StoreDep``) and never reach into ``app.state``. A test
that mounts one router in a small app overrides the getter it needs
(``app.dependency_overrides[get_verifier] = ...``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

import cases
from api.security import ForbiddenError, Principal, TokenService
from api.services import Services
from api.settings import Settings
from cases.accounts import Role
from jobs import JobContext, JobQueue
from signing import CertificateRegistry, CertificateVerifier
from storage import ObjectStore


def get_services(request: Request) -> Services:
    """The services the lifespan built (``app.state.services``)."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_settings(services: ServicesDep) -> Settings:
    return services.settings


def get_session(services: ServicesDep) -> Iterator[Session]:
    """One session per request: committed when the route returns, rolled back if it raises."""
    with cases.transaction(services.sessions) as session:
        yield session


def get_store(services: ServicesDep) -> ObjectStore:
    return services.store


def get_registry(services: ServicesDep) -> CertificateRegistry:
    """The one certificate registry (the verifier and the issuing jobs use the same)."""
    return services.registry


def get_verifier(services: ServicesDep) -> CertificateVerifier:
    return services.signing.verifier


def get_queue(services: ServicesDep) -> JobQueue:
    return services.queue


SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": the transaction commits before the answer is sent, so a client's next
# request sees what this one wrote (a request-scoped yield would commit after sending)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
StoreDep = Annotated[ObjectStore, Depends(get_store)]
RegistryDep = Annotated[CertificateRegistry, Depends(get_registry)]
VerifierDep = Annotated[CertificateVerifier, Depends(get_verifier)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]


# --- who is asking (issue 11) ----------------------------------------------------------------

_bearer = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def get_tokens(services: ServicesDep) -> TokenService:
    return services.tokens


def get_principal(
    services: ServicesDep, token: Annotated[str | None, Depends(_bearer)]
) -> Principal:
    """The signed-in account; 401 ``unauthenticated`` without a valid, unrevoked token."""
    with services.sessions() as session:
        return services.tokens.principal(session, token)


def _requires(*roles: Role) -> Callable[[Principal], Principal]:
    allowed = frozenset(roles)

    def check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if principal.role not in allowed:
            raise ForbiddenError()
        return principal

    return check


TokensDep = Annotated[TokenService, Depends(get_tokens)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
CitizenDep = Annotated[Principal, Depends(_requires(Role.CITIZEN))]
ReviewerDep = Annotated[Principal, Depends(_requires(Role.REVIEWER))]
StaffDep = Annotated[Principal, Depends(_requires(Role.REVIEWER, Role.SUPERVISOR, Role.ADMIN))]
SupervisorDep = Annotated[Principal, Depends(_requires(Role.SUPERVISOR, Role.ADMIN))]


def get_job_context(services: ServicesDep) -> JobContext:
    return services.job_context


JobContextDep = Annotated[JobContext, Depends(get_job_context)]
