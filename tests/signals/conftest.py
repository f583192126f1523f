"""A Demostad store with accounts and routing, built once per backend and copied per test.

SQLite: the built file is copied. PostgreSQL: a template database is built once and each test
gets ``CREATE DATABASE … TEMPLATE``.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from veerkracht.settings import Settings
from veerkracht.storage import Store, open_store

DEMO_DWELLINGS = 1500
NOW = datetime(2026, 3, 2, 10, 0)


def build_demo(settings: Settings) -> list[tuple[str, str, str]]:
    """Demostad (seed 1) with the demo accounts and routing rules, into ``settings``' store."""
    from veerkracht.pipeline import run_demo
    from veerkracht.signals.demo import create_demo_accounts

    run_demo(settings, seed=1, dwellings=DEMO_DWELLINGS)
    store = open_store(settings.store_url)
    try:
        return create_demo_accounts(store, now=NOW)
    finally:
        store.dispose()


@pytest.fixture(scope="session")
def demo_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = tmp_path_factory.mktemp("signals-demo-sqlite")
    build_demo(Settings(workspace=workspace))
    return workspace / "veerkracht.sqlite"


@pytest.fixture(scope="session")
def demo_postgres_template(
    postgres_admin: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    name = f"vk_test_tmpl_{uuid.uuid4().hex[:12]}"
    with postgres_admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_admin.url.set(database=name).render_as_string(hide_password=False)
    build_demo(Settings(workspace=tmp_path_factory.mktemp("signals-demo-pg"), database_url=url))
    yield name
    with postgres_admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def demo_url(request: pytest.FixtureRequest, tmp_path: Path, backend: str) -> Iterator[str]:
    """A URL of a fresh copy of the built Demostad store, on the test's backend."""
    if backend == "sqlite":
        source: Path = request.getfixturevalue("demo_sqlite_file")
        target = tmp_path / "store" / "veerkracht.sqlite"
        target.parent.mkdir(parents=True)
        shutil.copy(source, target)
        yield f"sqlite:///{target}"
        return
    template: str = request.getfixturevalue("demo_postgres_template")
    admin: Engine = request.getfixturevalue("postgres_admin")
    name = f"vk_test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def demo_store(demo_url: str) -> Iterator[Store]:
    """Demostad with accounts, teams and routing rules; on SQLite and on PostgreSQL."""
    store = open_store(demo_url)
    try:
        yield store
    finally:
        store.dispose()
