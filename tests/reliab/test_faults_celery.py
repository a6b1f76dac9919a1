"""Faults of the distributed mode, with real ``paoyici serve`` and ``paoyici worker``
processes on PostgreSQL and a PRIVATE redis-server (the shared one is never touched):

- Redis restarted with jobs in flight: uploads taken while it is down still answer 202 (the
  outbox holds them), and every one is read once Redis is back, by the reconciler;
- a worker SIGKILLed mid-signing: another finishes the certificate, which is issued once.

Each ends with every accepted upload read, one certificate per approval and ``fsck`` clean.
(A worker killed mid-OCR: tests/jobs/test_celery.py.)"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bench.harness import (
    ApiClient,
    Deployment,
    Proc,
    Service,
    files_settled,
    free_port,
    start_service,
    start_worker,
)
from bench.service_load import seed_review_queue, user_id
from tests.api.test_cli import run_cli
from tests.jobs.conftest import FAST_RECOVERY
from tests.jobs.test_celery import _jobs

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


class PrivateRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="paoyici-redis-"))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.dir), "--save", "", "--appendonly", "no"],  # a restart loses all
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                assert time.monotonic() < deadline, "private redis did not start"
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not installed")
    r = PrivateRedis()
    r.start()
    yield r
    r.stop()
    shutil.rmtree(r.dir, ignore_errors=True)


@pytest.fixture
def deployment(
    private_redis: PrivateRedis, fresh_postgres: str, tmp_path: Path
) -> Iterator[Deployment]:
    dep = Deployment.production(
        tmp_path / "data", database_url=fresh_postgres, broker_url=private_redis.url,
        PAOYICI_SIGNING_LEVEL="B-LT", **FAST_RECOVERY,
    )  # fmt: skip
    dep.data_dir.mkdir(parents=True)
    dep.cli("db", "upgrade")
    yield dep


@pytest.fixture
def service(deployment: Deployment) -> Iterator[Service]:
    svc = start_service(deployment)
    yield svc
    svc.stop()


@pytest.fixture
def workers(deployment: Deployment) -> Iterator[Callable[..., Proc]]:
    started: list[Proc] = []

    def start(**env: str) -> Proc:
        proc = start_worker(deployment, pool=1, **env)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.kill()


def _png(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (n * 37 % 256, n * 91 % 256, 60)).save(out, format="PNG")
    return out.getvalue()


def _fsck(dep: Deployment) -> dict[str, Any]:
    r = run_cli("fsck", "--json", "--grace-s", "0", cwd=dep.data_dir, **dep.process_env())
    assert r.returncode in (0, 1), r.stderr
    out: dict[str, Any] = json.loads(r.stdout)
    return out


def test_redis_restarted_with_jobs_in_flight_loses_no_upload(
    deployment: Deployment, service: Service, workers: Any, private_redis: PrivateRedis
) -> None:
    workers()
    api = ApiClient(service.base_url)
    auth = api.citizen()
    apps = [api.create_application(auth)["id"] for _ in range(3)]
    accepted: list[str] = []
    for i, app_id in enumerate(apps[:2]):
        assert api.upload(auth, app_id, "seller_id_card", "a.png", _png(i)).status_code == 202
        accepted.append(app_id)
    private_redis.stop()  # jobs in flight: queued in Redis, or running on the worker
    r = api.upload(auth, apps[2], "seller_id_card", "b.png", _png(7))
    assert r.status_code == 202, r.text  # the outbox row is the promise, not the message
    accepted.append(apps[2])
    assert api.http.get(f"/api/applications/{apps[2]}", headers=auth).status_code == 200
    time.sleep(3)
    private_redis.start()  # empty: whatever was queued in it is gone
    for app_id in accepted:
        done = api.wait_until(auth, app_id, files_settled, timeout=240)
        assert all(f["status"] in ("done", "failed") for f in done["files"]), done["files"]
    jobs = _jobs(deployment)
    reads = [j for j in jobs if j["name"] == "read_upload"]
    assert len(reads) == 3 and all(j["state"] == "done" for j in reads), reads
    assert all(j["state"] in ("done", "failed") for j in jobs), jobs
    report = _fsck(deployment)
    assert report["ok"], report["problems"]
    api.close()


def test_a_worker_killed_mid_signing_issues_the_certificate_once(
    deployment: Deployment, service: Service, workers: Any
) -> None:
    first = workers()
    deployment.add_staff(
        "kill-reviewer", "kill-reviewer-pass", role="reviewer", name="审核员",
        matters=("second-hand-house-transfer",),
    )  # fmt: skip
    api = ApiClient(service.base_url)
    citizen = api.citizen()
    seed_review_queue(deployment, [user_id(api, citizen)], 1)
    reviewer = api.token("kill-reviewer", "kill-reviewer-pass")
    case = api.http.get("/api/review/queue", headers=reviewer).json()[0]["id"]
    assert api.http.post(f"/api/review/applications/{case}/claim", headers=reviewer).is_success
    r = api.http.post(
        f"/api/review/applications/{case}/decision", json={"decision": "approve"}, headers=reviewer
    )
    assert r.status_code == 200, r.text

    def issuing() -> list[dict[str, Any]]:
        return [j for j in _jobs(deployment) if j["name"] == "issue_certificate"]

    deadline = time.monotonic() + 120
    while not any(j["state"] == "running" for j in issuing()):
        assert time.monotonic() < deadline, first.tail()
        time.sleep(0.01)
    first.kill()  # SIGKILL while rendering / signing / timestamping
    (job,) = issuing()
    if job["state"] == "done":
        pytest.skip("the certificate was signed before the kill landed (too fast to interrupt)")
    assert api.application(citizen, case)["state"] == "approved"

    workers()
    deadline = time.monotonic() + 240
    while (state := api.application(citizen, case)["state"]) != "issued":
        assert time.monotonic() < deadline, state
        time.sleep(0.5)
    (job,) = issuing()
    assert job["state"] == "done" and job["attempts"] == 2, job
    from sqlalchemy import create_engine, text

    engine = create_engine(str(deployment.database_url))
    with engine.connect() as conn:
        certs = conn.execute(
            text("SELECT count(*) FROM certificates WHERE application_id = :a"), {"a": case}
        ).scalar()
    engine.dispose()
    assert certs == 1
    pdf = api.http.get(f"/api/applications/{case}/certificate", headers=citizen)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    report = _fsck(deployment)
    assert report["ok"], report["problems"]
    api.close()
