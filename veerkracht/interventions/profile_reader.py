"""A unit's profile read from a built store: its figures and their percentiles among the units
of its level, the assets around it that count as capacity, and its findings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely

from veerkracht.interventions.unit_profile import MAX_ASSET_DISTANCE_M, NearbyAsset, UnitProfile
from veerkracht.storage import Store
from veerkracht.storage import sources as source_store
from veerkracht.storage import units as unit_store

#: Asset statuses that count as capacity (empty = imported, no moderation).
COUNTED_ASSET_STATUSES = ("approved",)


def read_unit_profile(
    store: Store, level: str, key: str, *, year: int | None = None
) -> UnitProfile:
    """Build a unit's profile from a built store: its figures and their percentiles among the
    units of its level (reference year unless ``year``), assets within 500 m of its outline
    (kinds only) and its findings. NotFound when the unit does not exist."""
    build = unit_store.require_build(store)
    year = int(build["reference_year"]) if year is None else year
    unit = unit_store.read_unit(store, level, key)
    table = _estimates(unit_store.read_indicator_table(store, level, year))
    own = table.loc[key] if key in table.index else pd.Series(dtype=float)
    return UnitProfile(
        level=level,
        key=key,
        name=str(unit.get("name") or key),
        year=year,
        dwellings=int(unit.get("dwellings") or 0),
        values=_finite(own),
        percentiles=_finite(_row(table.rank(pct=True, method="average"), key)),
        share_lower=_finite(_row(_share_lower(table), key)),
        share_higher=_finite(_row(_share_higher(table), key)),
        assets=_nearby_assets(store, unit["geometry"]),
        findings=_findings(store, level, key),
    )


def _estimates(rows: pd.DataFrame) -> pd.DataFrame:
    """Wide key × indicator table of estimates (the value where no estimate was made)."""
    if rows.empty:
        return pd.DataFrame()
    figures = rows["estimate"].where(rows["estimate"].notna(), rows["value"])
    return rows.assign(figure=figures).pivot_table(
        index="key", columns="indicator", values="figure", aggfunc="first"
    )


def _share_lower(table: pd.DataFrame) -> pd.DataFrame:
    counts = table.notna().sum()
    return (table.rank(method="min") - 1) / counts


def _share_higher(table: pd.DataFrame) -> pd.DataFrame:
    counts = table.notna().sum()
    return (counts - table.rank(method="max")) / counts


def _row(table: pd.DataFrame, key: str) -> pd.Series:
    return table.loc[key] if key in table.index else pd.Series(dtype=float)


def _finite(row: pd.Series) -> dict[str, float]:
    return {str(k): float(v) for k, v in row.items() if pd.notna(v) and np.isfinite(v)}


def _nearby_assets(store: Store, geometry: Any) -> tuple[NearbyAsset, ...]:
    """Assets that count as capacity: imported ones and approved ones from residents and
    professionals (pending, rejected, withdrawn and retired ones do not count)."""
    assets = pd.DataFrame(source_store.read_frame(store, "assets"))
    if assets.empty or geometry is None:
        return ()
    status = assets["status"].fillna("").astype(str)
    assets = assets[(status == "") | status.isin(COUNTED_ASSET_STATUSES)]
    if assets.empty:
        return ()
    points = shapely.points(assets["x"].to_numpy(float), assets["y"].to_numpy(float))
    distances = shapely.distance(geometry, points)
    near = distances <= MAX_ASSET_DISTANCE_M
    return tuple(
        NearbyAsset(kind=str(kind), distance_m=round(float(d), 1))
        for kind, d in zip(assets["kind"][near], distances[near], strict=True)
    )


def _findings(store: Store, level: str, key: str) -> frozenset[str]:
    kinds = set()
    for kind in ("warning", "positive_deviance"):
        frame = unit_store.read_findings(store, kind, level=level)
        if (frame["key"] == key).any():
            kinds.add(kind)
    return frozenset(kinds)
