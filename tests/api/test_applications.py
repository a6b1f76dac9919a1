"""The citizen routes of CONTRACT §4 on embedded defaults with real OCR and real signing."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from cases import State, move, transaction
from cases.models import Application, AuditEvent, CachedDocument, Job, Upload
from jobs.issuing import issue_certificate
from storage import Bucket
from synthdocs.applications import build_application
from tests.api.service_fixtures import Running, running_service

MATTER = "second-hand-house-transfer"


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Iterator[Running]:
    yield from running_service(tmp_path_factory.mktemp("svc"), pipeline)


@pytest.fixture(scope="module")
def synthetic() -> Any:
    return build_application(seed=700)


def _file(synthetic: Any, slot: str) -> tuple[str, bytes]:
    f = next(f for f in synthetic.files if f.slot == slot)
    return f.filename, f.data


def _upload(svc: Running, auth: dict[str, str], app_id: str, slot: str, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return svc.client.post(
        f"/api/applications/{app_id}/files",
        data={"slot": slot},
        files={"file": (name, data, "application/octet-stream")},
        headers=auth,
    )


def test_matters_and_checklists_are_public(svc: Running) -> None:
    matters = svc.client.get("/api/matters").json()
    assert MATTER in [m["id"] for m in matters] and all(m["name"] for m in matters)
    m = svc.client.get(f"/api/matters/{MATTER}").json()
    assert {q["id"] for q in m["questions"]} >= {"seller_married", "via_agent"}
    assert "seller_id_card" in [s["id"] for s in m["slots"]]
    plain = svc.client.post(f"/api/matters/{MATTER}/checklist", json={"answers": {}}).json()
    married = svc.client.post(
        f"/api/matters/{MATTER}/checklist", json={"answers": {"seller_married": True}}
    ).json()
    slots = {i["slot"] for i in married["items"]} - {i["slot"] for i in plain["items"]}
    assert "seller_marriage_certificate" in slots
    assert svc.client.get("/api/matters/no-such-matter").status_code == 404
    bad = svc.client.post(f"/api/matters/{MATTER}/checklist", json={"answers": {"nope": True}})
    assert bad.status_code == 422 and bad.json()["message"]


def test_create_list_and_get_are_the_owners_alone(svc: Running) -> None:
    alice, bob = svc.citizen("alice"), svc.citizen("bob")
    first = svc.new_application(alice)
    assert first["state"] == "draft" and first["matter"] == MATTER
    assert first["files"] == [] and first["report"] is None and first["certificate"] is None
    assert {i["slot"] for i in first["checklist"]} >= {"seller_id_card", "sale_contract"}
    second = svc.new_application(alice, seller_married=True)
    assert second["answers"]["seller_married"] is True
    mine = svc.client.get("/api/applications", headers=alice).json()
    assert [a["id"] for a in mine][:2] == [second["id"], first["id"]]
    assert svc.client.get("/api/applications", headers=bob).json() == []
    for path, method in (
        ("", "GET"),
        ("/submit", "POST"),
        ("/certificate", "GET"),
        ("/events", "GET"),
        ("/files/1", "DELETE"),
    ):
        r = svc.client.request(method, f"/api/applications/{first['id']}{path}", headers=bob)
        missing = svc.client.request(method, f"/api/applications/nope{path}", headers=bob)
        assert r.status_code == 404 and r.json()["error"] == "not_found", (path, r.text)
        assert missing.json() == r.json()
    unknown = svc.client.post(
        "/api/applications", json={"matter": "no-such-matter", "answers": {}}, headers=alice
    )
    assert unknown.status_code == 404
    assert svc.client.get("/api/applications").status_code == 401


def test_an_upload_is_read_checked_and_cached_by_content(svc: Running, synthetic: Any) -> None:
    carol = svc.citizen("carol")
    app = svc.new_application(carol)
    name, data = _file(synthetic, "seller_id_card")
    r = _upload(svc, carol, app["id"], "seller_id_card", name, data)
    assert r.status_code == 202, r.text
    f = r.json()
    assert f["status"] in ("queued", "reading", "done") and f["size"] == len(data)
    assert f["filename"] == name and f["source"] == "upload" and len(f["sha256"]) == 64
    svc.settle()
    got = svc.client.get(f"/api/applications/{app['id']}", headers=carol).json()
    [read] = got["files"]
    assert read["status"] == "done" and read["doc_type"] in ("id_card_front", "id_card_back")
    assert got["report"]["verdict"] == "needs_fix"
    assert got["state"] == "needs_fix"
    codes = {x["code"] for x in got["report"]["findings"]}
    assert "missing_material" in codes
    # ID numbers never leave the service whole in a report
    assert "*" in json.dumps(got["report"]["documents"], ensure_ascii=False)
    for person in synthetic.sellers:
        assert person.id_number not in json.dumps(got, ensure_ascii=False)
    reads = len(svc.reads)
    assert reads >= 1
    submit = svc.client.post(f"/api/applications/{app['id']}/submit", headers=carol)
    assert submit.status_code == 409 and submit.json()["error"] == "not_submittable"

    # the same bytes again in the same slot: the same file, nothing read
    again = _upload(svc, carol, app["id"], "seller_id_card", name, data)
    assert again.status_code == 202 and again.json()["id"] == read["id"]
    # ... and in another citizen's application: a new file, read from the cache
    dave = svc.citizen("dave")
    other = svc.new_application(dave)
    assert _upload(svc, dave, other["id"], "seller_id_card", name, data).status_code == 202
    svc.settle()
    theirs = svc.client.get(f"/api/applications/{other['id']}", headers=dave).json()
    assert theirs["files"][0]["doc_type"] == read["doc_type"]
    assert len(svc.reads) == reads
    with svc.services.sessions() as s:
        assert s.scalar(select(func.count()).select_from(CachedDocument)) >= 1

    # removing the file: gone, its object gone, the case checked again
    file_id = read["id"]
    key = f"{app['id']}/{read['sha256']}"
    assert svc.services.store.exists(kind=Bucket.UPLOADS, key=key)
    d = svc.client.delete(f"/api/applications/{app['id']}/files/{file_id}", headers=carol)
    assert d.status_code == 204
    svc.settle()
    after = svc.client.get(f"/api/applications/{app['id']}", headers=carol).json()
    assert after["files"] == [] and after["state"] == "needs_fix"
    assert not svc.services.store.exists(kind=Bucket.UPLOADS, key=key)
    # the other application's copy of the same content is untouched
    assert theirs["files"][0]["status"] == "done"
    gone = svc.client.delete(f"/api/applications/{app['id']}/files/{file_id}", headers=carol)
    assert gone.status_code == 404


def _heic(data: bytes) -> bytes:
    import pillow_heif
    from PIL import Image

    img = Image.open(io.BytesIO(data)).convert("RGB")
    heif = pillow_heif.from_pillow(img)
    out = io.BytesIO()
    heif.save(out, quality=90)
    return out.getvalue()


def test_a_heic_phone_photo_is_accepted_as_a_jpeg(svc: Running) -> None:
    from PIL import Image

    erin = svc.citizen("erin")
    app = svc.new_application(erin)
    png = io.BytesIO()
    Image.new("RGB", (640, 400), "white").save(png, format="PNG")
    heic = _heic(png.getvalue())
    assert heic[4:12] == b"ftypheic"
    r = _upload(svc, erin, app["id"], "sale_contract", "IMG_0001.HEIC", heic)
    assert r.status_code == 202, r.text
    with svc.services.sessions() as s:
        row = s.scalar(select(Upload).where(Upload.application_id == app["id"]))
        assert row is not None and row.content_type == "image/jpeg"
        stored = svc.services.store.get_bytes(kind=Bucket.UPLOADS, key=row.object_key)
    assert stored[:3] == b"\xff\xd8\xff"
    assert Image.open(io.BytesIO(stored)).size == (640, 400)
    svc.settle()


def _force_approved(svc: Running, application_id: str) -> None:
    """What a reviewer's approval leaves behind (REVIEW's routes do this over HTTP)."""
    with transaction(svc.services.sessions) as s:
        a = s.get(Application, application_id)
        assert a is not None
        for state in (State.PRECHECKING, State.READY, State.APPROVED):
            move(s, a, state, actor="reviewer", role="reviewer")


def test_an_approved_case_gets_a_certificate_and_a_pickup_code(svc: Running) -> None:
    frank = svc.citizen("frank")
    app = svc.new_application(frank)
    early = svc.client.get(f"/api/applications/{app['id']}/certificate", headers=frank)
    assert early.status_code == 404 and early.json()["error"] == "not_found"
    before = svc.client.post(
        f"/api/applications/{app['id']}/delivery", json={"method": "pickup"}, headers=frank
    )
    assert before.status_code == 409 and before.json()["error"] == "delivery_not_allowed"

    _force_approved(svc, app["id"])
    issue_certificate(svc.services.job_context, application_id=app["id"])
    issue_certificate(svc.services.job_context, application_id=app["id"])  # idempotent
    got = svc.client.get(f"/api/applications/{app['id']}", headers=frank).json()
    assert got["state"] == "issued"
    ident = got["certificate"]["identifier"]
    assert ident.startswith("1.2.156.3005.2.") and got["certificate"]["status"] == "valid"
    assert got["certificate"]["verify_url"].endswith(f"/verify/{ident}")

    pdf = svc.client.get(f"/api/applications/{app['id']}/certificate", headers=frank)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    verdict = svc.services.signing.verifier.verify_pdf(pdf.content)
    assert verdict.verified and verdict.identifier == ident
    with svc.services.sessions() as s:
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_id == app["id"])
        ).all()
    assert "certificate.downloaded" in actions and actions.count("certificate.serial_reserved") == 1

    pick = svc.client.post(
        f"/api/applications/{app['id']}/delivery", json={"method": "pickup"}, headers=frank
    )
    assert pick.status_code == 201, pick.text
    body = pick.json()
    assert body["method"] == "pickup" and len(body["pickup_code"]) == 8
    twice = svc.client.post(
        f"/api/applications/{app['id']}/delivery", json={"method": "pickup"}, headers=frank
    )
    assert twice.status_code == 409 and twice.json()["error"] == "delivery_exists"
    shown = svc.client.get(f"/api/applications/{app['id']}", headers=frank).json()
    assert shown["delivery"]["pickup_code"] == body["pickup_code"]

    # serials come from a counter: the next certificate's is the next number
    grace = svc.citizen("grace")
    app2 = svc.new_application(grace)
    _force_approved(svc, app2["id"])
    issue_certificate(svc.services.job_context, application_id=app2["id"])
    ident2 = svc.client.get(f"/api/applications/{app2['id']}", headers=grace).json()["certificate"][
        "identifier"
    ]
    assert int(ident2.split(".")[-3]) == int(ident.split(".")[-3]) + 1


def test_events_stream_the_state_as_it_changes(svc: Running, synthetic: Any) -> None:
    heidi = svc.citizen("heidi")
    app = svc.new_application(heidi)
    name, data = _file(synthetic, "sale_contract")

    def upload_soon() -> None:
        import time

        time.sleep(0.5)
        _upload(svc, heidi, app["id"], "sale_contract", name, data)

    t = threading.Thread(target=upload_soon)
    t.start()
    states: list[str] = []
    with svc.client.stream("GET", f"/api/applications/{app['id']}/events", headers=heidi) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                states.append(json.loads(line[6:])["state"])
    t.join()
    assert states[0] == "draft"
    assert "prechecking" in states[1:] or "needs_fix" in states[1:]
    svc.settle()


def test_jobs_are_written_with_the_change_that_needs_them(svc: Running, synthetic: Any) -> None:
    ivan = svc.citizen("ivan")
    app = svc.new_application(ivan)
    name, data = _file(synthetic, "property_certificate")
    with svc.services.sessions() as s:
        before = s.scalar(select(func.count()).select_from(Job))
    assert _upload(svc, ivan, app["id"], "property_certificate", name, data).status_code == 202
    svc.settle()
    with svc.services.sessions() as s:
        jobs = s.execute(select(Job.name, Job.state).where(Job.id > (before or 0))).all()
    names = [n for n, _ in jobs]
    assert names.count("read_upload") == 1 and "precheck_application" in names
    assert all(state == "done" for _, state in jobs)


def test_a_file_the_service_cannot_read_is_failed_not_stuck_and_can_be_sent_again(
    svc: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    judy = svc.citizen("judy")
    app = svc.new_application(judy)
    png = io.BytesIO()
    Image.new("RGB", (500, 320), (250, 250, 245)).save(png, format="PNG")
    reader = svc.services.job_context.reader

    def broken(_data: bytes, **_kw: Any) -> Any:
        raise RuntimeError("the OCR engine crashed")

    monkeypatch.setattr(reader, "read", broken)
    monkeypatch.setattr(svc.services.job_context.jobs, "max_attempts", 2)
    r = _upload(svc, judy, app["id"], "sale_contract", "blank.png", png.getvalue())
    assert r.status_code == 202
    svc.settle()
    got = svc.client.get(f"/api/applications/{app['id']}", headers=judy).json()
    [f] = got["files"]
    assert f["status"] == "failed" and f["error"] == "read_failed"
    assert got["state"] == "needs_fix"
    assert "unreadable" in {x["code"] for x in got["report"]["findings"]}
    with svc.services.sessions() as s:
        failed = s.scalars(select(Job).where(Job.state == "failed")).all()
        assert [j.name for j in failed] == ["read_upload"] and failed[0].attempts == 2

    monkeypatch.undo()
    again = _upload(svc, judy, app["id"], "sale_contract", "blank.png", png.getvalue())
    assert again.status_code == 202 and again.json()["id"] == f["id"]
    svc.settle()
    after = svc.client.get(f"/api/applications/{app['id']}", headers=judy).json()
    assert after["files"][0]["status"] == "done" and after["files"][0]["error"] is None
