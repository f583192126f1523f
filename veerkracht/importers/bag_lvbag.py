"""The Kadaster LV-BAG 2.0 extract (zip of zips of XML): current state → buildings and dwellings."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from veerkracht.domain.frames import SourceData
from veerkracht.errors import InputError
from veerkracht.importers.bag_frames import (
    buildings_frame,
    check_rd_range,
    count_values,
    dwellings_frame,
)
from veerkracht.importers.bag_status import (
    BUILDING_IN_USE,
    DWELLING_IN_USE,
    DWELLING_PURPOSE,
    LICENCE,
    SOURCE,
)
from veerkracht.importers.bag_xml import Table, read_part
from veerkracht.importers.bag_zip import OBJECT_TYPES, ZIP_ERRORS, iter_xml_parts
from veerkracht.importers.base import ImportReport, ImportResult

_REQUIRED_TYPES = ("PND", "VBO", "NUM", "OPR", "WPL")
_PROGRESS_EVERY = 10_000
_PLACE_ACTIVE = "Plaats aangewezen"


def read_lvbag(path: Path, *, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Read an LV-BAG extract: all current panden, and the verblijfsobjecten that are dwellings."""
    report = ImportReport(source=SOURCE, path=str(path))
    tables = _read_tables(path, report, progress)
    current = {kind: _current(frame, kind, str(path), report) for kind, frame in tables.items()}
    pand = current["PND"]
    buildings = buildings_frame(pand["id"], pand["year"], pand["status"], pand["geometry"], report)
    dwellings = _dwellings(current, report)
    _count_places(current, report)
    check_rd_range(buildings, id_column="building_id", what="pand", path=str(path))
    check_rd_range(dwellings, id_column="dwelling_id", what="verblijfsobject", path=str(path))
    data = SourceData(name=SOURCE, buildings=buildings, dwellings=dwellings)
    return ImportResult(data=data, report=report, licence=LICENCE)


def _read_tables(
    path: Path, report: ImportReport, progress: Callable[[int], None] | None
) -> dict[str, pd.DataFrame]:
    """Stream every XML part into one table per object type (candidate current voorkomens)."""
    tables = {kind: Table(kind) for kind in OBJECT_TYPES}
    history = {kind: Counter[str]() for kind in OBJECT_TYPES}
    records: Counter[str] = Counter()
    parts: Counter[str] = Counter()
    kind = ""

    def tick() -> None:
        records[kind] += 1
        if progress is not None and records.total() % _PROGRESS_EVERY == 0:
            progress(records.total())

    for kind, part, stream in iter_xml_parts(path, OBJECT_TYPES):
        parts[kind] += 1
        try:
            read_part(
                stream, tables[kind], part=part, path=str(path), history=history[kind], tick=tick
            )
        except ET.ParseError as exc:
            raise InputError(
                f"{part}: not well-formed XML ({exc}); expected LV-BAG 2.0 XML", path=str(path)
            ) from exc
        except ZIP_ERRORS as exc:
            raise InputError(
                f"{part}: damaged inside the zip ({exc}); expected a complete LV-BAG extract",
                path=str(path),
            ) from exc
    missing = [k for k in _REQUIRED_TYPES if not parts[k]]
    if missing:
        raise InputError(
            f"no {', '.join(missing)} part found; expected an LV-BAG 2.0 extract with XML parts "
            "named like 0457PND15102021-000001.xml (objects PND, VBO, NUM, OPR, WPL)",
            path=str(path),
        )
    if progress is not None:
        progress(records.total())
    report.counts["records"] = {k: records[k] for k in OBJECT_TYPES}
    report.counts["history_records_skipped"] = {k: dict(v) for k, v in history.items() if v}
    return {k: table.frame() for k, table in tables.items()}


def _current(frame: pd.DataFrame, kind: str, path: str, report: ImportReport) -> pd.DataFrame:
    """One row per object: of the voorkomens without eindGeldigheid, the newest beginGeldigheid."""
    number = pd.to_numeric(frame["voorkomen"], errors="coerce")
    ordered = frame.assign(_number=number).sort_values(["id", "begin", "_number"], kind="stable")
    same = ordered.duplicated(["id", "_number"], keep=False)
    if same.any():
        row = ordered[same].iloc[0]
        raise InputError(
            f"{kind} {row['id']} has voorkomen {row['voorkomen']} twice among current records; "
            "expected one record per voorkomen",
            path=path,
            field="identificatie",
        )
    several = ordered["id"].duplicated(keep="last")
    if several.any():
        report.counts.setdefault("objects_with_several_current_voorkomens", {})[kind] = int(
            ordered.loc[several, "id"].nunique()
        )
    current = ordered[~several].drop(columns="_number").set_index("id", drop=False)
    report.counts.setdefault("current_objects", {})[kind] = len(current)
    return current


def _dwellings(current: dict[str, pd.DataFrame], report: ImportReport) -> gpd.GeoDataFrame:
    """Verblijfsobjecten with woonfunctie and an in-use status, with address and pand."""
    vbo, pand = current["VBO"], current["PND"]
    pand_ids = pand["id"]
    pand_in_use = pand_ids[pand["status"].isin(BUILDING_IN_USE)]
    vbo = vbo.assign(building=_main_pand(vbo["buildings"], pand_in_use))
    report.read = len(vbo)
    report.counts["vbo_status"] = count_values(vbo["status"])
    purposes = vbo["purpose"].str.split(",").explode()
    report.counts["vbo_gebruiksdoel"] = count_values(purposes[purposes.fillna("") != ""])
    report.counts["vbo"] = _links(vbo, pand_ids)

    is_dwelling = vbo["purpose"].str.contains(f"(?:^|,){DWELLING_PURPOSE}(?:,|$)").fillna(False)
    in_use = vbo["status"].isin(DWELLING_IN_USE)
    geometry = vbo["geometry"].to_numpy()
    located = pd.Series(~(pd.isna(geometry) | shapely.is_empty(geometry)), index=vbo.index)
    report.skip("not a dwelling (no woonfunctie)", int((~is_dwelling).sum()))
    report.skip("status not in use", int((is_dwelling & ~in_use).sum()))
    report.skip("no geometry", int((is_dwelling & in_use & ~located).sum()))
    kept = vbo[is_dwelling & in_use & located]
    report.counts["dwellings"] = _links(kept, pand_ids)
    report.counts["dwellings"]["pand_not_in_use"] = int(
        (kept["building"].isin(pand_ids) & ~kept["building"].isin(pand_in_use)).sum()
    )

    address = _addresses(current).reindex(kept["address"].to_numpy())
    report.counts["dwellings"]["without_address"] = int(address["number"].isna().sum())
    columns = {
        "dwelling_id": kept["id"],
        "building_id": kept["building"],
        "street_name": address["street_name"],
        "house_number": address["number"],
        "house_letter": address["letter"],
        "house_suffix": address["suffix"],
        "postcode": address["postcode"],
        "city": address["city"],
        "floor_area_m2": kept["area"],
        "status": kept["status"],
    }
    dwellings = dwellings_frame(columns, kept["geometry"].to_numpy())
    report.used = len(dwellings)
    return dwellings


def _main_pand(buildings: pd.Series, pand_in_use: pd.Series) -> pd.Series:
    """The first pand of ``maaktDeelUitVan`` that is in use, else simply the first."""
    first = buildings.str.split(",").str[0]
    several = buildings.str.contains(",", regex=False).fillna(False)
    if not several.any():
        return first
    exploded = buildings[several].str.split(",").explode()
    in_use = exploded[exploded.isin(pand_in_use)]
    chosen = in_use[~in_use.index.duplicated(keep="first")]
    return chosen.reindex(first.index).fillna(first).astype("string")


def _links(vbo: pd.DataFrame, pand_ids: pd.Series) -> dict[str, int]:
    """How verblijfsobjecten link to panden and addresses."""
    n_panden = pd.to_numeric(vbo["n_buildings"], errors="coerce").fillna(0)
    return {
        "count": len(vbo),
        "in_several_panden": int((n_panden > 1).sum()),
        "without_pand": int((n_panden == 0).sum()),
        "pand_missing_from_extract": int(
            (vbo["building"].notna() & ~vbo["building"].isin(pand_ids)).sum()
        ),
        "with_nevenadres": int((pd.to_numeric(vbo["n_side_addresses"]) > 0).sum()),
    }


def _addresses(current: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Nummeraanduiding id → number, letter, suffix, postcode, street name and city name."""
    num, opr, wpl = current["NUM"], current["OPR"], current["WPL"]
    city_ref = num["city_ref"].fillna(num["street_ref"].map(opr["city_ref"]))
    return pd.DataFrame(
        {
            "number": num["number"],
            "letter": num["letter"],
            "suffix": num["suffix"],
            "postcode": num["postcode"],
            "street_name": num["street_ref"].map(opr["name"]),
            "city": city_ref.map(wpl["name"]),
        },
        index=num.index,
    )


def _count_places(current: dict[str, pd.DataFrame], report: ImportReport) -> None:
    """Ligplaatsen and standplaatsen carry addresses too: counted, not taken as dwellings."""
    for kind, label in (("LIG", "ligplaatsen"), ("STA", "standplaatsen")):
        places = current[kind]
        active = places["address"].notna() & (places["status"] == _PLACE_ACTIVE)
        report.counts[label] = {"current": len(places), "status": count_values(places["status"])}
        if active.any():
            report.notes.append(
                f"{label}: {int(active.sum()):,} with an address ({_PLACE_ACTIVE}), counted but "
                "not imported as dwellings."
            )
