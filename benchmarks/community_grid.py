"""Leefbaarometer grid at national size, and refreshing the asset indicators against a build.

Usage: python benchmarks/community_grid.py [--only grid refresh] [--cells N] [--years N]
                                          [--points N] [--dwellings N ...] [--seed N]

- grid: a national-size grid is synthesised in the download's layout (``grid 2024.gpkg``, layer
  ``grid 2024``, and ``Leefbaarometer-scores grids ….csv``: docs/formats.md "Leefbaarometer
  3.0"); ``pipeline.import_source`` of the cells and then of the scores each run in a child
  process (wall time of the import itself, peak RSS of the process from ``os.wait4``). Then N
  dwelling points get their cell and its scores from the stored grid: ``attach_grid_scores``
  (the build's join) against ``geopandas.sjoin(predicate="within")`` and against a loop that
  tests every cell per dwelling (timed on a sample, extrapolated), all in the same run.
- refresh: per size a Demostad workspace (``run_demo``); one pending item is approved with
  ``change_asset`` (which recomputes the asset indicators), ``refresh_indicators`` is timed on
  its own, then a whole ``pipeline.build`` on the same workspace.

Prints one line per figure; docs/performance.md keeps them with the command.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyogrio
import shapely

from veerkracht import pipeline
from veerkracht.community.assets import change_asset, command_line
from veerkracht.community.rules import ASSET_INDICATORS
from veerkracht.demo.writers_lbm import GRID_LAYER, LBM_REFERENCE
from veerkracht.domain.frames import CRS_RD
from veerkracht.importers.leefbaarometer_grid import CELL_LEVEL, SCORE_LEVEL
from veerkracht.indicators.liveability import GRID_SCORES, attach_grid_scores
from veerkracht.indicators.refresh import refresh_indicators
from veerkracht.settings import Settings
from veerkracht.storage import assets as asset_store
from veerkracht.storage import liveability as liveability_store

#: Where the synthetic cells lie, in 100 m columns and rows of RD New (x 100–260, y 380–580 km).
COLS, ROWS = (1000, 2600), (3800, 5800)
DIMENSIONS = ("fys", "onv", "soc", "vrz", "won")
LOOP_SAMPLE = 100  # dwellings timed in the per-dwelling loop


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def line(label: str, seconds: float, tail: str = "") -> None:
    print(f"  {label:<56} {seconds:>8.2f} s  {tail}".rstrip(), flush=True)


def synthetic_grid(cells: int, years: int, seed: int) -> tuple[gpd.GeoDataFrame, pa.Table]:
    """``cells`` random 100 m cells in the region and their scores for ``years`` years."""
    rng = np.random.default_rng([seed, 100])
    width, height = COLS[1] - COLS[0], ROWS[1] - ROWS[0]
    chosen = np.sort(rng.choice(width * height, size=cells, replace=False))
    col, row = COLS[0] + chosen % width, ROWS[0] + chosen // width
    ids = np.array([f"E{c:04d}N{r:04d}" for c, r in zip(col, row, strict=True)], dtype=object)
    squares = shapely.box(col * 100, row * 100, (col + 1) * 100, (row + 1) * 100)
    frame = gpd.GeoDataFrame({"grid_id": ids}, geometry=squares, crs=CRS_RD)
    base = rng.normal(0.1, 0.05, cells)
    parts = []
    for k, year in enumerate(range(2024 - 2 * (years - 1), 2025, 2)):
        dims = {
            d: np.round(0.2 * (base + 0.004 * k) + rng.normal(0, 0.01, cells), 6)
            for d in DIMENSIONS
        }
        afw = np.round(sum(dims.values()), 6)
        parts.append(
            pa.table(
                {
                    "grid_id": ids,
                    "jaar": np.full(cells, year, dtype=np.int32),
                    "lbm": np.round(afw + LBM_REFERENCE, 6),
                    "afw": afw,
                    **dims,
                }
            )
        )
    return frame, pa.concat_tables(parts)


def import_step(kind: str, path: Path, workspace: Path) -> dict[str, Any]:
    """``pipeline.import_source`` in a child process: its own timing, and the peak RSS."""
    out = workspace / f"{kind}.json"
    command = [sys.executable, __file__, "--child", kind, str(path), str(workspace), str(out)]
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import {kind} {path} failed")
    return {**json.loads(out.read_text()), "peak_mib": round(usage.ru_maxrss / 1024)}


def child(kind: str, path: str, workspace: str, out: str) -> int:
    store = pipeline.store_for(Settings(workspace=Path(workspace)))
    seconds, report = timed(lambda: pipeline.import_source(store, kind, Path(path)))
    Path(out).write_text(json.dumps({"seconds": round(seconds, 1), "used": report["used"]}))
    store.dispose()
    return 0


def dwelling_points(cells: gpd.GeoDataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` points: 98 % at random places inside random cells, 2 % anywhere in the region."""
    rng = np.random.default_rng([seed, 101])
    lower = shapely.bounds(cells.geometry.to_numpy())[rng.integers(0, len(cells), n), :2]
    xy = lower + rng.uniform(0.0, 100.0, (n, 2))
    loose = rng.random(n) < 0.02
    xy[loose, 0] = rng.uniform(COLS[0] * 100, COLS[1] * 100, loose.sum())
    xy[loose, 1] = rng.uniform(ROWS[0] * 100, ROWS[1] * 100, loose.sum())
    return pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]})


def naive_within(points: pd.DataFrame, cells: gpd.GeoDataFrame) -> np.ndarray:
    """Baseline: geopandas' spatial join, predicate "within"; the cell row per point (-1)."""
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(points["x"], points["y"]), crs=CRS_RD)
    joined = gpd.sjoin(frame, cells[["geometry"]], predicate="within", how="left")
    first = joined["index_right"].groupby(level=0).first()
    return first.fillna(-1).astype(np.int64).to_numpy()


def naive_loop(points: pd.DataFrame, cells: gpd.GeoDataFrame) -> np.ndarray:
    """Baseline: for each dwelling, test every cell (vectorised over the cells only)."""
    geoms = cells.geometry.to_numpy()
    out = np.full(len(points), -1, dtype=np.int64)
    for i, (x, y) in enumerate(zip(points["x"], points["y"], strict=True)):
        hit = np.flatnonzero(shapely.contains(geoms, shapely.Point(x, y)))
        out[i] = hit[0] if len(hit) else -1
    return out


def grid_arithmetic(points: pd.DataFrame, cells: gpd.GeoDataFrame) -> np.ndarray:
    """For comparison: a regular 100 m grid needs no geometry; floor(x/100), floor(y/100)."""
    lower = np.floor(shapely.bounds(cells.geometry.to_numpy())[:, :2] / 100).astype(np.int64)
    cell_keys = pd.Index(lower[:, 0] * 100_000 + lower[:, 1])
    col, row = (np.floor(points[c].to_numpy() / 100).astype(np.int64) for c in ("x", "y"))
    return np.asarray(cell_keys.get_indexer(col * 100_000 + row))


def bench_grid(args: argparse.Namespace, folder: Path) -> None:
    start = time.perf_counter()
    cells, scores = synthetic_grid(args.cells, args.years, args.seed)
    gpkg = folder / "grid 2024.gpkg"
    csv = folder / f"Leefbaarometer-scores grids {scores['jaar'][0]}-2024.csv"
    pyogrio.write_dataframe(cells, gpkg, layer=GRID_LAYER, driver="GPKG", GEOMETRY_NAME="geom")
    with open(csv, "wb") as out:  # a header without quotes, as in the download
        out.write((",".join(scores.column_names) + "\n").encode())
        pacsv.write_csv(scores, out, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    print(f"synthetic grid: {len(cells):,} cells × {args.years} years = {scores.num_rows:,} scores")
    print(
        f"  {gpkg.name}: {gpkg.stat().st_size / 2**20:,.0f} MB, {csv.name}: "
        f"{csv.stat().st_size / 2**20:,.0f} MB (generated and written in "
        f"{time.perf_counter() - start:.1f} s)",
        flush=True,
    )
    workspace = folder / "ws-grid"
    for kind, path in (("leefbaarometer-grid-cells", gpkg), ("leefbaarometer", csv)):
        step = import_step(kind, path, workspace)
        print(
            f"import {kind:<26} {step['seconds']:>7.1f} s {step['peak_mib']:>7,} MiB peak RSS"
            f"  ({step['used']:,} rows used)",
            flush=True,
        )
    points = dwelling_points(cells, args.points, args.seed)
    store = pipeline.store_for(Settings(workspace=workspace))
    bounds = (points["x"].min(), points["y"].min(), points["x"].max(), points["y"].max())
    read_s, (grid, grid_scores) = timed(
        lambda: liveability_store.read_grid(
            store, cell_level=CELL_LEVEL, score_level=SCORE_LEVEL, bounds=bounds
        )
    )
    store.dispose()
    print(f"read grid from store: {len(grid):,} cells, {len(grid_scores):,} scores, {read_s:.1f} s")
    years = tuple(range(2015, 2025))
    ours_s, attached = timed(lambda: attach_grid_scores(points, grid, grid_scores, years=years))
    locate_s, located = timed(lambda: attach_grid_scores(points, grid, None, years=years))
    sjoin_s, naive = timed(lambda: naive_within(points, grid))
    floor_s, floored = timed(lambda: grid_arithmetic(points, grid))
    sample = points.iloc[:LOOP_SAMPLE]
    loop_s, looped = timed(lambda: naive_loop(sample, grid))
    loop_all_s = loop_s / LOOP_SAMPLE * len(points)
    codes = grid["code"].to_numpy(dtype=object)

    def named(rows: np.ndarray) -> np.ndarray:  # cell row per point (-1: none) → its code
        return np.where(rows >= 0, codes[np.maximum(rows, 0)], "")

    ours_codes = np.where(located.cell >= 0, located.codes[np.maximum(located.cell, 0)], "")
    same = bool((named(naive) == ours_codes).all())
    same_floor = bool((named(floored) == ours_codes).all())
    same_loop = bool((named(looped) == ours_codes[:LOOP_SAMPLE]).all())
    assert (attached.cell >= 0).sum() == (located.cell >= 0).sum()
    inside = int((attached.cell >= 0).sum())
    print(
        f"attach {len(points):,} dwellings ({inside:,} in a cell) to {len(grid):,} cells, "
        f"{len(GRID_SCORES)} scores × {len(attached.grid_years)} years:"
    )
    line("attach_grid_scores (cells + every score and year)", ours_s)
    line("attach_grid_scores without scores (point-in-cell only)", locate_s)
    line(
        "geopandas.sjoin predicate within",
        sjoin_s,
        f"÷ point-in-cell {sjoin_s / locate_s:.2f}×, same: {same}",
    )
    line(
        "floor(x/100), floor(y/100) → cell id",
        floor_s,
        f"÷ point-in-cell {floor_s / locate_s:.2f}×, same: {same_floor}",
    )
    line(
        f"loop: every cell per dwelling ({LOOP_SAMPLE} timed, extrapolated)",
        loop_all_s,
        f"÷ point-in-cell {loop_all_s / locate_s:,.0f}×, same: {same_loop}",
    )


def bench_refresh(dwellings: int, seed: int, folder: Path) -> None:
    settings = Settings(workspace=folder / f"ws-{dwellings}")
    demo_s, _ = timed(lambda: pipeline.run_demo(settings, seed=seed, dwellings=dwellings))
    store = pipeline.store_for(settings)
    try:
        pending = asset_store.read_assets(store, statuses=["pending"])
        if pending.empty:
            raise SystemExit("Demostad has no pending item to approve")
        item = str(pending["asset_id"].iloc[0])
        by, now = command_line("benchmark"), datetime.now()
        approve_s, _ = timed(
            lambda: change_asset(store, item, "approve", by=by, now=now, settings=settings)
        )
        refresh_s, rows = timed(lambda: refresh_indicators(store, settings, ASSET_INDICATORS))
        build_s, summary = timed(lambda: pipeline.build(store, settings))
    finally:
        store.dispose()
    print(f"{dwellings:,} dwellings (run_demo {demo_s:.1f} s):")
    line("approve one item (change_asset, refresh included)", approve_s)
    line(
        f"refresh_indicators ({len(ASSET_INDICATORS)} asset indicators)",
        refresh_s,
        f"{rows:,} rows",
    )
    line(
        "pipeline.build (whole)",
        build_s,
        f"{summary.indicator_rows:,} rows; build ÷ refresh = {build_s / refresh_s:.1f}×",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", choices=("grid", "refresh"), default=None)
    parser.add_argument("--cells", type=int, default=380_000, help="Grid cells.")
    parser.add_argument("--years", type=int, default=12, help="Grid years (2024 back by 2).")
    parser.add_argument("--points", type=int, default=1_000_000, help="Dwellings to attach.")
    parser.add_argument(
        "--dwellings", type=int, nargs="*", default=[20_000, 100_000], help="Refresh sizes."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.pop("VEERKRACHT_DATABASE_URL", None)  # each workspace's own SQLite file
    if args.child:
        return child(*args.child)
    only = args.only or ["grid", "refresh"]
    print(
        f"veerkracht grid + refresh benchmarks (Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, seed {args.seed})",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="veerkracht-bench-") as tmp:
        if "grid" in only:
            bench_grid(args, Path(tmp))
        for dwellings in args.dwellings if "refresh" in only else []:
            bench_refresh(dwellings, args.seed, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
