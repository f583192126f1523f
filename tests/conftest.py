"""Shared fixtures: a fresh store on SQLite and on a real PostgreSQL, settings, Chromium.

PostgreSQL is found through ``VEERKRACHT_TEST_POSTGRES_URL`` (``make test`` starts a private
cluster and sets it). Without it the PostgreSQL cases are skipped locally, but fail when ``CI`` is
set, so CI can never pass by silently skipping PostgreSQL. The same holds for Chromium.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from veerkracht.settings import Settings
from veerkracht.storage import Store, open_store

POSTGRES_URL_VAR = "VEERKRACHT_TEST_POSTGRES_URL"
CHROMIUM = Path("/usr/bin/chromium")
#: Per-test databases carry this prefix, so leftovers of an interrupted run are recognisable.
DATABASE_PREFIX = "vk_test_"


def in_ci() -> bool:
    """True when running in CI (env var ``CI`` set to anything but empty/false/0)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(reason: str) -> None:
    """Skip locally; fail under CI, where nothing the suite needs may be missing."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An autocommit engine on the test server's maintenance database (CREATE/DROP DATABASE)."""
    url = os.environ.get(POSTGRES_URL_VAR)
    if not url:
        missing(f"{POSTGRES_URL_VAR} is not set; `make test` starts PostgreSQL and sets it")
    engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # noqa: BLE001 - report any connection failure the same way
        engine.dispose()
        missing(f"PostgreSQL at {make_url(url).render_as_string()} does not answer: {exc}")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_admin: Engine) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped again after the test."""
    name = f"{DATABASE_PREFIX}{uuid.uuid4().hex[:16]}"
    with postgres_admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_admin.url.set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with postgres_admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a new SQLite file in the test's tmp_path."""
    return f"sqlite:///{tmp_path / 'store' / 'veerkracht.sqlite'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """A URL of an empty database, once per backend."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A fresh, empty store with every migration applied, on SQLite and on PostgreSQL."""
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture
def settings(tmp_path: Path, store: Store) -> Settings:
    """Settings with a workspace in tmp_path and the fixture store as database."""
    return Settings(
        workspace=tmp_path / "workspace",
        database_url=store.engine.url.render_as_string(hide_password=False),
    )


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium (skipped where missing, but required under CI)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return str(CHROMIUM)
