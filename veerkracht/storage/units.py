"""Write the result of a build (dwelling keys, units, indicators) and read units back."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import geopandas as gpd
import pandas as pd
from sqlalchemy import and_, delete, func, select

from veerkracht.domain.frames import CRS_RD
from veerkracht.errors import NotFound, StoreError
from veerkracht.storage import tables as t
from veerkracht.storage.bulk import insert_frame, replace_rows
from veerkracht.storage.engine import Store
from veerkracht.storage.geometry import geometry_columns, read_geometry


def write_build(
    store: Store,
    *,
    dwellings: pd.DataFrame,
    units: gpd.GeoDataFrame,
    indicators: pd.DataFrame,
    reference_year: int,
    summary: dict[str, Any],
    findings: pd.DataFrame | None = None,
) -> None:
    """Store a complete build in one transaction: dwellings with keys, units, indicators and
    what the assessment found (warnings, positive deviance)."""
    unit_rows = pd.DataFrame(units.drop(columns="geometry"))
    for column, values in geometry_columns(units.geometry.to_numpy()).items():
        unit_rows[column] = values
    with store.engine.begin() as conn:
        replace_rows(conn, t.dwellings, dwellings)
        replace_rows(conn, t.units, unit_rows)
        # in primary-key order: B-tree appends instead of random inserts
        ordered = indicators.sort_values(["level", "key", "year", "indicator"], kind="stable")
        replace_rows(conn, t.indicator_values, ordered)
        replace_rows(conn, t.findings, findings if findings is not None else pd.DataFrame())
        conn.execute(
            t.builds.insert().values(
                built_at=datetime.now().replace(microsecond=0),
                reference_year=reference_year,
                summary=json.dumps(summary, sort_keys=True),
            )
        )


def read_last_build(store: Store) -> dict[str, Any] | None:
    """The newest build record with its summary, or None when nothing was built."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.builds).order_by(t.builds.c.build_id.desc()).limit(1)).first()
    if row is None:
        return None
    return {
        "built_at": row.built_at,
        "reference_year": row.reference_year,
        "summary": json.loads(row.summary),
    }


def read_units(
    store: Store,
    level: str,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    parent_key: str | None = None,
    with_geometry: bool = True,
) -> gpd.GeoDataFrame | pd.DataFrame:
    """Units of one level, optionally inside a bbox (RD) or below one parent unit."""
    columns = [c for c in t.units.c if with_geometry or c.name != "geometry"]
    query = select(*columns).where(t.units.c.level == level)
    if bbox is not None:
        minx, miny, maxx, maxy = bbox
        query = query.where(
            and_(t.units.c.maxx >= minx, t.units.c.minx <= maxx),
            and_(t.units.c.maxy >= miny, t.units.c.miny <= maxy),
        )
    if parent_key is not None:
        query = query.where(t.units.c.parent_key == parent_key)
    with store.engine.connect() as conn:
        frame = pd.read_sql(query.order_by(t.units.c.key), conn)
    if not with_geometry:
        return frame
    geoms = read_geometry(frame.pop("geometry"))
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=CRS_RD)


def read_unit(store: Store, level: str, key: str) -> dict[str, Any]:
    """One unit as a dict (geometry as shapely), or NotFound naming level and key."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(t.units).where(t.units.c.level == level, t.units.c.key == key)
        ).first()
    if row is None:
        raise NotFound(f'no {level} with key "{key}"')
    unit = dict(row._mapping)
    unit["geometry"] = read_geometry([unit["geometry"]])[0]
    return unit


def read_unit_indicators(store: Store, level: str, key: str) -> pd.DataFrame:
    """All stored indicator values of one unit (every year)."""
    query = select(t.indicator_values).where(
        t.indicator_values.c.level == level, t.indicator_values.c.key == key
    )
    with store.engine.connect() as conn:
        return pd.read_sql(query.order_by(t.indicator_values.c.year), conn)


def read_indicator_table(store: Store, level: str, year: int | None = None) -> pd.DataFrame:
    """Indicator values of every unit of a level for one year (newest when None)."""
    query = select(t.indicator_values).where(t.indicator_values.c.level == level)
    if year is not None:
        query = query.where(t.indicator_values.c.year == year)
    with store.engine.connect() as conn:
        return pd.read_sql(query, conn)


def read_dwellings_of(store: Store, level_column: str, key: str) -> pd.DataFrame:
    """Dwellings whose key at one level is ``key`` (addresses only: no sensitive data)."""
    column = t.dwellings.c[level_column]
    query = (
        select(
            t.dwellings.c.dwelling_id,
            t.dwellings.c.street_name,
            t.dwellings.c.house_number,
            t.dwellings.c.house_letter,
            t.dwellings.c.house_suffix,
            t.dwellings.c.postcode,
            t.dwellings.c.entrance_key,
            t.dwellings.c.building_id,
        )
        .where(column == key)
        .order_by(t.dwellings.c.street_name, t.dwellings.c.house_number, t.dwellings.c.dwelling_id)
    )
    with store.engine.connect() as conn:
        return pd.read_sql(query, conn)


def read_findings(store: Store, kind: str, *, level: str | None = None) -> pd.DataFrame:
    """Findings of one kind (warning, positive_deviance) with their details decoded."""
    query = select(t.findings).where(t.findings.c.kind == kind)
    if level is not None:
        query = query.where(t.findings.c.level == level)
    with store.engine.connect() as conn:
        frame = pd.read_sql(query.order_by(t.findings.c.level, t.findings.c.score.desc()), conn)
    frame["details"] = [json.loads(d) for d in frame["details"]]
    return frame


def count_units(store: Store) -> dict[str, int]:
    """Number of units per level."""
    query = select(t.units.c.level, func.count()).group_by(t.units.c.level)
    with store.engine.connect() as conn:
        return {level: int(n) for level, n in conn.execute(query)}


def require_build(store: Store) -> dict[str, Any]:
    """The last build, or StoreError telling the user what to run."""
    build = read_last_build(store)
    if build is None:
        raise StoreError("nothing has been built yet: run `veerkracht demo` or `veerkracht build`")
    return build


def clear_build(store: Store) -> None:
    """Remove units and indicators (used before a rebuild from scratch)."""
    with store.engine.begin() as conn:
        conn.execute(delete(t.units))
        conn.execute(delete(t.indicator_values))


def read_stored_level_years(store: Store) -> set[tuple[str, int]]:
    """The (level, year) pairs the stored indicator values cover (what the last build kept)."""
    v = t.indicator_values
    with store.engine.connect() as conn:
        rows = conn.execute(select(v.c.level, v.c.year).distinct()).all()
    return {(str(level), int(year)) for level, year in rows}


def replace_indicator_values(store: Store, values: pd.DataFrame, *, indicators: list[str]) -> int:
    """Replace every stored row of ``indicators`` by ``values`` (one transaction)."""
    columns = [c.name for c in t.indicator_values.columns]
    rows = values[[c for c in columns if c in values.columns]]
    rows = rows.sort_values(["level", "key", "year", "indicator"], kind="stable")
    with store.engine.begin() as conn:
        where = t.indicator_values.c.indicator.in_(list(indicators))
        return replace_rows(conn, t.indicator_values, rows, where=where)


__all__ = [
    "clear_build",
    "count_units",
    "insert_frame",
    "read_dwellings_of",
    "read_findings",
    "read_indicator_table",
    "read_last_build",
    "read_unit",
    "read_unit_indicators",
    "read_units",
    "require_build",
    "write_build",
]
