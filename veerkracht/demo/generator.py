"""Generate Demostad: same seed, same data, byte for byte.

The generator emits the canonical frames of ``domain.frames`` (what the BAG, CBS and corporation
importers produce), the true entrance of every dwelling as ground truth beside the data, and the
two story places: a street where the inflow of vulnerable households rose for years (the
Kersenboomstraat) and a block that copes well despite a high load (active residents and a shared
courtyard). Where they lie depends on the seed, so tests can find them without knowing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from veerkracht.demo import layout, names
from veerkracht.demo.activity import simulate_activity
from veerkracht.demo.interventions import plan_interventions, plant_effects
from veerkracht.domain.frames import CRS_RD, SourceData

ORIGIN = (140_000.0, 455_000.0)
SITES_PER_BUURT = (3, 4)  # rows × columns of sites in one buurt
BUURTEN_PER_WIJK = (2, 2)
FIRST_YEAR = 2016
LAST_YEAR = 2025

#: Housing-type mix per buurt character.
CHARACTERS: dict[str, dict[str, float]] = {
    "portiek": {"closed": 0.55, "rows": 0.35, "gallery": 0.0, "houses": 0.10},
    "naoorlogs": {"closed": 0.15, "rows": 0.45, "gallery": 0.25, "houses": 0.15},
    "eengezins": {"closed": 0.05, "rows": 0.15, "gallery": 0.0, "houses": 0.80},
}


@dataclass
class DemoData:
    """Demostad as canonical frames, plus ground truth the pipeline never reads."""

    source: SourceData
    truth: pd.DataFrame  # dwelling_id, true_entrance
    story: dict[str, Any] = field(default_factory=dict)
    seed: int = 1


def generate_demostad(
    *,
    seed: int = 1,
    dwellings: int = 6000,
    progress: Callable[[str, float], None] | None = None,
) -> DemoData:
    """Generate a Demostad of about ``dwellings`` dwellings; the same seed gives the same data."""
    if dwellings < 200:
        raise ValueError(f"dwellings must be at least 200 to form a district, got {dwellings}")
    rng = np.random.default_rng(seed)
    report = progress or (lambda _step, _share: None)
    sites, grid = _plan_sites(rng, dwellings)
    report("layout", 0.2)
    buildings, dwelling_frame, truth = _materialise(sites, grid)
    report("buildings", 0.5)
    areas = _areas(grid)
    story = _choose_story(rng, sites, dwelling_frame, buildings)
    _rename_story_street(dwelling_frame, story)
    activity = simulate_activity(
        rng,
        dwellings=dwelling_frame,
        buildings=buildings,
        story=story,
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        origin=ORIGIN,
    )
    plans = plan_interventions(
        dwellings=dwelling_frame,
        nuisance=activity["nuisance"],
        stock=activity["stock"],
        areas=areas,
        story=story,
    )
    activity["nuisance"] = plant_effects(activity["nuisance"], plans, seed=seed)
    story["interventions"] = [plan.as_story() for plan in plans]
    report("activity", 0.9)
    source = SourceData(
        name="demostad",
        buildings=buildings,
        dwellings=dwelling_frame.drop(columns=["street_index", "site", "kind", "floor"]),
        areas=areas,
        **activity,
    )
    story["seed"] = seed
    return DemoData(source=source, truth=truth, story=story, seed=seed)


def _plan_sites(rng: np.random.Generator, target: int) -> tuple[list[layout.Site], dict[str, Any]]:
    """Choose the grid size, each buurt's character, and every site's housing type."""
    n_sites = max(12, math.ceil(target / 80))
    cols = max(4, math.ceil(math.sqrt(n_sites * 1.2)))
    rows = 3 * math.ceil(n_sites / cols) + 3  # an upper bound: the loop stops at the target
    streets = layout.Streets(rows=rows, cols=cols)
    numbering = layout.Numbering()
    characters = list(CHARACTERS)
    buurt_rows = math.ceil(rows / SITES_PER_BUURT[0])
    buurt_cols = math.ceil(cols / SITES_PER_BUURT[1])
    buurt_character = rng.choice(
        len(characters), size=(buurt_rows, buurt_cols), p=[0.45, 0.35, 0.2]
    )
    buurt_style = rng.choice(["suffix", "letter", "own"], size=(buurt_rows, buurt_cols))
    buurt_shared = rng.random(size=(buurt_rows, buurt_cols)) < 0.25
    sites: list[layout.Site] = []
    count = 0
    for row in range(rows):
        for col in range(cols):
            br, bc = row // SITES_PER_BUURT[0], col // SITES_PER_BUURT[1]
            mix = CHARACTERS[characters[int(buurt_character[br, bc])]]
            kind = str(rng.choice(list(mix), p=list(mix.values())))
            x0, y0 = layout.site_origin(row, col, ORIGIN)
            site = layout.Site(index=len(sites), row=row, col=col, kind=kind, x0=x0, y0=y0)
            layout.lay_out_site(
                site,
                rng=rng,
                streets=streets,
                numbering=numbering,
                style=str(buurt_style[br, bc]),
                shared_points=bool(buurt_shared[br, bc]) and kind in ("closed", "rows"),
            )
            sites.append(site)
            count += sum(len(e.numbers) for e in site.entrances)
            if count >= target and row * cols + col + 1 >= 12:
                break
        if count >= target:
            break
    grid = {
        "rows": row + 1,
        "cols": cols,
        "streets": streets,
        "buurt_rows": math.ceil((row + 1) / SITES_PER_BUURT[0]),
        "buurt_cols": buurt_cols,
    }
    return sites, grid


def _street_names(streets: layout.Streets) -> dict[int, str]:
    total = streets.rows + 1 + streets.cols + 1
    return {i: names.street_name(i) for i in range(total)}


def _materialise(
    sites: list[layout.Site], grid: dict[str, Any]
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, pd.DataFrame]:
    """Turn sites into the buildings and dwellings frames (BAG-like ids) and the truth."""
    street_names = _street_names(grid["streets"])
    boxes: list[tuple[float, float, float, float]] = []
    years: list[int] = []
    building_ids: list[str] = []
    columns: dict[str, list[Any]] = {
        k: []
        for k in (
            "building_id",
            "street_index",
            "house_number",
            "house_letter",
            "house_suffix",
            "x",
            "y",
            "site",
            "kind",
            "floor",
            "true_entrance",
        )
    }
    for site in sites:
        offset = len(boxes)
        for box, year in zip(site.buildings, site.building_years, strict=True):
            boxes.append(box)
            years.append(year)
            building_ids.append(f"9999100{len(building_ids) + 1:09d}")
        for entrance in site.entrances:
            n = len(entrance.numbers)
            columns["building_id"] += [building_ids[offset + entrance.building]] * n
            columns["street_index"] += [entrance.street] * n
            columns["house_number"] += entrance.numbers
            columns["house_letter"] += entrance.letters
            columns["house_suffix"] += entrance.suffixes
            columns["x"] += entrance.xs
            columns["y"] += entrance.ys
            columns["site"] += [site.index] * n
            columns["kind"] += [site.kind] * n
            columns["floor"] += entrance.floors
            columns["true_entrance"] += [f"TE{entrance.key}"] * n
    box_array = np.asarray(boxes)
    footprints = shapely.box(box_array[:, 0], box_array[:, 1], box_array[:, 2], box_array[:, 3])
    buildings = gpd.GeoDataFrame(
        {
            "building_id": pd.array(building_ids, dtype="string"),
            "construction_year": pd.array(years, dtype="Int64"),
            "status": pd.array(["Pand in gebruik"] * len(boxes), dtype="string"),
            "in_use": np.ones(len(boxes), dtype=bool),
        },
        geometry=footprints,
        crs=CRS_RD,
    )
    frame = pd.DataFrame(columns)
    n = len(frame)
    frame.insert(0, "dwelling_id", [f"9999010{i + 1:09d}" for i in range(n)])
    frame["street_name"] = frame["street_index"].map(street_names)
    frame["postcode"] = _postcodes(frame)
    frame["city"] = names.MUNICIPALITY_NAME
    area = np.where(
        frame["kind"] == "houses", 110.0, np.where(frame["kind"] == "gallery", 68.0, 62.0)
    )
    frame["floor_area_m2"] = area + (frame["house_number"].to_numpy() % 7) * 2.0
    frame["status"] = "Verblijfsobject in gebruik"
    for name in (
        "dwelling_id",
        "building_id",
        "street_name",
        "house_letter",
        "house_suffix",
        "postcode",
        "city",
        "status",
    ):
        frame[name] = frame[name].astype("string")
    frame["house_number"] = frame["house_number"].astype("Int64")
    truth = frame[["dwelling_id", "true_entrance"]].copy()
    frame = frame.drop(columns=["true_entrance"])
    frame = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["x"], frame["y"]), crs=CRS_RD)
    return buildings, frame.drop(columns=["x", "y"]), truth


def _postcodes(frame: pd.DataFrame) -> list[str]:
    """Dutch-style postcodes: four digits per street, two letters per side and stretch."""
    letters = "ABCDEGHJKLMNPRTVWXZ"
    digits = 1000 + (frame["street_index"].to_numpy() % 9000)
    side = frame["house_number"].to_numpy() % 2
    stretch = frame["house_number"].to_numpy() // 40
    first = letters[0]
    out = []
    for d, s, k in zip(digits, side, stretch, strict=True):
        second = letters[(2 * int(k) + int(s)) % len(letters)]
        out.append(f"{d + 2000}{first if k < 19 else letters[int(k) % 19]}{second}")
    return out


def _areas(grid: dict[str, Any]) -> gpd.GeoDataFrame:
    """Buurt, wijk and gemeente polygons along street centre lines, with CBS-style codes."""
    rows, cols = grid["rows"], grid["cols"]
    step_x = layout.SITE_W + layout.STREET_W
    step_y = layout.SITE_H + layout.STREET_W
    half = layout.STREET_W / 2
    records: list[dict[str, Any]] = []
    wijk_cols = math.ceil(grid["buurt_cols"] / BUURTEN_PER_WIJK[1])
    buurt_index = 0
    per_wijk: dict[int, int] = {}
    for br in range(grid["buurt_rows"]):
        for bc in range(grid["buurt_cols"]):
            r0, r1 = br * SITES_PER_BUURT[0], min(rows, (br + 1) * SITES_PER_BUURT[0])
            c0, c1 = bc * SITES_PER_BUURT[1], min(cols, (bc + 1) * SITES_PER_BUURT[1])
            wr, wc = br // BUURTEN_PER_WIJK[0], bc // BUURTEN_PER_WIJK[1]
            wijk = wr * wijk_cols + wc
            number = per_wijk.get(wijk, 0)
            per_wijk[wijk] = number + 1
            polygon = shapely.box(
                ORIGIN[0] + half + c0 * step_x,
                ORIGIN[1] + half + r0 * step_y,
                ORIGIN[0] + half + c1 * step_x,
                ORIGIN[1] + half + r1 * step_y,
            )
            records.append(
                {
                    "level": "neighbourhood",
                    "code": f"BU9999{wijk + 1:02d}{number:02d}",
                    "name": names.area_name(names.NEIGHBOURHOOD_NAMES, buurt_index),
                    "parent_code": f"WK9999{wijk + 1:02d}",
                    "year": 2024,
                    "geometry": polygon,
                }
            )
            buurt_index += 1
    buurten = gpd.GeoDataFrame(records, crs=CRS_RD)
    wijken = buurten.dissolve(by="parent_code", as_index=False)[["parent_code", "geometry"]]
    wijken = wijken.rename(columns={"parent_code": "code"})
    wijken["level"] = "district"
    wijken["name"] = [
        names.area_name(names.DISTRICT_NAMES, int(c[-2:]) - 1) for c in wijken["code"]
    ]
    wijken["parent_code"] = names.MUNICIPALITY_CODE
    wijken["year"] = 2024
    gemeente = gpd.GeoDataFrame(
        [
            {
                "level": "municipality",
                "code": names.MUNICIPALITY_CODE,
                "name": names.MUNICIPALITY_NAME,
                "parent_code": None,
                "year": 2024,
                "geometry": shapely.union_all(buurten.geometry.to_numpy()),
            }
        ],
        crs=CRS_RD,
    )
    frame = pd.concat([buurten, wijken, gemeente], ignore_index=True)
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS_RD)
    for name in ("level", "code", "name", "parent_code"):
        frame[name] = frame[name].astype("string")
    frame["year"] = frame["year"].astype("Int64")
    return frame[["level", "code", "name", "parent_code", "year", "geometry"]]


def _choose_story(
    rng: np.random.Generator,
    sites: list[layout.Site],
    dwellings: pd.DataFrame,
    buildings: gpd.GeoDataFrame,
) -> dict[str, Any]:
    """Pick the rising street and the coping block; where they are depends on the seed.

    The rising street is the stretch of one street inside one buurt (a street unit is a street
    name within a buurt), lined with portiekflats. The coping block is a closed portiek block
    around a courtyard elsewhere.
    """
    site_rows = np.array([s.row for s in sites])
    site_cols = np.array([s.col for s in sites])
    row = site_rows[dwellings["site"].to_numpy()]
    col = site_cols[dwellings["site"].to_numpy()]
    cell = (row // SITES_PER_BUURT[0]) * 10_000 + col // SITES_PER_BUURT[1]
    street = dwellings["street_index"].to_numpy()
    inner = street % SITES_PER_BUURT[0] != 0
    portiek = dwellings["kind"].isin(["closed", "rows"]).to_numpy()
    horizontal = street <= max(int(site_rows.max()) + 1, 1)
    options = pd.Series(1, index=pd.MultiIndex.from_arrays([street, cell]))[
        inner & portiek & horizontal
    ]
    per_stretch = options.groupby(level=[0, 1]).size()
    if per_stretch.empty:
        per_stretch = (
            pd.Series(1, index=pd.MultiIndex.from_arrays([street, cell]))
            .groupby(level=[0, 1])
            .size()
        )
    best = per_stretch[per_stretch >= per_stretch.quantile(0.5)].sort_index()
    choice = best.index[int(rng.integers(len(best)))]
    rising_mask = (street == choice[0]) & (cell == choice[1])
    rising_sites = set(dwellings.loc[rising_mask, "site"].tolist())
    closed = dwellings.loc[dwellings["kind"] == "closed", "site"].unique().tolist()
    closed_sites = sorted(int(s) for s in closed if int(s) not in rising_sites)
    coping_site = int(rng.choice(closed_sites)) if closed_sites else None
    coping_buildings = (
        sorted(dwellings.loc[dwellings["site"] == coping_site, "building_id"].unique().tolist())
        if coping_site is not None
        else []
    )
    return {
        "rising_street": names.STORY_STREET,
        "rising_dwellings": dwellings.loc[rising_mask, "dwelling_id"].astype(str).tolist(),
        "coping_site": coping_site,
        "coping_buildings": [str(b) for b in coping_buildings],
    }


def _rename_story_street(dwellings: pd.DataFrame, story: dict[str, Any]) -> None:
    """Give the rising street its story name (and no other street that name)."""
    mask = dwellings["dwelling_id"].isin(story["rising_dwellings"])
    dwellings.loc[mask, "street_name"] = names.STORY_STREET
