"""PostgreSQL restarted under load (a private cluster: the shared server is never touched).

Citizens keep creating applications, uploading and reading while the database goes down and
comes back. Every answer is a success or a 503 with a Chinese message (never a 500); whatever
was answered as accepted is there afterwards, read to an end; the service recovers by itself
(no restart of the app) and ``fsck`` is clean."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from cases.models import Application, Job, Upload
from jobs.applications import pending_removals
from jobs.fsck import fsck
from tests.api.conftest import PrivatePostgres
from tests.api.service_fixtures import Running, running_service

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def svc(tmp_path: Path, private_postgres: PrivatePostgres, pipeline: Any) -> Iterator[Running]:
    yield from running_service(tmp_path / "data", pipeline, database_url=private_postgres.url)


def _png(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (n % 256, (n // 256) % 256, 90)).save(out, format="PNG")
    return out.getvalue()


def test_postgres_restarted_under_load_loses_nothing_and_answers_503(
    svc: Running, private_postgres: PrivatePostgres
) -> None:
    auth = svc.citizen("pg-fault-citizen")
    created: list[str] = []
    uploaded: list[int] = []
    answers: list[tuple[str, int, dict[str, Any]]] = []
    stop = threading.Event()
    lock = threading.Lock()

    def citizen(worker: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            r = svc.client.post(
                "/api/applications",
                json={"matter": "second-hand-house-transfer", "answers": {}},
                headers=auth,
            )
            with lock:
                answers.append(("create", r.status_code, r.json()))
            if r.status_code == 500:
                return
            if r.status_code != 201:
                time.sleep(0.1)
                continue
            app_id = r.json()["id"]
            with lock:
                created.append(app_id)
            for route, call in (
                (
                    "read",
                    lambda app_id=app_id: svc.client.get(
                        f"/api/applications/{app_id}", headers=auth
                    ),
                ),
                (
                    "upload",
                    lambda app_id=app_id, n=n: svc.client.post(
                        f"/api/applications/{app_id}/files",
                        data={"slot": "seller_id_card"},
                        files={"file": ("a.png", _png(worker * 10_000 + n), "image/png")},
                        headers=auth,
                    ),
                ),
                ("list", lambda: svc.client.get("/api/applications", headers=auth)),
            ):
                try:
                    r = call()
                except Exception as e:  # a 500 raised through the test client
                    with lock:
                        answers.append((route, 500, {"error": repr(e)}))
                    return
                with lock:
                    answers.append((route, r.status_code, r.json()))
                    if route == "upload" and r.status_code == 202:
                        uploaded.append(int(r.json()["id"]))

    def guarded(worker: int) -> None:
        try:
            citizen(worker)
        except Exception as e:
            with lock:
                answers.append(("create", 500, {"error": repr(e)}))

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    try:
        time.sleep(2)
        private_postgres.stop()
        time.sleep(3)
        private_postgres.start()
        time.sleep(3)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)

    statuses = {(route, status) for route, status, _ in answers}
    assert all(s in (200, 201, 202, 503) for _, s in statuses), [
        a for a in answers if a[1] not in (200, 201, 202, 503)
    ][:3]
    refused = [body for _, status, body in answers if status == 503]
    assert refused, "the outage was never seen"
    assert all(b["error"] and "\u4e00" <= b["message"][0] <= "\u9fff" for b in refused), refused
    # recovered by itself: the same app, no restart
    deadline = time.monotonic() + 30
    while True:
        r = svc.client.post(
            "/api/applications",
            json={"matter": "second-hand-house-transfer", "answers": {}},
            headers=auth,
        )
        if r.status_code == 201 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert r.status_code == 201, r.text
    svc.settle(timeout=240)
    with svc.services.sessions() as s:
        for app_id in created:
            assert s.get(Application, app_id) is not None, app_id
        for upload_id in uploaded:
            row = s.get(Upload, upload_id)
            assert row is not None and row.status in ("done", "failed"), (upload_id, row)
        unfinished = s.scalar(
            select(func.count()).select_from(Job).where(Job.state.notin_(("done", "failed")))
        )
        assert unfinished == 0
        states = set(s.scalars(select(Application.state)))
        assert states <= {"draft", "prechecking", "needs_fix", "needs_review", "ready"}, states
        assert "prechecking" not in states  # every read ended in a verdict
    # an upload the database refused leaves its object for a background removal, done once
    # the database answers again
    deadline = time.monotonic() + 60
    while pending_removals() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert pending_removals() == 0
    report = fsck(svc.services.sessions, svc.services.store)
    assert report.ok, report.problems
    assert len(uploaded) > 0 and len(created) > 0
