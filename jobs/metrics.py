"""The domain's own Prometheus measures, beside the HTTP ones.

Counts that describe the state of the service (applications by state and verdict, jobs by
state, the age of the oldest waiting job, review decisions) are read from the database when
Prometheus scrapes (:class:`DomainCollector`), so every process — the service, any number of
Celery workers — reports the same truth and nothing is lost on restart. What only a process
sees while it works (OCR seconds per page) is a histogram in that process
(:data:`OCR_SECONDS_PER_PAGE`, :func:`observe_ocr`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from prometheus_client import Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.models import Application, Job, Review

log = logging.getLogger(__name__)

OCR_SECONDS_PER_PAGE = Histogram(
    "paoyici_ocr_seconds_per_page",
    "Seconds of OCR per page read (decode, geometry, detection, recognition, fields)",
    buckets=(0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 30.0),
    registry=None,  # registered by each app on its own registry
)


def observe_ocr(seconds: float, pages: int) -> None:
    """Record one read of ``pages`` pages that took ``seconds``."""
    if pages <= 0:
        return
    per_page = seconds / pages
    for _ in range(pages):
        OCR_SECONDS_PER_PAGE.observe(per_page)


@dataclass(frozen=True)
class DomainSnapshot:
    """The counts :class:`DomainCollector` turns into metrics (read from the database)."""

    applications_by_state: Mapping[str, int] = field(default_factory=dict)
    applications_by_verdict: Mapping[str, int] = field(default_factory=dict)
    jobs_by_state: Mapping[str, int] = field(default_factory=dict)
    oldest_queued_job_seconds: float = 0.0
    decisions: Mapping[str, int] = field(default_factory=dict)
    overdue: int = 0


JOB_STATES = ("queued", "running", "done", "failed")


class DomainCollector(Collector):
    """Reads a :class:`DomainSnapshot` at scrape time; a failing read is a metric, not a 500."""

    def __init__(self, snapshot: Callable[[], DomainSnapshot]) -> None:
        self._snapshot = snapshot

    def describe(self) -> list[GaugeMetricFamily]:
        # no describe-time read: registering must not touch the database
        return []

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        up = GaugeMetricFamily(
            "paoyici_domain_metrics_up", "1 when the domain counts could be read from the database"
        )
        try:
            snap = self._snapshot()
        except Exception:
            log.exception("domain metrics: snapshot failed")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        by_state = GaugeMetricFamily(
            "paoyici_applications", "Applications by state", labels=["state"]
        )
        for state, n in sorted(snap.applications_by_state.items()):
            by_state.add_metric([state], n)
        yield by_state
        by_verdict = GaugeMetricFamily(
            "paoyici_applications_by_verdict",
            "Applications by their latest pre-check verdict",
            labels=["verdict"],
        )
        for verdict, n in sorted(snap.applications_by_verdict.items()):
            by_verdict.add_metric([verdict], n)
        yield by_verdict
        jobs = GaugeMetricFamily("paoyici_jobs", "Jobs in the outbox by state", labels=["state"])
        for state in JOB_STATES:
            jobs.add_metric([state], snap.jobs_by_state.get(state, 0))
        yield jobs
        age = GaugeMetricFamily(
            "paoyici_job_queue_age_seconds",
            "Seconds the oldest job due to run has waited (0 when none waits)",
        )
        age.add_metric([], snap.oldest_queued_job_seconds)
        yield age
        decisions = CounterMetricFamily(
            "paoyici_review_decisions", "Reviewer decisions recorded", labels=["decision"]
        )
        for decision, n in sorted(snap.decisions.items()):
            decisions.add_metric([decision], n)
        yield decisions
        overdue = GaugeMetricFamily(
            "paoyici_applications_overdue",
            "Submitted cases waiting for the office past their promised deadline",
        )
        overdue.add_metric([], snap.overdue)
        yield overdue


def read_snapshot(session: Session, *, now: datetime) -> DomainSnapshot:
    """The counts from the database (a few grouped queries; no rows are loaded)."""
    by_state = dict(
        session.execute(select(Application.state, func.count()).group_by(Application.state)).all()
    )
    by_verdict = {
        (v or "none"): n
        for v, n in session.execute(
            select(Application.verdict, func.count()).group_by(Application.verdict)
        ).all()
    }
    jobs = dict(session.execute(select(Job.state, func.count()).group_by(Job.state)).all())
    oldest = session.execute(
        select(func.min(Job.run_after)).where(Job.state == "queued", Job.run_after <= now)
    ).scalar_one_or_none()
    age = 0.0
    if oldest is not None:
        oldest = oldest if oldest.tzinfo is not None else oldest.replace(tzinfo=UTC)
        age = max(0.0, (now - oldest).total_seconds())
    decisions = dict(
        session.execute(
            select(Review.decision, func.count())
            .where(Review.decision.in_(("approve", "return", "reject")))
            .group_by(Review.decision)
        ).all()
    )
    overdue = session.execute(
        select(func.count()).where(
            Application.submitted_at.is_not(None),
            Application.state.in_(("prechecking", "needs_review", "ready", "accepted_pending")),
            Application.due_at.is_not(None),
            Application.due_at <= now,
        )
    ).scalar_one()
    return DomainSnapshot(
        applications_by_state=by_state,
        applications_by_verdict=by_verdict,
        jobs_by_state=jobs,
        oldest_queued_job_seconds=round(age, 3),
        decisions=decisions,
        overdue=int(overdue),
    )


class SupervisionCollector(Collector):
    """The supervisor's measures (``GET /api/supervision/kpis``) as gauges, for the same
    dashboards and alert rules as the rest of the service.

    The figures are one set-based pass over every case (about a second at 100 000 cases), so
    a scrape reuses the last answer for ``max_age_s`` seconds instead of recounting at every
    scrape; ``paoyici_kpi_age_seconds`` says how old the figures are. A failing read is
    ``paoyici_kpi_up 0``, never an error of the scrape."""

    def __init__(
        self,
        figures: Callable[[], Mapping[str, object]],
        *,
        max_age_s: float = 60.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        import time

        self._figures = figures
        self._max_age_s = max_age_s
        self._clock = clock or time.monotonic
        self._cached: tuple[float, Mapping[str, object]] | None = None

    def describe(self) -> list[GaugeMetricFamily]:
        return []

    def _read(self) -> tuple[float, Mapping[str, object]]:
        now = self._clock()
        if self._cached is None or now - self._cached[0] > self._max_age_s:
            self._cached = (now, self._figures())
        return now - self._cached[0], self._cached[1]

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("paoyici_kpi_up", "1 when the supervisor's figures could be read")
        try:
            age, k = self._read()
        except Exception:
            log.exception("supervision metrics: figures failed")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield _gauge("paoyici_kpi_age_seconds", "Seconds since the figures were counted", age)
        yield from _kpi_families(k)


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    g = GaugeMetricFamily(name, doc)
    g.add_metric([], value)
    return g


def _num(v: object) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _dict(v: object) -> Mapping[str, object]:
    return v if isinstance(v, Mapping) else {}


def _kpi_families(k: Mapping[str, object]) -> Iterator[GaugeMetricFamily]:
    first = GaugeMetricFamily(
        "paoyici_kpi_first_pass_ready_rate",
        "Share of submitted cases that went through without a correction round, per matter",
        labels=["matter"],
    )
    for matter, row in sorted(_dict(k.get("first_pass_by_matter")).items()):
        if (rate := _num(_dict(row).get("rate"))) is not None:
            first.add_metric([matter], rate)
    yield first
    visits = GaugeMetricFamily(
        "paoyici_kpi_visits_share",
        "Share of finished cases by the visits the citizen made (the reform's own measure)",
        labels=["visits"],
    )
    v = _dict(k.get("visits"))
    for label, key in (("0", "zero_share"), ("1", "one_share"), ("2+", "more_share")):
        if (share := _num(v.get(key))) is not None:
            visits.add_metric([label], share)
    yield visits
    hours = GaugeMetricFamily(
        "paoyici_kpi_hours",
        "Hours from submission to the first verdict / the certificate (median and p90)",
        labels=["measure", "quantile"],
    )
    for measure in ("time_to_verdict", "time_to_certificate"):
        spread = _dict(k.get(f"{measure}_hours"))
        for q, key in (("0.5", "p50"), ("0.9", "p90")):
            if (h := _num(spread.get(key))) is not None:
                hours.add_metric([measure, q], h)
    yield hours
    alerts = GaugeMetricFamily(
        "paoyici_kpi_deadline_alerts",
        "Deadline warnings and overdue alarms raised, by department",
        labels=["department", "kind"],
    )
    for dept, row in sorted(_dict(k.get("alerts_by_department")).items()):
        for kind in ("warned", "overdue"):
            if (n := _num(_dict(row).get(kind))) is not None:
                alerts.add_metric([dept, kind], n)
    yield alerts
    ratings = _dict(k.get("ratings"))
    by_level = GaugeMetricFamily(
        "paoyici_kpi_ratings", "Citizens' ratings (好差评) by level", labels=["level"]
    )
    for level, count in _dict(ratings.get("by_level")).items():
        if (c := _num(count)) is not None:
            by_level.add_metric([level], c)
    yield by_level
    for name, key, doc in (
        ("paoyici_kpi_follow_ups_open", "follow_ups_open", "Poor ratings awaiting an answer"),
        ("paoyici_kpi_follow_ups_overdue", "follow_ups_overdue", "Follow-ups past their 5 days"),
    ):
        if (n := _num(ratings.get(key))) is not None:
            yield _gauge(name, doc, n)
    if (rate := _num(k.get("on_time_rate"))) is not None:
        yield _gauge("paoyici_kpi_on_time_rate", "Share of timed cases finished in time", rate)
