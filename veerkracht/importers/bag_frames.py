"""Steps both BAG readers share: typed canonical frames, plausible years, RD range, unique ids."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from veerkracht.domain.frames import BUILDING_COLUMNS, CRS_RD, DWELLING_COLUMNS
from veerkracht.errors import InputError
from veerkracht.importers.bag_status import (
    BUILDING_IN_USE,
    MAX_CONSTRUCTION_YEAR,
    MIN_CONSTRUCTION_YEAR,
    RD_BOUNDS,
)
from veerkracht.importers.base import ImportReport


def as_frame(columns: dict[str, Any], geometry: Any, spec: dict[str, str]) -> gpd.GeoDataFrame:
    """A GeoDataFrame with exactly the columns of ``spec``, in order and typed; absent → missing."""
    n = len(geometry)
    data: dict[str, Any] = {}
    for name, dtype in spec.items():
        if name == "geometry":
            continue
        value = columns.get(name)
        if value is None and dtype == "bool":
            data[name] = np.zeros(n, dtype=bool)
        elif value is None:
            data[name] = pd.array([pd.NA] * n, dtype=dtype)
        elif dtype in ("Int64", "Float64"):
            data[name] = pd.to_numeric(
                pd.Series(value).reset_index(drop=True), errors="coerce"
            ).astype(dtype)
        elif dtype == "string":
            text = pd.Series(value).reset_index(drop=True).astype(dtype).str.strip()
            data[name] = text.mask(text == "")
        else:
            data[name] = pd.Series(value).reset_index(drop=True).astype(dtype)
    return gpd.GeoDataFrame(
        data, geometry=gpd.GeoSeries(np.asarray(geometry), crs=CRS_RD), crs=CRS_RD
    )


def buildings_frame(
    ids: Any, years: Any, statuses: Any, geometry: Any, report: ImportReport
) -> gpd.GeoDataFrame:
    """Canonical buildings; counts per status and of construction years made missing."""
    year = pd.to_numeric(pd.Series(years).reset_index(drop=True), errors="coerce").astype("Int64")
    impossible = year.notna() & ((year < MIN_CONSTRUCTION_YEAR) | (year > MAX_CONSTRUCTION_YEAR))
    report.counts["construction_year_made_missing"] = {
        str(k): int(v) for k, v in year[impossible].value_counts().sort_index().items()
    }
    status = pd.Series(statuses).reset_index(drop=True).astype("string")
    frame = as_frame(
        {
            "building_id": ids,
            "construction_year": year.mask(impossible),
            "status": status,
            "in_use": status.isin(BUILDING_IN_USE).to_numpy(),
        },
        shapely.force_2d(np.asarray(geometry)),
        BUILDING_COLUMNS,
    )
    report.counts["building_status"] = count_values(frame["status"])
    report.counts["buildings"] = {
        "current": len(frame),
        "in_use": int(frame["in_use"].sum()),
        "without_geometry": int((frame.geometry.isna() | frame.geometry.is_empty).sum()),
    }
    return frame


def dwellings_frame(columns: dict[str, Any], geometry: Any) -> gpd.GeoDataFrame:
    """Canonical dwellings (2D points)."""
    return as_frame(columns, shapely.force_2d(np.asarray(geometry)), DWELLING_COLUMNS)


def count_values(values: Any) -> dict[str, int]:
    """Counts per value, most frequent first; missing values counted as "(missing)"."""
    series = pd.Series(values).astype("string").fillna("(missing)")
    return {str(k): int(v) for k, v in series.value_counts().items()}


def check_rd_range(frame: gpd.GeoDataFrame, *, id_column: str, what: str, path: str) -> None:
    """Raise InputError naming the first object whose coordinates lie outside the Netherlands."""
    if frame is None or frame.empty:
        return
    bounds = shapely.bounds(np.asarray(frame.geometry))
    min_x, min_y, max_x, max_y = RD_BOUNDS
    with np.errstate(invalid="ignore"):
        outside = (
            (bounds[:, 0] < min_x)
            | (bounds[:, 1] < min_y)
            | (bounds[:, 2] > max_x)
            | (bounds[:, 3] > max_y)
        )
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        x, y = bounds[i, 0], bounds[i, 1]
        raise InputError(
            f"{what} {frame[id_column].iloc[i]} lies at x={x:,.1f}, y={y:,.1f} "
            f"({int(outside.sum())} objects outside); expected RD New (EPSG:28992) coordinates "
            f"within the Netherlands: x {min_x:,.0f}–{max_x:,.0f}, y {min_y:,.0f}–{max_y:,.0f}",
            path=path,
            field="geometry",
        )


def check_unique(ids: pd.Series, *, what: str, field: str, path: str) -> None:
    """Raise InputError naming the first id that occurs more than once."""
    duplicated = ids.duplicated(keep=False) & ids.notna()
    if duplicated.any():
        first = ids[duplicated].iloc[0]
        raise InputError(
            f"{what} id {first} occurs {int((ids == first).sum())} times "
            f"({int(ids[duplicated].nunique())} ids repeated); expected each current object once",
            path=path,
            field=field,
        )
