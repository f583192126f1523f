"""Every dwelling has exactly one key per level; roll-ups preserve totals."""

import geopandas as gpd
import pytest
import shapely

from veerkracht.demo import generate_demostad
from veerkracht.domain.levels import KEY_COLUMN, UNIT_LEVELS
from veerkracht.spatial.levels import assign_levels


@pytest.fixture(scope="module")
def levels():
    demo = generate_demostad(seed=3, dwellings=2500)
    source = demo.source
    return assign_levels(source.dwellings, source.buildings, source.areas)


def test_every_dwelling_has_one_key_per_level(levels) -> None:
    frame = levels.dwellings
    for level in UNIT_LEVELS:
        column = frame[KEY_COLUMN[level]]
        assert column.notna().all(), level
        assert (column.astype(str).str.len() > 0).all(), level


def test_units_of_each_level_add_up_to_the_total(levels) -> None:
    total = len(levels.dwellings)
    sums = levels.units.groupby("level")["dwellings"].sum()
    assert set(sums.index) == {level.value for level in UNIT_LEVELS}
    assert (sums == total).all()


def test_entrances_lie_within_one_building_and_buildings_within_one_block(levels) -> None:
    frame = levels.dwellings
    assert (frame.groupby("entrance_key")["building_id"].nunique() == 1).all()
    assert (frame.groupby("building_id")["block_key"].nunique() == 1).all()


def test_street_key_is_street_within_buurt(levels) -> None:
    frame = levels.dwellings
    assert (frame.groupby("street_key")["neighbourhood_code"].nunique() == 1).all()
    assert (frame.groupby("street_key")["street_name"].nunique() == 1).all()


def test_breadcrumb_parents_exist(levels) -> None:
    units = levels.units
    keys = set(zip(units["level"], units["key"], strict=True))
    parent_level = {
        "entrance": "building",
        "building": "block",
        "block": "street",
        "street": "neighbourhood",
        "neighbourhood": "district",
        "district": "municipality",
    }
    for row in units.itertuples():
        if row.level in parent_level:
            assert (parent_level[row.level], row.parent_key) in keys


def test_without_footprints_addresses_on_one_point_form_a_building() -> None:
    points = [shapely.Point(0, 0)] * 3 + [shapely.Point(50, 0)]
    dwellings = gpd.GeoDataFrame(
        {
            "dwelling_id": ["v1", "v2", "v3", "v4"],
            "building_id": [None] * 4,
            "street_name": ["Kade"] * 4,
            "house_number": [1, 1, 1, 3],
            "house_letter": [None] * 4,
            "house_suffix": ["A", "B", "C", None],
        },
        geometry=points,
        crs="EPSG:28992",
    )
    result = assign_levels(dwellings, None, None)
    assert list(result.dwellings["building_id"]) == ["VPv1", "VPv1", "VPv1", "VPv4"]
    assert result.counts["entrance"] == 2
    assert any("no building footprints" in note for note in result.notes)
    assert set(result.dwellings["neighbourhood_code"]) == {"BU-onbekend"}
