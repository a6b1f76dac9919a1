"""An upload the database refused leaves its object behind only until the database answers:
the removal is retried in the background, and an object a row names is never removed (a
commit whose answer was lost may have landed). The real local store and SQLite; the database
"down" is a session factory that raises the driver's own OperationalError."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from cases.models import Base, Upload
from jobs import applications
from storage import Bucket, LocalStore, ObjectNotFoundError
from tests.storage.conftest import make_local_store


class Switchable:
    """A session factory that is down while ``down`` is set."""

    def __init__(self, real: sessionmaker) -> None:
        self.real = real
        self.down = True
        self.calls = 0

    def __call__(self) -> Any:
        self.calls += 1
        if self.down:
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("server is down"))
        return self.real()


@pytest.fixture
def ctx(tmp_path: Path) -> SimpleNamespace:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    Base.metadata.create_all(engine)
    store = make_local_store(tmp_path / "objects")
    return SimpleNamespace(sessions=Switchable(sessionmaker(engine)), store=store)


def _exists(store: LocalStore, key: str) -> bool:
    try:
        store.stat(kind=Bucket.UPLOADS, key=key)
    except ObjectNotFoundError:
        return False
    return True


def _wait_drained(timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while applications.pending_removals() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_refused_uploads_object_is_removed_once_the_database_answers(ctx: Any) -> None:
    orphan = ctx.store.put_content(kind=Bucket.UPLOADS, prefix="app1", data=b"refused").key
    applications._forget_object(ctx, orphan)  # the database is down: deferred, not dropped
    assert _exists(ctx.store, orphan)
    assert applications.pending_removals() == 1
    time.sleep(1.2)
    assert _exists(ctx.store, orphan), "removed while the database could not say"
    assert ctx.sessions.calls >= 2  # it kept asking
    ctx.sessions.down = False
    _wait_drained()
    assert applications.pending_removals() == 0
    assert not _exists(ctx.store, orphan)


def test_an_object_a_row_names_is_kept_though_its_request_failed(ctx: Any) -> None:
    named = ctx.store.put_content(kind=Bucket.UPLOADS, prefix="app2", data=b"landed").key
    with ctx.sessions.real() as s:  # the commit landed, its answer was lost
        s.add(
            Upload(
                application_id="app2",
                slot="seller_id_card",
                filename="a.png",
                content_type="image/png",
                size=6,
                sha256=named.rsplit("/", 1)[1],
                object_key=named,
            )
        )
        s.commit()
    applications._forget_object(ctx, named)
    ctx.sessions.down = False
    _wait_drained()
    assert applications.pending_removals() == 0
    assert _exists(ctx.store, named)
