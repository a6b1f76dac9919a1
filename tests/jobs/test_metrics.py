"""The domain's Prometheus measures: read at scrape time, a failing read reported, not raised."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from jobs.metrics import OCR_SECONDS_PER_PAGE, DomainCollector, DomainSnapshot, observe_ocr


def _samples(registry: CollectorRegistry) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = generate_latest(registry).decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for fam in text_string_to_metric_families(text)
        for s in fam.samples
    }


def test_the_snapshot_becomes_metrics_at_each_scrape() -> None:
    snaps = [
        DomainSnapshot(
            applications_by_state={"ready": 2, "issued": 1},
            applications_by_verdict={"needs_review": 3},
            jobs_by_state={"queued": 4, "failed": 1},
            oldest_queued_job_seconds=12.5,
            decisions={"approve": 1},
            overdue=2,
        )
    ]
    registry = CollectorRegistry()
    registry.register(DomainCollector(lambda: snaps[-1]))
    got = _samples(registry)
    assert got[("paoyici_domain_metrics_up", ())] == 1
    assert got[("paoyici_applications", (("state", "ready"),))] == 2
    assert got[("paoyici_applications_by_verdict", (("verdict", "needs_review"),))] == 3
    assert got[("paoyici_jobs", (("state", "queued"),))] == 4
    assert got[("paoyici_jobs", (("state", "running"),))] == 0  # every state, even empty
    assert got[("paoyici_job_queue_age_seconds", ())] == 12.5
    assert got[("paoyici_review_decisions_total", (("decision", "approve"),))] == 1
    assert got[("paoyici_applications_overdue", ())] == 2
    snaps.append(DomainSnapshot(jobs_by_state={"queued": 0}))
    assert _samples(registry)[("paoyici_jobs", (("state", "queued"),))] == 0


def test_a_failing_read_is_reported_as_down() -> None:
    def broken() -> DomainSnapshot:
        raise RuntimeError("database gone")

    registry = CollectorRegistry()
    registry.register(DomainCollector(broken))
    got = _samples(registry)
    assert got == {("paoyici_domain_metrics_up", ()): 0}


def test_ocr_seconds_are_per_page() -> None:
    registry = CollectorRegistry()
    registry.register(OCR_SECONDS_PER_PAGE)
    before = _samples(registry)
    count = ("paoyici_ocr_seconds_per_page_count", ())
    total = ("paoyici_ocr_seconds_per_page_sum", ())
    observe_ocr(3.0, 3)
    observe_ocr(1.0, 0)  # nothing read: nothing recorded
    after = _samples(registry)
    assert after[count] - before.get(count, 0) == 3
    assert abs(after[total] - before.get(total, 0) - 3.0) < 1e-9


KPIS = {
    "first_pass_by_matter": {"second-hand-house-transfer": {"submitted": 4, "rate": 0.75}},
    "visits": {"zero_share": 0.5, "one_share": 0.25, "more_share": 0.25},
    "time_to_verdict_hours": {"count": 4, "p50": 2.5, "p90": 7.0},
    "time_to_certificate_hours": {"count": 0, "p50": None, "p90": None},
    "alerts_by_department": {"不动产登记中心": {"warned": 3, "overdue": 1}},
    "ratings": {"by_level": {"非常满意": 2, "不满意": 1}, "follow_ups_open": 1},
    "on_time_rate": 0.9,
}


def test_the_supervisors_figures_are_gauges_counted_at_most_once_a_minute() -> None:
    from jobs.metrics import SupervisionCollector

    calls: list[int] = []
    clock = [0.0]

    def figures() -> dict[str, object]:
        calls.append(1)
        return KPIS

    registry = CollectorRegistry()
    registry.register(SupervisionCollector(figures, max_age_s=60, clock=lambda: clock[0]))
    got = _samples(registry)
    matter = (("matter", "second-hand-house-transfer"),)
    assert got[("paoyici_kpi_up", ())] == 1
    assert got[("paoyici_kpi_first_pass_ready_rate", matter)] == 0.75
    assert got[("paoyici_kpi_visits_share", (("visits", "0"),))] == 0.5
    assert got[("paoyici_kpi_hours", (("measure", "time_to_verdict"), ("quantile", "0.9")))] == 7.0
    # no certificate yet: no made-up quantile
    assert not any(n == "paoyici_kpi_hours" and ("measure", "time_to_certificate") in lab
                   for n, lab in got)  # fmt: skip
    alerts = (("department", "不动产登记中心"), ("kind", "overdue"))
    assert got[("paoyici_kpi_deadline_alerts", alerts)] == 1
    assert got[("paoyici_kpi_ratings", (("level", "不满意"),))] == 1
    assert got[("paoyici_kpi_follow_ups_open", ())] == 1
    assert got[("paoyici_kpi_on_time_rate", ())] == 0.9
    clock[0] = 30.0
    assert _samples(registry)[("paoyici_kpi_age_seconds", ())] == 30.0
    assert len(calls) == 1  # the cached figures
    clock[0] = 91.0
    _samples(registry)
    assert len(calls) == 2


def test_failing_figures_are_reported_as_down() -> None:
    from jobs.metrics import SupervisionCollector

    def broken() -> dict[str, object]:
        raise RuntimeError("database gone")

    registry = CollectorRegistry()
    registry.register(SupervisionCollector(broken))
    assert _samples(registry) == {("paoyici_kpi_up", ()): 0}
