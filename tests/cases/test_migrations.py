from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

import cases
from cases.models import Base


def test_upgrade_from_empty_builds_every_table(engine: Engine, all_tables: list[str]) -> None:
    present = set(inspect(engine).get_table_names())
    assert set(all_tables) <= present
    assert "alembic_version" in present


def test_migrated_schema_equals_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_downgrade_removes_everything_and_upgrade_is_repeatable(
    engine: Engine, all_tables: list[str]
) -> None:
    cases.downgrade(engine, "base")
    assert not set(all_tables) & set(inspect(engine).get_table_names())
    cases.upgrade(engine)
    cases.upgrade(engine)  # idempotent at head
    assert set(all_tables) <= set(inspect(engine).get_table_names())
