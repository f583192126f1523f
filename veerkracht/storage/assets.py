"""Assets (ABCD): read with filters, insert once, change under a status check.

Only this module speaks SQL about assets. Who may *see* a row is decided elsewhere
(``veerkracht.community.audience.can_see``); readers here return every column and callers filter.
Private helpers take a connection and never commit.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from veerkracht.storage import tables as t
from veerkracht.storage.audit import append_audit_rows
from veerkracht.storage.engine import Store
from veerkracht.storage.geometry import read_geometry

A = t.assets

_DATE_COLUMNS = (
    "consent_at",
    "created_at",
    "updated_at",
    "confirmed_at",
    "withdrawn_at",
    "moderated_at",
)


def read_assets(
    store: Store,
    *,
    level: str | None = None,
    unit_key: str | None = None,
    block_key: str | None = None,
    street_key: str | None = None,
    neighbourhood_code: str | None = None,
    kinds: Collection[str] | None = None,
    entrance_key: str | None = None,
    entrance_keys: Collection[str] | None = None,
    statuses: Collection[str] | None = None,
) -> pd.DataFrame:
    """Assets as a frame with every column (any status); filters combine with AND.

    ``level`` + ``unit_key`` select the items tied to that unit; ``block_key``, ``street_key``
    and ``neighbourhood_code`` (and ``entrance_key``/``entrance_keys``) select by the keys each
    item carries; ``statuses`` keeps those statuses (an empty status counts as "approved").
    Callers decide visibility with ``veerkracht.community.audience.can_see`` (pending and
    withdrawn rows are included unless ``statuses`` leaves them out).
    """
    conditions = []
    if level is not None:
        conditions.append(A.c.level == level)
    if unit_key is not None:
        conditions.append(A.c.unit_key == unit_key)
    if block_key is not None:
        conditions.append(A.c.block_key == block_key)
    if street_key is not None:
        conditions.append(A.c.street_key == street_key)
    if neighbourhood_code is not None:
        conditions.append(A.c.neighbourhood_code == neighbourhood_code)
    if kinds is not None:
        conditions.append(A.c.kind.in_(sorted(set(kinds))))
    if entrance_key is not None:
        conditions.append(A.c.entrance_key == entrance_key)
    if entrance_keys is not None:
        conditions.append(A.c.entrance_key.in_(sorted(set(entrance_keys))))
    if statuses is not None:
        chosen = sorted(set(statuses))
        in_list = A.c.status.in_(chosen)
        conditions.append(or_(in_list, A.c.status.is_(None)) if "approved" in chosen else in_list)
    query = select(A).order_by(A.c.asset_id)
    if conditions:
        query = query.where(and_(*conditions))
    with store.engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    return _typed(frame)


def read_asset(store: Store, asset_id: str) -> dict[str, Any] | None:
    """One asset row as a dict, or None."""
    with store.engine.connect() as conn:
        row = conn.execute(select(A).where(A.c.asset_id == asset_id)).mappings().first()
    return dict(row) if row else None


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("x", "y"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    for column in _DATE_COLUMNS:
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def read_asset_by_hash(store: Store, edit_hash: str) -> dict[str, Any] | None:
    """The asset behind a personal link (by the sha256 of its token), or None."""
    with store.engine.connect() as conn:
        row = conn.execute(select(A).where(A.c.edit_hash == edit_hash)).mappings().first()
    return dict(row) if row else None


def insert_asset(store: Store, row: dict[str, Any]) -> bool:
    """Store a new asset; False when an asset with this id exists already (a retried form)."""
    try:
        with store.engine.begin() as conn:
            conn.execute(A.insert().values(**row))
    except IntegrityError:
        if read_asset(store, row["asset_id"]) is not None:
            return False
        raise
    return True


def change_asset_row(
    store: Store,
    asset_id: str,
    *,
    expected_status: str | None,
    values: dict[str, Any],
    audit: dict[str, Any] | None = None,
) -> bool:
    """Apply ``values`` when the asset still has ``expected_status`` (one transaction).

    False when another change came first (the status differs, or the asset is gone). An
    ``audit`` row (actor, action, now, detail) is appended in the same transaction.
    """
    status = A.c.status.is_(None) if expected_status is None else A.c.status == expected_status
    with store.engine.begin() as conn:
        done = conn.execute(
            update(A).where(and_(A.c.asset_id == asset_id, status)).values(**values)
        )
        if done.rowcount != 1:
            return False
        if audit is not None:
            append_audit_rows(
                conn,
                actor=audit["actor"],
                action=audit["action"],
                record_type="asset",
                record_ids=[asset_id],
                now=audit["now"],
                detail=audit.get("detail"),
            )
    return True


def find_dwellings_at(store: Store, postcode: str, house_number: int) -> list[dict[str, Any]]:
    """Dwellings with this postcode (``1234AB``) and house number, with their level keys."""
    d = t.dwellings
    query = (
        select(*_PLACE_COLUMNS)
        .where(
            func.upper(func.replace(d.c.postcode, " ", "")) == postcode,
            d.c.house_number == house_number,
        )
        .order_by(d.c.house_letter, d.c.house_suffix, d.c.dwelling_id)
    )
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def read_dwelling_place(store: Store, dwelling_id: str) -> dict[str, Any] | None:
    """One dwelling's point and level keys (no address), or None."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(*_PLACE_COLUMNS).where(t.dwellings.c.dwelling_id == dwelling_id)
        ).first()
    return None if row is None else dict(row._mapping)


def read_label_points(
    store: Store, pairs: Collection[tuple[str, str]]
) -> dict[tuple[str, str], tuple[float, float]]:
    """The label point (x, y in RD) of each (level, key) unit that exists."""
    wanted = sorted({p for p in pairs if p[0] and p[1]})
    out: dict[tuple[str, str], tuple[float, float]] = {}
    u = t.units
    with store.engine.connect() as conn:
        for level in sorted({level for level, _key in wanted}):
            keys = [key for lv, key in wanted if lv == level]
            for start in range(0, len(keys), 500):
                rows = conn.execute(
                    select(u.c.key, u.c.x, u.c.y).where(
                        u.c.level == level, u.c.key.in_(keys[start : start + 500])
                    )
                )
                for row in rows:
                    if row.x is not None and row.y is not None:
                        out[(level, row.key)] = (float(row.x), float(row.y))
    return out


def place_assets(store: Store, *, radius_m: float = 150.0) -> int:
    """Give assets their level keys from the built dwellings (one transaction); returns how many.

    An item tied to an address takes that dwelling's keys (kept current after a rebuild); an
    item without keys takes those of the nearest dwelling within ``radius_m`` and is tied to its
    block (or to the buurt when no dwelling is that near, if a buurt contains it).
    """
    with store.engine.begin() as conn:
        assets = conn.execute(
            select(A.c.asset_id, A.c.x, A.c.y, A.c.dwelling_id, A.c.level, A.c.neighbourhood_code)
        ).all()
        todo = [a for a in assets if a.dwelling_id or not a.neighbourhood_code]
        if not todo:
            return 0
        dwellings = pd.read_sql(select(*_PLACE_COLUMNS), conn)
        if dwellings.empty:
            return 0
        by_id = dwellings.set_index("dwelling_id", drop=False)
        placed = _placements(todo, dwellings, by_id, radius_m)
        done = {p["asset_id"] for p in placed}
        placed += _in_buurt(conn, [a for a in todo if a.asset_id not in done and not a.dwelling_id])
        for values in placed:
            asset_id = values.pop("asset_id")
            conn.execute(update(A).where(A.c.asset_id == asset_id).values(**values))
    return len(placed)


def _in_buurt(conn: Any, todo: list[Any]) -> list[dict[str, Any]]:
    """Items far from any address: tied to the buurt whose outline contains them."""
    if not todo:
        return []
    u = t.units
    rows = conn.execute(select(u.c.key, u.c.geometry).where(u.c.level == "neighbourhood")).all()
    if not rows:
        return []
    tree = shapely.STRtree(read_geometry([r.geometry for r in rows]))
    points = shapely.points([float(a.x) for a in todo], [float(a.y) for a in todo])
    found, buurt = tree.query(points, predicate="covered_by")
    out, seen = [], set()
    for i, j in zip(found, buurt, strict=True):
        if int(i) in seen:
            continue
        seen.add(int(i))
        key = str(rows[int(j)].key)
        out.append(
            {"asset_id": todo[int(i)].asset_id, "level": "neighbourhood", "unit_key": key,
             "neighbourhood_code": key}
        )  # fmt: skip
    return out


def _placements(
    todo: list[Any], dwellings: pd.DataFrame, by_id: pd.DataFrame, radius_m: float
) -> list[dict[str, Any]]:
    tree = shapely.STRtree(shapely.points(dwellings["x"].to_numpy(), dwellings["y"].to_numpy()))
    out = []
    for asset in todo:
        if asset.dwelling_id and asset.dwelling_id in by_id.index:
            place = by_id.loc[asset.dwelling_id]
        else:
            point = shapely.Point(float(asset.x), float(asset.y))
            index = tree.query_nearest(point, max_distance=radius_m)
            if len(index) == 0:
                continue
            place = dwellings.iloc[int(index[0])]
        level = asset.level or "block"
        keys = {column: _text(place[column]) for column in _KEY_COLUMNS}
        unit_key = keys.get(_LEVEL_COLUMN.get(level, ""))
        if unit_key is None:
            level, unit_key = "neighbourhood", keys["neighbourhood_code"]
        out.append({"asset_id": asset.asset_id, **keys, "level": level, "unit_key": unit_key})
    return out


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


_KEY_COLUMNS = ("entrance_key", "block_key", "street_key", "neighbourhood_code")
_LEVEL_COLUMN = {
    "entrance": "entrance_key",
    "block": "block_key",
    "street": "street_key",
    "neighbourhood": "neighbourhood_code",
}
_PLACE_COLUMNS = (
    t.dwellings.c.dwelling_id,
    t.dwellings.c.x,
    t.dwellings.c.y,
    t.dwellings.c.house_letter,
    t.dwellings.c.house_suffix,
    t.dwellings.c.entrance_key,
    t.dwellings.c.block_key,
    t.dwellings.c.street_key,
    t.dwellings.c.neighbourhood_code,
)


def save_assets(store: Store, *, changed: list[dict[str, Any]], added: list[dict[str, Any]]) -> int:
    """Update ``changed`` rows (by asset_id) and insert ``added`` ones in one transaction."""
    with store.engine.begin() as conn:
        for row in changed:
            values = {k: v for k, v in row.items() if k != "asset_id"}
            conn.execute(update(A).where(A.c.asset_id == row["asset_id"]).values(**values))
        if added:
            conn.execute(A.insert(), added)
    return len(changed) + len(added)
