"""The canonical tables every importer (and the Demostad generator) emits.

Source field names stop at the importers: after them, every source looks like these frames.
Geometries are shapely objects in RD New (EPSG:28992). Ids and official codes are strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CRS_RD = "EPSG:28992"

#: Building footprints (BAG pand). ``in_use`` is True for statuses that mean "exists".
BUILDING_COLUMNS: dict[str, str] = {
    "building_id": "string",
    "construction_year": "Int64",
    "status": "string",
    "in_use": "bool",
    "geometry": "geometry",  # Polygon / MultiPolygon
}

#: Dwellings (BAG verblijfsobject with woonfunctie) with their address point.
DWELLING_COLUMNS: dict[str, str] = {
    "dwelling_id": "string",
    "building_id": "string",  # may be missing when no footprints are known
    "street_name": "string",
    "house_number": "Int64",
    "house_letter": "string",
    "house_suffix": "string",
    "postcode": "string",
    "city": "string",
    "floor_area_m2": "Float64",
    "status": "string",
    "geometry": "geometry",  # Point
}

#: Official areas (CBS buurt, wijk, gemeente).
AREA_COLUMNS: dict[str, str] = {
    "level": "string",  # neighbourhood | district | municipality
    "code": "string",  # BU…, WK…, GM…
    "name": "string",
    "parent_code": "string",  # the wijk of a buurt, the gemeente of a wijk
    "year": "Int64",
    "geometry": "geometry",
}

#: The corporation's stock: which dwellings it owns, and what it knows about them.
STOCK_COLUMNS: dict[str, str] = {
    "dwelling_id": "string",
    "unit_id": "string",  # the corporation's own id
    "complex_id": "string",
    "entrance_hint": "string",  # the corporation's trappenhuis / entrance id, if any
    "rent_class": "string",
}

#: Lettings: a household moved in through a channel. No person, only a channel label.
LETTING_COLUMNS: dict[str, str] = {
    "letting_id": "string",
    "dwelling_id": "string",
    "date": "datetime64[s]",
    "channel": "string",
}

#: Move-outs: a household left a dwelling.
MOVEOUT_COLUMNS: dict[str, str] = {
    "moveout_id": "string",
    "dwelling_id": "string",
    "date": "datetime64[s]",
}

#: Nuisance complaints (overlast) registered by the corporation.
NUISANCE_COLUMNS: dict[str, str] = {
    "complaint_id": "string",
    "dwelling_id": "string",
    "date": "datetime64[s]",
    "category": "string",
}

#: Assets: places, associations, institutions, active residents (counted, not named).
ASSET_COLUMNS: dict[str, str] = {
    "asset_id": "string",
    "kind": "string",  # see domain.assets.AssetKind
    "name": "string",
    "description": "string",
    "visibility": "string",  # public | professional
    "geometry": "geometry",  # Point
}

#: Signals: what residents and professionals report.
SIGNAL_COLUMNS: dict[str, str] = {
    "signal_id": "string",
    "category": "string",
    "created_at": "datetime64[s]",
    "status": "string",
    "description": "string",
    "geometry": "geometry",  # Point
}


@dataclass
class SourceData:
    """Everything one source (or Demostad) delivers, as canonical frames; absent parts are None."""

    name: str
    buildings: Any = None
    dwellings: Any = None
    areas: Any = None
    stock: Any = None
    lettings: Any = None
    moveouts: Any = None
    nuisance: Any = None
    assets: Any = None
    signals: Any = None
    area_statistics: Any = None
    liveability_scores: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def missing_columns(columns: list[str] | Any, spec: dict[str, str]) -> list[str]:
    """Names in ``spec`` that are not among ``columns``."""
    present = set(columns)
    return [name for name in spec if name not in present]
