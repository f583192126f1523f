"""Tiny hand-made canonical frames (two buildings, five dwellings, two buurten) in RD New."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, Point, Polygon, box

from veerkracht.domain.frames import CRS_RD, SourceData

X0, Y0 = 121_000.0, 487_000.0

#: Ids as BAG writes them: 16 digits with leading zeros, which must survive as strings.
BUILDING_IDS = ["0457100000012345", "0457100000012346"]
DWELLING_IDS = [
    "0457010000000001",
    "0457010000000002",
    "0457010000000003",
    "0457010000000004",
    "0457010000000005",
]


def buildings() -> gpd.GeoDataFrame:
    """A portiekflat with a courtyard hole and an L-shaped row of two parts (a MultiPolygon)."""
    flat = Polygon(
        [(X0, Y0), (X0 + 40, Y0), (X0 + 40, Y0 + 12), (X0, Y0 + 12)],
        holes=[[(X0 + 18, Y0 + 4), (X0 + 22, Y0 + 4), (X0 + 22, Y0 + 8), (X0 + 18, Y0 + 8)]],
    )
    row = MultiPolygon([box(X0 + 50, Y0, X0 + 60.5, Y0 + 9.25), box(X0 + 61, Y0, X0 + 70, Y0 + 9)])
    frame = pd.DataFrame(
        {
            "building_id": pd.array(BUILDING_IDS, dtype="string"),
            "construction_year": pd.array([1958, pd.NA], dtype="Int64"),
            "status": pd.array(["Pand in gebruik", "Bouw gestart"], dtype="string"),
            "in_use": [True, False],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=[flat, row], crs=CRS_RD)


def dwellings() -> gpd.GeoDataFrame:
    """Three stacked dwellings in the flat (12-1, 12-2, 12A), two in the row (one unmatched)."""
    frame = pd.DataFrame(
        {
            "dwelling_id": pd.array(DWELLING_IDS, dtype="string"),
            "building_id": pd.array(
                [BUILDING_IDS[0]] * 3 + [BUILDING_IDS[1], None], dtype="string"
            ),
            "street_name": pd.array(["Kersenboomstraat"] * 3 + ["Lindelaan"] * 2, dtype="string"),
            "house_number": pd.array([12, 12, 12, 3, 5], dtype="Int64"),
            "house_letter": pd.array([None, None, "A", None, None], dtype="string"),
            "house_suffix": pd.array(["1", "2", None, None, "bis"], dtype="string"),
            "postcode": pd.array(["3511AB"] * 3 + ["3511AC"] * 2, dtype="string"),
            "city": pd.array(["Demostad"] * 5, dtype="string"),
            "floor_area_m2": pd.array([62.5, 62.5, 48.0, 110.0, None], dtype="Float64"),
            "status": pd.array(["Verblijfsobject in gebruik"] * 5, dtype="string"),
        }
    )
    points = [
        Point(X0 + 10.25, Y0 + 0.5),
        Point(X0 + 10.25, Y0 + 0.5),  # stacked: same point as the one below it
        Point(X0 + 30.125, Y0 + 0.5),
        Point(X0 + 55.0, Y0 + 0.5),
        Point(X0 + 80.0, Y0 + 0.5),
    ]
    return gpd.GeoDataFrame(frame, geometry=points, crs=CRS_RD)


def areas(level: str = "neighbourhood") -> gpd.GeoDataFrame:
    """Two areas of one level (buurten by default) with CBS-style codes."""
    prefix, parent = {"neighbourhood": ("BU0457", "WK045701"), "district": ("WK0457", "GM0457")}[
        level
    ]
    frame = pd.DataFrame(
        {
            "level": pd.array([level] * 2, dtype="string"),
            "code": pd.array([f"{prefix}0100", f"{prefix}0101"], dtype="string"),
            "name": pd.array(["Oost", "Oost-Noord"], dtype="string"),
            "parent_code": pd.array([parent] * 2, dtype="string"),
            "year": pd.array([2024, 2024], dtype="Int64"),
        }
    )
    shapes = [
        box(X0 - 100, Y0 - 100, X0 + 45, Y0 + 100),
        box(X0 + 45, Y0 - 100, X0 + 200, Y0 + 100),
    ]
    return gpd.GeoDataFrame(frame, geometry=shapes, crs=CRS_RD)


def lettings() -> pd.DataFrame:
    """Two lettings with dates and channels (no persons)."""
    return pd.DataFrame(
        {
            "letting_id": pd.array(["L0001", "L0002"], dtype="string"),
            "dwelling_id": pd.array(DWELLING_IDS[:2], dtype="string"),
            "date": pd.to_datetime(["2021-03-01", "2023-11-15"]).astype("datetime64[s]"),
            "channel": pd.array(["regulier", "urgentie"], dtype="string"),
        }
    )


def source_data(name: str = "bag") -> SourceData:
    """A source delivering buildings, dwellings, buurten and lettings."""
    return SourceData(
        name=name,
        buildings=buildings(),
        dwellings=dwellings(),
        areas=areas(),
        lettings=lettings(),
    )
