"""`veerkracht import places`: CSV (RD or WGS84) and GeoJSON, clear errors, idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veerkracht.errors import InputError
from veerkracht.importers.places import read_places
from veerkracht.pipeline import import_source
from veerkracht.storage import assets as asset_store
from veerkracht.storage.engine import Store

from .conftest import NOW
from .helpers import dwelling_in, offer


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_in_rd_with_dutch_kinds_and_decimal_commas(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "plekken.csv",
        "name;kind;description;x;y;opening_hours\n"
        "Bibliotheek;voorziening;Boeken en koffie;140500;455300;di-za 10-17\n"
        "Moestuin;plek;;140800,5;455500;\n",
    )
    result = read_places(path)
    frame = result.data.assets
    assert list(frame["kind"]) == ["institution", "place"]
    assert list(frame.geometry.x) == [140500.0, 140800.5]
    assert frame["opening_hours"].iloc[0] == "di-za 10-17"
    assert set(frame["origin"]) == {"import"} and set(frame["status"]) == {"approved"}
    assert set(frame["source_name"]) == {"places:plekken"}
    assert frame["asset_id"].is_unique
    assert list(read_places(path).data.assets["asset_id"]) == list(frame["asset_id"])  # stable


def test_csv_in_wgs84_and_geojson_give_the_same_point(tmp_path: Path) -> None:
    csv_path = _write(
        tmp_path / "a.csv", "name,kind,lat,lon\nBuurthuis De Linde,institution,52.0866,5.1781\n"
    )
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [5.1781, 52.0866]},
                "properties": {"name": "Buurthuis De Linde", "kind": "institution"},
            }
        ],
    }
    json_path = _write(tmp_path / "a.geojson", json.dumps(geojson))
    a = read_places(csv_path).data.assets.geometry.iloc[0]
    b = read_places(json_path).data.assets.geometry.iloc[0]
    assert a.distance(b) < 0.01
    assert 139_000 < a.x < 142_000 and 454_000 < a.y < 457_000


@pytest.mark.parametrize(
    ("text", "where", "field"),
    [
        ("name,kind,x,y\nBank,bench,140500,455300\n", "row 2", "kind"),
        ("name,kind,x,y\nBank,place,140500,455300\n,place,140501,455300\n", "row 3", "name"),
        ("name,kind,x,y\nBank,place,14,45\n", "row 2", "x"),
        ("name,kind,x,y\nBank,place,abc,455300\n", "row 2", "x"),
        ("name,kind\nBank,place\n", "row 1", None),
        ("name,kind,x,y\nBank,place,140500,455300\nBank,place,140500,455300\n", "row 3", None),
        ("name,kind,x,y\nBank,gift,140500,455300\n", "row 2", "kind"),
    ],
)
def test_errors_name_the_file_the_row_and_the_field(
    tmp_path: Path, text: str, where: str, field: str | None
) -> None:
    path = _write(tmp_path / "fout.csv", text)
    with pytest.raises(InputError) as error:
        read_places(path)
    message = str(error.value)
    assert str(path) in message and where in message
    if field:
        assert f'field "{field}"' in message


def test_geojson_errors_name_the_feature(tmp_path: Path) -> None:
    bad = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.18, 52.08]},
             "properties": {"name": "A", "kind": "place"}},
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[5, 52]]},
             "properties": {"name": "B", "kind": "place"}},
        ],
    }  # fmt: skip
    path = _write(tmp_path / "fout.geojson", json.dumps(bad))
    with pytest.raises(InputError, match='feature 2, field "geometry"'):
        read_places(path)


def test_a_reimport_replaces_its_own_places_and_keeps_residents_items(
    demo_store: Store, tmp_path: Path
) -> None:
    home = dwelling_in(demo_store, district="WK999901")
    from veerkracht.community.assets import submit_asset

    mine = submit_asset(demo_store, offer(home), now=NOW).asset_id
    path = _write(
        tmp_path / "plekken.csv",
        f"name,kind,x,y\nBieb,institution,{home['x']},{home['y']}\nBank,place,140500,455300\n",
    )
    before = len(asset_store.read_assets(demo_store))
    report = import_source(demo_store, "places", path)
    assert report["used"] == 2
    import_source(demo_store, "places", path)  # again: the same two rows
    after = asset_store.read_assets(demo_store)
    assert len(after) == before + 2 and mine in set(after["asset_id"])
    bieb = after[after["name"] == "Bieb"].iloc[0]
    assert (bieb["level"], bieb["block_key"]) == ("block", home["block_key"])  # placed at once
    _write(path, f"name,kind,x,y\nBieb,institution,{home['x']},{home['y']}\n")
    import_source(demo_store, "places", path)
    assert len(asset_store.read_assets(demo_store)) == before + 1
