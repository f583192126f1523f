"""The allocation page: advice per vacancy, a plan for uploaded vacancies and households, and the
simulation results of the workspace; forbidden to the public, with JSON twins."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from veerkracht.assessment.disclosure import PUBLIC, Viewer
from veerkracht.settings import Settings
from veerkracht.storage import open_store
from veerkracht.web import create_app
from veerkracht.web.viewer import get_viewer

VERDICTS = {"past", "past met steun", "beter elders"}
ANALYST = Viewer(role="analyst")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="9"/></svg>'


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A small Demostad (seed 1) with one simulation folder in its workspace."""
    from veerkracht.pipeline import run_demo

    settings = Settings(workspace=tmp_path_factory.mktemp("allocation-demo"))
    run_demo(settings, seed=1, dwellings=1500)
    run = settings.workspace / "simulations" / "run1"
    run.mkdir(parents=True)
    (run / "summary.csv").write_text(
        "policy,method,year,entrance_over_cap,block_over_cap,mean_suitability,placed\n"
        "Spreiding,cap-rule,1,0.10,0.05,2.5,40\n"
        "Spreiding,cap-rule,2,0.08,0.04,2.6,42\n",
        encoding="utf-8",
    )
    (run / "entrance_over_cap.svg").write_text(SVG, encoding="utf-8")
    return settings


@pytest.fixture(scope="module")
def app_for(settings: Settings) -> Iterator[object]:
    app = create_app(settings)
    with TestClient(app) as client:

        def as_viewer(viewer: Viewer) -> TestClient:
            app.dependency_overrides[get_viewer] = lambda: viewer
            return client

        yield as_viewer
    app.dependency_overrides.clear()


@pytest.fixture(scope="module")
def dwellings(settings: Settings) -> list[dict[str, object]]:
    """Addresses of the store, in id order."""
    from veerkracht.storage.sources import read_frame

    store = open_store(settings.store_url)
    try:
        frame = read_frame(store, "dwellings")
        frame = frame[frame["entrance_key"].notna()].sort_values("dwelling_id")
        return frame[["dwelling_id", "street_name", "house_number"]].to_dict("records")
    finally:
        store.dispose()


def _csrf(client: TestClient) -> str:
    page = client.get("/allocation")
    assert page.status_code == 200
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the plan form carries a CSRF token"
    return match.group(1)


def _files(dwellings: list[dict[str, object]], *, households: str | None = None) -> dict:
    ids = [str(d["dwelling_id"]) for d in dwellings[::97][:12]]
    vacancies = "vacancy_id,dwelling_id,accessible\n" + "".join(
        f"V{i:02d},{d},{'ja' if i % 4 == 0 else 'nee'}\n" for i, d in enumerate(ids)
    )
    channels = ["regulier", "urgentie", "statushouder", "uitstroom", "housing_first"]
    if households is None:
        households = "household_id,channel,household_size,needs,preferred_areas\n" + "".join(
            f"H{i:02d},{channels[i % len(channels)]},{1 + i % 4},,\n" for i in range(15)
        )
    return {
        "vacancies": ("vacancies.csv", vacancies.encode(), "text/csv"),
        "households": ("households.csv", households.encode(), "text/csv"),
    }


def test_public_gets_403_in_dutch_everywhere(app_for, dwellings) -> None:  # type: ignore[no-untyped-def]
    client = app_for(PUBLIC)
    some = dwellings[0]["dwelling_id"]
    for url in (
        "/allocation",
        f"/allocation/advice?dwelling={some}",
        "/allocation/simulations/run1/summary.csv",
        "/allocation/simulations/run1/entrance_over_cap.svg",
        "/api/allocation",
        f"/api/allocation/advice/{some}",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "alleen voor analisten en professionals" in response.text, url
    for url in ("/allocation/plan", "/api/allocation/plan"):
        response = client.post(url, files=_files(dwellings))
        assert response.status_code == 403, url
        assert "alleen voor analisten en professionals" in response.text, url
    assert client.get("/api/allocation").json()["message_nl"].startswith("De toewijzingspagina")


def test_analyst_gets_advice_and_the_json_twin_matches(app_for, dwellings) -> None:  # type: ignore[no-untyped-def]
    client = app_for(ANALYST)
    page = client.get("/allocation")
    assert page.status_code == 200
    assert 'for="dwelling"' in page.text and 'for="vacancies"' in page.text
    dwelling_id = str(dwellings[len(dwellings) // 2]["dwelling_id"])
    data = client.get(f"/api/allocation/advice/{dwelling_id}").json()
    assert data["dwelling_id"] == dwelling_id and data["verdict"] in VERDICTS
    assert [lv["level"] for lv in data["levels"]] == ["entrance", "building", "block", "buurt"]
    assert data["reasons"] and all(isinstance(r, str) for r in data["reasons"])
    html = client.get("/allocation/advice", params={"dwelling": dwelling_id})
    assert html.status_code == 200
    assert f"<strong>{data['verdict']}</strong>" in html.text
    assert "Belasting tegenover de normen" in html.text
    for level in data["levels"]:
        assert level["level_nl"] in html.text and level["cap_text"] in html.text
    for reason in data["reasons"]:
        assert reason.replace('"', "&#34;") in html.text or reason in html.text


def test_advice_by_address_and_unknown_dwelling(app_for, dwellings) -> None:  # type: ignore[no-untyped-def]
    client = app_for(ANALYST)
    first = dwellings[0]
    query = f"{first['street_name']} {first['house_number']}"
    response = client.get("/allocation/advice", params={"dwelling": query})
    assert response.status_code == 200
    assert "Advies:" in response.text or 'id="dwelling-choices"' in response.text
    missing = client.get("/allocation/advice", params={"dwelling": "Nergensstraat 999"})
    assert missing.status_code == 404 and "Geen woning gevonden" in missing.text
    api = client.get("/api/allocation/advice/9999999999999999")
    assert api.status_code == 404 and api.json()["message_nl"]


def test_plan_for_uploaded_files_breaks_no_cap(app_for, dwellings) -> None:  # type: ignore[no-untyped-def]
    client = app_for(ANALYST)
    token = _csrf(client)
    response = client.post(
        "/api/allocation/plan", files=_files(dwellings), headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["cap_breaches"] == 0 and plan["breaches"] == [] and not plan["problems"]
    assert plan["assigned"] == len(plan["assignments"]) > 0
    assert plan["objective"] == pytest.approx(
        sum(a["score"] for a in plan["assignments"]), abs=1e-3
    )
    assert plan["gap"] <= 1e-6 and plan["certificate"]
    assert len({a["household_id"] for a in plan["assignments"]}) == plan["assigned"]
    assert len({a["vacancy_id"] for a in plan["assignments"]}) == plan["assigned"]
    page = client.post("/allocation/plan", files=_files(dwellings), data={"csrf_token": token})
    assert page.status_code == 200
    assert 'id="plan-table"' in page.text and "Normoverschrijdingen" in page.text
    assert re.search(r'id="breaches">0<', page.text)


def test_plan_without_csrf_token_is_refused(app_for, dwellings) -> None:  # type: ignore[no-untyped-def]
    client = app_for(ANALYST)
    _csrf(client)
    assert client.post("/api/allocation/plan", files=_files(dwellings)).status_code == 403


def test_bad_csv_gives_a_dutch_message_naming_the_field(app_for, dwellings) -> None:  # type: ignore[no-untyped-def]
    client = app_for(ANALYST)
    token = _csrf(client)
    headers = {"X-CSRF-Token": token}
    bad = "household_id,channel,household_size\nH1,regulier,2\nH2,onbekend,1\n"
    response = client.post(
        "/api/allocation/plan", files=_files(dwellings, households=bad), headers=headers
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "channel"
    assert "Het bestand met huishoudens klopt niet" in body["message_nl"]
    assert "rij 3" in body["message_nl"] and 'veld "channel"' in body["message_nl"]
    no_size = "household_id,channel\nH1,regulier\n"
    response = client.post(
        "/api/allocation/plan", files=_files(dwellings, households=no_size), headers=headers
    )
    assert response.status_code == 400 and "household_size" in response.json()["message_nl"]
    missing = client.post(
        "/api/allocation/plan", files={"vacancies": _files(dwellings)["vacancies"]}, headers=headers
    )
    assert missing.status_code == 400
    assert "het bestand met huishoudens" in missing.json()["message_nl"]
    page = client.post(
        "/allocation/plan",
        files=_files(dwellings, households=bad),
        data={"csrf_token": token},
    )
    assert page.status_code == 400
    assert "klopt niet" in page.text and "veld &#34;channel&#34;" in page.text


def test_simulation_results_are_listed_and_served_inline(app_for, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    client = app_for(ANALYST)
    page = client.get("/allocation")
    assert "run1" in page.text
    assert 'src="/allocation/simulations/run1/entrance_over_cap.svg"' in page.text
    assert "Gemiddelden over de runs in jaar 2" in page.text
    chart = client.get("/allocation/simulations/run1/entrance_over_cap.svg")
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.headers["content-disposition"].startswith("inline")
    csv = client.get("/allocation/simulations/run1/summary.csv")
    assert csv.status_code == 200 and csv.text.startswith("policy,method")
    assert client.get("/allocation/simulations/run1/..%2F..%2Fveerkracht.sqlite").status_code == 404
    assert client.get("/allocation/simulations/run1/secret.txt").status_code == 404
    overview = client.get("/api/allocation").json()
    assert [s["name"] for s in overview["simulations"]] == ["run1"]


def test_without_simulations_the_page_says_how_to_make_one(app_for, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    client = app_for(ANALYST)
    folder = settings.workspace / "simulations"
    moved = settings.workspace / "simulations-moved"
    folder.rename(moved)
    try:
        page = client.get("/allocation")
        assert 'id="no-simulations"' in page.text
        assert "veerkracht simulate --policy" in page.text
        assert str(Path(settings.workspace) / "simulations") + "/run1" in page.text
    finally:
        moved.rename(folder)
