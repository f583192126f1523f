"""The only package that speaks SQL: tables, engine, read and write functions, migrations."""

from veerkracht.storage.engine import Store, open_store

__all__ = ["Store", "open_store"]
