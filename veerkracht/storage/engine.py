"""Open the store: an SQLite file in the workspace by default, PostgreSQL by URL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect

MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class Store:
    """A handle on the database; every public storage function takes one."""

    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Connect to ``url`` and bring its schema to the newest migration."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine)
    if migrate:
        upgrade(store)
    return store


def upgrade(store: Store, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def table_names(store: Store) -> list[str]:
    """Names of the tables in the store (for checks and tests)."""
    return sorted(inspect(store.engine).get_table_names())


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-262144")  # 256 MiB page cache for bulk builds
    cursor.close()
