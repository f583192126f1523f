"""The intervention log: what was done where, since when, by whom, with what aim.

One transaction per public write. Validation of the values (levels, dates, catalogue keys,
scope) happens before, in ``veerkracht.interventions.log``; this module only stores and reads.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, select, update

from veerkracht.errors import NotFound
from veerkracht.storage import tables as t
from veerkracht.storage.engine import Store

#: The columns of a log frame, in table order.
LOG_COLUMNS = tuple(c.name for c in t.intervention_log.columns)


def read_log(
    store: Store, *, level: str | None = None, unit_key: str | None = None
) -> pd.DataFrame:
    """Log entries (all columns), newest start first; optionally of one level and/or unit.

    ``started_on``/``ended_on`` are ``datetime.date`` (``ended_on`` None while running).
    """
    table = t.intervention_log
    query = select(table)
    if level is not None:
        query = query.where(table.c.level == level)
    if unit_key is not None:
        query = query.where(table.c.unit_key == unit_key)
    query = query.order_by(
        table.c.started_on.desc(), table.c.created_at.desc(), table.c.log_id.desc()
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return _frame([dict(r._mapping) for r in rows])


def read_log_entry(store: Store, log_id: str) -> dict[str, Any]:
    """One log entry as a dict; NotFound when there is none with this id."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(t.intervention_log).where(t.intervention_log.c.log_id == log_id)
        ).first()
    if row is None:
        raise NotFound(f'no intervention log entry "{log_id}"')
    return _clean(dict(row._mapping))


def add_log_entry(
    store: Store,
    *,
    title: str,
    level: str,
    unit_key: str,
    started_on: date,
    organisation: str,
    aim: str,
    origin: str,
    now: datetime,
    intervention_id: str | None = None,
    ended_on: date | None = None,
    notes: str | None = None,
    created_by: str | None = None,
    log_id: str | None = None,
) -> str:
    """Store one entry and return its id (a new one unless ``log_id`` is given)."""
    log_id = log_id or f"{origin}-{uuid.uuid4().hex[:12]}"
    with store.engine.begin() as conn:
        _insert(
            conn,
            {
                "log_id": log_id,
                "intervention_id": intervention_id or None,
                "title": title,
                "level": level,
                "unit_key": unit_key,
                "started_on": started_on,
                "ended_on": ended_on,
                "organisation": organisation,
                "aim": aim,
                "notes": notes or None,
                "origin": origin,
                "created_by": created_by,
                "created_at": now,
                "updated_at": None,
            },
        )
    return log_id


def end_log_entry(store: Store, log_id: str, *, ended_on: date, now: datetime) -> None:
    """Set the end date of an entry; NotFound when there is none with this id."""
    table = t.intervention_log
    with store.engine.begin() as conn:
        done = conn.execute(
            update(table).where(table.c.log_id == log_id).values(ended_on=ended_on, updated_at=now)
        )
    if done.rowcount == 0:
        raise NotFound(f'no intervention log entry "{log_id}"')


def replace_log_entries(store: Store, entries: list[dict[str, Any]], *, origin: str) -> int:
    """Replace every entry of ``origin`` (e.g. the demo's) by ``entries``; returns how many."""
    table = t.intervention_log
    with store.engine.begin() as conn:
        conn.execute(delete(table).where(table.c.origin == origin))
        for entry in entries:
            _insert(conn, {**{c: None for c in LOG_COLUMNS}, **entry, "origin": origin})
    return len(entries)


def read_dwelling_keys(store: Store) -> pd.DataFrame:
    """Every dwelling's key at each level (no address): where log entries reach."""
    d = t.dwellings.c
    columns = [
        d.dwelling_id,
        d.entrance_key,
        d.building_id,
        d.block_key,
        d.street_key,
        d.neighbourhood_code,
        d.district_code,
        d.municipality_code,
    ]
    with store.engine.connect() as conn:
        return pd.read_sql(select(*columns), conn)


def read_indicator_history(store: Store, level: str, indicators: list[str]) -> pd.DataFrame:
    """Stored yearly rows (key, year, indicator, value, numerator, denominator) of some
    indicators for every unit of one level (before/after reads these)."""
    v = t.indicator_values.c
    query = select(v.key, v.year, v.indicator, v.value, v.numerator, v.denominator).where(
        v.level == level, v.indicator.in_(indicators)
    )
    with store.engine.connect() as conn:
        return pd.read_sql(query.order_by(v.indicator, v.key, v.year), conn)


def _insert(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(t.intervention_log.insert().values(**values))


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame([_clean(r) for r in rows], columns=list(LOG_COLUMNS))
    return frame.astype(object).where(frame.notna(), None)


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """Dates as ``datetime.date`` on every backend (SQLite may hand back datetimes)."""
    for name in ("started_on", "ended_on"):
        value = row.get(name)
        if isinstance(value, datetime):
            row[name] = value.date()
    return row
