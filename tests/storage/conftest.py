"""Fixtures of the storage tests: the stores under test and the real S3 server.

The S3 server is the Ceph RADOS Gateway started by ``scripts/ceph-up.sh var/rgw`` (reused when
``var/rgw/env`` exists and the gateway answers over HTTPS). If it cannot be started, the ``s3``
tests are skipped locally and FAIL under CI (``CI=true``): CI never skips silently.

Each session uses buckets of its own (``t<random>-<kind>``); the certificates bucket gets a one
day retention, so a session leaves at most a few small locked objects behind in the scratch
cluster. The other buckets are emptied and removed at the end.
"""

from __future__ import annotations

import hashlib
import io
import os
import ssl
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_store
from api.errors import install_error_handlers
from api.routers import objects
from storage import Bucket, LocalStore, ObjectStore, S3Store, StorageSettings

ROOT = Path(__file__).resolve().parents[2]
RGW_DIR = "var/rgw"  # relative to the project root
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SSE_C_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="  # base64 of 32 bytes, tests only


def skip_or_fail(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the S3 server is required)")
    pytest.skip(reason)


@dataclass(frozen=True)
class Rgw:
    """The running gateway, as described by ``var/rgw/env``."""

    dir: Path
    endpoint: str  # HTTPS host:port
    ca_file: Path
    access_key: str
    secret_key: str
    kms_key_id: str
    pid_file: Path

    def stop_gateway(self) -> None:
        """Stop radosgw only (monitor and OSD stay up)."""
        subprocess.run(
            [str(ROOT / "scripts/ceph-down.sh"), RGW_DIR, "rgw"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start_gateway(self) -> None:
        """Start radosgw again (``ceph-up.sh`` restarts only what is down)."""
        subprocess.run(
            [str(ROOT / "scripts/ceph-up.sh"), RGW_DIR],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=180,
        )


def _read_env(path: Path) -> dict[str, str] | None:
    if not path.is_file():
        return None
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs}


def _answers(env: dict[str, str]) -> bool:
    try:
        tls = ssl.create_default_context(cafile=env["S3_CA_FILE"])
        httpx.get(f"https://{env['S3_TLS_ENDPOINT']}/", verify=tls, timeout=3)
    except (httpx.HTTPError, KeyError, OSError, ssl.SSLError):
        return False
    return True


@pytest.fixture(scope="session")
def rgw() -> Rgw:
    env_path = ROOT / RGW_DIR / "env"
    env = _read_env(env_path)
    if env is None or not _answers(env):
        try:
            proc = subprocess.run(
                [str(ROOT / "scripts/ceph-up.sh"), RGW_DIR],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=240,
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            skip_or_fail(f"could not start the Ceph RGW: {e}")
        if proc.returncode != 0:
            skip_or_fail(f"could not start the Ceph RGW: {proc.stderr[-1500:]}")
        env = _read_env(env_path)
        if env is None or not _answers(env):
            skip_or_fail("the Ceph RGW started but does not answer over HTTPS")
    assert env is not None
    return Rgw(
        dir=ROOT / RGW_DIR,
        endpoint=env["S3_TLS_ENDPOINT"],
        ca_file=Path(env["S3_CA_FILE"]),
        access_key=env["S3_ACCESS_KEY"],
        secret_key=env["S3_SECRET_KEY"],
        kms_key_id=env["S3_KMS_KEY_ID"],
        pid_file=Path(env["S3_RGW_PID_FILE"]),
    )


@pytest.fixture(scope="session")
def s3_settings(rgw: Rgw) -> Iterator[StorageSettings]:
    """Settings for this session's buckets; the buckets are created here and (except the
    locked certificates bucket) removed at the end."""
    settings = StorageSettings(
        backend="s3",
        s3_endpoint=rgw.endpoint,
        s3_ca_file=rgw.ca_file,
        s3_access_key=rgw.access_key,
        s3_secret_key=rgw.secret_key,
        bucket_prefix=f"t{uuid.uuid4().hex[:10]}-",
        certificate_retention_days=1,
        retry_deadline_s=5.0,
        sse_kms_key_id=rgw.kms_key_id,
    )
    yield settings
    store = S3Store(settings, data_dir=ROOT / "var")
    client = store._client  # the raw SDK, to clean up what the store deliberately cannot
    for kind in Bucket:
        if kind.locked:
            continue
        bucket = store.bucket(kind)
        if not client.bucket_exists(bucket):
            continue
        for item in client.list_objects(bucket, recursive=True):
            if item.object_name:
                client.remove_object(bucket, item.object_name)
        client.remove_bucket(bucket)
    store.close()


def with_changes(settings: StorageSettings, **changes: object) -> StorageSettings:
    """A copy of ``settings`` with ``changes`` applied and validated (``model_copy`` skips
    validation)."""
    return StorageSettings.model_validate({**settings.model_dump(), **changes})


def make_s3_store(settings: StorageSettings, **changes: object) -> S3Store:
    store = S3Store(with_changes(settings, **changes), data_dir=ROOT / "var")
    store.ensure_buckets()
    return store


@dataclass(frozen=True)
class StoreCase:
    """One ``ObjectStore`` implementation under the contract suite, with what the suite needs
    to reach around it: fetching presigned URLs and corrupting a stored object."""

    name: str
    store: ObjectStore
    fetch: Callable[..., httpx.Response]
    corrupt: Callable[[Bucket, str], None]
    presign_put: bool = True


def objects_app(store: ObjectStore) -> FastAPI:
    """A small app serving the local store's presigned URLs, as the service does."""
    app = FastAPI()
    install_error_handlers(app)
    app.dependency_overrides[get_store] = lambda: store
    app.include_router(objects.router)
    return app


@pytest.fixture(scope="session")
def local_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("objects")


def make_local_store(root: Path, **changes: object) -> LocalStore:
    settings = StorageSettings(
        public_base_url="http://testserver",
        presign_secret="test-presign-secret-0123456789",  # type: ignore[arg-type]
        certificate_retention_days=1,
    )
    settings = with_changes(settings, **changes)
    store = LocalStore(
        root,
        presign_secret=settings.presign_secret.get_secret_value().encode(),
        public_base_url=settings.public_base_url,
        max_object_size=settings.max_object_size,
        certificate_retention=timedelta(days=settings.certificate_retention_days),
    )
    return store


def _local_case(root: Path) -> StoreCase:
    store = make_local_store(root)
    client = TestClient(objects_app(store), raise_server_exceptions=False)

    def fetch(method: str, url: str, **kwargs: object) -> httpx.Response:
        return client.request(method, url, **kwargs)  # type: ignore[arg-type]

    def corrupt(kind: Bucket, key: str) -> None:
        path = root / kind.value / key
        path.chmod(0o644)
        raw = bytearray(path.read_bytes())
        raw[len(raw) // 2] ^= 0x01
        path.write_bytes(bytes(raw))

    return StoreCase("local", store, fetch, corrupt)


def _s3_case(name: str, settings: StorageSettings, rgw: Rgw) -> StoreCase:
    store = make_s3_store(settings)
    tls = ssl.create_default_context(cafile=str(rgw.ca_file))

    def fetch(method: str, url: str, **kwargs: object) -> httpx.Response:
        return httpx.request(method, url, verify=tls, timeout=30, **kwargs)  # type: ignore[arg-type]

    def corrupt(kind: Bucket, key: str) -> None:
        # Replace the bytes behind the store's back, keeping the recorded SHA-256: what a
        # damaged disk or a faulty proxy would hand back.
        info = store.stat(kind=kind, key=key)
        data = bytearray(store.get_bytes(kind=kind, key=key))
        data[len(data) // 2] ^= 0x01
        store._client.put_object(
            store.bucket(kind),
            key,
            io.BytesIO(bytes(data)),
            len(data),
            metadata={"sha256": info.sha256 or "", "crc32": info.crc32 or ""},
            sse=store._sse,
        )

    return StoreCase(name, store, fetch, corrupt, presign_put=settings.sse == "none")


@pytest.fixture(
    scope="session",
    params=[
        "local",
        pytest.param("s3", marks=pytest.mark.s3),
        pytest.param("s3-kms", marks=pytest.mark.s3),
    ],
)
def case(request: pytest.FixtureRequest, local_root: Path) -> Iterator[StoreCase]:
    if request.param == "local":
        made = _local_case(local_root)
    else:
        rgw = request.getfixturevalue("rgw")
        settings = request.getfixturevalue("s3_settings")
        if request.param == "s3-kms":
            settings = with_changes(settings, sse="kms")
        made = _s3_case(request.param, settings, rgw)
    yield made
    made.store.close()


@pytest.fixture
def prefix() -> str:
    """A key prefix of one's own within the session's buckets."""
    return f"t-{uuid.uuid4().hex[:12]}"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = [
    "Rgw",
    "StoreCase",
    "make_local_store",
    "make_s3_store",
    "objects_app",
    "sha",
    "with_changes",
]
