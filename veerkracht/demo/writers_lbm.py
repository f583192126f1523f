"""Demostad's Leefbaarometer 100 m grid in the open-data formats (``import`` them as real files).

- ``grid 2024.gpkg``: the cells, layer ``grid 2024`` with ``grid_id`` and the 100 m square in RD
  New (``import leefbaarometer-grid-cells``);
- ``Leefbaarometer-scores grids 2016-2024.csv``: ``grid_id,jaar,lbm,afw,fys,onv,soc,vrz,won``
  for the measurement years 2016–2024 (``import leefbaarometer``, after the cells).

The cells are the squares that hold at least one dwelling; an id names the lower-left corner in
hectometres, as the CBS grid does (``E1400N4550``). The scores follow the story: a base per cell
(denser cells a little lower), small noise, and a dip around the Kersenboomstraat that deepens
from 2016 to 2024, mostly in nuisance and safety and in social cohesion. The five dimensions add
up to ``afw``, and ``lbm = afw + 4.102265`` (the fixed national reference, as in the real files).
Same seed, same files.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from scipy.spatial import cKDTree

from veerkracht.demo.generator import DemoData
from veerkracht.demo.writers import WrittenFile
from veerkracht.domain.frames import CRS_RD

GRID_GPKG = "grid 2024.gpkg"
GRID_LAYER = "grid 2024"
YEARS = (2016, 2018, 2020, 2022, 2024)
GRID_SCORES_CSV = f"Leefbaarometer-scores grids {YEARS[0]}-{YEARS[-1]}.csv"
LBM_REFERENCE = 4.102265
CELL_M = 100
#: How far (m) the Kersenboomstraat dip reaches (the weight falls to 1/e), and its depth in 2024.
STORY_REACH_M = 120.0
STORY_DEPTH = 0.30
#: Share of the dip in each dimension (they sum to 1; fys and vrz do not change).
STORY_SHARES = {"fys": 0.0, "onv": 0.45, "soc": 0.35, "vrz": 0.0, "won": 0.20}
#: How much of a cell's base each dimension carries (they sum to 1).
BASE_SHARES = {"fys": 0.2, "onv": 0.15, "soc": 0.15, "vrz": 0.3, "won": 0.2}


def write_liveability_grid(demo: DemoData, folder: Path) -> list[WrittenFile]:
    """Write Demostad's grid cells (GeoPackage) and grid scores (CSV) into ``folder``."""
    cells, scores = demostad_grid(demo)
    gpkg = folder / GRID_GPKG
    gpkg.unlink(missing_ok=True)
    pyogrio.write_dataframe(cells, gpkg, layer=GRID_LAYER, driver="GPKG", GEOMETRY_NAME="geom")
    csv = folder / GRID_SCORES_CSV
    scores.to_csv(csv, index=False, encoding="utf-8", lineterminator="\n", float_format="%.6f")
    return [
        WrittenFile(gpkg, "leefbaarometer-grid-cells", len(cells), "Leefbaarometer grid cells"),
        WrittenFile(csv, "leefbaarometer", len(scores), "Leefbaarometer grid scores"),
    ]


def demostad_grid(demo: DemoData) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The cells (``grid_id``, square) and their scores (``grid_id, jaar, lbm, …``) of Demostad."""
    points = demo.source.dwellings.geometry
    col = np.floor(points.x.to_numpy() / CELL_M).astype(np.int64)
    row = np.floor(points.y.to_numpy() / CELL_M).astype(np.int64)
    counts = pd.DataFrame({"col": col, "row": row}).value_counts().sort_index()
    cols = counts.index.get_level_values("col").to_numpy()
    rows = counts.index.get_level_values("row").to_numpy()
    ids = [f"E{c:04d}N{r:04d}" for c, r in zip(cols, rows, strict=True)]
    squares = shapely.box(cols * CELL_M, rows * CELL_M, (cols + 1) * CELL_M, (rows + 1) * CELL_M)
    cells = gpd.GeoDataFrame({"grid_id": ids}, geometry=squares, crs=CRS_RD)
    centres = np.column_stack([(cols + 0.5) * CELL_M, (rows + 0.5) * CELL_M])
    weight = _story_weight(demo, centres)
    scores = _scores(demo.seed, ids, counts.to_numpy(dtype=float), weight)
    return cells, scores


def _story_weight(demo: DemoData, centres: np.ndarray) -> np.ndarray:
    """1 at the Kersenboomstraat, falling off with the distance to its nearest dwelling."""
    dwellings = demo.source.dwellings
    rising = dwellings[dwellings["dwelling_id"].isin(demo.story.get("rising_dwellings", []))]
    if rising.empty:
        return np.zeros(len(centres))
    street = np.column_stack([rising.geometry.x.to_numpy(), rising.geometry.y.to_numpy()])
    distance, _ = cKDTree(street).query(centres)
    return np.exp(-np.asarray(distance, dtype=float) / STORY_REACH_M)


def _scores(seed: int, ids: list[str], dwellings: np.ndarray, weight: np.ndarray) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 2024])
    n = len(ids)
    density = np.log(dwellings / np.median(dwellings))
    base = 0.12 - 0.05 * np.clip(density, -1.5, 1.5) + rng.normal(0.0, 0.03, n)
    parts = []
    for year in YEARS:
        progress = (year - YEARS[0]) / (YEARS[-1] - YEARS[0])
        dip = (0.05 + (STORY_DEPTH - 0.05) * progress) * weight
        trend = 0.004 * (year - YEARS[0])
        dims = {
            name: np.round(
                BASE_SHARES[name] * (base + trend)
                - STORY_SHARES[name] * dip
                + rng.normal(0.0, 0.01, n),
                6,
            )
            for name in ("fys", "onv", "soc", "vrz", "won")
        }
        afw = np.round(sum(dims.values()), 6)
        parts.append(
            pd.DataFrame(
                {
                    "grid_id": ids,
                    "jaar": year,
                    "lbm": np.round(afw + LBM_REFERENCE, 6),
                    "afw": afw,
                    **dims,
                }
            )
        )
    return pd.concat(parts, ignore_index=True).sort_values(["grid_id", "jaar"], ignore_index=True)
