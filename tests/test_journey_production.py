"""The whole journey on the production parts: PostgreSQL, S3 (the Ceph RGW of ``var/rgw``) and
Celery workers on Redis — every part a real process, driven over HTTP exactly as CONTRACT §4
says, as a citizen and a reviewer would.

A citizen registers, starts the matter, uploads every file of a clean generated application
(read by a ``paoyici worker`` process), sees the verdict, submits; the reviewer (made with
``paoyici user add``) finds it in the queue, claims it, confirms what the machine was unsure of
and approves; the approval alone leads to ``issued``; the citizen downloads the certificate —
a signed PDF that ``paoyici verify`` accepts against the deployment's trust root — and asks for
pickup. The uploads and the certificate are objects in the S3 buckets.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.harness import (
    MATTER,
    PAOYICI,
    ApiClient,
    Deployment,
    Proc,
    Service,
    create_pg_database,
    drop_pg_database,
    files_settled,
    redis_purge,
    rgw_env,
    start_service,
    start_worker,
)
from jobs.review import DECIDABLE_STATES
from tests.conftest import _skip_or_fail

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.s3]

REVIEWER = ("journey-reviewer", "reviewer-pass-1")


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Deployment, Service]]:
    import psycopg
    import redis

    try:
        s3 = rgw_env()
    except Exception as e:
        _skip_or_fail(f"Ceph RGW not available: {e}")
    try:
        db_url = create_pg_database("paoyici_journey")
    except psycopg.OperationalError as e:
        _skip_or_fail(f"PostgreSQL not reachable: {e}")
    dep = Deployment.production(tmp_path_factory.mktemp("journey"), database_url=db_url, s3=s3)
    try:
        assert dep.broker_url
        redis.Redis.from_url(dep.broker_url, socket_connect_timeout=2).ping()
    except redis.RedisError as e:
        drop_pg_database(db_url)
        _skip_or_fail(f"Redis not reachable: {e}")
    svc: Service | None = None
    worker: Proc | None = None
    try:
        dep.cli("db", "upgrade")
        dep.add_staff(REVIEWER[0], REVIEWER[1], role="reviewer", name="王审核", matters=(MATTER,))
        svc = start_service(dep)
        worker = start_worker(dep, pool=2)
        yield dep, svc
    finally:
        if worker is not None:
            worker.stop()
        if svc is not None:
            svc.stop()
        assert dep.queue and dep.broker_url
        redis_purge(dep.broker_url, dep.queue)
        drop_pg_database(db_url)


def _application() -> Any:
    from synthdocs.applications import build_application

    return build_application(seed=4242, style="scan")


def test_citizen_to_certificate_on_postgres_s3_and_celery(
    production: tuple[Deployment, Service], tmp_path: Path
) -> None:
    dep, svc = production
    api = ApiClient(svc.base_url, timeout=120)
    generated = _application()

    # the citizen: register, start the matter, upload every material
    username = f"citizen-{uuid.uuid4().hex[:8]}"
    api.register(username, "citizen-pass-1", "张三")
    citizen = api.token(username, "citizen-pass-1")
    app = api.create_application(citizen, dict(generated.answers))
    assert app["state"] == "draft"
    for slot, name, data in generated.uploads:
        r = api.upload(citizen, app["id"], slot, name, data)
        assert r.status_code == 202, r.text
        assert r.json()["status"] in {"queued", "reading", "done"}
    read = api.wait_until(citizen, app["id"], files_settled, timeout=900, interval=0.5)
    assert all(f["status"] == "done" for f in read["files"]), read["files"]
    assert read["report"]["verdict"] in {"ready", "needs_review"}, read["report"]

    r = api.http.post(f"/api/applications/{app['id']}/submit", headers=citizen)
    assert r.status_code == 200, r.text

    # the reviewer: queue → claim → confirm the uncertain fields → approve
    reviewer = api.token(*REVIEWER)
    queue = api.http.get("/api/review/queue", headers=reviewer).json()
    assert app["id"] in [c["id"] for c in queue]
    assert api.http.post(f"/api/review/applications/{app['id']}/claim", headers=reviewer).is_success
    case = api.http.get(f"/api/review/applications/{app['id']}", headers=reviewer).json()
    for flag in case.get("flags", []):
        r = api.http.post(
            f"/api/review/applications/{app['id']}/fields",
            json={"file": flag["file"], "field": flag["field"], "action": "confirm"},
            headers=reviewer,
        )
        assert r.status_code == 200, r.text
        # each confirmation runs the rules again: the next waits for the pre-check to speak
        api.wait_until(
            citizen, app["id"], lambda a: a["state"] in DECIDABLE_STATES, timeout=300, interval=0.5
        )
    r = api.http.post(
        f"/api/review/applications/{app['id']}/decision",
        json={"decision": "approve", "reason": "材料齐全，准予办理"},
        headers=reviewer,
    )
    assert r.status_code == 200, r.text

    # nobody else acts: the issuing job signs and stores the certificate
    issued = api.wait_until(
        citizen, app["id"], lambda a: a["state"] == "issued", timeout=300, interval=0.5
    )
    assert issued["certificate"]["identifier"].startswith("1.2.156.3005.2")
    pdf = api.http.get(f"/api/applications/{app['id']}/certificate", headers=citizen)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"].startswith("application/pdf")
    cert = tmp_path / "certificate.pdf"
    cert.write_bytes(pdf.content)
    verdict = subprocess.run(
        [PAOYICI, "verify", str(cert), "--trust", str(dep.data_dir / "pki/root.pem"), "--json"],
        capture_output=True,
        text=True,
        env=dep.process_env(),
        timeout=120,
    )
    assert verdict.returncode == 0, verdict.stderr
    assert json.loads(verdict.stdout)["valid"] is True

    r = api.http.post(
        f"/api/applications/{app['id']}/delivery", json={"method": "pickup"}, headers=citizen
    )
    assert r.status_code == 201, r.text
    assert r.json()["pickup_code"]

    # the objects live in the S3 buckets, not on the service's disk
    assert not (dep.data_dir / "objects").exists()
    _assert_in_s3(dep, app["id"], len({d for _, _, d in generated.uploads}))
    api.close()


def _assert_in_s3(dep: Deployment, app_id: str, distinct_uploads: int) -> None:
    from storage import Bucket, StorageSettings, build_store

    env = dep.env
    settings = StorageSettings(
        backend="s3",
        s3_endpoint=env["PAOYICI_STORAGE_S3_ENDPOINT"],
        s3_ca_file=Path(env["PAOYICI_STORAGE_S3_CA_FILE"]),
        s3_access_key=env["PAOYICI_STORAGE_S3_ACCESS_KEY"],
        s3_secret_key=env["PAOYICI_STORAGE_S3_SECRET_KEY"],  # type: ignore[arg-type]
        bucket_prefix=env["PAOYICI_STORAGE_BUCKET_PREFIX"],
    )
    store = build_store(settings, data_dir=dep.data_dir)
    try:
        uploads = list(store.list(kind=Bucket.UPLOADS, prefix=f"{app_id}/"))
        assert len(uploads) == distinct_uploads
        assert list(store.list(kind=Bucket.CERTIFICATES))
    finally:
        store.close()
