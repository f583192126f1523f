"""Benchmarks of veerkracht, each against a naive baseline measured in the same run.

Usage: python benchmarks/run.py [--dwellings N] [--only NAME ...]

Prints figures and ratios; docs/performance.md keeps the numbers with this command.
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from veerkracht.demo import generate_demostad
from veerkracht.settings import Settings
from veerkracht.spatial.blocks import build_blocks
from veerkracht.spatial.levels import assign_levels


def timed(func: Callable[[], Any], *, memory: bool = False) -> tuple[float, Any, float]:
    """Wall time in seconds, the result, and peak traced memory in MiB (when asked)."""
    gc.collect()
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    peak = 0.0
    if memory:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return seconds, result, peak


def naive_blocks(buildings: gpd.GeoDataFrame, max_gap_m: float) -> np.ndarray:
    """Baseline: buffer, unary_union (dissolve) touching footprints, then join back."""
    grown = buildings.geometry.buffer(max_gap_m / 2)
    merged = shapely.union_all(grown.to_numpy())
    parts = gpd.GeoDataFrame(geometry=list(shapely.get_parts(merged)), crs=buildings.crs)
    parts["block"] = np.arange(len(parts))
    points = gpd.GeoDataFrame(geometry=buildings.geometry.representative_point(), crs=buildings.crs)
    joined = gpd.sjoin(points, parts, predicate="within", how="left")
    return joined["block"].groupby(level=0).first().to_numpy()


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = pd.DataFrame({"a": a, "b": b}).drop_duplicates()
    return bool(pairs["a"].is_unique and pairs["b"].is_unique)


def bench_blocks(dwellings: int) -> dict[str, Any]:
    demo = generate_demostad(seed=1, dwellings=dwellings)
    buildings = demo.source.buildings
    ids = buildings["building_id"].astype(str).to_numpy(dtype=object)
    geoms = buildings.geometry.to_numpy()
    ours, keys, _ = timed(lambda: build_blocks(ids, geoms, max_gap_m=1.0))
    naive, labels, _ = timed(lambda: naive_blocks(buildings, 1.0))
    return {
        "buildings": len(buildings),
        "blocks": len(set(keys)),
        "ours_s": ours,
        "naive_s": naive,
        "speedup": naive / ours,
        "same_blocks": same_partition(keys, labels),
    }


def bench_levels(dwellings: int) -> dict[str, Any]:
    generate_s, demo, _ = timed(lambda: generate_demostad(seed=1, dwellings=dwellings))
    source = demo.source

    def run() -> Any:
        return assign_levels(source.dwellings, source.buildings, source.areas, stock=source.stock)

    levels_s, result, _ = timed(run)
    _, _, peak = timed(run, memory=True)  # a second, traced run: tracing slows it down
    n = len(source.dwellings)
    return {
        "dwellings": n,
        "generate_s": generate_s,
        "levels_s": levels_s,
        "levels_s_per_100k": levels_s / n * 100_000,
        "levels_peak_mib": peak,
        "units": int(sum(v for k, v in result.counts.items() if k != "dwelling")),
    }


def bench_demo_build(dwellings: int) -> dict[str, Any]:
    from veerkracht import pipeline

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(workspace=Path(folder))
        seconds, summary, _ = timed(
            lambda: pipeline.run_demo(settings, seed=1, dwellings=dwellings)
        )
    n = summary["counts"]["dwelling"]
    return {"dwellings": n, "demo_total_s": seconds, "demo_s_per_100k": seconds / n * 100_000}


def _indicator_inputs(dwellings: int) -> tuple[Any, Any, int]:
    from veerkracht.indicators.context import context_for_source

    demo = generate_demostad(seed=1, dwellings=dwellings)
    source = demo.source
    levels = assign_levels(source.dwellings, source.buildings, source.areas, stock=source.stock)

    ctx = context_for_source(levels.dwellings, source)
    return ctx, levels.units, len(source.dwellings)


def naive_indicators(ctx: Any, sink: Callable[[pd.DataFrame], None] | None = None) -> pd.DataFrame:
    """Baseline: per year, per indicator, per level a pandas group-by of the dwelling terms."""
    from veerkracht.domain.levels import KEY_COLUMN, UNIT_LEVELS
    from veerkracht.indicators.registry import INDICATORS

    parts = []
    for year in ctx.years:
        for indicator in INDICATORS:
            if indicator.per_dwelling is None:
                continue
            terms = indicator.per_dwelling(ctx, year)
            if terms is None:
                continue
            for level in UNIT_LEVELS:
                frame = pd.DataFrame(
                    {
                        "key": ctx.dwellings[KEY_COLUMN[level]].to_numpy(),
                        "numerator": terms.numerator,
                        "denominator": terms.denominator,
                    }
                )
                sums = frame.groupby("key").sum().reset_index()
                sums["level"], sums["year"], sums["indicator"] = level.value, year, indicator.key
                if sink is not None:
                    sink(sums)
                else:
                    parts.append(sums)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def bench_indicators(dwellings: int) -> dict[str, Any]:
    from veerkracht.indicators.compute import compute_indicators

    ctx, units, n = _indicator_inputs(dwellings)
    counted = {"ours": 0, "naive": 0}

    def count(name: str) -> Callable[[pd.DataFrame], None]:
        def sink(part: pd.DataFrame) -> None:
            counted[name] += len(part)

        return sink

    # every level and year is computed; rows are counted and dropped (a country's worth of
    # rows would not fit in memory, and the store keeps only what it needs: docs/adr/0003)
    ours_s, _, _ = timed(lambda: compute_indicators(ctx, units, sink=count("ours")))
    _, _, peak = timed(lambda: compute_indicators(ctx, units, sink=lambda part: None), memory=True)
    naive_s, _, _ = timed(lambda: naive_indicators(ctx, sink=count("naive")))
    same = True
    if n <= 100_000:  # full comparison of every sum where it fits in memory
        ours = compute_indicators(ctx, units)
        naive = naive_indicators(ctx)
        key = ["level", "key", "year", "indicator"]
        check = ours[ours["denominator"].notna()].merge(naive, on=key, suffixes=("", "_naive"))
        same = bool(np.allclose(check["numerator"], check["numerator_naive"])) and len(
            check
        ) == len(naive)
    return {
        "dwellings": n,
        "years": len(ctx.years),
        "values": counted["ours"],
        "ours_s": ours_s,
        "ours_peak_mib": peak,
        "naive_s": naive_s,
        "speedup": naive_s / ours_s,
        "same_sums_checked": same if n <= 100_000 else "at ≤100,000 dwellings (tests)",
    }


BENCHES: dict[str, Callable[[int], dict[str, Any]]] = {
    "blocks": bench_blocks,
    "levels": bench_levels,
    "indicators": bench_indicators,
    "demo_build": bench_demo_build,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dwellings", type=int, default=200_000)
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHES), default=None)
    args = parser.parse_args(argv)
    print(
        f"# veerkracht benchmarks — {args.dwellings:,} dwellings, "
        f"Python {platform.python_version()}"
    )
    for name in args.only or list(BENCHES):
        figures = BENCHES[name](args.dwellings)
        print(f"\n## {name}")
        for key, value in figures.items():
            text = (
                f"{value:,.3f}"
                if isinstance(value, float)
                else f"{value:,}"
                if isinstance(value, int) and not isinstance(value, bool)
                else str(value)
            )
            print(f"{key:>22}: {text}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
