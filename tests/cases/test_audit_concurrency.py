"""Concurrent appends to the audit chain (PostgreSQL, SQLite): serialized, never a failed request.

Two requests at once (two uploads of one citizen, an upload and a job) each append an event;
both read the same head, and without serialization the second's insert broke the unique
``prev_hash`` — an HTTP 500 seen under load by ``bench.service_load``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import cases
from cases import append_event, verify_chain


@pytest.mark.postgres
def test_concurrent_appends_all_land_and_the_chain_verifies(
    postgres_database: str, tmp_path: Path
) -> None:
    _hammer(postgres_database, tmp_path)


def test_concurrent_appends_on_sqlite_all_land_and_the_chain_verifies(tmp_path: Path) -> None:
    # the embedded default: a page and its crop images loading at once each append an event
    _hammer(f"sqlite:///{tmp_path / 'audit.db'}", tmp_path)


def _hammer(url: str, tmp_path: Path) -> None:
    engine = cases.make_engine(cases.DatabaseSettings(url=url), data_dir=tmp_path)
    cases.upgrade(engine)
    sessions = cases.make_sessionmaker(engine)
    with cases.transaction(sessions) as s:
        before = verify_chain(s)
    threads, appends = 6, 5
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(appends):
                with cases.transaction(sessions) as s:
                    append_event(
                        s,
                        actor=f"t{n}",
                        role="system",
                        action="test.concurrent",
                        subject_type="test",
                        subject_id=f"{n}-{i}",
                    )
        except BaseException as e:
            errors.append(e)

    pool = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    assert errors == []
    with cases.transaction(sessions) as s:
        assert verify_chain(s) == before + threads * appends
    engine.dispose()
