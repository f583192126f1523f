"""Write what an importer delivers (one transaction) and read it back as frames."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

import geopandas as gpd
import pandas as pd
from sqlalchemy import Connection, and_, delete, or_, select

from veerkracht.domain import frames
from veerkracht.domain.frames import CRS_RD, SourceData
from veerkracht.errors import StoreError
from veerkracht.storage import tables as t
from veerkracht.storage.bulk import insert_frame, replace_rows
from veerkracht.storage.engine import Store
from veerkracht.storage.geometry import geometry_columns, read_geometry

_POINT_TABLES = {"dwellings", "assets", "signals"}

#: Asset statuses that count in analytics (an empty status counts too: older imports).
COUNTED_STATUSES = ("approved", "")
#: Asset origins whose rows an import replaces (residents' and professionals' items survive).
IMPORTED_ORIGINS = ("demo", "import")
_SHAPE_TABLES = {"buildings", "areas"}


def write_source(
    store: Store,
    data: SourceData,
    *,
    path: str,
    sha256: str,
    report: dict[str, Any],
    licence: str | None = None,
) -> int:
    """Replace the parts ``data`` carries and log the import; returns the import id.

    One transaction: a failure leaves the store as it was. Areas and Leefbaarometer scores are
    replaced per level, area statistics per source, year and area (so figures of other files
    and areas stay), assets per origin; every other table whole.
    """
    with store.engine.begin() as conn:
        for name, table in t.SOURCE_TABLES.items():
            frame = getattr(data, name)
            if frame is None:
                continue
            rows = _to_rows(name, frame)
            if name == "areas":
                levels = sorted(set(rows["level"]))
                replace_rows(conn, table, rows, where=t.areas.c.level.in_(levels))
            elif name == "assets":
                rows = _with_origin(rows, data.name)
                replace_rows(conn, table, rows, where=_same_origin(rows))
            elif name == "area_statistics":
                _replace_statistics(conn, rows)
            elif name == "liveability_scores":
                levels = sorted(set(rows["level"].astype(str)))
                where = t.liveability_scores.c.level.in_(levels)
                replace_rows(conn, table, rows, where=where)
            else:
                replace_rows(conn, table, rows)
        result = conn.execute(
            t.imports.insert().values(
                source=data.name,
                path=path,
                sha256=sha256,
                imported_at=datetime.now().replace(microsecond=0),
                licence=licence,
                report=json.dumps(report, ensure_ascii=False, sort_keys=True, default=str),
            )
        )
        return int(result.inserted_primary_key[0])


def _replace_statistics(conn: Connection, rows: pd.DataFrame) -> None:
    """Delete the stored figures of the same source, year and areas; insert ``rows``."""
    table = t.area_statistics
    for (source, year), part in rows.groupby(["source", "year"], sort=True):
        codes = sorted(set(part["code"]))
        for start in range(0, len(codes), _CODES_PER_DELETE):
            chunk = codes[start : start + _CODES_PER_DELETE]
            conn.execute(
                delete(table).where(
                    table.c.source == source, table.c.year == int(year), table.c.code.in_(chunk)
                )
            )
    insert_frame(conn, table, rows)


#: Area codes per DELETE statement (well below the drivers' parameter limits).
_CODES_PER_DELETE = 2000


def append_rows(store: Store, name: str, frame: pd.DataFrame) -> int:
    """Append canonical rows to one source table (one transaction)."""
    with store.engine.begin() as conn:
        return insert_frame(conn, t.SOURCE_TABLES[name], _to_rows(name, frame))


def read_frame(store: Store, name: str) -> pd.DataFrame | gpd.GeoDataFrame:
    """A source table as a frame; geometry tables come back as GeoDataFrames in RD New.

    Assets: only what counts in analytics, i.e. approved rows (an empty status counts as
    approved); pending, rejected, withdrawn and retired items are left out. Read every row
    through ``veerkracht.storage.assets.read_assets``.
    """
    table = t.SOURCE_TABLES[name]
    query = select(table)
    if name == "assets":
        query = query.where(or_(table.c.status.is_(None), table.c.status.in_(COUNTED_STATUSES)))
    return _read(store, name, query)


def read_areas(
    store: Store, *, levels: Collection[str] = (), level_prefix: str | None = None
) -> gpd.GeoDataFrame:
    """Areas of the given levels and/or whose level starts with ``level_prefix`` (in SQL: the
    table also holds the Leefbaarometer grid, hundreds of thousands of cells nationally)."""
    table = t.areas
    wanted = [table.c.level.in_(list(levels))] if levels else []
    if level_prefix:
        wanted.append(table.c.level.startswith(level_prefix, autoescape=True))
    query = select(table).where(or_(*wanted)) if wanted else select(table)
    return _read(store, "areas", query)  # type: ignore[return-value]


def _read(store: Store, name: str, query: Any) -> pd.DataFrame | gpd.GeoDataFrame:
    with store.engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    frame = _canonical_types(frame, _SPECS.get(name, {}))
    if name in _SHAPE_TABLES:
        geoms = read_geometry(frame.pop("geometry"))
        frame = frame.drop(columns=["minx", "miny", "maxx", "maxy"])
        return gpd.GeoDataFrame(frame, geometry=geoms, crs=CRS_RD)
    if name in _POINT_TABLES:
        return gpd.GeoDataFrame(
            frame, geometry=gpd.points_from_xy(frame["x"], frame["y"]), crs=CRS_RD
        )
    return frame


def read_imports(store: Store) -> pd.DataFrame:
    """The import log, newest first, with each report decoded."""
    with store.engine.connect() as conn:
        frame = pd.read_sql(select(t.imports).order_by(t.imports.c.import_id.desc()), conn)
    frame["report"] = [json.loads(r) for r in frame["report"]]
    return frame


def count_rows(store: Store, name: str) -> int:
    """Number of rows in a source table."""
    from sqlalchemy import func

    with store.engine.connect() as conn:
        return int(
            conn.execute(select(func.count()).select_from(t.SOURCE_TABLES[name])).scalar_one()
        )


def require_dwellings(store: Store) -> None:
    """Raise StoreError with a hint when nothing has been imported yet."""
    if count_rows(store, "dwellings") == 0:
        raise StoreError(
            "the store has no dwellings yet: run `veerkracht demo` or `veerkracht import bag PATH`"
        )


_SPECS: dict[str, dict[str, str]] = {
    "buildings": frames.BUILDING_COLUMNS,
    "dwellings": frames.DWELLING_COLUMNS,
    "areas": frames.AREA_COLUMNS,
    "lettings": frames.LETTING_COLUMNS,
    "moveouts": frames.MOVEOUT_COLUMNS,
    "nuisance": frames.NUISANCE_COLUMNS,
    "signals": frames.SIGNAL_COLUMNS,
}


def _with_origin(rows: pd.DataFrame, source: str) -> pd.DataFrame:
    """Imported assets carry their origin (demo or import) and the source that wrote them."""
    rows = rows.copy()
    origin = "demo" if source == "demostad" else "import"
    if "origin" not in rows:
        rows["origin"] = origin
    rows["origin"] = rows["origin"].fillna(origin)
    if "source_name" not in rows:
        rows["source_name"] = source
    rows["source_name"] = rows["source_name"].fillna(source)
    unexpected = set(rows["origin"]) - set(IMPORTED_ORIGINS)
    if unexpected:
        raise StoreError(f"an import cannot write assets of origin {sorted(unexpected)}")
    return rows


def _same_origin(rows: pd.DataFrame) -> Any:
    """Rows an import of these assets replaces: the same origin and source, and rows without an
    origin (written before origins were kept, always by an import)."""
    a = t.assets.c
    pairs = sorted(set(zip(rows["origin"], rows["source_name"], strict=True)))
    same = [and_(a.origin == origin, a.source_name == source) for origin, source in pairs]
    return or_(a.origin.is_(None), *same)


def _canonical_types(frame: pd.DataFrame, spec: dict[str, str]) -> pd.DataFrame:
    """Cast read-back columns to the canonical dtypes (Int64 years, datetime64 dates)."""
    for column, dtype in spec.items():
        if column not in frame.columns:
            continue
        if dtype == "Int64":
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
        elif dtype.startswith("datetime64"):
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    return frame


def _to_rows(name: str, frame: Any) -> pd.DataFrame:
    """Canonical frame → table rows (WKB + bbox, or x/y for point tables)."""
    rows = pd.DataFrame(frame).copy()
    if name in _POINT_TABLES and "geometry" in rows:
        geoms = gpd.GeoSeries(rows.pop("geometry"))
        rows["x"] = geoms.x.to_numpy()
        rows["y"] = geoms.y.to_numpy()
    elif name in _SHAPE_TABLES and "geometry" in rows:
        geoms = rows.pop("geometry").to_numpy()
        for column, values in geometry_columns(geoms).items():
            rows[column] = values
    return rows
