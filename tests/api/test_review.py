"""Reviewer routes over HTTP: queue order and visibility, claims with a lease, flags with crops,
field reviews that re-run the rules, decisions, the audit history, KPIs and /metrics."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from api.app import create_app
from cases import accounts, transaction
from cases.models import Application, AuditEvent, Document, Upload
from storage import Bucket
from tests.api.conftest import make_settings

MATTER = "second-hand-house-transfer"
OTHER_MATTER = "social-security-card"
PASSWORD = "review-pass-1"
ID_NUMBER = "330106198503120016"


@dataclass
class World:
    client: TestClient
    tokens: dict[str, dict[str, str]]
    users: dict[str, str]  # username → id

    @property
    def services(self) -> Any:
        return self.client.app.state.services  # type: ignore[attr-defined]


def _card_png() -> bytes:
    img = Image.new("RGB", (800, 500), "white")
    img.paste((30, 30, 30), (300, 400, 700, 440))  # where the ID number is printed
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    app = create_app(make_settings(tmp_path_factory.mktemp("review")))
    with TestClient(app) as client:
        services = app.state.services
        users: dict[str, str] = {}
        with transaction(services.sessions) as s:
            for username, role, matters in [
                ("citizen-a", "citizen", []),
                ("citizen-b", "citizen", []),
                ("reviewer-1", "reviewer", [MATTER]),
                ("reviewer-2", "reviewer", [MATTER]),
                ("reviewer-other", "reviewer", [OTHER_MATTER]),
                ("supervisor", "supervisor", []),
                ("admin", "admin", []),
            ]:
                u = accounts.create_user(
                    s, username=username, password=PASSWORD, role=role, matters=matters
                )
                users[username] = u.id
        tokens = {}
        for username in users:
            r = client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.text
            tokens[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        yield World(client, tokens, users)


def seed_case(
    world: World,
    *,
    owner: str = "citizen-a",
    matter: str = MATTER,
    state: str = "needs_review",
    submitted: bool = True,
    due_in: timedelta | None = timedelta(days=2),
) -> tuple[str, str]:
    """A submitted case with one ID-card upload whose number was read uncertainly."""
    services = world.services
    now = datetime.now(UTC)
    data = _card_png()
    with transaction(services.sessions) as s:
        app = Application(
            matter_id=matter,
            answers={},
            state=state,
            verdict="needs_review",
            owner_id=world.users[owner],
            submitted_at=now - timedelta(hours=1) if submitted else None,
            due_at=now + due_in if (submitted and due_in is not None) else None,
        )
        s.add(app)
        s.flush()
        info = services.store.put_content(kind=Bucket.UPLOADS, prefix=app.id, data=data)
        up = Upload(
            application_id=app.id,
            slot="seller_id_card",
            filename="card.png",
            content_type="image/png",
            size=len(data),
            sha256=info.sha256,
            object_key=info.key,
            status="done",
        )
        s.add(up)
        s.flush()
        fields = {
            "name": {"value": "张三", "confidence": 0.99, "page": 0, "box": [300, 100, 420, 140]},
            "id_number": {
                "value": ID_NUMBER,
                "confidence": 0.55,
                "page": 0,
                "box": [300, 400, 700, 440],
            },
        }
        s.add(
            Document(
                upload_id=up.id,
                sha256=info.sha256,
                doc_type="id_card_front",
                confidence=0.95,
                pages=1,
                quality={"ok": True, "issues": []},
                fields_enc=services.cipher.encrypt_json(fields),
            )
        )
        masked = {k: dict(v) for k, v in fields.items()}
        masked["id_number"]["value"] = "330***********0016"
        app.report = {
            "matter": matter,
            "verdict": "needs_review",
            "findings": [
                {
                    "code": "low_confidence",
                    "severity": "warning",
                    "slot": "seller_id_card",
                    "field": "id_number",
                    "message": "身份证号码识别置信度低，需人工确认",
                    "evidence": [{"file": 0, "page": 0, "box": [300, 400, 700, 440]}],
                }
            ],
            "documents": [
                {"file": 0, "slot": "seller_id_card", "doc_type": "id_card_front", "fields": masked}
            ],
            "checklist": [],
        }
        return app.id, str(up.id)


def get(world: World, who: str, path: str, **kw: Any) -> Any:
    return world.client.get(path, headers=world.tokens[who], **kw)


def post(world: World, who: str, path: str, **kw: Any) -> Any:
    return world.client.post(path, headers=world.tokens[who], **kw)


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
