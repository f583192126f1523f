"""Units of one level: the list beside the map and the map layer (GeoJSON, WGS84)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pandas as pd

from veerkracht.domain.levels import Level
from veerkracht.storage.engine import Store
from veerkracht.storage.units import read_units
from veerkracht.web.geo import bbox_to_rd, bounds_wgs84, feature_collection
from veerkracht.web.labels import level_options, level_word
from veerkracht.web.pages.models import LevelOption, UnitList, UnitRef
from veerkracht.web.pages.sources import build_source_notes

#: The level the start page shows when none is chosen.
DEFAULT_LEVEL = Level.BLOCK


def build_unit_list(store: Store, *, level: Level) -> UnitList:
    """The units of ``level`` sorted by name (never by a figure: no ranking of places)."""
    frame = read_units(store, level.value)
    ordered = sort_by_name(frame)
    return UnitList(
        level=level.value,
        level_label=level_word(level),
        level_plural=level_word(level, plural=True),
        count=len(ordered),
        units=[unit_ref(row) for row in ordered.to_dict("records")],
        bounds=bounds_wgs84(frame.geometry.to_numpy()) if len(frame) else None,
        levels=[LevelOption(**option) for option in level_options()],
        geojson_url=f"/api/units?level={level.value}&format=geojson",
        sources=build_source_notes(store),
    )


def build_unit_layer(
    store: Store, *, level: Level, bbox: tuple[float, float, float, float] | None = None
) -> dict[str, Any]:
    """The map layer of ``level``: a GeoJSON FeatureCollection in WGS84, optionally within bbox."""
    frame = read_units(store, level.value, bbox=bbox_to_rd(bbox) if bbox else None)
    refs = [unit_ref(row) for row in frame.to_dict("records")]
    properties = [
        {"level": r.level, "key": r.key, "name": r.name, "dwellings": r.dwellings, "url": r.url}
        for r in refs
    ]
    return feature_collection(frame.geometry.to_numpy(), properties)


def unit_ref(row: dict[str, Any]) -> UnitRef:
    """A list entry for one unit row (from read_units or read_unit)."""
    level, key = str(row["level"]), str(row["key"])
    path = f"{level}/{quote(key, safe='')}"
    return UnitRef(
        level=level,
        key=key,
        name=str(row["name"]),
        dwellings=int(row["dwellings"]),
        level_label=level_word(level),
        url=f"/units/{path}",
        api_url=f"/api/units/{path}",
    )


def sort_by_name(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered by name as people expect: "Straat 2" before "Straat 10"."""
    if frame.empty:
        return frame
    keys = [
        _natural_key(f"{name}\x00{key}")
        for name, key in zip(frame["name"], frame["key"], strict=True)
    ]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return frame.iloc[order]


def _natural_key(text: str) -> tuple[tuple[int, Any], ...]:
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )
