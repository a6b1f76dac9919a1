"""Supervision (CONTRACT §4): the supervisor's measures and ``/metrics`` for Prometheus.

``/metrics`` holds the HTTP metrics of ``prometheus-fastapi-instrumentator`` and the domain's own
(:mod:`jobs.metrics`), on a registry of this app (not the process-global one, so two apps in one
process — tests — do not collide). Like most Prometheus endpoints it is meant for the internal
network (the reverse proxy does not publish it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_fastapi_instrumentator import Instrumentator
from sqlalchemy.orm import Session

from api.deps import ServicesDep, SessionDep, SupervisorDep
from api.services import Services
from jobs import measures, metrics

router = APIRouter(tags=["效能监督"])


@router.get("/api/supervision/kpis", summary="效能监督指标")
def kpis(principal: SupervisorDep, services: ServicesDep, session: SessionDep) -> dict[str, Any]:
    return kpi_figures(session, services, now=datetime.now(UTC))


def kpi_figures(session: Session, services: Services, *, now: datetime) -> dict[str, Any]:
    """Every figure of the KPI answer (the API route and the dashboard page show the same)."""
    deadlines = services.deadlines
    # the figures of jobs.supervision.compute_kpis, aggregated by the database (no object
    # per case: at 100 000 cases the per-case reckoning took seconds)
    out = measures.case_kpis(
        session, now=now, calendar=deadlines.calendar, settings=deadlines.settings
    )
    # issue 15's measures (jobs/measures.py), additive: no key above is replaced
    departments = {m.id: m.department or "" for m in services.job_context.catalogue}
    extra = measures.compute_measures(
        session,
        now=now,
        departments=departments,
        time_to_certificate=out["time_to_certificate_hours"],
    )
    return out | {k: v for k, v in extra.items() if k not in out}


def instrument(app: FastAPI) -> CollectorRegistry:
    """HTTP metrics middleware, the domain collector and ``GET /metrics``, on a registry of
    ``app``'s own (held by the route, not in ``app.state``: the services are the one root)."""
    registry = CollectorRegistry(auto_describe=False)
    Instrumentator(registry=registry, excluded_handlers=["/metrics"]).instrument(app)
    registry.register(metrics.OCR_SECONDS_PER_PAGE)

    def snapshot() -> metrics.DomainSnapshot:
        services: Services = app.state.services
        with services.sessions() as session:
            return metrics.read_snapshot(session, now=datetime.now(UTC))

    registry.register(metrics.DomainCollector(snapshot))

    def figures() -> dict[str, Any]:
        services: Services = app.state.services
        with services.sessions() as session:
            return kpi_figures(session, services, now=datetime.now(UTC))

    registry.register(metrics.SupervisionCollector(figures))

    def prometheus_metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    app.add_api_route(
        "/metrics",
        prometheus_metrics,
        methods=["GET"],
        summary="Prometheus 指标",
        tags=["效能监督"],
        response_class=Response,
        responses={200: {"content": {"text/plain": {}}}},
    )
    return registry
