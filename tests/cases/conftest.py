from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import cases
from cases.models import Base


@pytest.fixture
def engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty schema on the parametrised database."""
    eng = cases.make_engine(cases.DatabaseSettings(url=database_url), data_dir=tmp_path)
    cases.downgrade(eng, "base")  # a PostgreSQL database is shared by the session's tests
    cases.upgrade(eng)
    yield eng
    cases.downgrade(eng, "base")
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return cases.make_sessionmaker(engine)


@pytest.fixture
def all_tables() -> list[str]:
    return sorted(Base.metadata.tables)
