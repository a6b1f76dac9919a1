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
