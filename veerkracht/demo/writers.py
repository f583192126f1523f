"""Write a generated Demostad in the real formats users download or export, for the importers.

    demo = generate_demostad(seed=1, dwellings=100_000)
    files = write_demostad(demo, Path("demostad-files"), formats=("gpkg", "lvbag"))

What is written (named as their producers name them):

- ``bag-light.gpkg``: PDOK BAG GeoPackage, layers ``pand`` and ``verblijfsobject`` (``import bag``);
- ``BAGGEM9999L-31122025.zip``: Kadaster LV-BAG 2.0 extract, zip of zips of XML (``import bag``);
- ``wijkenbuurten_2024_v1.gpkg``: CBS Wijk- en Buurtkaart, layers ``buurten``, ``wijken``,
  ``gemeenten`` (``import cbs-buurtkaart``);
- ``voorraad.csv``, ``verhuringen.csv``, ``vertrekken.csv``, ``overlast.csv``: the corporation
  files of docs/formats.md (``import stock``, ``lettings``, ``moveouts``, ``nuisance``);
- ``grid 2024.gpkg`` and ``Leefbaarometer-scores grids 2016-2024.csv``: the Leefbaarometer 100 m
  grid and its scores (``import leefbaarometer-grid-cells``, then ``leefbaarometer``;
  writers_lbm.py). ``veerkracht demo`` stores the same grid (read from these files).

Importing these and building gives the same dwellings, levels and indicators as
``veerkracht demo``: ids are kept (Demostad's ids are BAG-shaped), the stock names dwellings by
``bag_vbo_id``, lettings and move-outs by ``vhe_id``, complaints by address. What the formats do
not carry: assets and signals (registered in the app, not imported from files) and the ground
truth of entrances.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from veerkracht.demo.generator import DemoData
from veerkracht.demo.writers_lvbag import STAND, write_lvbag
from veerkracht.domain.frames import CRS_RD, SourceData

Progress = Callable[[str, float], None]
FORMATS = ("gpkg", "lvbag")
BAG_GPKG = "bag-light.gpkg"
BAG_LVBAG = f"BAGGEM9999L-{STAND[8:10]}{STAND[5:7]}{STAND[:4]}.zip"
BUURTKAART = "wijkenbuurten_2024_v1.gpkg"
CSV_FILES = {
    "stock": "voorraad.csv",
    "lettings": "verhuringen.csv",
    "moveouts": "vertrekken.csv",
    "nuisance": "overlast.csv",
}
_GPKG_CHUNK = 200_000
_SEE_ALSO = "http://bag.basisregistraties.overheid.nl/bag/id"


@dataclass(frozen=True)
class WrittenFile:
    """One file written: where, which ``veerkracht import`` source reads it, and its rows."""

    path: Path
    source: str
    rows: int
    description: str


def write_demostad(
    demo: DemoData,
    out: Path,
    *,
    formats: tuple[str, ...] = FORMATS,
    progress: Progress | None = None,
) -> list[WrittenFile]:
    """Write Demostad's BAG (in ``formats``), CBS buurtkaart, corporation CSVs and Leefbaarometer
    grid into ``out``."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"formats {unknown or formats} are not among {', '.join(FORMATS)}")
    report = progress or (lambda _step, _share: None)
    out.mkdir(parents=True, exist_ok=True)
    source = demo.source
    written: list[WrittenFile] = []
    if "gpkg" in formats:
        report("bag-gpkg", 0.0)
        written.append(write_bag_geopackage(source, out / BAG_GPKG))
    if "lvbag" in formats:
        report("bag-lvbag", 0.1)
        write_lvbag(
            buildings=source.buildings,
            dwellings=source.dwellings,
            municipality=_municipality(source.areas),
            out=out / BAG_LVBAG,
            progress=lambda share: report("bag-lvbag", 0.1 + 0.7 * share),
        )
        written.append(WrittenFile(out / BAG_LVBAG, "bag", len(source.dwellings), "LV-BAG 2.0 XML"))
    report("buurtkaart", 0.85)
    written.append(write_buurtkaart(source, out / BUURTKAART))
    report("csv", 0.9)
    written.extend(write_corporation_csvs(source, out))
    report("leefbaarometer", 0.95)
    from veerkracht.demo.writers_lbm import write_liveability_grid  # it imports WrittenFile

    written.extend(write_liveability_grid(demo, out))
    report("done", 1.0)
    return written


def write_bag_geopackage(source: SourceData, path: Path) -> WrittenFile:
    """A PDOK-style BAG GeoPackage (``bag-light.gpkg``): layers ``pand`` and ``verblijfsobject``."""
    path.unlink(missing_ok=True)
    buildings = source.buildings
    per_building = source.dwellings.groupby("building_id").size()
    area = source.dwellings.groupby("building_id")["floor_area_m2"]
    pand = gpd.GeoDataFrame(
        {
            "identificatie": buildings["building_id"].astype(str),
            "rdf_seealso": _SEE_ALSO + "/pand/" + buildings["building_id"].astype(str),
            "bouwjaar": buildings["construction_year"].astype("Int64"),
            "status": buildings["status"].astype(str),
            "gebruiksdoel": _text(
                pd.Series("woonfunctie", index=buildings.index).where(
                    buildings["building_id"].isin(per_building.index)
                )
            ),
            "oppervlakte_min": buildings["building_id"].map(area.min()).round().astype("Int64"),
            "oppervlakte_max": buildings["building_id"].map(area.max()).round().astype("Int64"),
            "aantal_verblijfsobjecten": buildings["building_id"]
            .map(per_building)
            .fillna(0)
            .astype(int),
        },
        geometry=buildings.geometry.to_numpy(),
        crs=CRS_RD,
    )
    _write_layer(pand, path, "pand")
    dwellings = source.dwellings
    year = dwellings["building_id"].map(buildings.set_index("building_id")["construction_year"])
    pand_status = dwellings["building_id"].map(buildings.set_index("building_id")["status"])
    ids = dwellings["dwelling_id"].astype(str)
    vbo = gpd.GeoDataFrame(
        {
            "identificatie": ids,
            "rdf_seealso": _SEE_ALSO + "/verblijfsobject/" + ids,
            "openbare_ruimte_naam": _text(dwellings["street_name"]),
            "huisnummer": dwellings["house_number"].astype("Int64"),
            "huisletter": _text(dwellings["house_letter"]),
            "toevoeging": _text(dwellings["house_suffix"]),
            "postcode": _text(dwellings["postcode"]),
            "woonplaats_naam": _text(dwellings["city"]),
            "bouwjaar": year.astype("Int64"),
            "pand_identificatie": _text(dwellings["building_id"]),
            "pandstatus": _text(pand_status),
            "status": _text(dwellings["status"]),
            "oppervlakte": dwellings["floor_area_m2"].round().astype("Int64"),
            "gebruiksdoel": "woonfunctie",
        },
        geometry=dwellings.geometry.to_numpy(),
        crs=CRS_RD,
    )
    _write_layer(vbo, path, "verblijfsobject")
    return WrittenFile(path, "bag", len(vbo), "PDOK BAG GeoPackage")


def write_buurtkaart(source: SourceData, path: Path) -> WrittenFile:
    """A CBS Wijk- en Buurtkaart GeoPackage: ``buurten``, ``wijken``, ``gemeenten`` with figures."""
    path.unlink(missing_ok=True)
    areas = source.areas
    figures = _area_figures(source)
    names = areas.set_index("code")["name"]
    layers = {
        "gemeenten": ("municipality", "gemeente"),
        "wijken": ("district", "wijk"),
        "buurten": ("neighbourhood", "buurt"),
    }
    for layer, (level, word) in layers.items():
        rows = areas[areas["level"] == level].reset_index(drop=True)
        columns: dict[str, Any] = {f"{word}code": rows["code"], f"{word}naam": rows["name"]}
        if level == "neighbourhood":
            columns["wijkcode"] = rows["parent_code"]
            columns["wijknaam"] = rows["parent_code"].map(names)
        gemeente = _gemeente(areas)
        if level != "municipality":
            columns["gemeentecode"] = gemeente[0]
            columns["gemeentenaam"] = gemeente[1]
        columns["jaar"] = rows["year"].astype(int)
        columns["water"] = "NEE"
        frame = pd.DataFrame(columns).join(
            figures[level].reindex(rows["code"]).reset_index(drop=True)
        )
        _write_layer(
            gpd.GeoDataFrame(frame, geometry=rows.geometry.to_numpy(), crs=CRS_RD), path, layer
        )
    count = int((areas["level"] == "neighbourhood").sum())
    return WrittenFile(path, "cbs-buurtkaart", count, "CBS Wijk- en Buurtkaart (buurten)")


def write_corporation_csvs(source: SourceData, folder: Path) -> list[WrittenFile]:
    """voorraad.csv, verhuringen.csv, vertrekken.csv, overlast.csv in the documented formats."""
    stock, dwellings = source.stock, source.dwellings
    address = _addresses(dwellings)
    unit = stock.set_index("dwelling_id")["unit_id"]
    voorraad = pd.DataFrame(
        {
            "vhe_id": stock["unit_id"],
            "bag_vbo_id": stock["dwelling_id"],
            **{k: stock["dwelling_id"].map(v) for k, v in address.items()},
            "complex_id": stock["complex_id"],
            "trappenhuis_id": stock["entrance_hint"],
            "huurklasse": stock["rent_class"],
        }
    )
    verhuringen = pd.DataFrame(
        {
            "verhuring_id": source.lettings["letting_id"],
            **_unit_columns(source.lettings["dwelling_id"], unit),
            "datum": _iso(source.lettings["date"]),
            "kanaal": source.lettings["channel"],
        }
    )
    vertrekken = pd.DataFrame(
        {
            "vertrek_id": source.moveouts["moveout_id"],
            **_unit_columns(source.moveouts["dwelling_id"], unit),
            "datum": _iso(source.moveouts["date"]),
        }
    )
    nuisance = source.nuisance
    overlast = pd.DataFrame(
        {
            "melding_id": nuisance["complaint_id"],
            **{k: nuisance["dwelling_id"].map(v) for k, v in address.items()},
            "datum": pd.to_datetime(nuisance["date"]).dt.strftime("%d-%m-%Y"),
            "categorie": nuisance["category"],
        }
    )
    frames = {
        "stock": voorraad,
        "lettings": verhuringen,
        "moveouts": vertrekken,
        "nuisance": overlast,
    }
    written = []
    for kind, frame in frames.items():
        path = folder / CSV_FILES[kind]
        frame.to_csv(path, sep=";", index=False, encoding="utf-8", lineterminator="\n")
        written.append(WrittenFile(path, kind, len(frame), "corporation CSV"))
    return written


def _write_layer(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """Write in chunks (append), so a million features never need one big conversion."""
    for start in range(0, max(len(frame), 1), _GPKG_CHUNK):
        pyogrio.write_dataframe(
            frame.iloc[start : start + _GPKG_CHUNK],
            path,
            layer=layer,
            driver="GPKG",
            append=start > 0,
            GEOMETRY_NAME="geom",
        )


def _text(values: pd.Series) -> pd.Series:
    """Text with None for missing: GDAL writes pandas' NA object as the string "<NA>"."""
    return values.astype(object).where(values.notna(), None)


def _addresses(dwellings: pd.DataFrame) -> dict[str, pd.Series]:
    keyed = dwellings.set_index("dwelling_id")
    return {
        "postcode": keyed["postcode"],
        "huisnummer": keyed["house_number"],
        "huisletter": keyed["house_letter"],
        "toevoeging": keyed["house_suffix"],
    }


def _unit_columns(dwelling_ids: pd.Series, unit: pd.Series) -> dict[str, pd.Series]:
    """``vhe_id`` where the dwelling is in the stock, else its ``bag_vbo_id``."""
    vhe = dwelling_ids.map(unit)
    return {"vhe_id": vhe, "bag_vbo_id": dwelling_ids.where(vhe.isna())}


def _iso(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.strftime("%Y-%m-%d")


def _municipality(areas: gpd.GeoDataFrame) -> Any:
    rows = areas[areas["level"] == "municipality"]
    return rows.geometry.iloc[0] if len(rows) else None


def _gemeente(areas: gpd.GeoDataFrame) -> tuple[str, str]:
    rows = areas[areas["level"] == "municipality"]
    return str(rows["code"].iloc[0]), str(rows["name"].iloc[0])


def _area_figures(source: SourceData) -> dict[str, pd.DataFrame]:
    """Kerncijfer-like figures per area, with CBS's sentinel values where CBS would use them."""
    areas, dwellings = source.areas, source.dwellings
    buurten = areas[areas["level"] == "neighbourhood"]
    joined = gpd.sjoin(
        gpd.GeoDataFrame(dwellings[["dwelling_id"]], geometry=dwellings.geometry, crs=CRS_RD),
        buurten[["code", "parent_code", "geometry"]],
        predicate="within",
        how="left",
    ).drop_duplicates("dwelling_id")
    joined["owned"] = joined["dwelling_id"].isin(source.stock["dwelling_id"])
    joined["gemeente"] = _gemeente(areas)[0]
    out = {}
    for level, key in (
        ("neighbourhood", "code"),
        ("district", "parent_code"),
        ("municipality", "gemeente"),
    ):
        groups = joined.groupby(key)
        stock = groups.size()
        owned = groups["owned"].mean() * 100
        figures = pd.DataFrame(
            {
                "aantal_inwoners": (stock * 2.1).round().astype(int),
                "woningvoorraad": stock,
                "perc_huurwoningen_in_bezit_woningcorporaties": owned.round().astype(int),
            }
        )
        small = figures["woningvoorraad"] < 10
        figures.loc[small, "perc_huurwoningen_in_bezit_woningcorporaties"] = -99997  # geheim
        figures["gemiddelde_woningwaarde"] = -99995  # nog niet gepubliceerd
        codes = areas.loc[areas["level"] == level, "code"]
        out[level] = figures.reindex(codes).fillna(-99997).astype(int)
    return out
