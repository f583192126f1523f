"""A tiny hand-made workspace (one street, two blocks) for fast in-process web tests."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, box

from veerkracht.domain.frames import CRS_RD, SourceData
from veerkracht.settings import Settings
from veerkracht.storage import open_store
from veerkracht.storage.sources import write_source
from veerkracht.storage.units import write_build

X0, Y0 = 136_000.0, 455_000.0
YEAR = 2024


def make_tiny_workspace(workspace: Path) -> Settings:
    """Write a built store with every level present and a Demostad import log entry."""
    settings = Settings(workspace=workspace)
    store = open_store(settings.store_url)
    dwellings = _dwellings()
    write_source(
        store,
        SourceData(name="demo"),
        path="demostad://seed=1",
        sha256="0" * 64,
        report={"dwellings": len(dwellings), "buildings": 3},
        licence="fictional data, CC0",
    )
    write_build(
        store,
        dwellings=dwellings,
        units=_units(),
        indicators=_indicators(),
        reference_year=YEAR,
        summary={"dwellings": len(dwellings)},
    )
    store.dispose()
    return settings


def _dwellings() -> pd.DataFrame:
    rows = []
    layout = [  # building, entrance, block, house numbers (suffixes stack)
        ("0344100000000001", "E1", "BL1", 12, ["1", "2", "3"]),
        ("0344100000000001", "E2", "BL1", 14, ["1", "2", "3", "4"]),
        ("0344100000000002", "E3", "BL1", 16, [None]),
        ("0344100000000003", "E4", "BL2", 20, [None]),
        ("0344100000000003", "E5", "BL2", 22, ["A", "B"]),
    ]
    for building, entrance, block, number, suffixes in layout:
        for index, suffix in enumerate(suffixes):
            letter = suffix if suffix in ("A", "B") else None
            rows.append(
                {
                    "dwelling_id": f"03440100000{number:03d}{index}",
                    "building_id": building,
                    "street_name": "Kersenboomstraat",
                    "house_number": number,
                    "house_letter": letter,
                    "house_suffix": None if letter else suffix,
                    "postcode": "3511AB",
                    "city": "Demostad",
                    "floor_area_m2": 60.0,
                    "status": "Verblijfsobject in gebruik",
                    "x": X0 + number,
                    "y": Y0 + 5,
                    "entrance_key": entrance,
                    "entrance_rule": "number",
                    "block_key": block,
                    "street_key": "Kersenboomstraat|BU00010101",
                    "neighbourhood_code": "BU00010101",
                    "district_code": "WK000101",
                    "municipality_code": "GM0001",
                }
            )
    return pd.DataFrame(rows)


def _units() -> gpd.GeoDataFrame:
    b1, b2, b3 = (
        box(X0 + 10, Y0, X0 + 15, Y0 + 10),
        box(X0 + 15, Y0, X0 + 18, Y0 + 10),
        box(X0 + 19, Y0, X0 + 24, Y0 + 10),
    )
    street = "Kersenboomstraat|BU00010101"
    area = box(X0 - 50, Y0 - 50, X0 + 80, Y0 + 60)
    rows = [
        ("municipality", "GM0001", "Demostad", None, 11, None, area),
        ("district", "WK000101", "Centrum", "GM0001", 11, None, area),
        ("neighbourhood", "BU00010101", "Oude Wijk", "WK000101", 11, None, area),
        (
            "street",
            street,
            "Kersenboomstraat",
            "BU00010101",
            11,
            None,
            box(X0, Y0, X0 + 30, Y0 + 10),
        ),
        ("block", "BL1", "Kersenboomstraat 12-16", street, 8, None, b1.union(b2)),
        ("block", "BL2", "Kersenboomstraat 20-22", street, 3, None, b3),
        ("building", "0344100000000001", "Kersenboomstraat 12-14", "BL1", 7, None, b1),
        ("building", "0344100000000002", "Kersenboomstraat 16", "BL1", 1, None, b2),
        ("building", "0344100000000003", "Kersenboomstraat 20-22", "BL2", 3, None, b3),
        (
            "entrance",
            "E1",
            "Kersenboomstraat 12",
            "0344100000000001",
            3,
            "number",
            Point(X0 + 12, Y0 + 5),
        ),
        (
            "entrance",
            "E2",
            "Kersenboomstraat 14",
            "0344100000000001",
            4,
            "number",
            Point(X0 + 14, Y0 + 5),
        ),
        (
            "entrance",
            "E3",
            "Kersenboomstraat 16",
            "0344100000000002",
            1,
            "single",
            Point(X0 + 16, Y0 + 5),
        ),
        (
            "entrance",
            "E4",
            "Kersenboomstraat 20",
            "0344100000000003",
            1,
            "single",
            Point(X0 + 20, Y0 + 5),
        ),
        (
            "entrance",
            "E5",
            "Kersenboomstraat 22",
            "0344100000000003",
            2,
            "number",
            Point(X0 + 22, Y0 + 5),
        ),
    ]
    frame = pd.DataFrame(
        rows, columns=["level", "key", "name", "parent_key", "dwellings", "rule", "geometry"]
    )
    geo = gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS_RD)
    points = geo.geometry.representative_point()
    geo["x"], geo["y"] = points.x, points.y
    return geo


def _indicators() -> pd.DataFrame:
    rows = []
    sizes = {
        "GM0001": 11,
        "WK000101": 11,
        "BU00010101": 11,
        "Kersenboomstraat|BU00010101": 11,
        "BL1": 8,
        "BL2": 3,
        "E1": 3,
        "E2": 4,
    }
    levels = {
        "GM0001": "municipality",
        "WK000101": "district",
        "BU00010101": "neighbourhood",
        "Kersenboomstraat|BU00010101": "street",
        "BL1": "block",
        "BL2": "block",
        "E1": "entrance",
        "E2": "entrance",
    }
    for key, n in sizes.items():
        for year in (YEAR - 1, YEAR):
            rows += [
                (levels[key], key, year, "dwellings", float(n), None, None),
                (levels[key], key, year, "corporation_share", 0.5, n / 2, float(n)),
                (levels[key], key, year, "vulnerable_lettings_3y", 2 / n, 2.0, float(n)),
                (levels[key], key, year, "assets_nearby", 3.0, None, None),
            ]
    return pd.DataFrame(
        rows, columns=["level", "key", "year", "indicator", "value", "numerator", "denominator"]
    )
