"""The whole journey on embedded defaults (``paoyici serve``: SQLite, local objects, in-process
jobs, the test PKI signing at B-LT against the service's own TSA/OCSP), over HTTP exactly as an
outside client drives CONTRACT §4: a citizen applies and uploads, a second citizen sees
nothing of it, a reviewer approves, the certificate issues itself, verifies, and is picked up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.harness import MATTER, ApiClient, Deployment, files_settled, free_port, start_service
from synthdocs.applications import build_application

pytestmark = pytest.mark.slow


def test_a_citizen_applies_a_reviewer_approves_the_certificate_issues_itself(
    tmp_path: Path,
) -> None:
    port = free_port()
    dep = Deployment.embedded(tmp_path / "data", PAOYICI_PUBLIC_BASE_URL=f"http://127.0.0.1:{port}")
    dep.data_dir.mkdir(parents=True)
    dep.add_staff("reviewer1", "reviewer-pass-1", role="reviewer", name="审核员", matters=(MATTER,))
    synthetic = build_application(seed=700)
    svc = start_service(dep, port=port)
    api = ApiClient(svc.base_url, timeout=120)
    http = api.http
    try:
        citizen = api.citizen("journey-citizen")
        other = api.citizen("journey-other")
        reviewer = api.token("reviewer1", "reviewer-pass-1")

        checklist = http.post(f"/api/matters/{MATTER}/checklist", json={"answers": {}}).json()
        needed = {i["slot"] for i in checklist["items"] if i["provided_by"] == "upload"}
        assert needed == {f.slot for f in synthetic.files}

        app = api.create_application(citizen)
        app_id = app["id"]
        for slot, name, data in synthetic.uploads:
            r = api.upload(citizen, app_id, slot, name, data)
            assert r.status_code == 202, r.text
        got = api.wait_until(citizen, app_id, files_settled, timeout=900, interval=0.5)
        assert got["report"]["verdict"] in ("ready", "needs_review"), got["report"]["findings"]
        assert got["state"] == got["report"]["verdict"]
        assert all(f["status"] == "done" and f["doc_type"] for f in got["files"])

        assert http.get(f"/api/applications/{app_id}", headers=other).status_code == 404
        assert http.get("/api/applications", headers=other).json() == []

        r = http.post(f"/api/applications/{app_id}/submit", headers=citizen)
        assert r.status_code == 200, r.text
        assert r.json()["submitted_at"] and r.json()["due_at"]

        queue = http.get("/api/review/queue", headers=reviewer).json()
        assert app_id in [q["id"] for q in queue]
        assert (
            http.post(f"/api/review/applications/{app_id}/claim", headers=reviewer).status_code
            == 200
        )
        r = http.post(
            f"/api/review/applications/{app_id}/decision",
            json={"decision": "approve", "reason": "材料齐全"},
            headers=reviewer,
        )
        assert r.status_code == 200, r.text

        issued = api.wait_until(
            citizen, app_id, lambda a: a["state"] == "issued", timeout=300, interval=0.5
        )
        ident = issued["certificate"]["identifier"]
        assert issued["certificate"]["status"] == "valid"
        pdf = http.get(f"/api/applications/{app_id}/certificate", headers=citizen)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert http.get(f"/api/applications/{app_id}/certificate", headers=other).status_code == 404

        check = http.post("/verify", files={"file": ("c.pdf", pdf.content, "application/pdf")})
        assert check.status_code == 200, check.text
        verdict = check.json()
        assert verdict["intact"] and verdict["trusted"] and verdict["status"] == "valid"
        assert verdict["identifier"] == ident and verdict["level"] in ("B-LT", "B-LTA")

        pickup = http.post(
            f"/api/applications/{app_id}/delivery", json={"method": "pickup"}, headers=citizen
        )
        assert pickup.status_code == 201, pickup.text
        assert pickup.json()["method"] == "pickup"
        final = api.application(citizen, app_id)
        assert final["delivery"]["method"] == "pickup"
    finally:
        svc.stop()
        api.close()
