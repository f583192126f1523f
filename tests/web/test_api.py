"""The JSON API: lists, GeoJSON map layers in WGS84, unit twins, errors, OpenAPI."""

from __future__ import annotations

import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import shape

from veerkracht.domain.levels import UNIT_LEVELS

#: The Netherlands in WGS84, generously.
NL_BOUNDS = (3.0, 50.5, 7.5, 53.8)


def test_units_list_json(client: TestClient) -> None:
    data = client.get("/api/units?level=block").json()
    assert data["level"] == "block" and data["level_label"] == "blok"
    unit = data["units"][0]
    assert set(unit) >= {"level", "key", "name", "dwellings", "url", "api_url"}
    assert unit["url"].startswith("/units/block/")
    west, south, east, north = data["bounds"]
    assert NL_BOUNDS[0] < west < east < NL_BOUNDS[2] and NL_BOUNDS[1] < south < north < NL_BOUNDS[3]


@pytest.mark.parametrize("level", [level.value for level in UNIT_LEVELS])
def test_geojson_layer_is_valid_wgs84(client: TestClient, level: str) -> None:
    response = client.get(f"/api/units?level={level}&format=geojson")
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    count = client.get(f"/api/units?level={level}").json()["count"]
    assert len(collection["features"]) == count
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert set(feature["properties"]) >= {"key", "name", "level", "dwellings", "url"}
        geometry = shape(feature["geometry"])
        assert geometry.is_valid and not geometry.is_empty, feature["properties"]["key"]
        minx, miny, maxx, maxy = geometry.bounds
        assert NL_BOUNDS[0] < minx <= maxx < NL_BOUNDS[2]
        assert NL_BOUNDS[1] < miny <= maxy < NL_BOUNDS[3]


def test_geojson_bbox_selects_the_units_that_touch_it(client: TestClient) -> None:
    everything = client.get("/api/units?level=building&format=geojson").json()["features"]
    first = shape(everything[0]["geometry"])
    west, south, east, north = first.buffer(0.0005).bounds
    bbox = f"{west},{south},{east},{north}"
    some = client.get(f"/api/units?level=building&format=geojson&bbox={bbox}").json()["features"]
    assert 0 < len(some) < len(everything)
    assert everything[0]["properties"]["key"] in {f["properties"]["key"] for f in some}
    box = shapely.box(west, south, east, north)
    assert all(shape(f["geometry"]).envelope.intersects(box.buffer(1e-4)) for f in some)


def test_bad_bbox_is_a_400_naming_the_expected_form(client: TestClient) -> None:
    response = client.get("/api/units?level=block&format=geojson&bbox=1,2,3")
    assert response.status_code == 400
    assert "west,south,east,north" in response.json()["detail"]


def test_unit_json_twin(client: TestClient) -> None:
    key = client.get("/api/units?level=block").json()["units"][0]["key"]
    page = client.get(f"/api/units/block/{key}").json()
    assert [c["level"] for c in page["breadcrumb"]] == [
        "municipality",
        "district",
        "neighbourhood",
        "street",
        "block",
    ]
    assert [g["level"] for g in page["children"]] == ["entrance", "building"]
    assert sum(u["dwellings"] for u in page["children"][1]["units"]) == page["unit"]["dwellings"]
    assert page["sources"][0]["title"] == "Demostad (fictief)"


def test_unit_map_geojson_holds_the_unit_and_its_parts(client: TestClient) -> None:
    key = client.get("/api/units?level=block").json()["units"][0]["key"]
    collection = client.get(f"/api/units/block/{key}?format=geojson").json()
    roles = [f["properties"]["role"] for f in collection["features"]]
    assert roles[-1] == "self" and roles.count("child") == len(roles) - 1 >= 1


def test_unknown_key_is_a_json_404_with_a_dutch_message(client: TestClient) -> None:
    response = client.get("/api/units/block/GEEN-BLOK")
    assert response.status_code == 404
    body = response.json()
    assert body["detail"] == 'no block with key "GEEN-BLOK"'
    assert body["message_nl"] == 'Er is geen blok met de code "GEEN-BLOK".'


def test_unknown_level_is_a_422_naming_the_allowed_levels(client: TestClient) -> None:
    for url in ("/api/units?level=blok", "/api/units/blok/X"):
        response = client.get(url)
        assert response.status_code == 422
        detail = response.json()["detail"]
        assert detail.startswith('level "blok" is not one of')
        assert all(level.value in detail for level in UNIT_LEVELS)


def test_openapi_lists_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/units", "/api/units/{level}/{key}", "/api/data"} <= paths
    assert {"/", "/units/{level}/{key}", "/data"} <= paths
    assert "UnitPage" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


def test_tiny_workspace_figures_are_the_ones_written(tiny_client: TestClient) -> None:
    page = tiny_client.get("/api/units/block/BL1").json()
    figures = {f["indicator"]: f for g in page["groups"] for f in g["figures"]}
    assert figures["dwellings"]["text"] == "8"
    assert figures["assets_nearby"]["text"] == "3"
    for sensitive in ("corporation_share", "vulnerable_lettings_3y"):  # 8 dwellings: too few
        assert figures[sensitive]["withheld_reason"] == "small_group"
        assert figures[sensitive]["text"] == "Te weinig woningen om te tonen"
    assert page["year"] == 2024
    assert [u["key"] for u in page["children"][0]["units"]] == ["E1", "E2", "E3"]
