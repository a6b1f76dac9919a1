"""The in-process path on embedded defaults: ``paoyici serve`` SIGKILLed while it reads the
uploads loses none of them; started again, it finishes every one (jobs from the outbox).

Also, on the same real server: an upload body over the limit is refused while it streams in.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bench.harness import ApiClient, Deployment, files_settled, free_port, start_service
from cases.models import Job, Upload
from synthdocs.applications import build_application

pytestmark = pytest.mark.slow

FAST = {
    "PAOYICI_JOBS_LEASE_S": "3",
    "PAOYICI_JOBS_POLL_S": "0.5",
    "PAOYICI_JOBS_WORKERS": "1",
    "PAOYICI_MAX_UPLOAD_MB": "2",
}


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    port = free_port()
    dep = Deployment.embedded(
        tmp_path / "data", PAOYICI_PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", **FAST
    )
    dep.info = {"port": port}  # type: ignore[attr-defined]
    yield dep


def _jobs(data_dir: Path) -> list[tuple[str, str, int]]:
    engine = create_engine(f"sqlite:///{data_dir / 'paoyici.db'}")
    try:
        with Session(engine) as s:
            return [(j.name, j.state, j.attempts) for j in s.scalars(select(Job).order_by(Job.id))]
    finally:
        engine.dispose()


def _uploads(data_dir: Path) -> list[str]:
    engine = create_engine(f"sqlite:///{data_dir / 'paoyici.db'}")
    try:
        with Session(engine) as s:
            return list(s.scalars(select(Upload.status).order_by(Upload.id)))
    finally:
        engine.dispose()


def test_killed_mid_read_the_service_finishes_every_upload_after_restart(
    deployment: Deployment,
) -> None:
    port = deployment.info["port"]  # type: ignore[attr-defined]
    synthetic = build_application(seed=701)
    svc = start_service(deployment, port=port)
    api = ApiClient(svc.base_url)
    try:
        auth = api.citizen()
        app = api.create_application(auth)
        for slot, name, data in synthetic.uploads:
            r = api.upload(auth, app["id"], slot, name, data)
            assert r.status_code == 202, r.text
        # wait until a file is being read, then kill the whole process group
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            statuses = [f["status"] for f in api.application(auth, app["id"])["files"]]
            if "reading" in statuses:
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"no file was ever being read: {statuses}")
    finally:
        svc.kill()
        api.close()
    left = _uploads(deployment.data_dir)
    assert len(left) == len(synthetic.uploads)  # every accepted upload is there
    assert any(s in ("queued", "reading") for s in left), left  # ... and some were unfinished

    svc = start_service(deployment, port=port)
    api = ApiClient(svc.base_url)
    try:
        done = api.wait_until(auth, app["id"], files_settled, timeout=600, interval=0.5)
    finally:
        svc.stop()
        api.close()
    assert [f["status"] for f in done["files"]] == ["done"] * len(synthetic.uploads)
    assert done["report"]["verdict"] in ("ready", "needs_review", "needs_fix")
    assert done["state"] == done["report"]["verdict"]
    jobs = _jobs(deployment.data_dir)
    reads = [j for j in jobs if j[0] == "read_upload"]
    assert len(reads) == len(synthetic.uploads)
    assert all(state == "done" for _, state, _ in jobs), jobs
    assert any(attempts >= 2 for _, _, attempts in reads), reads  # the killed read ran again


def test_an_oversized_body_is_refused_before_it_is_all_sent(deployment: Deployment) -> None:
    port = deployment.info["port"]  # type: ignore[attr-defined]
    svc = start_service(deployment, port=port)
    api = ApiClient(svc.base_url)
    try:
        auth = api.citizen()
        app = api.create_application(auth)
        sent = 0

        def body() -> Iterator[bytes]:
            nonlocal sent
            yield (
                b'--b\r\nContent-Disposition: form-data; name="slot"\r\n\r\nseller_id_card\r\n'
                b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
                b"Content-Type: image/jpeg\r\n\r\n"
            )
            for _ in range(400):  # 50 MB, no Content-Length
                sent += 1
                yield b"\xff" * (128 * 1024)
                time.sleep(0.002)
            yield b"\r\n--b--\r\n"

        try:
            r = httpx.post(
                f"{svc.base_url}/api/applications/{app['id']}/files",
                content=body(),
                headers={**auth, "Content-Type": "multipart/form-data; boundary=b"},
                timeout=60,
            )
            assert r.status_code == 413 and r.json()["error"] == "too_large"
        except httpx.HTTPError:
            pass  # the server may close the connection once it has answered
        assert sent < 400
        assert api.application(auth, app["id"])["files"] == []
    finally:
        svc.stop()
        api.close()
