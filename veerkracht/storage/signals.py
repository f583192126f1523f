"""Signals: insert once, change under a state check with history in one transaction, read.

Private helpers take a connection and never commit. The state check of a change is a
conditional UPDATE (``WHERE status = expected``), so two concurrent changes cannot both win.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from veerkracht.domain.signals import PERSON_CATEGORY
from veerkracht.storage import tables as t
from veerkracht.storage.audit import append_audit_rows
from veerkracht.storage.engine import Store
from veerkracht.storage.geometry import read_geometry

S = t.signals
H = t.signal_history


class StaleSignal(Exception):
    """The signal changed (or vanished) between reading it and writing the change."""


def insert_signal(store: Store, row: dict[str, Any], history: dict[str, Any]) -> bool:
    """Store a new signal and its first history row; False when its submission key exists."""
    try:
        with store.engine.begin() as conn:
            conn.execute(S.insert().values(**row))
            conn.execute(H.insert().values(signal_id=row["signal_id"], **history))
    except IntegrityError:
        if row.get("submission_key") and read_signal_by(
            store, "submission_key", row["submission_key"]
        ):
            return False
        raise
    return True


def change_signal_row(
    store: Store,
    signal_id: str,
    *,
    expected_status: str,
    values: dict[str, Any],
    history: Sequence[dict[str, Any]],
    new_signals: Sequence[dict[str, Any]] = (),
) -> None:
    """Apply ``values`` when the signal still has ``expected_status``; append ``history``.

    One transaction; StaleSignal when another change came first. ``new_signals`` (a split)
    are inserted in the same transaction, each with a "created" history row.
    """
    with store.engine.begin() as conn:
        done = conn.execute(
            update(S)
            .where(and_(S.c.signal_id == signal_id, S.c.status == expected_status))
            .values(**values)
        )
        if done.rowcount != 1:
            raise StaleSignal(signal_id)
        for row in history:
            conn.execute(H.insert().values(signal_id=signal_id, **row))
        for child in new_signals:
            created = child.pop("_history")
            conn.execute(S.insert().values(**child))
            conn.execute(H.insert().values(signal_id=child["signal_id"], **created))


def read_signal(store: Store, signal_id: str) -> dict[str, Any] | None:
    """One signal row as a dict, or None."""
    return read_signal_by(store, "signal_id", signal_id)


def read_signal_by(store: Store, column: str, value: str) -> dict[str, Any] | None:
    """The signal whose ``column`` (signal_id, submission_key, follow_hash, verify_hash) matches."""
    if column not in ("signal_id", "submission_key", "follow_hash", "verify_hash"):
        raise ValueError(f'cannot look signals up by "{column}"')
    with store.engine.connect() as conn:
        row = conn.execute(select(S).where(S.c[column] == value)).first()
    return None if row is None else dict(row._mapping)


def read_signals(
    store: Store,
    *,
    person: bool | None = None,
    team_ids: Iterable[str] | None = None,
    assignee: str | None = None,
    area_codes: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Signals newest first, filtered in SQL.

    ``person`` True/False keeps only/no worries about a person; ``team_ids``/``assignee`` keep
    signals routed to those teams or that person (either matches); ``area_codes`` keeps signals
    whose buurt, wijk or gemeente is one of them (None = anywhere).
    """
    query = select(S)
    if person is True:
        query = query.where(S.c.category == PERSON_CATEGORY)
    elif person is False:
        query = query.where(S.c.category != PERSON_CATEGORY)
    if team_ids is not None or assignee is not None:
        teams = list(team_ids or [])
        query = query.where(
            or_(S.c.team_id.in_(teams), and_(S.c.assignee.is_not(None), S.c.assignee == assignee))
        )
    if area_codes is not None:
        codes = list(area_codes)
        query = query.where(
            or_(
                S.c.neighbourhood_code.in_(codes),
                S.c.district_code.in_(codes),
                S.c.municipality_code.in_(codes),
            )
        )
    if statuses is not None:
        query = query.where(S.c.status.in_(list(statuses)))
    query = query.order_by(S.c.created_at.desc(), S.c.signal_id).limit(limit)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def read_history(
    store: Store, signal_id: str, *, public_only: bool = False
) -> list[dict[str, Any]]:
    """History rows of one signal, oldest first."""
    query = select(H).where(H.c.signal_id == signal_id)
    if public_only:
        query = query.where(H.c.public.is_(True))
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query.order_by(H.c.history_id))]


def append_history(store: Store, signal_id: str, row: dict[str, Any]) -> None:
    """Append one history row without a state change (e.g. 'reporter notified')."""
    with store.engine.begin() as conn:
        conn.execute(H.insert().values(signal_id=signal_id, **row))


def count_signals(store: Store) -> int:
    """How many signals the store holds."""
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(S)).scalar_one())


def count_open_nearby(
    store: Store,
    *,
    category: str,
    block_key: str | None,
    street_key: str | None,
    open_states: Iterable[str],
) -> dict[str, int]:
    """Open signals of ``category`` in the same block and in the same street."""
    out = {"block": 0, "street": 0}
    with store.engine.connect() as conn:
        for name, column, key in (
            ("block", S.c.block_key, block_key),
            ("street", S.c.street_key, street_key),
        ):
            if key:
                out[name] = int(
                    conn.execute(
                        select(func.count())
                        .select_from(S)
                        .where(
                            S.c.category == category,
                            column == key,
                            S.c.status.in_(list(open_states)),
                        )
                    ).scalar_one()
                )
    return out


def read_signal_points(store: Store) -> pd.DataFrame:
    """Every signal as a point for the indicators: signal_id, category, created_at, status, x, y.

    A worry about a person has category ``zorg_om_buur``; the column ``person`` says so too.
    """
    with store.engine.connect() as conn:
        frame = pd.read_sql(
            select(S.c.signal_id, S.c.category, S.c.created_at, S.c.status, S.c.x, S.c.y), conn
        )
    frame["person"] = frame["category"] == PERSON_CATEGORY
    return frame


# ---- places ---------------------------------------------------------------------------------


def locate_point(
    store: Store, x: float, y: float, *, radius_m: float = 100.0
) -> dict[str, Any] | None:
    """The buurt/wijk/gemeente containing (x, y) in RD and the nearest address within radius.

    None when no buurt of the store contains the point (outside the area).
    """
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t.units.c.key, t.units.c.parent_key, t.units.c.geometry).where(
                t.units.c.level == "neighbourhood",
                t.units.c.minx <= x,
                t.units.c.maxx >= x,
                t.units.c.miny <= y,
                t.units.c.maxy >= y,
            )
        ).all()
        point = shapely.Point(x, y)
        geoms = read_geometry([r.geometry for r in rows])
        found = [r for r, g in zip(rows, geoms, strict=True) if g is not None and g.covers(point)]
        if not found:
            return None
        neighbourhood = found[0]
        district = neighbourhood.parent_key
        municipality = conn.execute(
            select(t.units.c.parent_key).where(
                t.units.c.level == "district", t.units.c.key == district
            )
        ).scalar()
        nearest = _nearest_dwelling(conn, x, y, radius_m)
    return {
        "neighbourhood_code": neighbourhood.key,
        "district_code": district,
        "municipality_code": municipality,
        "dwelling": nearest,
    }


def locate_points(
    store: Store, xs: Sequence[float], ys: Sequence[float], *, radius_m: float = 100.0
) -> list[dict[str, Any] | None]:
    """``locate_point`` for many points at once (one read of buurten and dwellings)."""
    with store.engine.connect() as conn:
        areas = conn.execute(
            select(t.units.c.level, t.units.c.key, t.units.c.parent_key, t.units.c.geometry).where(
                t.units.c.level.in_(["neighbourhood", "district"])
            )
        ).all()
        dwellings = conn.execute(select(*_ADDRESS_COLUMNS)).all()
    buurten = [r for r in areas if r.level == "neighbourhood"]
    municipality_of = {r.key: r.parent_key for r in areas if r.level == "district"}
    points = shapely.points(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    polygons = read_geometry([r.geometry for r in buurten])
    inside = [None] * len(points)
    if len(polygons):
        point_idx, polygon_idx = shapely.STRtree(polygons).query(points, predicate="covered_by")
        for p, g in zip(point_idx[::-1], polygon_idx[::-1], strict=True):
            inside[int(p)] = int(g)  # reversed: the first match wins
    nearest = [None] * len(points)
    if dwellings:
        dx = np.array([r.x for r in dwellings])
        dy = np.array([r.y for r in dwellings])
        tree = shapely.STRtree(shapely.points(dx, dy))
        source, target = tree.query_nearest(points, max_distance=radius_m, all_matches=False)
        for p, d in zip(source, target, strict=True):
            nearest[int(p)] = dict(dwellings[int(d)]._mapping)
    out: list[dict[str, Any] | None] = []
    for i in range(len(points)):
        if inside[i] is None:
            out.append(None)
            continue
        buurt = buurten[inside[i]]
        out.append(
            {
                "neighbourhood_code": buurt.key,
                "district_code": buurt.parent_key,
                "municipality_code": municipality_of.get(buurt.parent_key),
                "dwelling": nearest[i],
            }
        )
    return out


def read_dwelling(store: Store, dwelling_id: str) -> dict[str, Any] | None:
    """One address with its place keys, or None."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(*_ADDRESS_COLUMNS).where(t.dwellings.c.dwelling_id == dwelling_id)
        ).first()
    return None if row is None else dict(row._mapping)


def find_addresses(
    store: Store, street: str, number: int | None, *, limit: int = 10
) -> list[dict[str, Any]]:
    """Addresses whose street name starts with ``street`` (any case), optionally of one number."""
    d = t.dwellings
    query = select(*_ADDRESS_COLUMNS).where(func.lower(d.c.street_name).like(_prefix(street)))
    if number is not None:
        query = query.where(d.c.house_number == number)
    query = query.order_by(d.c.street_name, d.c.house_number, d.c.house_letter, d.c.house_suffix)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query.limit(limit))]


_ADDRESS_COLUMNS = (
    t.dwellings.c.dwelling_id,
    t.dwellings.c.street_name,
    t.dwellings.c.house_number,
    t.dwellings.c.house_letter,
    t.dwellings.c.house_suffix,
    t.dwellings.c.postcode,
    t.dwellings.c.city,
    t.dwellings.c.x,
    t.dwellings.c.y,
    t.dwellings.c.block_key,
    t.dwellings.c.street_key,
    t.dwellings.c.neighbourhood_code,
    t.dwellings.c.district_code,
    t.dwellings.c.municipality_code,
)


def _prefix(text: str) -> str:
    escaped = text.lower().replace("\\", "").replace("%", "").replace("_", "")
    return f"{escaped}%"


def _nearest_dwelling(
    conn: Connection, x: float, y: float, radius_m: float
) -> dict[str, Any] | None:
    d = t.dwellings
    rows = conn.execute(
        select(*_ADDRESS_COLUMNS).where(
            d.c.x.between(x - radius_m, x + radius_m), d.c.y.between(y - radius_m, y + radius_m)
        )
    ).all()
    if not rows:
        return None
    best = min(rows, key=lambda r: (r.x - x) ** 2 + (r.y - y) ** 2)
    return dict(best._mapping)


# ---- retention ------------------------------------------------------------------------------


def remove_contacts(store: Store, signal_ids: Sequence[str], *, now: datetime) -> int:
    """Blank the contact details of these signals and note it in their history."""
    if not signal_ids:
        return 0
    with store.engine.begin() as conn:
        conn.execute(
            update(S)
            .where(S.c.signal_id.in_(list(signal_ids)))
            .values(
                contact_name=None,
                contact_email=None,
                contact_phone=None,
                contact_verified=None,
                verify_hash=None,
                contact_removed_at=now,
            )
        )
        conn.execute(
            H.insert(),
            [
                {
                    "signal_id": s,
                    "at": now,
                    "actor": "system",
                    "action": "contact_removed",
                    "from_state": None,
                    "to_state": None,
                    "note": None,
                    "public": False,
                }
                for s in signal_ids
            ],
        )
    return len(signal_ids)


def delete_with_tombstones(
    store: Store, signals: Sequence[dict[str, Any]], *, now: datetime, reason: str
) -> int:
    """Delete these signals and their history, leaving a tombstone each (one transaction)."""
    if not signals:
        return 0
    ids = [s["signal_id"] for s in signals]
    with store.engine.begin() as conn:
        conn.execute(
            t.signal_tombstones.insert(),
            [
                {
                    "signal_id": s["signal_id"],
                    "category": s["category"],
                    "created_at": s["created_at"],
                    "closed_at": s.get("closed_at"),
                    "deleted_at": now,
                    "neighbourhood_code": s.get("neighbourhood_code"),
                    "reason": reason,
                }
                for s in signals
            ],
        )
        conn.execute(delete(H).where(H.c.signal_id.in_(ids)))
        conn.execute(delete(S).where(S.c.signal_id.in_(ids)))
        append_audit_rows(
            conn,
            actor="system",
            action="delete",
            record_type="signal",
            record_ids=ids,
            now=now,
            detail=reason,
        )
    return len(ids)


def read_tombstones(store: Store) -> list[dict[str, Any]]:
    """Tombstones of deleted signals, oldest deletion first."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.signal_tombstones).order_by(t.signal_tombstones.c.deleted_at))
        return [dict(r._mapping) for r in rows]


def place_signal(store: Store, signal_id: str, *, values: dict[str, Any], now: datetime) -> None:
    """Set the place and routing of an imported signal, with a 'routed' history row."""
    place_signals(store, [(signal_id, values)], now=now)


def place_signals(
    store: Store, placed: Sequence[tuple[str, dict[str, Any]]], *, now: datetime
) -> None:
    """``place_signal`` for many signals in one transaction (one history row each)."""
    with store.engine.begin() as conn:
        for signal_id, values in placed:
            conn.execute(update(S).where(S.c.signal_id == signal_id).values(**values))
            conn.execute(
                H.insert().values(
                    signal_id=signal_id,
                    at=now,
                    actor="system",
                    action="routed",
                    from_state=None,
                    to_state=None,
                    note=values.get("team_id"),
                    public=False,
                )
            )
