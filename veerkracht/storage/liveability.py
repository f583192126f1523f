"""Leefbaarometer scores and the 100 m grid cells: written per level, read for build and pages.

The general ``write_source`` replaces a whole table; Leefbaarometer files come one level at a
time (buurten, wijken, PC4, the grid cells, the grid scores), so here a file replaces only the
rows of its own level(s) in ``liveability_scores`` and ``areas``. Grid cells are ``areas`` rows of
their own level (``lbm_grid``): code, WKB geometry and bounding box.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import geopandas as gpd
import pandas as pd
from sqlalchemy import and_, select

from veerkracht.domain.frames import CRS_RD, SourceData
from veerkracht.storage import tables as t
from veerkracht.storage.bulk import replace_rows
from veerkracht.storage.engine import Store
from veerkracht.storage.geometry import geometry_columns, read_geometry
from veerkracht.storage.statistics import LIVEABILITY_SCORES

Bounds = tuple[float, float, float, float]


def write_per_level(
    store: Store,
    data: SourceData,
    *,
    path: str,
    sha256: str,
    report: dict[str, Any],
    licence: str | None = None,
) -> int:
    """Replace the levels ``data`` carries (scores and/or areas) and log the import.

    One transaction: a failure leaves the store as it was; the same file again gives the same
    rows. Returns the import id.
    """
    with store.engine.begin() as conn:
        if data.areas is not None and len(data.areas):
            rows = _area_rows(data.areas)
            levels = sorted(set(rows["level"].astype(str)))
            replace_rows(conn, t.areas, rows, where=t.areas.c.level.in_(levels))
        scores = data.liveability_scores
        if scores is not None and len(scores):
            levels = sorted(set(scores["level"].astype(str)))
            where = t.liveability_scores.c.level.in_(levels)
            replace_rows(conn, t.liveability_scores, pd.DataFrame(scores), where=where)
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
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def read_area_codes(store: Store, level: str) -> list[str]:
    """The codes of the stored areas of one level (e.g. every grid cell id)."""
    query = select(t.areas.c.code).where(t.areas.c.level == level).order_by(t.areas.c.code)
    with store.engine.connect() as conn:
        return [str(code) for code in conn.execute(query).scalars()]


def read_scored_codes(store: Store, level: str) -> list[str]:
    """The codes that have at least one stored score of one level."""
    table = t.liveability_scores
    query = select(table.c.code).where(table.c.level == level).distinct()
    with store.engine.connect() as conn:
        return [str(code) for code in conn.execute(query).scalars()]


def read_score_years(store: Store, level: str) -> list[int]:
    """The years with stored scores of one level, oldest first."""
    table = t.liveability_scores
    query = select(table.c.year).where(table.c.level == level).distinct().order_by(table.c.year)
    with store.engine.connect() as conn:
        return [int(year) for year in conn.execute(query).scalars()]


def read_scores_except(store: Store, level: str) -> pd.DataFrame:
    """Every stored score except those of ``level`` (the area scores without the big grid)."""
    table = t.liveability_scores
    with store.engine.connect() as conn:
        frame = pd.read_sql(select(table).where(table.c.level != level), conn)
    return _typed_scores(frame)


def read_grid(
    store: Store, *, cell_level: str, score_level: str, bounds: Bounds
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The grid cells whose box meets ``bounds`` (minx, miny, maxx, maxy) and their scores.

    Cells: code and geometry (RD New). Scores: code, year and the seven Leefbaarometer scores.
    """
    cells, scores = t.areas, t.liveability_scores
    minx, miny, maxx, maxy = bounds
    near = and_(
        cells.c.level == cell_level,
        cells.c.maxx >= minx,
        cells.c.minx <= maxx,
        cells.c.maxy >= miny,
        cells.c.miny <= maxy,
    )
    joined = scores.join(cells, and_(cells.c.code == scores.c.code, near))
    score_query = (
        select(scores.c.code, scores.c.year, *(scores.c[c] for c in LIVEABILITY_SCORES))
        .select_from(joined)
        .where(scores.c.level == score_level)
    )
    with store.engine.connect() as conn:
        cell_frame = pd.read_sql(select(cells.c.code, cells.c.geometry).where(near), conn)
        score_frame = pd.read_sql(score_query, conn)
    geometry = read_geometry(cell_frame.pop("geometry"))
    grid = gpd.GeoDataFrame(cell_frame.astype({"code": str}), geometry=geometry, crs=CRS_RD)
    return grid, _typed_scores(score_frame)


def _area_rows(areas: Any) -> pd.DataFrame:
    rows = pd.DataFrame(areas).drop(columns="geometry")
    for column, values in geometry_columns(areas.geometry.to_numpy()).items():
        rows[column] = values
    return rows


def _typed_scores(frame: pd.DataFrame) -> pd.DataFrame:
    frame["code"] = frame["code"].astype(str)
    frame["year"] = pd.to_numeric(frame["year"]).astype("Int64")
    for column in LIVEABILITY_SCORES:
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame
