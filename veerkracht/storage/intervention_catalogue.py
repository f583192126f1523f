"""Catalogue entries added or edited by administrators in the app (they override the shipped ones).

One row per intervention id: the entry as TOML text (validated before it gets here, in
``veerkracht.interventions.catalogue_edit``), whether it is active (False = retired), when and by
whom it was last changed. Every write is one transaction that also appends an audit row, so the
history of who changed what stays in ``audit_log``. Writes are guarded by the ``updated_at`` the
editor saw: when somebody else saved in the meantime nothing is written and False is returned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from veerkracht.storage import tables as t
from veerkracht.storage.audit import append_audit_rows
from veerkracht.storage.engine import Store

C = t.intervention_catalogue
#: ``record_type`` of the audit rows written here.
AUDIT_RECORD = "intervention"


def read_overrides(store: Store) -> list[dict[str, Any]]:
    """Every stored entry (intervention_id, body, active, updated_at, updated_by), by id."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(C).order_by(C.c.intervention_id)).mappings().all()
    return [dict(row) for row in rows]


def read_override(store: Store, intervention_id: str) -> dict[str, Any] | None:
    """The stored entry of one intervention, or None when it has none."""
    with store.engine.connect() as conn:
        row = _current(conn, intervention_id)
    return dict(row) if row is not None else None


def save_override(
    store: Store,
    *,
    intervention_id: str,
    body: str,
    active: bool,
    by: str,
    now: datetime,
    previous: datetime | None,
    action: str,
) -> bool:
    """Insert or replace the entry of ``intervention_id`` and audit it as ``action``.

    ``previous`` is the ``updated_at`` the editor saw (None: there was no stored entry). When the
    stored entry differs, somebody else saved in between: nothing is written, False is returned.
    """
    values = {"body": body, "active": active, "updated_at": now, "updated_by": by}
    try:
        with store.engine.begin() as conn:
            row = _current(conn, intervention_id, lock=True)
            if _changed_since(row, previous):
                return False
            if row is None:
                conn.execute(insert(C).values(intervention_id=intervention_id, **values))
            else:
                conn.execute(update(C).where(C.c.intervention_id == intervention_id).values(values))
            _audit(conn, by=by, action=action, intervention_id=intervention_id, now=now)
    except IntegrityError:  # inserted by somebody else at the same moment
        return False
    return True


def delete_override(
    store: Store, intervention_id: str, *, by: str, now: datetime, previous: datetime | None
) -> bool:
    """Remove the stored entry (the shipped one applies again); False when it changed since
    ``previous`` or there is none."""
    with store.engine.begin() as conn:
        row = _current(conn, intervention_id, lock=True)
        if row is None or _changed_since(row, previous):
            return False
        conn.execute(delete(C).where(C.c.intervention_id == intervention_id))
        _audit(conn, by=by, action="revert", intervention_id=intervention_id, now=now)
    return True


def _current(conn: Connection, intervention_id: str, *, lock: bool = False) -> Any:
    query = select(C).where(C.c.intervention_id == intervention_id)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).mappings().first()


def _changed_since(row: Any, previous: datetime | None) -> bool:
    seen = None if row is None else _seconds(row["updated_at"])
    return seen != (None if previous is None else _seconds(previous))


def _seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0, tzinfo=None)


def _audit(conn: Connection, *, by: str, action: str, intervention_id: str, now: datetime) -> None:
    append_audit_rows(
        conn,
        actor=by,
        action=action,
        record_type=AUDIT_RECORD,
        record_ids=[intervention_id],
        now=now,
    )
