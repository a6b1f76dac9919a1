"""Reviewer routes over HTTP: queue order and visibility, claims with a lease, flags with crops,
field reviews that re-run the rules, decisions, the audit history, KPIs and /metrics."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from cases import transaction
from cases.models import Application, AuditEvent
from tests.api.reviewing import (
    ID_NUMBER,
    OTHER_MATTER,
    World,
    get,
    make_world,
    post,
    seed_case,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from make_world(tmp_path_factory, "review")


def test_queue_is_oldest_deadline_first_and_only_the_reviewers_matters(world: World) -> None:
    late, _ = seed_case(world, due_in=timedelta(days=5))
    soon, _ = seed_case(world, due_in=timedelta(hours=3))
    none, _ = seed_case(world, due_in=None)
    other, _ = seed_case(world, matter=OTHER_MATTER)
    draft, _ = seed_case(world, submitted=False, state="draft")
    r = get(world, "reviewer-1", "/api/review/queue")
    assert r.status_code == 200
    ids = [i["id"] for i in r.json()]
    assert ids.index(soon) < ids.index(late) < ids.index(none)
    assert other not in ids and draft not in ids
    item = next(i for i in r.json() if i["id"] == soon)
    assert set(item) >= {"id", "matter", "state", "verdict", "submitted_at", "due_at", "assignee"}
    assert item["deadline_status"] == "due_soon" or item["deadline_status"] == "on_time"
    # the reviewer of the other matter sees only that one; the supervisor sees all
    assert [i["id"] for i in get(world, "reviewer-other", "/api/review/queue").json()] == [other]
    assert {soon, other} <= {i["id"] for i in get(world, "supervisor", "/api/review/queue").json()}
    # filters
    only = get(world, "supervisor", "/api/review/queue", params={"matter": OTHER_MATTER}).json()
    assert [i["id"] for i in only] == [other]
    # a citizen has no queue
    assert get(world, "citizen-a", "/api/review/queue").status_code == 403


def test_claim_is_a_lease_another_reviewer_cannot_take(world: World) -> None:
    case, _ = seed_case(world)
    r = post(world, "reviewer-1", f"/api/review/applications/{case}/claim")
    assert r.status_code == 200, r.text
    assert r.json()["assignee"] == "reviewer-1"
    r = post(world, "reviewer-2", f"/api/review/applications/{case}/claim")
    assert r.status_code == 409
    assert r.json()["error"] == "claimed" and r.json()["message"]
    queued = {i["id"]: i for i in get(world, "reviewer-2", "/api/review/queue").json()}
    assert queued[case]["assignee"] == "reviewer-1"
    # the lease runs out: the case is free again
    with transaction(world.services.sessions) as s:
        s.get(Application, case).claim_expires_at = datetime.now(UTC) - timedelta(seconds=1)
    assert post(world, "reviewer-2", f"/api/review/applications/{case}/claim").status_code == 200
    # released → anyone may claim
    r = world.client.delete(
        f"/api/review/applications/{case}/claim", headers=world.tokens["reviewer-2"]
    )
    assert r.status_code == 204
    assert post(world, "reviewer-1", f"/api/review/applications/{case}/claim").status_code == 200
    # a supervisor reads but does not claim; another matter's reviewer does not see it at all
    assert post(world, "supervisor", f"/api/review/applications/{case}/claim").status_code == 403
    r = post(world, "reviewer-other", f"/api/review/applications/{case}/claim")
    assert r.status_code == 404


def test_detail_has_flags_with_whole_values_and_a_private_crop(world: World) -> None:
    case, file_id = seed_case(world)
    r = get(world, "reviewer-1", f"/api/review/applications/{case}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == case and body["state"] == "needs_review"
    [flag] = body["flags"]
    assert flag["file"] == file_id and flag["field"] == "id_number"
    assert flag["value"] == ID_NUMBER  # staff see the number whole where they decide on it
    assert flag["confidence"] == 0.55 and flag["box"] == [300, 400, 700, 440]
    assert flag["reasons"] == ["low_confidence"]
    crop = get(world, "reviewer-1", flag["crop_url"])
    assert crop.status_code == 200
    assert crop.headers["content-type"] == "image/png"
    assert "no-store" in crop.headers["cache-control"]
    img = Image.open(io.BytesIO(crop.content))
    assert img.size == (400 + 2 * 14, 40 + 2 * 14)
    # the crop is staff-only
    assert get(world, "citizen-a", flag["crop_url"]).status_code == 403
    assert get(world, "reviewer-other", flag["crop_url"]).status_code == 404
    # each view of personal data is audited
    with world.services.sessions() as s:
        views = s.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_id == case, AuditEvent.action == "application.viewed_by_staff"
            )
        ).all()
    assert [v.data["what"] for v in views] == ["application", f"crop:{file_id}:id_number"]
    assert all(v.actor == "reviewer-1" for v in views)


def test_a_case_not_yet_submitted_is_not_found_for_staff(world: World) -> None:
    case, _ = seed_case(world, submitted=False, state="draft")
    r = get(world, "reviewer-1", f"/api/review/applications/{case}")
    assert r.status_code == 404
    missing = get(world, "reviewer-1", "/api/review/applications/no-such-case")
    assert missing.status_code == 404 and missing.json()["error"] == r.json()["error"]


def test_audit_history_of_a_case(world: World) -> None:
    case, _ = seed_case(world)
    post(world, "reviewer-1", f"/api/review/applications/{case}/claim")
    r = get(world, "supervisor", f"/api/review/applications/{case}/audit")
    assert r.status_code == 200
    actions = [e["action"] for e in r.json()]
    assert "application.claimed" in actions
    assert all(e["subject_id"] == case for e in r.json())
    assert get(world, "citizen-a", f"/api/review/applications/{case}/audit").status_code == 403


def test_kpis_for_supervisors_only(world: World) -> None:
    seed_case(world)
    r = get(world, "supervisor", "/api/supervision/kpis")
    assert r.status_code == 200
    body = r.json()
    assert body["submitted"] >= 1 and "first_pass_ready_rate" in body and "overdue" in body
    assert get(world, "admin", "/api/supervision/kpis").status_code == 200
    assert get(world, "reviewer-1", "/api/supervision/kpis").status_code == 403
    assert world.client.get("/api/supervision/kpis").status_code == 401


def test_metrics_in_prometheus_text(world: World) -> None:
    seed_case(world)
    get(world, "reviewer-1", "/api/review/queue")
    r = world.client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'paoyici_applications{state="needs_review"}' in text
    assert "paoyici_applications_by_verdict" in text
    assert 'paoyici_jobs{state="queued"}' in text
    assert "paoyici_job_queue_age_seconds" in text
    assert "paoyici_ocr_seconds_per_page_bucket" in text
    assert "paoyici_domain_metrics_up 1.0" in text
    assert 'handler="/api/review/queue"' in text  # the HTTP metrics
    assert ID_NUMBER not in text


def test_nobody_reviews_or_decides_their_own_application(world: World) -> None:
    # a reviewer who applied as a private person (the account that owns the case)
    case, _ = seed_case(world, owner="reviewer-1")
    assert case not in {i["id"] for i in get(world, "reviewer-1", "/api/review/queue").json()}
    r = post(world, "reviewer-1", f"/api/review/applications/{case}/claim")
    assert r.status_code == 403 and r.json()["error"] == "own_application"
    # a colleague may
    assert post(world, "reviewer-2", f"/api/review/applications/{case}/claim").status_code == 200
