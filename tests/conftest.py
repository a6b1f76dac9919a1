"""Fixtures shared by every package's tests: real databases.

PostgreSQL is the server at 127.0.0.1:5432 (trust auth). Each test session works in a database of
its own, created here and dropped at the end. Locally an unreachable server skips its tests; under
CI (``CI=true``) it fails them, so a missing service can never pass silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ocr import OcrPipeline

PG_ADMIN_URL = os.environ.get("PAOYICI_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _skip_or_fail(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a required service is missing)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> OcrPipeline:
    """The OCR pipeline, its models loaded once for the whole test session."""
    from ocr import OcrPipeline as _Pipeline
    from ocr import OcrSettings

    # the rapid engine needs no data folder; one per session keeps any model folder out of the tree
    return _Pipeline.load(OcrSettings(threads=2), data_dir=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this session; yields its SQLAlchemy URL."""
    import psycopg

    name = f"paoyici_t_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as e:
        _skip_or_fail(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {e}")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The same test against the embedded SQLite file and the real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'paoyici.db'}"
    url: str = request.getfixturevalue("postgres_database")
    return url
