"""Learning across places: places that do better than expected beside what they have and what
was done there; professionals and analysts within their scope, 403 for the public."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from veerkracht.assessment.disclosure import Viewer
from veerkracht.settings import Settings
from veerkracht.storage import open_store
from veerkracht.storage.assets import read_assets
from veerkracht.storage.intervention_log import read_log
from veerkracht.storage.units import read_findings
from veerkracht.web import create_app
from veerkracht.web.viewer import get_viewer


@pytest.fixture(scope="module")
def as_viewer(web_settings: Settings) -> Iterator[Any]:
    app = create_app(web_settings)
    with TestClient(app) as client:

        def client_for(viewer: Viewer) -> TestClient:
            app.dependency_overrides[get_viewer] = lambda: viewer
            return client

        yield client_for
    app.dependency_overrides.clear()


@pytest.fixture(scope="module")
def stored(web_settings: Settings) -> tuple[set[str], dict[str, str], set[str]]:
    """The positive deviants, the log's units, and the first names of active residents."""
    store = open_store(web_settings.store_url)
    try:
        deviant = set(read_findings(store, "positive_deviance")["key"])
        log = read_log(store)
        active = read_assets(store, kinds=["active_resident"])
        names = {str(n) for n in active["first_name"].dropna() if str(n)}
        return deviant, dict(zip(log["log_id"], log["unit_key"], strict=True)), names
    finally:
        store.dispose()


def test_the_public_gets_403(as_viewer) -> None:  # type: ignore[no-untyped-def]
    client = as_viewer(Viewer())
    page = client.get("/analysis/learning")
    assert page.status_code == 403 and "Alleen voor professionals" in page.text
    assert client.get("/api/analysis/learning").status_code == 403


def test_analyst_sees_every_deviant_with_what_it_has_and_what_was_done(as_viewer, stored) -> None:  # type: ignore[no-untyped-def]
    deviant, entries, _names = stored
    data = as_viewer(Viewer(role="analyst", name="analist")).get("/api/analysis/learning").json()
    items = {i["unit"]["key"]: i for i in data["items"]}
    assert set(items) == deviant and data["count"] == len(deviant)
    # the block where the portiekgesprekken took two in three complaints away is one of them
    planted = items[entries["demo-portiekgesprekken"]]
    done = planted["done"][0]
    assert done["title"] == "Portiekgesprekken in het hele blok" and done["where"] == "hier"
    assert done["organisation"] == "Woonstad (woningcorporatie)"
    assert done["period"] == "sinds 1 april 2021"
    assert done["effect_url"] == "/interventions/log/demo-portiekgesprekken/effect"
    assert any("overlastmeldingen" in r for r in planted["reasons"])
    # the coping block: active residents counted (never named), its courtyard and committee
    coping = max(data["items"], key=lambda i: i["active_residents"])
    assert coping["active_residents"] >= 5
    kinds = {a["kind"] for a in coping["assets"]}
    assert {"place", "association"} <= kinds and "active_resident" not in kinds
    assert all(a["count"] > 0 for i in data["items"] for a in i["assets"])
    page = as_viewer(Viewer(role="analyst")).get("/analysis/learning")
    assert page.status_code == 200
    assert (
        "Leren van andere plekken" in page.text
        and "Portiekgesprekken in het hele blok" in page.text
    )
    assert "demo" not in {d.get("created_by") for i in data["items"] for d in i["done"]}
    # no person is named: not who logged it, not the active residents' first names
    assert "analist" not in page.text
    for name in stored[2]:
        assert f">{name}<" not in page.text and f" {name} " not in page.text


def test_professional_sees_only_the_places_in_their_area(as_viewer, stored) -> None:  # type: ignore[no-untyped-def]
    everything = as_viewer(Viewer(role="analyst")).get("/api/analysis/learning").json()
    first = everything["items"][0]
    buurt = first["area_names"][0]
    code = next(
        c["key"]
        for c in as_viewer(Viewer(role="analyst"))
        .get(first["unit"]["api_url"])
        .json()["breadcrumb"]
        if c["level"] == "neighbourhood"
    )
    mine = as_viewer(Viewer(role="professional", scope=frozenset({code}))).get(
        "/api/analysis/learning"
    )
    items = mine.json()["items"]
    assert first["unit"]["key"] in {i["unit"]["key"] for i in items}
    assert all(i["area_names"][0] == buurt for i in items)
    assert len(items) < len(everything["items"])
