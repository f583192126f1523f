"""Migrations build exactly the schema of storage/tables.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from veerkracht.storage import Store, open_store
from veerkracht.storage.engine import table_names
from veerkracht.storage.sources import count_rows
from veerkracht.storage.tables import SOURCE_TABLES, metadata


def test_migrations_create_every_table(store: Store) -> None:
    assert set(table_names(store)) == set(metadata.tables) | {"alembic_version"}


@pytest.mark.parametrize("name", sorted(metadata.tables))
def test_migrated_columns_and_keys_match_tables_py(store: Store, name: str) -> None:
    table = metadata.tables[name]
    inspector = inspect(store.engine)
    columns = {c["name"]: c for c in inspector.get_columns(name)}
    assert list(columns) == [c.name for c in table.columns]
    for column in table.columns:
        assert columns[column.name]["nullable"] == column.nullable, column.name
    primary_key = inspector.get_pk_constraint(name)["constrained_columns"]
    assert primary_key == [c.name for c in table.primary_key.columns]
    indexes = {tuple(ix["column_names"]) for ix in inspector.get_indexes(name)}
    assert {tuple(c.name for c in ix.columns) for ix in table.indexes} <= indexes


def test_a_new_store_is_empty_and_at_the_newest_revision(store: Store) -> None:
    assert all(count_rows(store, name) == 0 for name in SOURCE_TABLES)
    with store.engine.connect() as conn:
        versions = conn.execute(select(metadata.tables["imports"].c.import_id)).all()
        revision = conn.exec_driver_sql("select version_num from alembic_version").scalar_one()
    assert versions == []
    assert revision == _head_revision()


def test_opening_a_migrated_store_again_changes_nothing(store: Store, store_url: str) -> None:
    before = table_names(store)
    again = open_store(store_url)
    try:
        assert table_names(again) == before
        with again.engine.connect() as conn:
            rows = conn.exec_driver_sql("select version_num from alembic_version").all()
        assert [r[0] for r in rows] == [_head_revision()]
    finally:
        again.dispose()


def _head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from veerkracht.storage.engine import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head
