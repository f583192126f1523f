"""Geometry at the web edge: RD New inside, WGS84 (EPSG:4326) GeoJSON out."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

from veerkracht.domain.frames import CRS_RD

#: Decimals kept in WGS84 output (6 ≈ 0.1 m: enough for footprints).
DECIMALS = 6


@lru_cache(maxsize=2)
def _transformer(to_wgs84: bool) -> Transformer:
    source, target = (CRS_RD, "EPSG:4326") if to_wgs84 else ("EPSG:4326", CRS_RD)
    return Transformer.from_crs(source, target, always_xy=True)


def to_wgs84(geoms: Any) -> np.ndarray:
    """RD New geometries → WGS84 (lon, lat) geometries, rounded to ``DECIMALS``."""
    transformer = _transformer(True)

    def project(coords: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.round(np.column_stack([lon, lat]), DECIMALS)

    projected: np.ndarray = shapely.transform(np.asarray(geoms, dtype=object), project)
    return projected


def bbox_to_rd(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A WGS84 (lon/lat) bbox → the RD New bbox that covers it."""
    minx, miny, maxx, maxy = bbox
    xs, ys = _transformer(False).transform([minx, minx, maxx, maxx], [miny, maxy, miny, maxy])
    return (min(xs), min(ys), max(xs), max(ys))


def bounds_wgs84(geoms: Any) -> list[float] | None:
    """[west, south, east, north] of RD geometries in WGS84, or None when there are none."""
    arr = np.asarray([g for g in np.asarray(geoms, dtype=object) if g is not None], dtype=object)
    if arr.size == 0:
        return None
    minx, miny, maxx, maxy = shapely.total_bounds(arr)
    xs, ys = _transformer(True).transform([minx, minx, maxx, maxx], [miny, maxy, miny, maxy])
    return [
        round(min(xs), DECIMALS),
        round(min(ys), DECIMALS),
        round(max(xs), DECIMALS),
        round(max(ys), DECIMALS),
    ]


def feature_collection(geoms: Any, properties: list[dict[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946, WGS84) from RD geometries and their properties."""
    projected = _valid(to_wgs84(np.asarray(geoms, dtype=object)))
    features = [
        {
            "type": "Feature",
            "id": index,
            "geometry": None if geom is None else shapely.geometry.mapping(geom),
            "properties": props,
        }
        for index, (geom, props) in enumerate(zip(projected, properties, strict=True))
    ]
    return {"type": "FeatureCollection", "features": features}


def _invalid(geoms: np.ndarray) -> np.ndarray:
    present = np.array([g is not None for g in geoms], dtype=bool)
    invalid = present.copy()
    invalid[present] = ~shapely.is_valid(geoms[present])
    return invalid


def _valid(geoms: np.ndarray) -> np.ndarray:
    """Repair what rounding to ``DECIMALS`` may have broken (rare: slivers under 0.1 m)."""
    invalid = _invalid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    return geoms


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in WGS84 → a tuple, or ValueError saying what was expected."""
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4 or values[0] > values[2] or values[1] > values[3]:
        raise ValueError(f'bbox "{text}" is not west,south,east,north in degrees (WGS84)')
    return values
