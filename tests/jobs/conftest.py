"""Fixtures of the job tests: the real Redis, and real ``paoyici worker`` processes.

``celery_deployment`` is one production-shaped deployment (its own PostgreSQL database, local
objects, Celery on a queue of its own on the real Redis), migrated. ``workers`` starts
``paoyici worker`` subprocesses in it (each in its own process group, so ``.kill()`` is a real
SIGKILL) and stops whatever is left at the end. Locally an unreachable Redis or PostgreSQL skips;
under CI it fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.harness import (
    REDIS_URL,
    Deployment,
    Proc,
    Service,
    create_pg_database,
    drop_pg_database,
    redis_purge,
    start_service,
    start_worker,
)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

#: Short enough for a test to see each safety net work, long enough not to fire by accident.
FAST_RECOVERY = {
    "PAOYICI_JOBS_VISIBILITY_TIMEOUT_S": "8",
    "PAOYICI_JOBS_RECONCILE_INTERVAL_S": "1",
    "PAOYICI_JOBS_RECONCILE_GRACE_S": "2",
    "PAOYICI_JOBS_RESEND_AFTER_S": "5",
    "PAOYICI_JOBS_LEASE_S": "6",
}


def _skip_or_fail(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a required service is missing)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as e:
        _skip_or_fail(f"Redis not reachable at {REDIS_URL}: {e}")
    return REDIS_URL


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    """A PostgreSQL database of this test's own (dropped at the end)."""
    import psycopg

    try:
        url = create_pg_database("paoyici_w")
    except psycopg.OperationalError as e:
        _skip_or_fail(f"PostgreSQL not reachable: {e}")
    yield url
    drop_pg_database(url)


@pytest.fixture
def celery_deployment(redis_url: str, fresh_postgres: str, tmp_path: Path) -> Iterator[Deployment]:
    """A deployment on PostgreSQL + Celery/Redis (objects in a local folder), migrated."""
    dep = Deployment.production(
        tmp_path / "data", database_url=fresh_postgres, broker_url=redis_url, **FAST_RECOVERY
    )
    dep.data_dir.mkdir(parents=True)
    dep.cli("db", "upgrade")
    yield dep
    assert dep.queue is not None
    redis_purge(redis_url, dep.queue)


@pytest.fixture
def workers(celery_deployment: Deployment) -> Iterator[Callable[..., Proc]]:
    """``workers(pool=1)`` starts one ``paoyici worker`` (returns when Celery says ready)."""
    started: list[Proc] = []

    def start(pool: int = 1, **env: str) -> Proc:
        proc = start_worker(celery_deployment, pool=pool, **env)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.kill()


@pytest.fixture
def celery_service(celery_deployment: Deployment) -> Iterator[Service]:
    """``paoyici serve`` of the same deployment (it only sends; the workers run the jobs)."""
    svc = start_service(celery_deployment)
    yield svc
    svc.stop()
