"""A list of places, organisations and shops from a CSV or GeoJSON file (``import places``).

CSV: columns ``name`` and ``kind``, a point as ``x``/``y`` (RD New, metres) or ``lat``/``lon``
(WGS84), and optionally ``description``, ``opening_hours`` and ``audience`` (public or
professional). GeoJSON: a FeatureCollection of Point features in WGS84 with the same
properties. Every error names the file, the row (or feature) and the field.

The rows become assets of origin "import" under the source name ``places:<file name>``: a
re-import of the same file replaces exactly its own rows (same ids), and residents' items stay.
Offers of persons and active residents are never imported: they need a person's own consent.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Transformer

from veerkracht.domain.assets import AssetKind
from veerkracht.domain.frames import CRS_RD, SourceData
from veerkracht.errors import InputError
from veerkracht.importers.base import ImportReport, ImportResult, require_file
from veerkracht.importers.tabular import CsvTable, parse_numbers, read_csv

LICENCE = "as given by the supplier of the list"
#: Kinds a list may hold, with the Dutch words accepted for them.
KINDS: dict[str, str] = {
    "association": AssetKind.ASSOCIATION.value,
    "vereniging": AssetKind.ASSOCIATION.value,
    "institution": AssetKind.INSTITUTION.value,
    "voorziening": AssetKind.INSTITUTION.value,
    "instelling": AssetKind.INSTITUTION.value,
    "place": AssetKind.PLACE.value,
    "plek": AssetKind.PLACE.value,
    "economy": AssetKind.ECONOMY.value,
    "winkel": AssetKind.ECONOMY.value,
    "economie": AssetKind.ECONOMY.value,
    "story": AssetKind.STORY.value,
    "verhaal": AssetKind.STORY.value,
}
AUDIENCES = ("public", "professional")
#: Points must lie in the Netherlands (RD New bounds, and WGS84 around them).
RD_BOUNDS = (0.0, 300_000.0, 289_000.0, 629_000.0)
WGS84_BOUNDS = (2.9, 50.6, 7.6, 53.8)
_TO_RD = Transformer.from_crs("EPSG:4326", CRS_RD, always_xy=True)


def read_places(path: Path) -> ImportResult:
    """Read a places file (``.csv``, ``.geojson`` or ``.json``) into assets."""
    path = Path(path)
    require_file(path)
    is_geojson = path.suffix.lower() in (".geojson", ".json")
    rows = _geojson_rows(path) if is_geojson else _csv_rows(path)
    source = f"places:{path.stem}"[:60]
    frame = _frame(rows, source=source, path=path)
    report = ImportReport(source="places", path=str(path), read=len(rows), used=len(frame))
    report.counts["per kind"] = frame["kind"].value_counts().sort_index().to_dict()
    report.notes.append("run `veerkracht build` to count the places in the figures")
    return ImportResult(data=SourceData(name=source, assets=frame), report=report, licence=LICENCE)


def _csv_rows(path: Path) -> list[dict[str, Any]]:
    table = read_csv(path, required=("name", "kind"), source="places CSV")
    columns = set(table.frame.columns)
    if {"x", "y"} <= columns:
        xs, ys = _numbers(table, "x"), _numbers(table, "y")
        crs = "rd"
    elif {"lat", "lon"} <= columns:
        xs, ys = _numbers(table, "lon"), _numbers(table, "lat")
        crs = "wgs84"
    else:
        raise InputError(
            "no point columns; expected x and y (RD New) or lat and lon (WGS84)",
            path=str(path),
            row=1,
        )
    out = []
    for i, record in enumerate(table.frame.to_dict("records")):
        out.append(
            {
                "where": f"row {table.row_number(i)}",
                "properties": record,
                "point": (xs.iloc[i], ys.iloc[i]),
                "crs": crs,
            }
        )
    return out


def _numbers(table: CsvTable, column: str) -> pd.Series:
    numbers, reasons = parse_numbers(table, column)
    if reasons.notna().any():
        position = int(reasons.notna().to_numpy().nonzero()[0][0])
        raise InputError(
            "empty; expected a coordinate",
            path=str(table.path),
            row=table.row_number(position),
            field=column,
        )
    return numbers.astype(float)


def _geojson_rows(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"not valid JSON ({error}); expected GeoJSON", path=str(path)) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError("expected a GeoJSON FeatureCollection", path=str(path))
    features = data.get("features") or []
    if not features:
        raise InputError("the FeatureCollection has no features", path=str(path))
    out = []
    for n, feature in enumerate(features, 1):
        where = f"feature {n}"
        geometry = (feature or {}).get("geometry") or {}
        coordinates = geometry.get("coordinates")
        if geometry.get("type") != "Point" or not isinstance(coordinates, list):
            raise InputError(
                f"geometry is {geometry.get('type')!r}; expected a Point",
                path=str(path),
                row=where,
                field="geometry",
            )
        try:
            point = (float(coordinates[0]), float(coordinates[1]))
        except (TypeError, ValueError, IndexError):
            raise InputError(
                "coordinates are not [lon, lat] numbers",
                path=str(path),
                row=where,
                field="geometry",
            ) from None
        properties = {str(k).lower(): v for k, v in (feature.get("properties") or {}).items()}
        out.append({"where": where, "properties": properties, "point": point, "crs": "wgs84"})
    return out


def _frame(rows: list[dict[str, Any]], *, source: str, path: Path) -> gpd.GeoDataFrame:
    records: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    now = datetime.now().replace(microsecond=0)
    for row in rows:
        record = _record(row, path=path)
        identity = f"{source}|{record['kind']}|{record['name']}|{record['x']:.1f}|{record['y']:.1f}"
        if identity in seen:
            raise InputError(
                f"repeats {seen[identity]} (same name, kind and point); expected each place once",
                path=str(path),
                row=row["where"],
            )
        seen[identity] = row["where"]
        record["asset_id"] = "P-" + hashlib.sha256(identity.encode()).hexdigest()[:12].upper()
        records.append(record)
    frame = pd.DataFrame(records)
    frame["origin"] = "import"
    frame["source_name"] = source
    frame["status"] = "approved"
    frame["created_at"] = now
    frame["confirmed_at"] = now
    geometry = shapely.points(frame.pop("x").to_numpy(), frame.pop("y").to_numpy())
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS_RD)


def _record(row: dict[str, Any], *, path: Path) -> dict[str, Any]:
    props, where = row["properties"], row["where"]

    def text(field: str, limit: int, *, required: bool = False) -> str | None:
        value = props.get(field)
        value = "" if value is None else str(value).strip()
        if required and not value:
            raise InputError("empty; expected text", path=str(path), row=where, field=field)
        if len(value) > limit:
            raise InputError(
                f"{len(value)} characters; expected at most {limit}",
                path=str(path),
                row=where,
                field=field,
            )
        return value or None

    name = text("name", 120, required=True)
    kind_text = (text("kind", 30, required=True) or "").lower()
    if kind_text not in KINDS:
        raise InputError(
            f'"{kind_text}" is not a kind of place; expected one of {", ".join(sorted(KINDS))}',
            path=str(path),
            row=where,
            field="kind",
        )
    audience = (text("audience", 20) or "public").lower()
    if audience not in AUDIENCES:
        raise InputError(
            f'"{audience}" is not an audience; expected one of {", ".join(AUDIENCES)}',
            path=str(path),
            row=where,
            field="audience",
        )
    x, y = _to_rd(row["point"], row["crs"], path=path, where=where)
    return {
        "kind": KINDS[kind_text],
        "name": name,
        "description": text("description", 1000),
        "opening_hours": text("opening_hours", 200),
        "visibility": audience,
        "x": x,
        "y": y,
    }


def _to_rd(point: tuple[float, float], crs: str, *, path: Path, where: str) -> tuple[float, float]:
    a, b = point
    if crs == "rd":
        minx, miny, maxx, maxy = RD_BOUNDS
        if not (minx <= a <= maxx and miny <= b <= maxy):
            raise InputError(
                f"({a}, {b}) lies outside the Netherlands; expected RD New metres (EPSG:28992)",
                path=str(path),
                row=where,
                field="x",
            )
        return float(a), float(b)
    west, south, east, north = WGS84_BOUNDS
    if not (west <= a <= east and south <= b <= north):
        raise InputError(
            f"(lon {a}, lat {b}) lies outside the Netherlands; expected WGS84 degrees",
            path=str(path),
            row=where,
            field="lon" if crs == "wgs84" and not (west <= a <= east) else "lat",
        )
    x, y = _TO_RD.transform(a, b)
    return float(x), float(y)
