"""Bulk writes of pandas frames inside an open connection (private helpers never commit)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Date, DateTime, Table, delete
from sqlalchemy.exc import DBAPIError

CHUNK_ROWS = 50_000


def insert_frame(conn: Connection, table: Table, frame: pd.DataFrame) -> int:
    """Insert the rows of ``frame`` (columns named as the table's) and return how many.

    Bypasses per-row ORM work: SQLite gets one executemany of tuples, PostgreSQL a COPY.
    """
    columns = [c.name for c in table.columns if c.name in frame.columns]
    if frame.empty:
        return 0
    dates = {c: _is_date(table, c) for c in columns}
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
    # convert and send chunk by chunk, so memory stays bounded for millions of rows
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start : start + CHUNK_ROWS]
        values = [_python_values(chunk[c], as_date=dates[c]) for c in columns]
        rows = list(zip(*values, strict=True))
        if conn.dialect.name == "postgresql":
            _copy_rows(conn, table, columns, rows)
        else:
            conn.exec_driver_sql(statement, rows)
    return len(frame)


def _copy_rows(
    conn: Connection, table: Table, columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    import psycopg

    names = ", ".join(f'"{c}"' for c in columns)
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    driver = conn.connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as error:
        # the same SQLAlchemy exception types as the executemany path on SQLite
        raise DBAPIError.instance(statement, None, error, psycopg.Error) from error


def replace_rows(conn: Connection, table: Table, frame: pd.DataFrame, where: Any = None) -> int:
    """Delete the rows matching ``where`` (all when None) and insert ``frame`` instead."""
    statement = delete(table) if where is None else delete(table).where(where)
    conn.execute(statement)
    return insert_frame(conn, table, frame)


def _is_date(table: Table, column: str) -> bool:
    kind = table.columns[column].type
    return isinstance(kind, Date) and not isinstance(kind, DateTime)


def _python_values(series: pd.Series, *, as_date: bool = False) -> list[Any]:
    """Plain Python values with None for missing (what DB-API drivers expect)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if as_date:
            return [None if pd.isna(v) else v.date() for v in series]
        return [None if pd.isna(v) else v.to_pydatetime() for v in series]
    if series.dtype == object:
        return [
            None if (v is None or (isinstance(v, float) and np.isnan(v))) else v for v in series
        ]
    mask = series.isna().to_numpy()
    if pd.api.types.is_bool_dtype(series.dtype):
        out = series.astype(object).tolist()
    elif pd.api.types.is_integer_dtype(series.dtype):
        out = series.astype("float64").fillna(0).astype("int64").tolist()
    elif pd.api.types.is_float_dtype(series.dtype):
        out = series.astype(float).tolist()
    else:
        out = series.astype(object).tolist()
    if not mask.any():
        return out
    return [None if m else v for v, m in zip(out, mask, strict=True)]
