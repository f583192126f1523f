"""Exports of units and their figures as CSV, GeoJSON (WGS84) or GeoPackage (RD New)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from veerkracht.domain.levels import Level
from veerkracht.storage import Store
from veerkracht.storage import units as unit_store


def units_with_indicators(store: Store, level: Level) -> gpd.GeoDataFrame:
    """Units of one level with one column per indicator (reference year of the last build)."""
    build = unit_store.require_build(store)
    units = unit_store.read_units(store, level.value)
    values = unit_store.read_indicator_table(store, level.value, build["reference_year"])
    wide = values.pivot_table(index="key", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=sorted(wide.columns))
    merged = units.drop(columns=["minx", "miny", "maxx", "maxy"], errors="ignore").merge(
        wide, left_on="key", right_index=True, how="left"
    )
    merged["year"] = build["reference_year"]
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=units.crs)


def export_units(store: Store, level: Level, out: Path, fmt: str) -> int:
    """Write the units of ``level`` to ``out`` as csv, geojson or gpkg; returns the count."""
    frame = units_with_indicators(store, level)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        pd.DataFrame(frame.drop(columns="geometry")).to_csv(out, index=False)
    elif fmt == "geojson":
        frame.to_crs("EPSG:4326").to_file(out, driver="GeoJSON", engine="pyogrio")
    elif fmt == "gpkg":
        frame.to_file(out, driver="GPKG", layer=level.value, engine="pyogrio")
    else:
        raise ValueError(f'format "{fmt}" is not one of csv, geojson, gpkg')
    return len(frame)
