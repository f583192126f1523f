"""The intervention log and before/after pages per role: the public gets 403 and never sees the
log, analysts read, professionals in their area add and end entries (forms and JSON twins)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from veerkracht.assessment.disclosure import Viewer
from veerkracht.settings import Settings
from veerkracht.storage import open_store
from veerkracht.storage.intervention_log import read_log
from veerkracht.web import create_app
from veerkracht.web.viewer import get_viewer

ANALYST = Viewer(role="analyst", scope=frozenset({"GM9999"}), name="analist")
PLANTED = "demo-portiekgesprekken"


@pytest.fixture(scope="module")
def workspace(web_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A copy of the Demostad workspace these tests may write to."""
    target = tmp_path_factory.mktemp("log-web") / "ws"
    shutil.copytree(web_settings.workspace, target)
    return Settings(workspace=target)


@pytest.fixture(scope="module")
def demo_log(workspace: Settings) -> dict[str, dict[str, Any]]:
    store = open_store(workspace.store_url)
    try:
        return read_log(store).set_index("log_id").to_dict("index")
    finally:
        store.dispose()


@pytest.fixture(scope="module")
def as_viewer(workspace: Settings) -> Iterator[Any]:
    """A function giving a client (with its own session) that sees the app as a viewer."""
    app = create_app(workspace)
    clients: list[TestClient] = []

    def client_for(viewer: Viewer) -> TestClient:
        app.dependency_overrides[get_viewer] = lambda: viewer
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield client_for
    for client in clients:
        client.__exit__(None, None, None)
    app.dependency_overrides.clear()


def _planted(demo_log: dict[str, dict[str, Any]]) -> tuple[str, str]:
    return "block", str(demo_log[PLANTED]["unit_key"])


def _buurt_of(client: TestClient, level: str, key: str) -> str:
    page = client.get(f"/api/units/{level}/{key}").json()
    return next(c["key"] for c in page["breadcrumb"] if c["level"] == "neighbourhood")


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def test_the_public_gets_403_and_never_sees_the_log(as_viewer, demo_log) -> None:  # type: ignore[no-untyped-def]
    client = as_viewer(Viewer())
    level, key = _planted(demo_log)
    for path in (
        f"/units/{level}/{key}/log",
        "/interventions/log",
        f"/interventions/log/{PLANTED}/effect",
    ):
        page = client.get(path)
        assert page.status_code == 403 and "Alleen voor professionals" in page.text
        assert "Portiekgesprekken in het hele blok" not in page.text
        api = client.get(f"/api{path}")
        assert api.status_code == 403 and api.json()["error"] == "Forbidden"
    refused = client.post(f"/api/units/{level}/{key}/log", json={})
    assert refused.status_code in (403, 422)
    # the unit's own public page and its JSON twin say nothing of the log
    for path in (f"/units/{level}/{key}", f"/api/units/{level}/{key}"):
        text = client.get(path).text
        assert "Portiekgesprekken in het hele blok" not in text and "Woonstad" not in text


def test_analyst_reads_without_forms(as_viewer, demo_log) -> None:  # type: ignore[no-untyped-def]
    client = as_viewer(ANALYST)
    level, key = _planted(demo_log)
    page = client.get(f"/units/{level}/{key}/log")
    assert page.status_code == 200
    assert "Portiekgesprekken in het hele blok" in page.text and "Voor en na" in page.text
    assert 'id="log-form"' not in page.text and 'name="ended_on"' not in page.text
    data = client.get(f"/api/units/{level}/{key}/log").json()
    assert [e["log_id"] for e in data["entries"]] == [PLANTED]
    assert data["can_write"] is False and data["entries"][0]["can_end"] is False
    assert data["entries"][0]["period"] == "sinds 1 april 2021"
    listing = client.get("/api/interventions/log?level=block").json()
    assert listing["count"] == 3 and {e["level"] for e in listing["entries"]} == {"block"}
    filtered = client.get("/api/interventions/log?intervention=sociaal_beheer&year=2020").json()
    assert [e["log_id"] for e in filtered["entries"]] == ["demo-buurtconcierge"]
    assert client.get("/interventions/log?organisation=Welzijn").status_code == 200
    assert client.get("/api/interventions/log?year=twee").status_code == 400
    # an analyst of another gemeente sees nothing of it
    other = as_viewer(Viewer(role="analyst", scope=frozenset({"GM0001"})))
    assert other.get(f"/units/{level}/{key}/log").status_code == 403
    assert other.get("/api/interventions/log").json()["count"] == 0


def test_the_effect_page_shows_verdict_chart_and_comparison_group(as_viewer) -> None:  # type: ignore[no-untyped-def]
    client = as_viewer(ANALYST)
    data = client.get(f"/api/interventions/log/{PLANTED}/effect").json()
    outcomes = {o["indicator"]: o for o in data["outcomes"]}
    assert outcomes["nuisance_per_100"]["verdict"] == "lower"
    assert outcomes["signals_per_100"]["verdict"] == "too_few_data"
    assert len(outcomes["nuisance_per_100"]["comparison"]) == 10
    page = client.get(f"/interventions/log/{PLANTED}/effect")
    assert page.status_code == 200
    html = page.text
    assert "Meer omlaag dan elders" in html and "Te weinig gegevens om iets te zeggen" in html
    assert '<svg role="img"' in html and "<desc" in html and "De cijfers als tabel" in html
    first = outcomes["nuisance_per_100"]["comparison"][0]
    assert first["name"] in html and first["url"] in html
    assert "Hoe we het berekenden" in html
    other = client.get("/api/interventions/log/demo-buurtconcierge/effect").json()
    assert {o["verdict"] for o in other["outcomes"]} == {"too_few_data"}
    assert client.get("/interventions/log/nope/effect").status_code == 404


def test_professional_adds_and_ends_an_entry_with_the_form(as_viewer, demo_log, workspace) -> None:  # type: ignore[no-untyped-def]
    level, key = _planted(demo_log)
    buurt = _buurt_of(as_viewer(ANALYST), level, key)
    client = as_viewer(Viewer(role="professional", scope=frozenset({buurt}), name="sanne"))
    before = _presence(client, level, key)
    page = client.get(f"/units/{level}/{key}/log")
    assert page.status_code == 200 and 'id="log-form"' in page.text
    token = _csrf(page.text)
    form = {
        "csrf_token": token,
        "title": "Buurtkamer in het blok",
        "intervention_id": "buurtkamer",
        "organisation": "Welzijn Demostad",
        "aim": "Een plek om binnen te lopen.",
        "started_on": "2025-03-01",
        "ended_on": "",
        "notes": "",
    }
    wrong = client.post(f"/units/{level}/{key}/log", data={**form, "title": ""})
    assert wrong.status_code == 400
    assert "Geef een korte titel: wat wordt er gedaan?" in wrong.text
    assert 'href="#field-title"' in wrong.text and "Welzijn Demostad" in wrong.text
    done = client.post(f"/units/{level}/{key}/log", data=form, follow_redirects=False)
    assert done.status_code == 303 and "added=" in done.headers["location"]
    log_id = done.headers["location"].split("added=")[1].split("#")[0]
    shown = client.get(done.headers["location"])
    assert "Buurtkamer in het blok" in shown.text and "log-entry--added" in shown.text
    assert _presence(client, level, key) == before + 1
    bad_end = client.post(
        f"/interventions/log/{log_id}/end", data={"csrf_token": token, "ended_on": "2024-01-01"}
    )
    assert bad_end.status_code == 400 and "ligt vóór de startdatum" in bad_end.text
    ended = client.post(
        f"/interventions/log/{log_id}/end",
        data={"csrf_token": token, "ended_on": "2025-06-30"},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    entry = next(
        e
        for e in client.get(f"/api/units/{level}/{key}/log").json()["entries"]
        if e["log_id"] == log_id
    )
    assert entry["ended_on"] == "2025-06-30" and entry["running"] is False
    # without the session's token nothing is written
    refused = client.post(f"/units/{level}/{key}/log", data={**form, "csrf_token": "x"})
    assert refused.status_code == 403


def test_professional_elsewhere_and_the_json_door(as_viewer, demo_log) -> None:  # type: ignore[no-untyped-def]
    level, key = _planted(demo_log)
    buurt = _buurt_of(as_viewer(ANALYST), level, key)
    elsewhere = as_viewer(Viewer(role="professional", scope=frozenset({"BU00000000"}), name="x"))
    page = elsewhere.get(f"/units/{level}/{key}/log")
    assert page.status_code == 403 and "buiten uw gebied" in page.text
    client = as_viewer(Viewer(role="professional", scope=frozenset({buurt}), name="karim"))
    token = _csrf(client.get(f"/units/{level}/{key}/log").text)
    body = {
        "title": "Huismeester vaker in het blok",
        "organisation": "Woonstad",
        "aim": "Sneller kleine problemen oppakken.",
        "started_on": "2025-01-15",
        "intervention_id": "sociaal_beheer",
    }
    headers = {"X-CSRF-Token": token}
    wrong = client.post(
        f"/api/units/{level}/{key}/log", json={**body, "started_on": "15-1-2025"}, headers=headers
    )
    assert wrong.status_code == 400 and wrong.json()["field"] == "started_on"
    assert "is geen datum" in wrong.json()["errors_nl"]["started_on"]
    made = client.post(f"/api/units/{level}/{key}/log", json=body, headers=headers)
    assert made.status_code == 201, made.text
    entry = made.json()
    assert entry["can_end"] is True and entry["intervention_name"]
    assert client.post(f"/api/units/{level}/{key}/log", json=body).status_code == 403  # no token
    ended = client.post(
        f"/api/interventions/log/{entry['log_id']}/end",
        json={"ended_on": "2025-02-01"},
        headers=headers,
    )
    assert ended.status_code == 200 and ended.json()["running"] is False


def _presence(client: TestClient, level: str, key: str) -> float:
    figures = client.get(f"/api/units/{level}/{key}").json()
    for group in figures["groups"]:
        for figure in group["figures"]:
            if figure["indicator"] == "interventions_active":
                return float(figure["value"])
    raise AssertionError("no interventions_active figure on the unit page")
