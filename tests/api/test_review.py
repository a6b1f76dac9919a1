"""Reviewer routes over HTTP: queue order and visibility, claims with a lease, flags with crops,
field reviews that re-run the rules, decisions, the audit history, KPIs and /metrics."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from cases import transaction
from cases.models import Application, AuditEvent, Job, Review
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
    # pages of the queue, in the same order
    page = get(world, "supervisor", "/api/review/queue", params={"limit": 2, "offset": 1}).json()
    everything = get(world, "supervisor", "/api/review/queue").json()
    assert [i["id"] for i in page] == [i["id"] for i in everything][1:3]
    # a citizen has no queue
    assert get(world, "citizen-a", "/api/review/queue").status_code == 403


def test_claim_is_a_lease_another_reviewer_cannot_take(world: World) -> None:
    case, _ = seed_case(world)
    r = post(world, "reviewer-1", f"/api/review/applications/{case}/claim")
    assert r.status_code == 200, r.text
    assert r.json()["assignee"] == "reviewer-1"
    r = post(world, "reviewer-2", f"/api/review/applications/{case}/claim")
    assert r.status_code == 409
    assert r.json()["error"] == "claimed" and "reviewer-1" in r.json()["message"]
    assert r.json()["assignee"] == "reviewer-1" and r.json()["claim_expires_at"]
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
    # a supervisor reads the case but decides nothing: the number is masked for them
    [seen] = get(world, "supervisor", f"/api/review/applications/{case}").json()["flags"]
    assert seen["value"] == "330***********0016"
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
    assert [(v.actor, v.data["what"]) for v in views] == [
        ("reviewer-1", "application"),
        ("reviewer-1", f"crop:{file_id}:id_number"),
        ("supervisor", "application"),
    ]


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
    # the supervisor's figures too, counted from the same records as GET /api/supervision/kpis
    assert "paoyici_kpi_up 1.0" in text
    kpis = get(world, "supervisor", "/api/supervision/kpis").json()
    assert kpis["first_pass_by_matter"]
    for matter, row in kpis["first_pass_by_matter"].items():
        want = f'paoyici_kpi_first_pass_ready_rate{{matter="{matter}"}} {float(row["rate"])}'
        assert want in text
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


def _wait_for_jobs(world: World, case: str, timeout: float = 90.0) -> list[Job]:
    """Every job of ``case`` once none is left to run (the in-process runner runs them)."""
    deadline = time.monotonic() + timeout
    while True:
        with world.services.sessions() as s:
            jobs = [j for j in s.scalars(select(Job)) if j.args.get("application_id") == case]
            s.expunge_all()
        if jobs and all(j.state in ("done", "failed") for j in jobs):
            return jobs
        assert time.monotonic() < deadline, [(j.name, j.state, j.last_error) for j in jobs]
        time.sleep(0.2)


def test_a_correction_is_stored_encrypted_audited_and_the_rules_run_with_it(world: World) -> None:
    case, file_id = seed_case(world)
    path = f"/api/review/applications/{case}"
    body = {
        "file": file_id,
        "field": "id_number",
        "action": "correct",
        "value": "110101199003070035",
    }
    # acting needs a claim
    r = post(world, "reviewer-1", f"{path}/fields", json=body)
    assert r.status_code == 409 and r.json()["error"] == "not_claimed"
    assert post(world, "reviewer-1", f"{path}/claim").status_code == 200
    bad = post(world, "reviewer-1", f"{path}/fields", json={**body, "value": ["not", "text"]})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_correction"
    unknown = post(world, "reviewer-1", f"{path}/fields", json={**body, "file": "999999"})
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    nofield = post(
        world, "reviewer-1", f"{path}/fields", json={**body, "action": "confirm", "field": "nope"}
    )
    assert nofield.status_code == 422 and nofield.json()["error"] == "unknown_field"
    r = post(world, "reviewer-1", f"{path}/fields", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "prechecking"
    with world.services.sessions() as s:
        [review] = s.scalars(select(Review).where(Review.application_id == case)).all()
        assert review.decision == "correct" and review.reviewer == world.users["reviewer-1"]
        assert review.correction_enc is not None
        assert b"110101199003070035" not in review.correction_enc
        assert world.services.cipher.decrypt_json(review.correction_enc)["value"] == (
            "110101199003070035"
        )
        [event] = s.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_id == case, AuditEvent.action == "application.field_corrected"
            )
        ).all()
        assert event.data["value"] == "110***********0035"
    [job] = [j for j in _wait_for_jobs(world, case) if j.name == "precheck_application"]
    assert job.state == "done", job.last_error
    with world.services.sessions() as s:
        app = s.get(Application, case)
        read = app.report["documents"][0]["fields"]["id_number"]
        # the rules ran with the reviewer's value, taken as certain; the report masks it
        assert read["confidence"] == 1.0 and read["value"] == "110***********0035"
        assert not [
            f
            for f in app.report["findings"]
            if f["code"] == "low_confidence" and f["field"] == "id_number"
        ]
        # the seeded case lacks its other materials: the re-run hands it back to the citizen
        assert app.state == "needs_fix" and app.submitted_at is None


def test_decisions(world: World) -> None:
    case, _ = seed_case(world)
    path = f"/api/review/applications/{case}"
    r = post(world, "reviewer-1", f"{path}/decision", json={"decision": "approve"})
    assert r.status_code == 409 and r.json()["error"] == "not_claimed"
    post(world, "reviewer-1", f"{path}/claim")
    r = post(world, "reviewer-1", f"{path}/decision", json={"decision": "reject"})
    assert r.status_code == 422 and r.json()["error"] == "reason_required"
    wrong_slot = {"decision": "return", "reason": "x", "items": [{"slot": "nope", "reason": "y"}]}
    r = post(world, "reviewer-1", f"{path}/decision", json=wrong_slot)
    assert r.status_code == 422 and r.json()["error"] == "unknown_slot"
    r = post(
        world,
        "reviewer-1",
        f"{path}/decision",
        json={
            "decision": "return",
            "reason": "请补充材料",
            "items": [{"slot": "seller_id_card", "field": "id_number", "reason": "号码不清"}],
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "returned"
    decided = r.json()["decision"]
    assert decided["decision"] == "return" and decided["reason"] == "请补充材料"
    assert decided["items"] == [
        {"slot": "seller_id_card", "field": "id_number", "reason": "号码不清"}
    ]
    # the citizen sees why, on their own application
    mine = get(world, "citizen-a", f"/api/applications/{case}").json()
    assert mine["decision"]["reason"] == "请补充材料"
    assert mine["decision"]["items"][0]["slot"] == "seller_id_card"
    with world.services.sessions() as s:
        event = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_id == case, AuditEvent.action == "application.state_changed")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event is not None and event.data["to"] == "returned"
        assert event.data["items"][0]["slot"] == "seller_id_card"
    # a returned case is no longer in the queue, and cannot be decided again
    assert case not in {i["id"] for i in get(world, "reviewer-1", "/api/review/queue").json()}
    r = post(world, "reviewer-1", f"{path}/decision", json={"decision": "approve"})
    assert r.status_code in (404, 409)


def test_approval_leads_by_itself_to_a_job_that_issues(world: World) -> None:
    case, _ = seed_case(world, state="ready")
    path = f"/api/review/applications/{case}"
    post(world, "reviewer-1", f"{path}/claim")
    r = post(world, "reviewer-1", f"{path}/decision", json={"decision": "approve"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] in ("approved", "issued")
    with world.services.sessions() as s:
        names = [j.name for j in s.scalars(select(Job)) if j.args.get("application_id") == case]
    assert names == ["issue_certificate"]
    [job] = _wait_for_jobs(world, case, timeout=180)
    assert job.state == "done", job.last_error
    with world.services.sessions() as s:
        assert s.get(Application, case).state == "issued"
    # the case's history holds the certificate's own events beside the case's
    history = get(world, "reviewer-1", f"/api/review/applications/{case}/audit").json()
    assert {e["subject_type"] for e in history} == {"application", "certificate"}
    assert [e["id"] for e in history] == sorted(e["id"] for e in history)
