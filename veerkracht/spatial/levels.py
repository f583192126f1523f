"""Give every dwelling the key of every level, and describe each unit (name, parent, geometry)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from veerkracht.domain.frames import CRS_RD
from veerkracht.domain.levels import KEY_COLUMN, PARENT, UNIT_LEVELS, Level
from veerkracht.spatial import areas as area_rules
from veerkracht.spatial.blocks import build_blocks
from veerkracht.spatial.entrances import infer_entrances
from veerkracht.spatial.streets import street_keys

LEVEL_NAMES_NL = {
    Level.ENTRANCE: "Portiek",
    Level.BUILDING: "Pand",
    Level.BLOCK: "Blok",
}


@dataclass
class LevelResult:
    """Dwellings with their keys, one row per unit, and what the user should know."""

    dwellings: pd.DataFrame
    units: gpd.GeoDataFrame
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def assign_levels(
    dwellings: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame | None,
    areas: gpd.GeoDataFrame | None,
    *,
    stock: pd.DataFrame | None = None,
    max_gap_m: float = 1.0,
    stack_radius_m: float = 2.5,
    pair_max_m: float = 14.0,
) -> LevelResult:
    """Derive the entrance, building, block, street, buurt, wijk and gemeente of every dwelling."""
    notes: list[str] = []
    frame = _base_frame(dwellings, stock)
    in_use = _usable_buildings(buildings, notes)
    frame = _attach_buildings(frame, in_use, notes)
    block_of = _blocks(frame, in_use, max_gap_m)
    own_block = "BL" + frame["building_id"].astype(str)
    frame["block_key"] = (
        frame["building_id"]
        .map(block_of)
        .astype(object)
        .where(frame["building_id"].isin(block_of.index), own_block)
    )
    result = infer_entrances(frame, stack_radius_m=stack_radius_m, pair_max_m=pair_max_m)
    frame["entrance_key"] = result.keys
    frame["entrance_rule"] = result.rules
    _assign_areas(frame, areas, notes)
    frame["street_key"] = street_keys(
        frame["street_name"].to_numpy(dtype=object), frame["neighbourhood_code"].to_numpy()
    )
    units = build_units(frame, in_use, areas)
    counts = {level.value: int(frame[KEY_COLUMN[level]].nunique()) for level in UNIT_LEVELS}
    counts["dwelling"] = len(frame)
    return LevelResult(dwellings=frame, units=units, notes=notes, counts=counts)


def _base_frame(dwellings: gpd.GeoDataFrame, stock: pd.DataFrame | None) -> pd.DataFrame:
    frame = pd.DataFrame(dwellings.drop(columns="geometry"))
    frame["x"] = dwellings.geometry.x.to_numpy()
    frame["y"] = dwellings.geometry.y.to_numpy()
    if stock is not None and len(stock) and "entrance_hint" in stock.columns:
        hints = stock.set_index("dwelling_id")["entrance_hint"]
        frame["entrance_hint"] = frame["dwelling_id"].map(hints)
    return frame.reset_index(drop=True)


def _usable_buildings(buildings: gpd.GeoDataFrame | None, notes: list[str]) -> gpd.GeoDataFrame:
    if buildings is None or len(buildings) == 0:
        notes.append(
            "no building footprints: buildings are formed from addresses on one point, "
            "and blocks equal those buildings"
        )
        return gpd.GeoDataFrame({"building_id": []}, geometry=[], crs=CRS_RD)
    usable = buildings[buildings["in_use"].astype(bool) & buildings.geometry.notna()]
    dropped = len(buildings) - len(usable)
    if dropped:
        notes.append(
            f"{dropped} buildings not in use (demolished, planned, …) take no part in blocks"
        )
    return usable


def _attach_buildings(
    frame: pd.DataFrame, in_use: gpd.GeoDataFrame, notes: list[str]
) -> pd.DataFrame:
    """Dwellings without a (usable) building get a pseudo building: the addresses on one point."""
    known = frame["building_id"].isin(set(in_use["building_id"].astype(str)))
    missing = ~known
    if missing.any():
        points = frame.loc[missing, ["x", "y"]].round(1)
        spot = points["x"].astype(str) + "_" + points["y"].astype(str)
        first = frame.loc[missing, "dwelling_id"].groupby(spot.to_numpy()).transform("min")
        frame.loc[missing, "building_id"] = ("VP" + first.astype(str)).to_numpy()
        notes.append(
            f"{int(missing.sum())} dwellings without a known building footprint: "
            "grouped by address point into pseudo buildings (key VP…)"
        )
    frame["building_id"] = frame["building_id"].astype(str)
    return frame


def _blocks(frame: pd.DataFrame, in_use: gpd.GeoDataFrame, max_gap_m: float) -> pd.Series:
    """Block key per building: touching footprints of buildings in use."""
    if len(in_use) == 0:
        return pd.Series(dtype=object)
    keys = build_blocks(
        in_use["building_id"].astype(str).to_numpy(dtype=object),
        in_use.geometry.to_numpy(),
        max_gap_m=max_gap_m,
    )
    return pd.Series(keys, index=in_use["building_id"].astype(str).to_numpy())


def _assign_areas(frame: pd.DataFrame, areas: gpd.GeoDataFrame | None, notes: list[str]) -> None:
    if areas is None or len(areas) == 0:
        frame["neighbourhood_code"] = area_rules.UNKNOWN_NEIGHBOURHOOD
        frame["district_code"] = area_rules.UNKNOWN_DISTRICT
        frame["municipality_code"] = area_rules.UNKNOWN_MUNICIPALITY
        notes.append("no buurt map imported: every dwelling is in buurt 'onbekend'")
        return
    buurten = areas[areas["level"] == Level.NEIGHBOURHOOD.value]
    points = shapely.points(frame["x"].to_numpy(), frame["y"].to_numpy())
    codes = area_rules.assign_neighbourhoods(
        points, buurten.geometry.to_numpy(), buurten["code"].to_numpy(dtype=object)
    )
    outside = int((codes == area_rules.UNKNOWN_NEIGHBOURHOOD).sum())
    if outside:
        notes.append(f"{outside} dwellings lie outside every buurt polygon: buurt 'onbekend'")
    frame["neighbourhood_code"] = codes
    known = areas[areas["parent_code"].notna()]
    parents = dict(zip(known["code"].astype(str), known["parent_code"].astype(str), strict=True))
    frame["district_code"] = area_rules.parent_codes(codes, parents, area_rules.UNKNOWN_DISTRICT)
    frame["municipality_code"] = area_rules.parent_codes(
        frame["district_code"].to_numpy(), parents, area_rules.UNKNOWN_MUNICIPALITY
    )


def build_units(
    frame: pd.DataFrame, buildings: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None
) -> gpd.GeoDataFrame:
    """One row per unit of every level: key, name, majority parent, dwellings, rule, geometry."""
    footprint = dict(
        zip(buildings["building_id"].astype(str), buildings.geometry.to_numpy(), strict=True)
    )
    area_info = _area_info(areas)
    parts = [_units_of(level, frame, footprint, area_info) for level in UNIT_LEVELS]
    units = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(units, geometry="geometry", crs=CRS_RD)


def _area_info(areas: gpd.GeoDataFrame | None) -> dict[str, tuple[str, Any]]:
    if areas is None or len(areas) == 0:
        return {}
    return {
        str(code): (str(name), geom)
        for code, name, geom in zip(areas["code"], areas["name"], areas.geometry, strict=True)
    }


def _units_of(
    level: Level,
    frame: pd.DataFrame,
    footprint: dict[str, Any],
    area_info: dict[str, tuple[str, Any]],
) -> pd.DataFrame:
    key = KEY_COLUMN[level]
    grouped = frame.groupby(key, sort=True)
    out = pd.DataFrame(
        {"key": grouped.size().index.astype(str), "dwellings": grouped.size().to_numpy()}
    )
    out["level"] = level.value
    out["x"] = grouped["x"].mean().to_numpy()
    out["y"] = grouped["y"].mean().to_numpy()
    parent = PARENT[level]
    out["parent_key"] = _majority(frame, key, KEY_COLUMN[parent]) if parent else None
    out["rule"] = _majority(frame, key, "entrance_rule") if level == Level.ENTRANCE else None
    out["name"] = _names(level, frame, grouped, out, area_info)
    out["geometry"] = _geometries(level, frame, out, footprint, area_info)
    return out[["level", "key", "name", "parent_key", "dwellings", "rule", "x", "y", "geometry"]]


def _majority(frame: pd.DataFrame, key: str, column: str) -> np.ndarray:
    counts = frame.groupby([key, column], sort=True).size().reset_index(name="n")
    counts = counts.sort_values([key, "n", column], ascending=[True, False, True], kind="stable")
    top = counts.drop_duplicates(key)
    return top[column].astype(str).to_numpy()


def _names(
    level: Level,
    frame: pd.DataFrame,
    grouped: Any,
    out: pd.DataFrame,
    area_info: dict[str, tuple[str, Any]],
) -> list[str]:
    key = KEY_COLUMN[level]
    if level in (Level.NEIGHBOURHOOD, Level.DISTRICT, Level.MUNICIPALITY):
        return [area_info.get(k, ("Onbekend", None))[0] for k in out["key"]]
    street = _majority(frame, key, "street_name")
    if level == Level.STREET:
        return list(street)
    main = frame[["street_name", "house_number", key]].dropna(subset=["house_number"])
    main = main.assign(_street=main[key].map(dict(zip(out["key"], street, strict=True))))
    main = main[main["street_name"] == main["_street"]]
    bounds = main.groupby(key)["house_number"].agg(["min", "max"])
    ranges = {
        k: (f"{int(lo)}" if lo == hi else f"{int(lo)}–{int(hi)}")
        for k, lo, hi in zip(bounds.index, bounds["min"], bounds["max"], strict=True)
    }
    text = [f"{s} {ranges.get(k, '')}".strip() for k, s in zip(out["key"], street, strict=True)]
    if level == Level.BLOCK:
        return [f"Blok {t}" for t in text]
    return text


def _geometries(
    level: Level,
    frame: pd.DataFrame,
    out: pd.DataFrame,
    footprint: dict[str, Any],
    area_info: dict[str, tuple[str, Any]],
) -> list[Any]:
    if level == Level.ENTRANCE:
        return list(shapely.points(out["x"].to_numpy(), out["y"].to_numpy()))
    if level in (Level.NEIGHBOURHOOD, Level.DISTRICT, Level.MUNICIPALITY):
        return [area_info.get(k, (None, None))[1] for k in out["key"]]
    key = KEY_COLUMN[level]
    pairs = pd.DataFrame(
        {"unit": frame[key].to_numpy(), "building": frame["building_id"].to_numpy()}
    )
    pairs = pairs.drop_duplicates().sort_values(["unit", "building"])
    geoms = pairs["building"].map(footprint)
    has = geoms.notna().to_numpy()
    result: dict[str, Any] = {}
    if has.any():
        parts = shapely.get_parts(geoms[has].to_numpy(), return_index=True)
        owner = pairs["unit"].to_numpy()[has][parts[1]]
        codes, uniques = pd.factorize(owner, sort=True)
        # touching footprints as one valid (multi)polygon per unit; courtyards stay holes
        merged = shapely.make_valid(
            shapely.multipolygons(parts[0], indices=codes), method="structure"
        )
        result = dict(zip(uniques, merged, strict=True))
    missing = [k for k in out["key"] if k not in result]
    if missing:
        sub = frame[frame[key].isin(missing)].sort_values(key, kind="stable")  # sorted indices
        codes, uniques = pd.factorize(sub[key], sort=True)
        hulls = shapely.multipoints(shapely.points(sub["x"], sub["y"]), indices=codes)
        result.update(dict(zip(uniques, shapely.buffer(hulls, 4.0), strict=True)))
    return [result[k] for k in out["key"]]
