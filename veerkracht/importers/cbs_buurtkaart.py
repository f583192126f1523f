"""The CBS Wijk- en Buurtkaart (GeoPackage or GeoJSON): areas and their figures.

Buurten, wijken and gemeenten become ``AREA_COLUMNS`` frames in EPSG:28992; every numeric
attribute becomes long ``area_statistics`` rows, sentinel values becoming a missing reason.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from veerkracht.domain.frames import CRS_RD, SourceData
from veerkracht.errors import InputError
from veerkracht.importers.base import ImportReport, ImportResult, require_file
from veerkracht.importers.cbs_variables import (
    AREA_FIELDS,
    CODE_FIELDS,
    EXCLUDED_TOPICS,
    LICENCE,
    NAME_FIELDS,
    NOT_STATISTICS,
    SENTINELS,
    SOURCE_BUURTKAART,
    variable_name,
    year_in_name,
)

_RD_BOUNDS = (-10_000.0, 280_000.0, 310_000.0, 640_000.0)


def read_buurtkaart(
    path: Path, *, year: int | None = None, layer: str | None = None
) -> ImportResult:
    """Areas and figures of a Wijk- en Buurtkaart; see ``cbs.read_cbs_buurtkaart``."""
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
    found = year_in_name(path)
    if found is None:
        raise InputError(
            "no year: no 'jaar' or 'jrstatcode' field and no year in the file name; "
            "expected one of these (or pass the year)",
            path=str(path),
        )
    return found


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
