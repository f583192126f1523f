"""The HTML pages, in-process: what a person gets, in Dutch, usable without a mouse."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from veerkracht.domain.levels import UNIT_LEVELS


def first_key(client: TestClient, level: str) -> str:
    return client.get(f"/api/units?level={level}").json()["units"][0]["key"]


def test_start_page_is_dutch_and_accessible(client: TestClient) -> None:
    response = client.get("/")
    html = response.text
    assert response.status_code == 200
    assert '<html lang="nl">' in html
    assert 'class="skip-link" href="#inhoud"' in html and 'id="inhoud"' in html
    assert "Toon op de kaart" in html  # the level switch's legend
    for word in ("portiek", "pand", "blok", "straat", "buurt", "wijk", "gemeente"):
        assert re.search(rf'<label for="level-\w+">{word}</label>', html), word
    assert '<label for="list-filter">Zoek in de lijst</label>' in html
    assert "/static/vendor/maplibre-gl/maplibre-gl.js" in html
    assert 'href="/units/block/' in html  # the list links every block to its page
    assert "Bron: Demostad (fictief)" in html  # every page that shows data names its source


@pytest.mark.parametrize("level", [level.value for level in UNIT_LEVELS])
def test_level_switch_lists_every_unit_of_the_level(client: TestClient, level: str) -> None:
    data = client.get(f"/api/units?level={level}").json()
    html = client.get(f"/?level={level}").text
    assert data["level"] == level and data["count"] == len(data["units"]) > 0
    assert html.count('<li data-key="') == data["count"]
    assert f'id="level-{level}" value="{level}"\n' in html or f'value="{level}"' in html
    assert re.search(rf'id="level-{level}" value="{level}"\s+data-plural="[^"]+" checked', html)


def test_unit_list_is_sorted_by_name_not_by_a_figure(client: TestClient) -> None:
    names = [u["name"] for u in client.get("/api/units?level=street").json()["units"]]
    assert names == sorted(names, key=str.casefold)


def test_block_page_shows_breadcrumb_figures_children_and_source(client: TestClient) -> None:
    key = first_key(client, "block")
    html = client.get(f"/units/block/{key}").text
    crumbs = re.findall(r'<span class="breadcrumb__level">(\w+)</span>', html)
    assert crumbs == ["gemeente", "wijk", "buurt", "straat", "blok"]
    assert "Wat er is (draagkracht)" in html and "Wat er speelt (draaglast)" in html
    assert html.index("Wat er is (draagkracht)") < html.index("Wat er speelt (draaglast)")
    assert re.search(r"Portieken in dit blok \(\d+\)", html)
    assert re.search(r"Panden in dit blok \(\d+\)", html)
    assert "Bron: Demostad (fictief)" in html
    assert 'aria-current="page"' in html


def test_unit_page_and_its_json_twin_show_the_same_content(client: TestClient) -> None:
    key = first_key(client, "block")
    page = client.get(f"/api/units/block/{key}").json()
    html = client.get(f"/units/block/{key}").text
    assert page["unit"]["key"] == key and page["unit"]["level_label"] == "blok"
    for group in page["groups"]:
        assert group["title"] in html
        for figure in group["figures"]:
            assert figure["label"] in html
            assert figure["text"].replace("\u00a0", "\u00a0") in html
    for child in page["children"]:
        for unit in child["units"]:
            assert f'href="{unit["url"]}"' in html
    for crumb in page["breadcrumb"][:-1]:
        assert f'href="{crumb["url"]}"' in html
    assert f'<link rel="alternate" type="application/json" href="/api/units/block/{key}">' in html


def test_figures_use_dutch_number_format(client: TestClient) -> None:
    key = first_key(client, "neighbourhood")
    page = client.get(f"/api/units/neighbourhood/{key}").json()
    shares = [f for g in page["groups"] for f in g["figures"] if f["unit"] == "share"]
    shown = [f for f in shares if not f["withheld"]]
    assert shown, "a buurt shows at least one share"
    for figure in shown:
        assert re.fullmatch(r"\d{1,3}(\.\d{3})*,\d\u00a0%", figure["text"]), figure["text"]


def test_capacity_figures_come_before_load_figures(client: TestClient) -> None:
    key = first_key(client, "street")
    families = [g["family"] for g in client.get(f"/api/units/street/{key}").json()["groups"]]
    assert families.index("capacity") < families.index("load")


def test_public_viewer_sees_no_sensitive_figure_below_block(client: TestClient) -> None:
    key = first_key(client, "entrance")
    page = client.get(f"/api/units/entrance/{key}").json()
    sensitive = {"vulnerable_lettings_3y", "nuisance_per_100", "turnover"}
    figures = [f for g in page["groups"] for f in g["figures"] if f["indicator"] in sensitive]
    assert figures and all(f["withheld"] and f["value"] is None for f in figures)
    assert all(f["withheld_reason"] == "below_block" for f in figures)


def test_entrance_page_lists_its_addresses(client: TestClient) -> None:
    key = first_key(client, "entrance")
    page = client.get(f"/api/units/entrance/{key}").json()
    assert len(page["addresses"]) == page["unit"]["dwellings"]
    html = client.get(page["unit"]["url"]).text
    assert page["addresses"][0]["address"] in html
    assert "Zo is deze portiek bepaald:" in html


def test_unknown_key_gives_a_dutch_404(client: TestClient) -> None:
    response = client.get("/units/block/GEEN-BLOK")
    assert response.status_code == 404
    assert "Er is geen blok met de code &#34;GEEN-BLOK&#34;." in response.text
    assert '<html lang="nl">' in response.text


def test_unknown_level_names_the_allowed_levels(client: TestClient) -> None:
    response = client.get("/units/blok/BL1")
    assert response.status_code == 422
    assert "&#34;blok&#34; is geen niveau" in response.text
    for level in UNIT_LEVELS:
        assert f"({level.value})" in response.text
    assert client.get("/?level=portiek").status_code == 422


def test_unknown_path_gives_a_dutch_page(client: TestClient) -> None:
    response = client.get("/bestaat/niet")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet." in response.text


def test_data_page_names_source_file_time_counts_and_licence(client: TestClient) -> None:
    html = client.get("/data").text
    data = client.get("/api/data").json()
    record = data["imports"][0]
    assert record["title"] == "Demostad (fictief)" and record["licence"]
    assert record["title"] in html and record["licence"] in html and record["path"] in html
    assert "Ingelezen op" in html and "Licentie" in html
    assert data["unit_counts"]["block"] > 0


def test_vendored_maplibre_is_served(client: TestClient) -> None:
    response = client.get("/static/vendor/maplibre-gl/maplibre-gl.js")
    assert response.status_code == 200 and len(response.content) > 500_000
    assert client.get("/static/vendor/maplibre-gl/maplibre-gl.css").status_code == 200


def test_empty_workspace_says_what_to_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from veerkracht.settings import Settings
    from veerkracht.web import create_app

    with TestClient(create_app(Settings(workspace=tmp_path))) as empty:
        response = empty.get("/")
        assert response.status_code == 503
        assert "veerkracht demo" in response.text
        assert empty.get("/api/units?level=block").status_code == 200  # an empty list, not an error
