"""The audit log: who read or exported which record when. Append-only (also in the database)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from veerkracht.storage import tables as t
from veerkracht.storage.engine import Store


def append_audit(
    store: Store,
    *,
    actor: str,
    action: str,
    record_type: str,
    record_ids: Iterable[str],
    now: datetime,
    detail: str | None = None,
) -> int:
    """Append one audit row per record (one transaction); returns how many were written."""
    with store.engine.begin() as conn:
        return append_audit_rows(
            conn,
            actor=actor,
            action=action,
            record_type=record_type,
            record_ids=record_ids,
            now=now,
            detail=detail,
        )


def append_audit_rows(
    conn: Connection,
    *,
    actor: str,
    action: str,
    record_type: str,
    record_ids: Iterable[str],
    now: datetime,
    detail: str | None = None,
) -> int:
    """The same inside an open connection (never commits)."""
    rows = [
        {
            "at": now,
            "actor": actor,
            "action": action,
            "record_type": record_type,
            "record_id": record_id,
            "detail": detail,
        }
        for record_id in record_ids
    ]
    if rows:
        conn.execute(t.audit_log.insert(), rows)
    return len(rows)


def read_audit(
    store: Store, *, record_type: str | None = None, record_id: str | None = None
) -> pd.DataFrame:
    """Audit rows, oldest first, optionally of one record."""
    query = select(t.audit_log).order_by(t.audit_log.c.audit_id)
    if record_type is not None:
        query = query.where(t.audit_log.c.record_type == record_type)
    if record_id is not None:
        query = query.where(t.audit_log.c.record_id == record_id)
    with store.engine.connect() as conn:
        return pd.read_sql(query, conn)


def audit_rows(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Audit rows as plain dicts (for pages and tests)."""
    rows: list[dict[str, Any]] = read_audit(store, **filters).to_dict("records")
    return rows
