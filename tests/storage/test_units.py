"""write_build / read_units / read_unit: a build round-trips, bbox and parent queries select."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from veerkracht.domain.frames import CRS_RD
from veerkracht.errors import NotFound, StoreError
from veerkracht.storage import Store
from veerkracht.storage.units import (
    clear_build,
    count_units,
    read_dwellings_of,
    read_indicator_table,
    read_last_build,
    read_unit,
    read_unit_indicators,
    read_units,
    require_build,
    write_build,
)

from . import tiny

X0, Y0 = tiny.X0, tiny.Y0
YEAR = 2024
BLOCK_A, BLOCK_B = "0457100000012345-b", "0457100000012346-b"
STREET = "Kersenboomstraat|BU04570100"


def _units() -> gpd.GeoDataFrame:
    """Two blocks side by side below one street, and one entrance in the first block."""
    block_a, block_b = box(X0, Y0, X0 + 40, Y0 + 12), box(X0 + 50, Y0, X0 + 70, Y0 + 9)
    street, entrance = box(X0, Y0, X0 + 70, Y0 + 12), box(X0, Y0, X0 + 1, Y0 + 1)
    frame = pd.DataFrame(
        {
            "level": ["block", "block", "street", "entrance"],
            "key": [BLOCK_A, BLOCK_B, STREET, "E-000012"],
            "name": ["Blok Kersenboomstraat 12", "Blok Lindelaan 3", "Kersenboomstraat", "12"],
            "parent_key": [STREET, STREET, "BU04570100", BLOCK_A],
            "dwellings": [3, 2, 5, 3],
            "rule": [None, None, None, "number"],
        }
    )
    geometry = [block_a, block_b, street, entrance]
    frame["x"] = [g.centroid.x for g in geometry]
    frame["y"] = [g.centroid.y for g in geometry]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS_RD)


def _indicators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "level": ["block", "block", "block", "street"],
            "key": [BLOCK_A, BLOCK_A, BLOCK_B, STREET],
            "year": [YEAR - 1, YEAR, YEAR, YEAR],
            "indicator": ["dwellings", "dwellings", "dwellings", "dwellings"],
            "value": [3.0, 3.0, 2.0, 5.0],
            "numerator": [None, None, None, None],
            "denominator": [None, None, None, None],
        }
    )


def _dwellings() -> pd.DataFrame:
    points = tiny.dwellings()
    frame = pd.DataFrame(points.drop(columns="geometry"))
    frame["x"] = points.geometry.x.to_numpy()
    frame["y"] = points.geometry.y.to_numpy()
    frame["entrance_key"] = ["E-000012"] * 3 + ["E-3", "E-5"]
    frame["entrance_rule"] = "number"
    frame["block_key"] = [BLOCK_A] * 3 + [BLOCK_B] * 2
    frame["street_key"] = STREET
    frame["neighbourhood_code"] = "BU04570100"
    frame["district_code"] = "WK045701"
    frame["municipality_code"] = "GM0457"
    return frame


def _build(store: Store) -> None:
    write_build(
        store,
        dwellings=_dwellings(),
        units=_units(),
        indicators=_indicators(),
        reference_year=YEAR,
        summary={"block": 2, "street": 1},
    )


def test_units_round_trip_with_geometry(store: Store) -> None:
    _build(store)
    blocks = read_units(store, "block")
    written = _units().query("level == 'block'").sort_values("key").reset_index(drop=True)

    assert isinstance(blocks, gpd.GeoDataFrame)
    assert blocks.crs == CRS_RD
    assert blocks["key"].tolist() == [BLOCK_A, BLOCK_B]
    assert blocks["dwellings"].tolist() == [3, 2]
    assert blocks["name"].tolist() == written["name"].tolist()
    assert blocks["parent_key"].tolist() == [STREET, STREET]
    assert shapely.equals_exact(blocks.geometry.to_numpy(), written.geometry.to_numpy()).all()
    assert blocks[["minx", "miny", "maxx", "maxy"]].to_numpy().tolist() == [
        list(g.bounds) for g in written.geometry
    ]


def test_units_without_geometry_are_a_plain_frame(store: Store) -> None:
    _build(store)
    streets = read_units(store, "street", with_geometry=False)
    assert not isinstance(streets, gpd.GeoDataFrame)
    assert "geometry" not in streets
    assert streets["key"].tolist() == [STREET]


@pytest.mark.parametrize(
    ("bbox", "expected"),
    [
        ((X0 - 10, Y0 - 10, X0 + 5, Y0 + 5), [BLOCK_A]),  # overlaps block A's corner only
        ((X0 + 45, Y0 + 1, X0 + 48, Y0 + 2), []),  # the gap between the blocks
        ((X0 + 40, Y0 + 9, X0 + 50, Y0 + 20), [BLOCK_A, BLOCK_B]),  # touches both edges
        ((X0 + 69, Y0 + 8.5, X0 + 100, Y0 + 100), [BLOCK_B]),
        ((X0 - 1000, Y0 - 1000, X0 + 1000, Y0 + 1000), [BLOCK_A, BLOCK_B]),
    ],
)
def test_read_units_inside_a_bbox(
    store: Store, bbox: tuple[float, float, float, float], expected: list[str]
) -> None:
    _build(store)
    assert read_units(store, "block", bbox=bbox)["key"].tolist() == expected


def test_read_units_below_a_parent(store: Store) -> None:
    _build(store)
    assert read_units(store, "block", parent_key=STREET)["key"].tolist() == [BLOCK_A, BLOCK_B]
    assert read_units(store, "entrance", parent_key=BLOCK_A)["key"].tolist() == ["E-000012"]
    assert read_units(store, "entrance", parent_key=BLOCK_B).empty


def test_read_unit(store: Store) -> None:
    _build(store)
    unit = read_unit(store, "entrance", "E-000012")
    assert unit["name"] == "12"
    assert unit["rule"] == "number"
    assert unit["dwellings"] == 3
    assert unit["parent_key"] == BLOCK_A
    assert shapely.equals_exact(unit["geometry"], box(X0, Y0, X0 + 1, Y0 + 1))


def test_read_unit_names_what_is_missing(store: Store) -> None:
    _build(store)
    with pytest.raises(NotFound, match='no block with key "nope"'):
        read_unit(store, "block", "nope")
    with pytest.raises(NotFound):
        read_unit(store, "street", BLOCK_A)  # right key, wrong level


def test_indicators_round_trip(store: Store) -> None:
    _build(store)
    history = read_unit_indicators(store, "block", BLOCK_A)
    assert history["year"].tolist() == [YEAR - 1, YEAR]
    assert history["value"].tolist() == [3.0, 3.0]
    table = read_indicator_table(store, "block", YEAR).sort_values("key")
    assert table["key"].tolist() == [BLOCK_A, BLOCK_B]
    assert table["value"].tolist() == [3.0, 2.0]


def test_dwellings_carry_their_keys(store: Store) -> None:
    _build(store)
    in_block = read_dwellings_of(store, "block_key", BLOCK_A)
    assert in_block["dwelling_id"].tolist() == tiny.DWELLING_IDS[:3]
    assert set(in_block["entrance_key"]) == {"E-000012"}
    assert (
        read_dwellings_of(store, "block_key", BLOCK_B)["dwelling_id"].tolist()
        == (tiny.DWELLING_IDS[3:])
    )


def test_the_build_is_recorded(store: Store) -> None:
    with pytest.raises(StoreError, match="veerkracht demo"):
        require_build(store)
    assert read_last_build(store) is None
    _build(store)
    build = require_build(store)
    assert build["reference_year"] == YEAR
    assert build["summary"] == {"block": 2, "street": 1}
    assert count_units(store) == {"block": 2, "entrance": 1, "street": 1}


def test_a_second_build_replaces_the_first(store: Store) -> None:
    _build(store)
    first = read_units(store, "block")
    _build(store)
    assert count_units(store) == {"block": 2, "entrance": 1, "street": 1}
    pd.testing.assert_frame_equal(
        pd.DataFrame(read_units(store, "block")), pd.DataFrame(first), check_like=True
    )
    assert len(read_indicator_table(store, "block")) == 3


def test_a_failing_build_keeps_the_previous_one(store: Store) -> None:
    _build(store)
    before = pd.DataFrame(read_units(store, "block", with_geometry=False))
    broken = pd.concat([_units(), _units().iloc[[0]]])  # a duplicate (level, key)
    with pytest.raises(Exception) as raised:
        write_build(
            store,
            dwellings=_dwellings(),
            units=gpd.GeoDataFrame(broken, crs=CRS_RD),
            indicators=_indicators(),
            reference_year=YEAR + 1,
            summary={},
        )
    assert "duplicate" in str(raised.value).lower() or "unique" in str(raised.value).lower()
    pd.testing.assert_frame_equal(
        pd.DataFrame(read_units(store, "block", with_geometry=False)), before
    )
    assert require_build(store)["reference_year"] == YEAR


def test_clear_build_removes_units_and_indicators(store: Store) -> None:
    _build(store)
    clear_build(store)
    assert count_units(store) == {}
    assert read_indicator_table(store, "block").empty
