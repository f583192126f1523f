"""Figures published with another year's area codes, joined to the stored buurt map.

Buurt codes change (Amsterdam renumbered every buurt in 2022), so a StatLine file of 2019 does
not join the 2022 buurten by code. When the buurt map of the file's year is stored as history
(``veerkracht import cbs-buurtkaart MAP_2019 --history``), the old codes are joined through
geometry (:func:`veerkracht.spatial.crosswalk.build_crosswalk`) and the figures are carried to
the current buurten: counts area-weighted, rates and scores from the dominant old buurt. Without
that map the codes are matched by code, else by name within the gemeente, and only reported.
Either way the import report says per old code how it was matched.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from veerkracht.errors import InputError
from veerkracht.importers.base import ImportResult
from veerkracht.spatial.crosswalk import (
    build_crosswalk,
    carry_statistics,
    crosswalk_by_name,
    summarise_crosswalk,
)

#: Extensive CBS variables (people, households, dwellings): carried area-weighted.
COUNT_VARIABLES = frozenset(
    {
        "inhabitants",
        "households",
        "private_households",
        "dwelling_stock",
        "social_assistance_recipients",
        "wmo_clients",
        "youth_care_clients",
        "area_land_ha",
        "area_total_ha",
        "area_water_ha",
    }
)

NEIGHBOURHOOD = "neighbourhood"
#: Stored buurt maps of other years have level ``neighbourhood@YEAR``.
HISTORY_PREFIX = f"{NEIGHBOURHOOD}@"
EXAMPLES = 20


def history_level(year: int) -> str:
    """The ``areas.level`` of the stored buurt map of ``year`` (``neighbourhood@2019``)."""
    return f"{HISTORY_PREFIX}{year}"


def keep_as_history(result: ImportResult) -> int:
    """Turn a buurtkaart import into the stored buurt map of its year; returns the year.

    Only the buurt polygons are kept (level ``neighbourhood@YEAR``); the current buurten, wijken
    and gemeenten stay as they are. The map's own figures are carried like a StatLine file's.
    """
    areas = result.data.areas
    buurten = areas[areas["level"] == NEIGHBOURHOOD].copy() if areas is not None else None
    if buurten is None or buurten.empty:
        raise InputError(
            "the file has no buurt polygons; --history needs a buurt map",
            path=result.report.path,
            field="geometry",
        )
    year = int(pd.Series(buurten["year"]).dropna().astype(int).max())
    buurten["level"] = history_level(year)
    result.data.areas = buurten
    result.data.extra["area_names"] = pd.DataFrame(
        {"level": NEIGHBOURHOOD, "code": buurten["code"], "name": buurten["name"], "year": year}
    )
    result.report.notes.append(
        f"kept as the buurt map of {year} ({len(buurten):,} buurten): figures with {year} codes "
        "are joined to the current buurten through this map"
    )
    return year


def match_codes(
    result: ImportResult,
    *,
    current: gpd.GeoDataFrame,
    history: dict[int, gpd.GeoDataFrame],
) -> None:
    """Match the file's buurt codes to the ``current`` buurt map; carry figures by geometry.

    ``history`` holds stored buurt maps per year. Adds ``code matching`` (old codes per method
    and match label) and examples to the report, and, when a map of the file's year exists,
    appends the carried figures (keyed by current codes) to ``result.data.area_statistics``.
    """
    names = result.data.extra.get("area_names")
    if names is None or len(names) == 0 or len(current) == 0:
        result.report.notes.append(
            "no buurt map in the store yet: codes were not matched to buurten "
            "(import cbs-buurtkaart first to see how the codes match)"
        )
        return
    old_names = names[names["level"] == NEIGHBOURHOOD]
    year = int(pd.Series(old_names["year"]).dropna().astype(int).max())
    old_map = history.get(year)
    if old_map is None:
        crosswalk = crosswalk_by_name(old_names, current)
        result.report.notes.append(
            f"no buurt map of {year} stored: codes matched by code, else by name within the "
            f"gemeente (import the CBS buurtkaart of {year} with --history to join by geometry)"
        )
    else:
        crosswalk = _geometry_crosswalk(old_names, old_map, current)
        _carry(result, crosswalk, current_codes=set(current["code"]))
    _report(result, crosswalk)


def _geometry_crosswalk(
    old_names: pd.DataFrame, old_map: gpd.GeoDataFrame, current: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Crosswalk of the file's old codes through the stored map; codes not on the map unmatched."""
    wanted = set(old_names["code"].astype(str).str.strip())
    old = old_map[old_map["code"].isin(wanted)]
    crosswalk = build_crosswalk(old[["code", "geometry"]], current[["code", "geometry"]])
    missing = sorted(wanted - set(old["code"]))
    if missing:
        extra = pd.DataFrame(
            {"old_code": missing, "new_code": pd.NA, "match": "unmatched", "method": "unmatched"}
        )
        crosswalk = pd.concat([crosswalk, extra], ignore_index=True)
    return crosswalk


def _carry(result: ImportResult, crosswalk: pd.DataFrame, *, current_codes: set[str]) -> None:
    statistics = result.data.area_statistics
    if statistics is None or statistics.empty:
        return
    old = statistics[
        (statistics["level"] == NEIGHBOURHOOD) & ~statistics["code"].isin(current_codes)
    ]
    carried = carry_statistics(old, crosswalk, counts=COUNT_VARIABLES)
    if carried.empty:
        return
    keys = ["level", "code", "year", "variable"]
    present = statistics.set_index(keys).index
    carried = carried[~carried.set_index(keys).index.isin(present)]
    carried = carried.assign(source=carried["source"] + " (via kaart " + _year(carried) + ")")
    result.data.area_statistics = pd.concat(
        [statistics, carried[list(statistics.columns)]], ignore_index=True
    )
    ways = carried.drop_duplicates(["code", "carried_by"])["carried_by"].value_counts()
    result.report.counts["carried to current buurten"] = {
        "buurten": int(carried["code"].nunique()),
        "figures": len(carried),
        "how": {str(k): int(v) for k, v in ways.items()},
    }


def _year(frame: pd.DataFrame) -> pd.Series:
    return frame["year"].astype("string")


def _report(result: ImportResult, crosswalk: pd.DataFrame) -> None:
    result.report.counts["code matching"] = summarise_crosswalk(crosswalk)
    matched = crosswalk[crosswalk["match"] != "unmatched"].head(EXAMPLES)
    result.report.counts["code matching examples"] = [
        {
            "old": str(r.old_code),
            "new": str(r.new_code),
            "method": str(r.method),
            "match": str(r.match),
        }
        for r in matched.itertuples()
    ]
