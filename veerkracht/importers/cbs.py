"""CBS (Statistics Netherlands): the Wijk- en Buurtkaart and StatLine kerncijfers.

Source field names stop here: areas become ``AREA_COLUMNS`` frames, figures become long
``area_statistics`` rows with English variable names where ``CBS_VARIABLES`` knows them (other
names are kept as CBS's cleaned snake_case name). Sentinel values and StatLine's ``.`` become a
missing value with its reason, never a number.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from veerkracht.domain.frames import CRS_RD, SourceData
from veerkracht.errors import InputError
from veerkracht.importers.base import ImportReport, ImportResult, require_file
from veerkracht.importers.tabular import CsvTable, first_duplicate, parse_numbers, read_csv

LICENCE = "CC BY 4.0 — Bron: CBS"
SOURCE_BUURTKAART = "cbs-buurtkaart"
SOURCE_KERNCIJFERS = "cbs-kerncijfers"

#: CBS sentinel values and what they mean (REFERENCE.md).
SENTINELS: dict[int, str] = {
    -99997: "secret",
    -99995: "not_yet_published",
    -99991: "no_longer_published",
}
#: StatLine CSV markers for "no figure".
STATLINE_MISSING: dict[str, str] = {".": "secret", "x": "secret", "": "empty"}

LEVEL_BY_PREFIX: dict[str, str] = {"BU": "neighbourhood", "WK": "district", "GM": "municipality"}

#: Attribute names (lower case) per meaning, for each kind of area layer; first found wins.
AREA_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "neighbourhood": {
        "code": ("buurtcode", "bu_code", "cbscode", "statcode"),
        "name": ("buurtnaam", "bu_naam", "naam", "statnaam"),
        "parent_code": ("wijkcode", "wk_code"),
    },
    "district": {
        "code": ("wijkcode", "wk_code", "statcode"),
        "name": ("wijknaam", "wk_naam", "statnaam"),
        "parent_code": ("gemeentecode", "gm_code"),
    },
    "municipality": {
        "code": ("gemeentecode", "gm_code", "statcode"),
        "name": ("gemeentenaam", "gm_naam", "statnaam"),
        "parent_code": (),
    },
}
NAME_FIELDS = {"district": ("wijknaam", "wk_naam"), "municipality": ("gemeentenaam", "gm_naam")}
CODE_FIELDS = {"district": ("wijkcode", "wk_code"), "municipality": ("gemeentecode", "gm_code")}

#: Numeric attributes that are identifiers or codes, not figures.
NOT_STATISTICS = frozenset(
    {
        "jaar",
        "jrstatcode",
        "indelingswijziging_wijken_en_buurten",
        "water",
        "id",
        "fid",
        "objectid",
        "volgnummer",
        "shape_area",
        "shape_length",
        "meest_voorkomende_postcode",
    }
)
#: Topics not imported at all (DESIGN: no migration-background indicators).
EXCLUDED_TOPICS = ("herkomst", "migratieachtergrond", "westers", "allochto")

#: CBS names (buurtkaart snake_case, and StatLine names without their ``_NN`` suffix or unit,
#: cleaned to snake_case) → the English variable name used everywhere after the importer.
CBS_VARIABLES: dict[str, str] = {
    "aantal_inwoners": "inhabitants",
    "bevolkingsdichtheid_inwoners_per_km2": "inhabitants_per_km2",
    "bevolkingsdichtheid": "inhabitants_per_km2",
    "aantal_huishoudens": "households",
    "huishoudens_totaal": "households",
    "particuliere_huishoudens": "private_households",
    "percentage_eenpersoonshuishoudens": "one_person_households_pct",
    "gemiddelde_huishoudsgrootte": "average_household_size",
    "woningvoorraad": "dwelling_stock",
    "gemiddelde_woningwaarde": "average_dwelling_value_keur",
    "percentage_koopwoningen": "owner_occupied_pct",
    "koopwoningen": "owner_occupied_pct",
    "percentage_huurwoningen": "rented_pct",
    "huurwoningen_totaal": "rented_pct",
    "perc_huurwoningen_in_bezit_woningcorporaties": "housing_corporation_owned_pct",
    "in_bezit_woningcorporatie": "housing_corporation_owned_pct",
    "perc_huurwoningen_in_bezit_overige_verhuurders": "other_landlord_owned_pct",
    "in_bezit_overige_verhuurders": "other_landlord_owned_pct",
    "percentage_eengezinswoning": "single_family_dwellings_pct",
    "percentage_meergezinswoning": "multi_family_dwellings_pct",
    "percentage_leegstand_woningen": "vacant_dwellings_pct",
    "gemiddeld_inkomen_per_inwoner": "average_income_per_inhabitant_keur",
    "percentage_huishoudens_met_laag_inkomen": "low_income_households_pct",
    "huishoudens_met_een_laag_inkomen": "low_income_households_pct",
    "percentage_huishoudens_onder_of_rond_sociaal_minimum": "households_at_social_minimum_pct",
    "huishoudens_onder_of_rond_sociaal_minimum": "households_at_social_minimum_pct",
    "aantal_personen_met_een_alg_bijstandsuitkering_tot": "social_assistance_recipients",
    "aantal_wmo_clienten": "wmo_clients",
    "wmo_clienten": "wmo_clients",
    "aantal_wmo_clienten_per_1000_inwoners": "wmo_clients_per_1000",
    "wmo_clienten_relatief": "wmo_clients_per_1000",
    "aantal_jongeren_met_jeugdzorg_in_natura": "youth_care_clients",
    "percentage_jongeren_met_jeugdzorg_in_natura": "youth_care_pct",
    "oppervlakte_totaal_in_ha": "area_total_ha",
    "oppervlakte_land_in_ha": "area_land_ha",
    "oppervlakte_water_in_ha": "area_water_ha",
    "omgevingsadressendichtheid": "address_density_per_km2",
    "stedelijkheid_adressen_per_km2": "urbanity_class",
    "opleidingsniveau_laag_waarde": "education_low_pct",
    "opleidingsniveau_middelbaar_waarde": "education_medium_pct",
    "opleidingsniveau_hoog_waarde": "education_high_pct",
    "ses_woa_totaalscore_gemiddelde_score": "ses_woa_score",
    "spreiding_spreiding_totaal_waarde": "ses_woa_spread",
}
#: StatLine columns that describe the region or period rather than hold a figure (cleaned).
STATLINE_DESCRIPTIVE = frozenset(
    {
        "id",
        "perioden",
        "wijken_en_buurten",
        "regiocode",
        "regio_s",
        "gemeentenaam",
        "soort_regio",
        "codering",
        "indelingswijziging_wijken_en_buurten",
        "meest_voorkomende_postcode",
        "regioaanduiding_gemeentenaam",
        "regioaanduiding_soort_regio",
        "regioaanduiding_codering",
    }
)
_CODE = re.compile(r"^(BU|WK|GM)[0-9A-Z]{4,8}$")
_RD_BOUNDS = (-10_000.0, 280_000.0, 310_000.0, 640_000.0)


def read_cbs_buurtkaart(
    path: Path, *, year: int | None = None, layer: str | None = None
) -> ImportResult:
    """Areas (buurt, wijk, gemeente) and their kerncijfers from a CBS Wijk- en Buurtkaart.

    Reads a GeoPackage (layers such as ``buurten``, ``wijken``, ``gemeenten``) or a GeoJSON of
    buurten, reprojects to EPSG:28992, and dissolves buurten into wijken and gemeenten when those
    layers are absent (so a file with part of a gemeente gives a partial gemeente polygon). The
    year comes from ``year``, else ``jaar``/``jrstatcode``, else the file name.
    """
    path = Path(path)
    require_file(path)
    report = ImportReport(source=SOURCE_BUURTKAART, path=str(path))
    layers = _choose_layers(path, layer)
    buurten = _read_layer(path, layers["neighbourhood"], report)
    year = _area_year(buurten, path, year)
    areas = [_areas(buurten, "neighbourhood", year, path, layers["neighbourhood"], report)]
    statistics = [_attribute_statistics(buurten, areas[0], year, report)]
    for level in ("district", "municipality"):
        if level in layers:
            frame = _read_layer(path, layers[level], report)
            areas.append(_areas(frame, level, year, path, layers[level], report))
            statistics.append(_attribute_statistics(frame, areas[-1], year, report))
        else:
            areas.append(_dissolve(buurten, areas[0], level, year, report))
    all_areas = gpd.GeoDataFrame(pd.concat(areas, ignore_index=True), crs=CRS_RD)
    all_statistics = pd.concat(statistics, ignore_index=True)
    report.read = len(buurten)
    report.used = len(areas[0])
    report.counts["areas"] = all_areas["level"].value_counts().to_dict()
    report.counts["statistics"] = len(all_statistics)
    report.counts["missing"] = all_statistics["missing_reason"].value_counts().to_dict()
    report.counts["year"] = year
    data = SourceData(name=SOURCE_BUURTKAART, areas=all_areas, area_statistics=all_statistics)
    return ImportResult(data=data, report=report, licence=LICENCE)


def read_cbs_kerncijfers(path: Path, *, year: int | None = None) -> ImportResult:
    """Figures per buurt, wijk and gemeente from a StatLine CSV export, as ``area_statistics``.

    Columns are resolved by title: the region code column is found by its values, other columns
    lose their ``_NN`` suffix and unit and are renamed through ``CBS_VARIABLES``. The year comes
    from ``year``, else the ``Perioden`` column (``2019JJ00`` or ``2019``), else the file name.
    Region names go to ``data.extra["area_names"]`` (for matching codes of other years by name).
    """
    table = read_csv(Path(path), source="StatLine CSV")
    report = ImportReport(source=SOURCE_KERNCIJFERS, path=str(table.path), read=len(table.frame))
    code_column = _code_column(table)
    codes = table.frame[code_column].str.strip()
    levels = codes.str[:2].map(LEVEL_BY_PREFIX)
    report.skip("region that is not a buurt, wijk or gemeente", int(levels.isna().sum()))
    years = _statline_years(table, year)
    keep = levels.notna().to_numpy()
    keys = pd.DataFrame({"level": levels, "code": codes, "year": years})
    _check_unique(table, keys[["code", "year"]])
    keys = keys[keep]
    statistics = _statline_statistics(table, code_column, keys, report)
    names = _statline_names(table, code_column, keys)
    report.used = int(keep.sum())
    report.counts["areas"] = keys["level"].value_counts().to_dict()
    report.counts["statistics"] = len(statistics)
    report.counts["missing"] = statistics["missing_reason"].value_counts().to_dict()
    report.counts["years"] = sorted(int(y) for y in keys["year"].unique())
    data = SourceData(name=SOURCE_KERNCIJFERS, area_statistics=statistics)
    data.extra["area_names"] = names
    return ImportResult(data=data, report=report, licence=LICENCE)


def variable_name(source_name: str) -> str:
    """The English variable for a CBS column name or StatLine title (else its cleaned name)."""
    cleaned = clean_name(source_name)
    return CBS_VARIABLES.get(cleaned, cleaned)


def clean_name(source_name: str) -> str:
    """``InBezitWoningcorporatie_42`` → ``in_bezit_woningcorporatie``; a title loses its units."""
    name = re.sub(r"\([^)]*\)", " ", source_name).strip()
    name = re.sub(r"_\d+$", "", name)
    if re.fullmatch(r"[A-Za-z0-9]+", name):
        name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


# --- the buurtkaart --------------------------------------------------------------------------


def _choose_layers(path: Path, layer: str | None) -> dict[str, str]:
    try:
        names = [str(n) for n, _ in pyogrio.list_layers(path)]
    except Exception as error:  # pyogrio raises DataSourceError and friends
        raise InputError(
            f"cannot open as GeoPackage or GeoJSON ({error})", path=str(path)
        ) from None
    if layer is not None:
        if layer not in names:
            raise InputError(f'no layer "{layer}"; found {", ".join(names)}', path=str(path))
        return {"neighbourhood": layer}
    chosen: dict[str, str] = {}
    for name in names:
        low = name.casefold()
        if "buurt" in low and "neighbourhood" not in chosen:
            chosen["neighbourhood"] = name
        elif "wijk" in low and "buurt" not in low and "district" not in chosen:
            chosen["district"] = name
        elif "gemeente" in low and "municipality" not in chosen:
            chosen["municipality"] = name
    if "neighbourhood" not in chosen:
        if len(names) != 1:
            raise InputError(
                f"no buurten layer; found {', '.join(names)}; expected a layer named like "
                "'buurten' or 'cbs_buurten_2024'",
                path=str(path),
            )
        chosen = {"neighbourhood": names[0]}
    return chosen


def _read_layer(path: Path, layer: str, report: ImportReport) -> gpd.GeoDataFrame:
    try:
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as error:
        raise InputError(f'cannot read layer "{layer}" ({error})', path=str(path)) from None
    frame.columns = [c if c == frame.geometry.name else str(c).casefold() for c in frame.columns]
    frame = frame.set_geometry(frame.geometry.name)
    return _to_rd(frame, path, layer, report)


def _to_rd(
    frame: gpd.GeoDataFrame, path: Path, layer: str, report: ImportReport
) -> gpd.GeoDataFrame:
    where = f'layer "{layer}"'
    if frame.crs is None:
        raise InputError(f"{where} has no CRS; expected EPSG:28992 or WGS84", path=str(path))
    bounds = frame.geometry.bounds
    if frame.crs.is_geographic and (bounds.abs().max().max() > 180):
        position = int(np.flatnonzero((bounds.abs() > 180).any(axis=1).to_numpy())[0])
        raise InputError(
            f"coordinates {tuple(bounds.iloc[position, :2].round(1))} are not degrees but the file "
            f"declares {frame.crs.name}; expected WGS84 degrees or a file in EPSG:28992",
            path=str(path),
            row=f"feature {position + 1}",
            field="geometry",
        )
    frame = frame.to_crs(CRS_RD)
    bounds = frame.geometry.bounds
    minx, miny, maxx, maxy = _RD_BOUNDS
    outside = (
        ~(
            (bounds.minx >= minx)
            & (bounds.maxx <= maxx)
            & (bounds.miny >= miny)
            & (bounds.maxy <= maxy)
        )
        & frame.geometry.notna()
    )
    if outside.any():
        position = int(np.flatnonzero(outside.to_numpy())[0])
        raise InputError(
            f"the geometry lies outside the Netherlands in EPSG:28992 (file CRS {frame.crs.name} "
            f"→ bounds {tuple(bounds.iloc[position].round(0))}); expected Dutch coordinates",
            path=str(path),
            row=f"feature {position + 1}",
            field="geometry",
        )
    invalid = ~shapely.is_valid(frame.geometry.to_numpy()) & frame.geometry.notna().to_numpy()
    if invalid.any():
        frame.loc[invalid, frame.geometry.name] = shapely.make_valid(
            frame.geometry[invalid].to_numpy()
        )
        report.counts["invalid geometries repaired"] = int(invalid.sum())
    return frame


def _first(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in frame.columns), None)


def _area_year(frame: gpd.GeoDataFrame, path: Path, year: int | None) -> int:
    if year is not None:
        return int(year)
    if "jaar" in frame.columns and frame["jaar"].notna().any():
        return int(pd.to_numeric(frame["jaar"]).mode().iloc[0])
    if "jrstatcode" in frame.columns and frame["jrstatcode"].notna().any():
        return int(str(frame["jrstatcode"].dropna().iloc[0])[:4])
    found = _year_in_name(path)
    if found is None:
        raise InputError(
            "no year: no 'jaar' or 'jrstatcode' field and no year in the file name; "
            "expected one of these (or pass the year)",
            path=str(path),
        )
    return found


def _year_in_name(path: Path) -> int | None:
    match = re.search(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)", path.name)
    return int(match.group(1)) if match else None


def _areas(
    frame: gpd.GeoDataFrame, level: str, year: int, path: Path, layer: str, report: ImportReport
) -> gpd.GeoDataFrame:
    fields = AREA_FIELDS[level]
    code_field = _first(frame, fields["code"])
    if code_field is None:
        raise InputError(
            f'layer "{layer}": no code column; expected one of {", ".join(fields["code"])}',
            path=str(path),
            field=fields["code"][0],
        )
    codes = frame[code_field].astype("string").str.strip()
    if codes.isna().any() or (codes == "").any():
        position = int(np.flatnonzero((codes.isna() | (codes == "")).to_numpy())[0])
        raise InputError(
            "empty code; expected a CBS code such as BU03080000",
            path=str(path),
            row=f"feature {position + 1}",
            field=code_field,
        )
    name_field = _first(frame, fields["name"])
    parent_field = _first(frame, fields["parent_code"])
    out = gpd.GeoDataFrame(
        {
            "level": pd.array([level] * len(frame), dtype="string"),
            "code": codes.to_numpy(),
            "name": frame[name_field].astype("string").str.strip()
            if name_field
            else pd.array([None] * len(frame), dtype="string"),
            "parent_code": frame[parent_field].astype("string").str.strip()
            if parent_field
            else _parent_codes(codes, level),
            "year": pd.array([year] * len(frame), dtype="Int64"),
            "geometry": frame.geometry.to_numpy(),
        },
        geometry="geometry",
        crs=CRS_RD,
    )
    missing_geometry = out.geometry.isna() | out.geometry.is_empty
    report.skip(f"{level} without geometry", int(missing_geometry.sum()))
    out = out[~missing_geometry.to_numpy()]
    if out["code"].duplicated().any():  # e.g. land and water parts of one buurt
        report.counts[f"{level} codes in several parts (merged)"] = int(
            out["code"].duplicated().sum()
        )
        out = out.dissolve(by="code", as_index=False, aggfunc="first")[list(out.columns)]
    return out.reset_index(drop=True)


def _parent_codes(codes: pd.Series, level: str) -> pd.Series:
    """The parent code from the CBS code structure: BU0363AA01 → WK0363AA → GM0363."""
    if level == "neighbourhood":
        return ("WK" + codes.str[2:8]).astype("string")
    if level == "district":
        return ("GM" + codes.str[2:6]).astype("string")
    return pd.Series([None] * len(codes), dtype="string", index=codes.index)


def _dissolve(
    buurten: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, level: str, year: int, report: ImportReport
) -> gpd.GeoDataFrame:
    """Wijken from buurten (by parent code), gemeenten from buurten (by code digits)."""
    code_field = _first(buurten, CODE_FIELDS[level])
    name_field = _first(buurten, NAME_FIELDS[level])
    if level == "district":
        codes = areas["parent_code"]
    elif code_field is not None:
        codes = buurten[code_field].astype("string").str.strip().reindex(areas.index)
    else:
        codes = ("GM" + areas["code"].str[2:6]).astype("string")
    parts = gpd.GeoDataFrame(
        {
            "code": codes.to_numpy(),
            "name": buurten[name_field].astype("string").str.strip().reindex(areas.index).to_numpy()
            if name_field
            else pd.array([None] * len(areas), dtype="string"),
            "geometry": areas.geometry.to_numpy(),
        },
        geometry="geometry",
        crs=CRS_RD,
    )
    merged = parts.dissolve(by="code", as_index=False, aggfunc="first")
    if name_field is None:
        report.notes.append(f"{level} names are not in the file; {level} areas carry only a code")
    return gpd.GeoDataFrame(
        {
            "level": pd.array([level] * len(merged), dtype="string"),
            "code": merged["code"].astype("string"),
            "name": merged["name"].astype("string"),
            "parent_code": _parent_codes(merged["code"].astype("string"), level),
            "year": pd.array([year] * len(merged), dtype="Int64"),
            "geometry": merged.geometry.to_numpy(),
        },
        geometry="geometry",
        crs=CRS_RD,
    )


def _attribute_statistics(
    frame: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, year: int, report: ImportReport
) -> pd.DataFrame:
    """Long statistics rows for every numeric attribute; sentinels become reasons."""
    code_field = (
        _first(frame, AREA_FIELDS[str(areas["level"].iloc[0])]["code"]) if len(areas) else None
    )
    skip = NOT_STATISTICS | {
        f for fields in AREA_FIELDS.values() for v in fields.values() for f in v
    }
    numeric = [
        c
        for c in frame.columns
        if c not in skip and c != frame.geometry.name and pd.api.types.is_numeric_dtype(frame[c])
    ]
    excluded = [c for c in numeric if any(t in c for t in EXCLUDED_TOPICS)]
    if excluded:
        report.counts["variables not imported (migration background)"] = len(excluded)
    numeric = [c for c in numeric if c not in excluded]
    if code_field is None or not numeric:
        return _empty_statistics()
    wide = frame[[code_field, *numeric]].drop_duplicates(subset=code_field)
    wide = wide[wide[code_field].astype("string").str.strip().isin(areas["code"])]
    long = wide.melt(id_vars=code_field, var_name="source_name", value_name="raw")
    raw = pd.to_numeric(long["raw"]).astype(float)
    reasons = raw.round().map(lambda v: SENTINELS.get(int(v)) if pd.notna(v) else "empty")
    unknown = (raw <= -99990) & (raw >= -99999) & reasons.isna()
    reasons = reasons.mask(unknown, "unknown_sentinel")
    report.counts["unknown sentinel values"] = int(unknown.sum())
    level = str(areas["level"].iloc[0])
    return pd.DataFrame(
        {
            "level": pd.array([level] * len(long), dtype="string"),
            "code": long[code_field].astype("string").str.strip(),
            "year": pd.array([year] * len(long), dtype="Int64"),
            "variable": long["source_name"].map(variable_name).astype("string"),
            "value": pd.array(raw.mask(reasons.notna()), dtype="Float64"),
            "missing_reason": reasons.astype("string"),
            "source": pd.array([SOURCE_BUURTKAART] * len(long), dtype="string"),
        }
    )


def _empty_statistics() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "level": pd.array([], dtype="string"),
            "code": pd.array([], dtype="string"),
            "year": pd.array([], dtype="Int64"),
            "variable": pd.array([], dtype="string"),
            "value": pd.array([], dtype="Float64"),
            "missing_reason": pd.array([], dtype="string"),
            "source": pd.array([], dtype="string"),
        }
    )


# --- StatLine CSV ----------------------------------------------------------------------------


def _code_column(table: CsvTable) -> str:
    """The column where most values are CBS region codes (at least half; NL01 etc. may occur)."""
    shares = {
        str(c): float(table.frame[c].str.strip().str.match(_CODE.pattern).mean())
        for c in table.frame.columns
    }
    best = max(shares, key=lambda c: shares[c])
    if shares[best] >= 0.5:
        return best
    raise InputError(
        f"no column of region codes; found {', '.join(map(repr, table.frame.columns))}; expected "
        "a column with codes such as BU03630000, WK036300, GM0363",
        path=str(table.path),
        row=1,
        field="Regiocode",
    )


def _statline_years(table: CsvTable, year: int | None) -> pd.Series:
    index = table.frame.index
    if year is not None:
        return pd.Series(int(year), index=index, dtype="Int64")
    period = next((c for c in table.frame.columns if clean_name(str(c)) == "perioden"), None)
    if period is not None:
        text = table.frame[period].str.strip()
        bad = ~text.str.match(r"^\d{4}(JJ00)?$")
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f'period "{text.iloc[position]}" is not a year; expected e.g. 2019 or 2019JJ00',
                path=str(table.path),
                row=table.row_number(position),
                field=str(period),
            )
        return text.str[:4].astype(int).astype("Int64")
    found = _year_in_name(table.path)
    if found is None:
        raise InputError(
            "no year: no 'Perioden' column and no year in the file name; expected "
            "one of these (or pass the year)",
            path=str(table.path),
            field="Perioden",
        )
    return pd.Series(found, index=index, dtype="Int64")


def _check_unique(table: CsvTable, keys: pd.DataFrame) -> None:
    rows = first_duplicate(table, keys)
    if rows is not None:
        raise InputError(
            f"the same region and year appear in rows {rows[0]} and {rows[1]}; expected one row "
            "per region and year (export without extra dimensions)",
            path=str(table.path),
            row=rows[1],
        )


def _statline_statistics(
    table: CsvTable, code_column: str, keys: pd.DataFrame, report: ImportReport
) -> pd.DataFrame:
    parts = []
    text_columns = []
    for column in table.frame.columns:
        cleaned = clean_name(str(column))
        if column == code_column or cleaned in STATLINE_DESCRIPTIVE:
            continue
        if any(t in cleaned for t in EXCLUDED_TOPICS):
            report.counts["variables not imported (migration background)"] = (
                report.counts.get("variables not imported (migration background)", 0) + 1
            )
            continue
        values = table.frame[column].str.strip()
        markers = values.isin(list(STATLINE_MISSING))
        if (~markers).any() and not values[~markers].str.match(r"^[+-]?[\d.,]*\d").any():
            text_columns.append(str(column))  # a text column: no value looks like a number
            continue
        numbers, reasons = parse_numbers(table, str(column), missing=STATLINE_MISSING)
        parts.append(
            pd.DataFrame(
                {
                    "level": keys["level"],
                    "code": keys["code"],
                    "year": keys["year"],
                    "variable": variable_name(str(column)),
                    "value": numbers[keys.index],
                    "missing_reason": reasons[keys.index],
                }
            )
        )
    if text_columns:
        report.notes.append(f"text columns not imported: {', '.join(text_columns)}")
    if not parts:
        raise InputError(
            "no numeric columns; expected figures per region", path=str(table.path), row=1
        )
    long = pd.concat(parts, ignore_index=True)
    duplicated = long.duplicated(subset=["level", "code", "year", "variable"])
    if duplicated.any():
        name = long.loc[duplicated, "variable"].iloc[0]
        raise InputError(
            f'two columns mean the same variable "{name}"; expected one',
            path=str(table.path),
            row=1,
        )
    return pd.DataFrame(
        {
            "level": long["level"].astype("string"),
            "code": long["code"].astype("string"),
            "year": long["year"].astype("Int64"),
            "variable": long["variable"].astype("string"),
            "value": long["value"].astype("Float64"),
            "missing_reason": long["missing_reason"].astype("string"),
            "source": pd.array([SOURCE_KERNCIJFERS] * len(long), dtype="string"),
        }
    )


def _statline_names(table: CsvTable, code_column: str, keys: pd.DataFrame) -> pd.DataFrame:
    """Region names: the first text column (not the code) whose values are not codes."""
    name_column = None
    for column in table.frame.columns:
        cleaned = clean_name(str(column))
        if column != code_column and cleaned in {
            "wijken_en_buurten",
            "regio_s",
            "gemeentenaam",
            "regioaanduiding_gemeentenaam",
        }:
            values = table.frame[column].str.strip()
            if values.str.match(_CODE.pattern).mean() < 0.5:
                name_column = column
                break
    names = (
        table.frame.loc[keys.index, name_column].str.strip()
        if name_column is not None
        else pd.Series([None] * len(keys), index=keys.index)
    )
    return pd.DataFrame(
        {
            "level": keys["level"].astype("string"),
            "code": keys["code"].astype("string"),
            "name": names.astype("string"),
            "year": keys["year"].astype("Int64"),
        }
    ).reset_index(drop=True)
