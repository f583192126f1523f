"""The analysis pages: warnings and positive deviance for professionals within their scope, the
profile on unit pages (estimates, gaps, trends, spread in words) and the indicator reference."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from veerkracht.assessment.disclosure import Viewer
from veerkracht.indicators.registry import INDICATORS
from veerkracht.settings import Settings
from veerkracht.storage import open_store
from veerkracht.storage.units import read_findings
from veerkracht.web import create_app
from veerkracht.web.viewer import get_viewer

KINDS = {"warnings": "warning", "positive-deviance": "positive_deviance"}


@pytest.fixture(scope="module")
def app_for(web_settings: Settings) -> Iterator[object]:
    """A function giving a client that sees the app as a chosen viewer."""
    app = create_app(web_settings)
    with TestClient(app) as client:

        def as_viewer(viewer: Viewer) -> TestClient:
            app.dependency_overrides[get_viewer] = lambda: viewer
            return client

        yield as_viewer
    app.dependency_overrides.clear()


@pytest.fixture(scope="module")
def findings(web_settings: Settings) -> dict[str, list[tuple[str, str]]]:
    store = open_store(web_settings.store_url)
    try:
        return {
            slug: [(r["level"], r["key"]) for r in read_findings(store, kind).to_dict("records")]
            for slug, kind in KINDS.items()
        }
    finally:
        store.dispose()


def _neighbourhood_of(client: TestClient, level: str, key: str) -> str:
    """The buurt of a unit as its own page's breadcrumb says (independent of the lists)."""
    page = client.get(f"/api/units/{level}/{key}").json()
    return next(c["key"] for c in page["breadcrumb"] if c["level"] == "neighbourhood")


def test_analyst_everywhere_sees_every_finding(app_for, findings) -> None:  # type: ignore[no-untyped-def]
    client = app_for(Viewer(role="analyst"))
    for slug, expected in findings.items():
        data = client.get(f"/api/analysis/{slug}").json()
        listed = {
            (i["unit"]["level"], i["unit"]["key"]) for g in data["groups"] for i in g["items"]
        }
        assert listed == set(expected) and data["count"] == len(expected)
        layer = client.get(f"/api/analysis/{slug}?format=geojson").json()
        assert {f["properties"]["key"] for f in layer["features"]} == {k for _l, k in expected}


def test_professional_in_scope_sees_the_warnings_with_reasons(app_for, findings) -> None:  # type: ignore[no-untyped-def]
    level, key = next(f for f in findings["warnings"] if f[0] == "street")
    everyone = app_for(Viewer(role="analyst"))
    buurt = _neighbourhood_of(everyone, level, key)
    client = app_for(Viewer(role="professional", scope=frozenset({buurt})))
    data = client.get("/api/analysis/warnings").json()
    items = {i["unit"]["key"]: i for g in data["groups"] for i in g["items"]}
    assert key in items
    assert all(buurt in i["areas"] for i in items.values())
    reasons = " ".join(items[key]["reasons"])
    assert "stijgt" in reasons and "procentpunt" in reasons
    page = client.get("/analysis/warnings")
    assert page.status_code == 200
    assert items[key]["unit"]["name"] in page.text and items[key]["reasons"][0] in page.text
    assert 'id="map"' in page.text and 'id="unit-list"' in page.text
    assert "Vroegsignalering" in page.text


def test_professional_out_of_scope_sees_none_of_the_units_outside(app_for, findings) -> None:  # type: ignore[no-untyped-def]
    everyone = app_for(Viewer(role="analyst"))
    areas = {
        (level, key): _neighbourhood_of(everyone, level, key)
        for slug in findings
        for level, key in findings[slug]
    }
    buurten = {b["key"] for b in everyone.get("/api/units?level=neighbourhood").json()["units"]}
    listed_in = set(areas.values())
    quiet = sorted(buurten - listed_in) or sorted(buurten)
    scope = quiet[0]
    client = app_for(Viewer(role="professional", scope=frozenset({scope})))
    for slug in findings:
        outside = {key for (level, key), buurt in areas.items() if buurt != scope}
        data = client.get(f"/api/analysis/{slug}").json()
        keys = {i["unit"]["key"] for g in data["groups"] for i in g["items"]}
        assert not keys & outside
        layer = client.get(f"/api/analysis/{slug}?format=geojson").json()
        assert not {f["properties"]["key"] for f in layer["features"]} & outside
        html = client.get(f"/analysis/{slug}").text
        for (level, key), _buurt in areas.items():
            if key in outside:
                assert f"/units/{level}/{key}" not in html
    assert "In uw gebied staan geen plekken op deze lijst." in client.get("/analysis/warnings").text


def test_positive_deviance_lists_what_the_place_has(app_for, findings) -> None:  # type: ignore[no-untyped-def]
    client = app_for(Viewer(role="admin"))
    data = client.get("/api/analysis/positive-deviance").json()
    items = [i for g in data["groups"] for i in g["items"]]
    assert items and len(items) == len(findings["positive-deviance"])
    assert all(i["has"] for i in items)
    assert all("overlastmeldingen" in i["reasons"][0] for i in items)
    page = client.get("/analysis/positive-deviance").text
    assert "Wat ze hebben:" in page and "Plekken die het goed doen" in page


def test_block_page_for_a_professional_shows_estimates_gaps_and_trends(app_for, findings) -> None:  # type: ignore[no-untyped-def]
    level, key = next(f for f in findings["warnings"] if f[0] == "block")
    client = app_for(Viewer(role="analyst"))
    page = client.get(f"/api/units/{level}/{key}").json()
    assert [g["family"] for g in page["groups"]][:2] == ["capacity", "load"]
    figures = {f["indicator"]: f for g in page["groups"] for f in g["figures"]}
    inflow = figures["vulnerable_lettings_3y"]
    assert inflow["estimate_text"].startswith("geschat ")
    assert inflow["lower"] <= inflow["estimate"] <= inflow["upper"]
    assert inflow["parent"]["level"] == "street"
    assert (
        inflow["parent"]["gap_text"].startswith("het blok: ")
        and ", de straat: " in inflow["parent"]["gap_text"]
    )
    assert {t["indicator"] for t in page["trends"]} == {
        "vulnerable_lettings_1y",
        "nuisance_per_100",
        "turnover",
    }
    html = client.get(f"/units/{level}/{key}").text
    assert html.count('<svg class="trend__chart" role="img"') == 3
    assert "De cijfers als tabel" in html and inflow["estimate_text"] in html
    assert html.index('id="family-capacity"') < html.index('id="family-load"')


def test_entrance_page_has_no_trend_and_public_block_page_no_estimates(client: TestClient) -> None:
    entrance = client.get("/api/units?level=entrance").json()["units"][0]
    assert client.get(entrance["api_url"]).json()["trends"] == []
    block = client.get("/api/units?level=block").json()["units"][0]
    page = client.get(block["api_url"]).json()
    sensitive = {i.key for i in INDICATORS if i.disclosure == "sensitive"}
    assert not [
        f
        for g in page["groups"]
        for f in g["figures"]
        if f["indicator"] in sensitive and (f["estimate"] is not None or f["estimate_text"])
    ]


def test_neighbourhood_page_tells_the_spread_in_words(client: TestClient) -> None:
    buurt = client.get("/api/units?level=neighbourhood").json()["units"][0]
    page = client.get(buurt["api_url"]).json()
    notes = {n["indicator"]: n for n in page["spread"]}
    assert set(notes) == {
        "inflow_dissimilarity_block",
        "inflow_dissimilarity_entrance",
        "inflow_isolation_entrance",
    }
    words = notes["inflow_dissimilarity_block"]["text"]
    assert "verdeeld over de blokken" in words and "schaal van 0" in words
    html = client.get(buurt["url"]).text
    assert "Wat het gemiddelde niet laat zien" in html


def test_indicator_reference_is_generated_from_the_registry(client: TestClient) -> None:
    data = client.get("/api/indicators").json()
    keys = [i["key"] for f in data["families"] for i in f["indicators"]]
    assert sorted(keys) == sorted(i.key for i in INDICATORS) and data["count"] == len(INDICATORS)
    assert [f["family"] for f in data["families"]] == ["capacity", "load", "context"]
    html = client.get("/indicators").text
    assert html.count('class="indicator"') == len(INDICATORS)
    assert "Gevoelig:" in html and "Openbaar:" in html and "Wat de cijfers betekenen" in html
    for indicator in INDICATORS:
        assert f'id="{indicator.key}"' in html
