"""Real processes of a deployment, for the service benchmarks and the process-level tests.

A :class:`Deployment` is the environment one service and its workers share: a data folder and
either the embedded defaults (SQLite, local objects, in-process jobs) or the production parts
(PostgreSQL, S3 on the Ceph RGW of ``var/rgw``, Celery on Redis). Processes are the real entry
points (``paoyici serve``, ``paoyici worker``, ``paoyici user add``) started as subprocesses,
each in its own process group so that a test can SIGKILL one exactly as an operator's
``kill -9`` would.

    dep = Deployment.embedded(tmp) | Deployment.production(tmp, database_url=..., queue=...)
    with start_service(dep) as svc:          # waits for /healthz
        api = ApiClient(svc.base_url)
        token = api.register_and_login("citizen1")
    worker = start_worker(dep, pool=1)       # waits for "ready"; worker.kill() = SIGKILL
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from api.settings import ApiSettings, Settings
from cases import DatabaseSettings, transaction
from cases.models import Document, Upload
from jobs import JobsSettings
from ocr.document import Document as OcrDocument
from ocr.document import Field as OcrField
from ocr.document import Quality
from ocr.settings import OcrSettings
from precheck.intake import document_to_dict
from precheck.settings import PrecheckSettings
from signing import SigningSettings
from storage import Bucket, StorageSettings

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PAOYICI = str(BIN / "paoyici")
RGW_DIR = "var/rgw"
PG_ADMIN_URL = os.environ.get("PAOYICI_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("PAOYICI_TEST_REDIS", "redis://127.0.0.1:6379/14")
MATTER = "second-hand-house-transfer"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the shared parts -------------------------------------------------------------------------


def embedded_settings(
    data_dir: Path, *, database_url: str | None = None, **api: object
) -> Settings:
    """The embedded defaults for one data folder, isolated from the environment of the run; the
    OCR pipeline loads on the first read, not when the app starts."""
    return Settings(
        api=ApiSettings(data_dir=data_dir, **api),  # type: ignore[arg-type]
        database=DatabaseSettings(url=database_url),
        storage=StorageSettings(),
        jobs=JobsSettings(warm_up=False),
        signing=SigningSettings(),
        ocr=OcrSettings(),
        precheck=PrecheckSettings(),
    )


def seed_read_uploads(
    services: Any, application_id: str, docs: list[tuple[str, str, dict[str, Any]]]
) -> None:
    """Uploads already read, as the reading job leaves them, without OCR: for each
    ``(slot, doc_type, fields)`` a stored object, its upload row and its encrypted document."""
    with transaction(services.sessions) as s:
        for i, (slot, doc_type, fields) in enumerate(docs):
            raw = json.dumps([application_id, i, fields], ensure_ascii=False).encode()
            info = services.store.put_content(kind=Bucket.UPLOADS, prefix=application_id, data=raw)
            up = Upload(
                application_id=application_id,
                slot=slot,
                filename=f"{slot}-{i}.jpg",
                content_type="image/jpeg",
                size=len(raw),
                sha256=info.sha256,
                object_key=info.key,
                status="done",
            )
            s.add(up)
            s.flush()
            doc = OcrDocument(
                doc_type=doc_type,
                confidence=0.99,
                pages=1,
                quality=Quality(ok=True),
                fields={k: OcrField(value=v, confidence=0.99) for k, v in fields.items()},
            )
            s.add(
                Document(
                    upload_id=up.id,
                    sha256=info.sha256,
                    doc_type=doc_type,
                    confidence=0.99,
                    pages=1,
                    quality={"ok": True, "issues": []},
                    fields_enc=services.cipher.encrypt_json({"document": document_to_dict(doc)}),
                )
            )


def create_pg_database(prefix: str = "paoyici_b") -> str:
    """A fresh PostgreSQL database; returns its SQLAlchemy URL (drop it with drop_pg_database)."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}"


def drop_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rgw_env() -> dict[str, str]:
    """The running Ceph RGW's ``var/rgw/env`` (``scripts/ceph-up.sh`` starts what is down)."""
    proc = subprocess.run(
        [str(ROOT / "scripts/ceph-up.sh"), RGW_DIR],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"could not start the Ceph RGW:\n{proc.stderr[-2000:]}")
    text = (ROOT / RGW_DIR / "env").read_text()
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs}


def redis_purge(broker_url: str, queue: str) -> None:
    """Drop a queue's pending messages and its unacked bookkeeping (test isolation)."""
    import redis

    r = redis.Redis.from_url(broker_url)
    r.delete(queue)
    for key in r.scan_iter(f"{queue}*"):
        r.delete(key)
    r.close()


# --- deployments ------------------------------------------------------------------------------


@dataclass
class Deployment:
    """What every process of one deployment shares: its environment."""

    data_dir: Path
    env: dict[str, str]
    kind: str = "embedded"
    database_url: str | None = None
    queue: str | None = None
    broker_url: str | None = None
    bucket_prefix: str | None = None

    @classmethod
    def embedded(cls, data_dir: Path, **extra: str) -> Deployment:
        """SQLite, local objects, in-process jobs: ``make run``'s defaults."""
        return cls(data_dir=data_dir, env={"PAOYICI_DATA_DIR": str(data_dir), **extra})

    @classmethod
    def production(
        cls,
        data_dir: Path,
        *,
        database_url: str,
        s3: Mapping[str, str] | None = None,
        broker_url: str = REDIS_URL,
        queue: str | None = None,
        **extra: str,
    ) -> Deployment:
        """PostgreSQL, Celery on Redis (a queue of its own), and S3 when ``s3`` (the RGW's env)
        is given, else local objects."""
        queue = queue or f"paoyici-{uuid.uuid4().hex[:8]}"
        env = {
            "PAOYICI_DATA_DIR": str(data_dir),
            "PAOYICI_DATABASE_URL": database_url,
            "PAOYICI_JOBS_BACKEND": "celery",
            "PAOYICI_JOBS_BROKER_URL": broker_url,
            "PAOYICI_JOBS_QUEUE": queue,
        }
        prefix = None
        if s3 is not None:
            prefix = f"b{uuid.uuid4().hex[:8]}-"
            env |= {
                "PAOYICI_STORAGE_BACKEND": "s3",
                "PAOYICI_STORAGE_S3_ENDPOINT": s3["S3_TLS_ENDPOINT"],
                "PAOYICI_STORAGE_S3_CA_FILE": s3["S3_CA_FILE"],
                "PAOYICI_STORAGE_S3_ACCESS_KEY": s3["S3_ACCESS_KEY"],
                "PAOYICI_STORAGE_S3_SECRET_KEY": s3["S3_SECRET_KEY"],
                "PAOYICI_STORAGE_BUCKET_PREFIX": prefix,
                # scratch buckets: certificates stay locked one day, not thirty years
                "PAOYICI_STORAGE_CERTIFICATE_RETENTION_DAYS": "1",
            }
        return cls(
            data_dir=data_dir,
            env=env | extra,
            kind="production",
            database_url=database_url,
            queue=queue,
            broker_url=broker_url,
            bucket_prefix=prefix,
        )

    def process_env(self, **extra: str) -> dict[str, str]:
        """This deployment's environment, free of any ``PAOYICI_*`` of the calling shell."""
        base = {k: v for k, v in os.environ.items() if not k.startswith("PAOYICI_")}
        return base | self.env | extra

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 120) -> str:
        """Run one ``paoyici`` verb in this deployment; returns stdout, raises on failure."""
        proc = subprocess.run(
            [PAOYICI, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.process_env(),
            cwd=self.data_dir,
            timeout=timeout,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"paoyici {' '.join(args)} → {proc.returncode}: {proc.stderr}")
        return proc.stdout

    def add_staff(
        self, username: str, password: str, *, role: str, name: str, matters: tuple[str, ...] = ()
    ) -> None:
        args = ["user", "add", username, "--role", role, "--name", name]
        for matter in matters:
            args += ["--matter", matter]
        self.cli(*args, stdin=password + "\n")


# --- processes --------------------------------------------------------------------------------


@dataclass
class Proc:
    """A subprocess in its own process group, its output in a log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    info: dict[str, Any] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def wait_for_log(self, pattern: str, timeout: float) -> re.Match[str]:
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = rx.search(self.log())
            if m:
                return m
            if not self.alive():
                raise RuntimeError(f"{self.name} exited ({self.popen.returncode}):\n{self.tail()}")
            time.sleep(0.1)
        raise TimeoutError(f"{self.name}: no {pattern!r} within {timeout}s:\n{self.tail()}")

    def tail(self, n: int = 4000) -> str:
        return self.log()[-n:]

    def kill(self) -> None:
        """SIGKILL the whole process group: no clean-up, no acknowledgement, no goodbye."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (warm shutdown), then SIGKILL if it does not go."""
        if not self.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def __enter__(self) -> Proc:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def spawn(name: str, argv: list[str], dep: Deployment, **env: str) -> Proc:
    dep.data_dir.mkdir(parents=True, exist_ok=True)
    log_path = dep.data_dir / f"{name}-{uuid.uuid4().hex[:6]}.log"
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dep.process_env(**env),
            cwd=dep.data_dir,
            start_new_session=True,
        )
    return Proc(name=name, popen=popen, log_path=log_path)


@dataclass
class Service(Proc):
    base_url: str = ""


def start_service(dep: Deployment, *, port: int | None = None, timeout: float = 180) -> Service:
    """``paoyici serve`` on a free port; returns once ``/healthz`` answers.

    The deployment's public address becomes this service's (unless set): the verification URLs
    it prints and, on the embedded test PKI, the TSA/OCSP the workers' signing calls."""
    port = port or free_port()
    dep.env.setdefault("PAOYICI_PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    proc = spawn("serve", [PAOYICI, "serve", "--port", str(port)], dep)
    svc = Service(name=proc.name, popen=proc.popen, log_path=proc.log_path)
    svc.base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not svc.alive():
            raise RuntimeError(f"serve exited ({svc.popen.returncode}):\n{svc.tail()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(svc.base_url + "/healthz", timeout=2).status_code == 200:
                return svc
        time.sleep(0.2)
    svc.kill()
    raise TimeoutError(f"serve not healthy within {timeout}s:\n{svc.tail()}")


def start_worker(dep: Deployment, *, pool: int = 1, timeout: float = 180, **env: str) -> Proc:
    """``paoyici worker --pool N``; returns once Celery reports the worker ready (models loaded,
    consuming). ``env`` adds variables (e.g. a short reconciliation interval in a test)."""
    proc = spawn("worker", [PAOYICI, "worker", "--pool", str(pool)], dep, **env)
    proc.wait_for_log(r"celery@\S+ ready\.", timeout)
    return proc


# --- the HTTP API -----------------------------------------------------------------------------


class ApiClient:
    """The CONTRACT §4 routes a benchmark or a process-level test drives."""

    def __init__(self, base_url: str, *, timeout: float = 60) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def register(self, username: str, password: str, name: str = "测试市民") -> dict[str, Any]:
        r = self.http.post(
            "/api/auth/register", json={"username": username, "password": password, "name": name}
        )
        r.raise_for_status()
        body: dict[str, Any] = r.json()
        return body

    def token(self, username: str, password: str) -> dict[str, str]:
        r = self.http.post("/api/auth/token", data={"username": username, "password": password})
        r.raise_for_status()
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    def citizen(self, username: str | None = None) -> dict[str, str]:
        username = username or f"c{uuid.uuid4().hex[:10]}"
        password = "correct-horse-" + uuid.uuid4().hex[:8]
        self.register(username, password)
        return self.token(username, password)

    def create_application(
        self, auth: dict[str, str], answers: dict[str, bool] | None = None
    ) -> dict[str, Any]:
        r = self.http.post(
            "/api/applications", json={"matter": MATTER, "answers": answers or {}}, headers=auth
        )
        r.raise_for_status()
        body: dict[str, Any] = r.json()
        return body

    def upload(
        self, auth: dict[str, str], app_id: str, slot: str, filename: str, data: bytes
    ) -> httpx.Response:
        return self.http.post(
            f"/api/applications/{app_id}/files",
            data={"slot": slot},
            files={"file": (filename, data, "application/octet-stream")},
            headers=auth,
        )

    def application(self, auth: dict[str, str], app_id: str) -> dict[str, Any]:
        r = self.http.get(f"/api/applications/{app_id}", headers=auth)
        r.raise_for_status()
        body: dict[str, Any] = r.json()
        return body

    def wait_until(
        self,
        auth: dict[str, str],
        app_id: str,
        done: Any,
        *,
        timeout: float = 300,
        interval: float = 0.1,
    ) -> dict[str, Any]:
        """Poll the application until ``done(application)`` is true; returns it."""
        deadline = time.monotonic() + timeout
        last: dict[str, Any] = {}
        while time.monotonic() < deadline:
            last = self.application(auth, app_id)
            if done(last):
                return last
            time.sleep(interval)
        raise TimeoutError(f"application {app_id} not done within {timeout}s: {last}")


def files_settled(application: dict[str, Any]) -> bool:
    """Every file read (or failed) and the pre-check past ``prechecking``."""
    files = application.get("files") or []
    return (
        bool(files)
        and all(f["status"] in {"done", "failed"} for f in files)
        and application.get("report") is not None
        and application.get("state") != "prechecking"
    )
