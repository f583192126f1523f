"""Bad BAG input gives one InputError whose message names the file and what was expected."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from veerkracht.errors import InputError
from veerkracht.importers.bag import read_bag

from .test_bag import AMSTERDAM, P1, golden_parts, needs_real, write_lvbag


def _raises(path: Path, *fragments: str) -> InputError:
    with pytest.raises(InputError) as caught:
        read_bag(path)
    message = str(caught.value)
    assert path.name in message
    for fragment in fragments:
        assert fragment in message, message
    return caught.value


def _addresses(n: int = 3, **overrides: object) -> gpd.GeoDataFrame:
    """A small OGC-API-style address layer."""
    data = {
        "nummer_id": [f"036320000000000{i}" for i in range(n)],
        "straatnaam": ["Zoutkeetsgracht"] * n,
        "huisnummer": list(range(1, n + 1)),
        "postcode": ["1013LC"] * n,
        "woonplaats": ["Amsterdam"] * n,
        "status": ["Naamgeving uitgegeven"] * n,
    }
    data.update(overrides)
    points = [Point(121_000 + i, 489_000) for i in range(n)]
    return gpd.GeoDataFrame(data, geometry=points, crs="EPSG:28992")


def _gpkg(path: Path, **layers: gpd.GeoDataFrame) -> Path:
    for name, frame in layers.items():
        frame.to_file(path, layer=name, driver="GPKG")
    return path


# --- any form --------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "bag.zip"
    path.write_bytes(b"")
    _raises(path, "empty")


def test_missing_file(tmp_path: Path) -> None:
    _raises(tmp_path / "nowhere.gpkg", "not found")


def test_neither_zip_nor_geopackage(tmp_path: Path) -> None:
    path = tmp_path / "bag.zip"
    path.write_text("identificatie;status\n0457100000000001;Pand in gebruik\n")
    _raises(path, "expected an LV-BAG extract (.zip) or a BAG GeoPackage (.gpkg)")


# --- LV-BAG extract --------------------------------------------------------------------------


def test_truncated_zip(tmp_path: Path) -> None:
    whole = write_lvbag(tmp_path / "whole.zip", golden_parts()).read_bytes()
    path = tmp_path / "BAGGEM9999L-cut.zip"
    path.write_bytes(whole[: len(whole) // 2])
    _raises(path, "zip")


def test_corrupt_member_inside_zip(tmp_path: Path) -> None:
    path = write_lvbag(tmp_path / "bad.zip", golden_parts())
    data = bytearray(path.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 40] = b"\x00" * 40  # damage the deflated stream
    path.write_bytes(bytes(data))
    _raises(path, "expected")


def test_zip_without_bag_parts(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday.jpg", b"\xff\xd8")
    _raises(path, "no PND, VBO, NUM, OPR, WPL part found")


def test_malformed_xml(tmp_path: Path) -> None:
    parts = golden_parts()
    parts["VBO"][0] = parts["VBO"][0].replace("</Objecten:Verblijfsobject>", "", 1)
    _raises(write_lvbag(tmp_path / "broken.zip", parts), "VBO", "not well-formed XML")


def test_duplicate_current_record(tmp_path: Path) -> None:
    parts = golden_parts()
    parts["PND"].append(parts["PND"][1])  # P1 voorkomen 2 twice
    _raises(write_lvbag(tmp_path / "dup.zip", parts), P1, "voorkomen 2 twice")


def test_coordinates_outside_the_netherlands(tmp_path: Path) -> None:
    parts = golden_parts(pand_x=400_000.0)
    _raises(write_lvbag(tmp_path / "far.zip", parts), "pand", "x=400,000.0", "x 0–300,000")


def test_bad_poslist(tmp_path: Path) -> None:
    parts = golden_parts()
    parts["PND"][1] = parts["PND"][1].replace('count="5">', 'count="6">', 1)
    _raises(write_lvbag(tmp_path / "ring.zip", parts), P1, "geometrie", "count 6")


# --- GeoPackage ------------------------------------------------------------------------------


@needs_real
def test_truncated_geopackage(tmp_path: Path) -> None:
    whole = AMSTERDAM.read_bytes()
    path = tmp_path / "bag-half.gpkg"
    path.write_bytes(whole[: len(whole) // 2])
    _raises(path, "truncated")


def test_geopackage_without_address_layer(tmp_path: Path) -> None:
    path = _gpkg(tmp_path / "other.gpkg", wegen=_addresses())
    _raises(path, "no layer verblijfsobject or verblijfsobjecten", "found: wegen")


def test_geopackage_empty_address_layer(tmp_path: Path) -> None:
    _raises(_gpkg(tmp_path / "none.gpkg", verblijfsobjecten=_addresses(0)), "no features")


def test_geopackage_missing_required_field(tmp_path: Path) -> None:
    path = _gpkg(
        tmp_path / "nonumber.gpkg", verblijfsobjecten=_addresses().drop(columns="huisnummer")
    )
    _raises(path, '"verblijfsobjecten"', "house_number", "huisnummer")


def test_geopackage_duplicate_ids(tmp_path: Path) -> None:
    frame = _addresses(nummer_id=["0363200000000001"] * 3)
    _raises(
        _gpkg(tmp_path / "dup.gpkg", verblijfsobjecten=frame), "0363200000000001", "occurs 3 times"
    )


def test_geopackage_wrong_crs(tmp_path: Path) -> None:
    frame = _addresses().to_crs("EPSG:4326")
    _raises(
        _gpkg(tmp_path / "wgs84.gpkg", verblijfsobjecten=frame), "EPSG:4326", "expected EPSG:28992"
    )


def test_geopackage_coordinates_outside_the_netherlands(tmp_path: Path) -> None:
    frame = _addresses()
    frame.geometry = [Point(121_000, 100_000)] * 3
    _raises(
        _gpkg(tmp_path / "south.gpkg", verblijfsobjecten=frame), "y=100,000.0", "0363200000000000"
    )


def test_bag_light_layout_with_panden(tmp_path: Path) -> None:
    """PDOK names: identificatie, openbare_ruimte_naam, pand_identificatie, gebruiksdoel …; a VBO
    in two panden comes as two rows."""
    vbo = gpd.GeoDataFrame(
        {
            "identificatie": [
                "0457010000000001",
                "0457010000000001",
                "0457010000000002",
                "0457010000000003",
            ],
            "openbare_ruimte_naam": ["Nieuwstraat"] * 4,
            "huisnummer": [1, 1, 2, 3],
            "toevoeging": [None, None, "bis", None],
            "postcode": ["1381AA"] * 4,
            "woonplaats_naam": ["Weesp"] * 4,
            "oppervlakte": [70, 70, 40, 120],
            "status": ["Verblijfsobject in gebruik"] * 3 + ["Verblijfsobject gevormd"],
            "gebruiksdoel": [
                "woonfunctie,winkelfunctie",
                "woonfunctie,winkelfunctie",
                "kantoorfunctie",
                "woonfunctie",
            ],
            "pand_identificatie": [
                "0457100000000001",
                "0457100000000002",
                "0457100000000001",
                "0457100000000002",
            ],
        },
        geometry=[Point(131_000, 480_000)] * 2 + [Point(131_005, 480_000), Point(131_020, 480_000)],
        crs="EPSG:28992",
    )
    pand = gpd.GeoDataFrame(
        {
            "identificatie": ["0457100000000001", "0457100000000002"],
            "bouwjaar": [1910, 9999],
            "status": ["Pand in gebruik", "Bouw gestart"],
        },
        geometry=[box(130_990, 479_990, 131_010, 480_010), box(131_010, 479_990, 131_030, 480_010)],
        crs="EPSG:28992",
    )
    result = read_bag(_gpkg(tmp_path / "bag-light.gpkg", pand=pand, verblijfsobject=vbo))
    dwellings, buildings, report = result.data.dwellings, result.data.buildings, result.report
    assert dwellings["dwelling_id"].tolist() == ["0457010000000001"]
    assert dwellings["building_id"].tolist() == ["0457100000000001"]
    assert dwellings["street_name"].tolist() == ["Nieuwstraat"]
    assert dwellings["floor_area_m2"].tolist() == [70.0]
    assert report.counts["in_several_panden"] == 1
    assert dict(report.skipped) == {
        "not a dwelling (no woonfunctie)": 1,
        "status not in use": 1,
        "repeated row of a verblijfsobject in several panden": 1,
    }
    assert report.read == report.used + sum(report.skipped.values())
    assert buildings["in_use"].tolist() == [True, False]
    assert buildings["construction_year"].isna().tolist() == [False, True]
    assert report.counts["building_status"] == {"Pand in gebruik": 1, "Bouw gestart": 1}


def test_not_a_geopackage_but_sqlite(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "plain.gpkg"
    with sqlite3.connect(path) as db:
        db.execute("create table t (a)")
    _raises(path, "expected")
