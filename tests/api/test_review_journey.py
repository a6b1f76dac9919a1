"""A reviewer's part of the journey on real OCR: a citizen's submitted case in the queue, its
fields with crops cut from the stored uploads at the boxes the reader found, a confirmation that
re-runs the rules, an approval that ends in an issued certificate."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from cases import accounts, transaction
from synthdocs.applications import build_application
from tests.api.service_fixtures import Running, running_service

MATTER = "second-hand-house-transfer"


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Iterator[Running]:
    yield from running_service(tmp_path_factory.mktemp("review-journey"), pipeline)


def _login(svc: Running, username: str, password: str) -> dict[str, str]:
    r = svc.client.post("/api/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.mark.slow
def test_a_reviewer_works_a_real_case_to_its_certificate(svc: Running) -> None:
    with transaction(svc.services.sessions) as s:
        accounts.create_user(
            s, username="li-reviewer", password="review-pass-1", role="reviewer", matters=[MATTER]
        )
    reviewer = _login(svc, "li-reviewer", "review-pass-1")
    citizen = svc.citizen("wang-citizen")
    synthetic = build_application(seed=1107)
    app = svc.new_application(citizen, **dict(synthetic.answers))
    for f in synthetic.files:
        r = svc.client.post(
            f"/api/applications/{app['id']}/files",
            data={"slot": f.slot},
            files={"file": (f.filename, f.data, "application/octet-stream")},
            headers=citizen,
        )
        assert r.status_code == 202, r.text
    svc.settle()
    case = svc.client.get(f"/api/applications/{app['id']}", headers=citizen).json()
    assert case["report"]["verdict"] in ("ready", "needs_review"), case["report"]["findings"]
    r = svc.client.post(f"/api/applications/{app['id']}/submit", headers=citizen)
    assert r.status_code == 200, r.text

    queue = svc.client.get("/api/review/queue", headers=reviewer).json()
    [item] = [i for i in queue if i["id"] == app["id"]]
    assert item["submitted_at"] and item["assignee"] is None

    path = f"/api/review/applications/{app['id']}"
    assert svc.client.post(f"{path}/claim", headers=reviewer).status_code == 200
    view = svc.client.get(path, headers=reviewer).json()
    assert view["id"] == app["id"] and isinstance(view["flags"], list)
    # every field the reader placed can be shown beside its image: the seller's ID number
    files = {f["id"]: f for f in view["files"]}
    docs = view["report"]["documents"]
    card = next(d for d in docs if d["doc_type"] == "id_card_front")
    file_id = card.get("file_id") or view["files"][card["file"]]["id"]
    assert file_id in files
    box = card["fields"]["id_number"]["box"]
    crop = svc.client.get(
        f"{path}/files/{file_id}/crop", params={"field": "id_number"}, headers=reviewer
    )
    assert crop.status_code == 200 and crop.headers["content-type"] == "image/png"
    assert "no-store" in crop.headers["cache-control"]
    w, h = Image.open(io.BytesIO(crop.content)).size
    assert w >= box[2] - box[0] and h >= box[3] - box[1]
    for flag in view["flags"]:
        if flag["crop_url"]:
            assert svc.client.get(flag["crop_url"], headers=reviewer).status_code == 200

    # confirming a field runs the rules again; the case comes back to the reviewer
    r = svc.client.post(
        f"{path}/fields",
        json={"file": file_id, "field": "id_number", "action": "confirm"},
        headers=reviewer,
    )
    assert r.status_code == 200, r.text
    svc.settle()
    after = svc.client.get(path, headers=reviewer).json()
    assert after["state"] in ("ready", "needs_review"), after["report"]["findings"]
    assert not [f for f in after["flags"] if f["file"] == file_id and f["field"] == "id_number"]

    r = svc.client.post(f"{path}/decision", json={"decision": "approve"}, headers=reviewer)
    assert r.status_code == 200, r.text
    svc.settle()
    done = svc.client.get(f"/api/applications/{app['id']}", headers=citizen).json()
    assert done["state"] == "issued"
    assert done["certificate"]["identifier"].startswith("1.2.156.3005.2.")
    history = svc.client.get(f"{path}/audit", headers=reviewer).json()
    actions = [e["action"] for e in history]
    assert "application.claimed" in actions and "application.field_confirmed" in actions
