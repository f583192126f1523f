"""Leefbaarometer scores and the 100 m grid cells: written per level, read for build and pages.

The general ``write_source`` replaces a whole table; Leefbaarometer files come one level at a
time (buurten, wijken, PC4, the grid cells, the grid scores), so here a file replaces only the
rows of its own level(s) in ``liveability_scores`` and ``areas``. Grid cells are ``areas`` rows of
their own level (``lbm_grid``): code, WKB geometry and bounding box.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from sqlalchemy import and_, select

from veerkracht.domain.frames import CRS_RD
from veerkracht.storage import tables as t
from veerkracht.storage.engine import Store
from veerkracht.storage.geometry import read_geometry
from veerkracht.storage.statistics import LIVEABILITY_SCORES

Bounds = tuple[float, float, float, float]


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


def _typed_scores(frame: pd.DataFrame) -> pd.DataFrame:
    frame["code"] = frame["code"].astype(str)
    frame["year"] = pd.to_numeric(frame["year"]).astype("Int64")
    for column in LIVEABILITY_SCORES:
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame
