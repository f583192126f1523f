"""Suggestions per unit on Demostad (seed 1), in the web app and its JSON twin.

The story block (on the warning list: high load, little capacity) gets suggestions with readable
reasons from at least three terrains; they change when an approved asset is added nearby, when an
intervention is logged in the unit, and when an administrator retires or adds an entry. The
public never gets them. Runs on SQLite and PostgreSQL (a Demostad of its own per backend, because
the tests add rows).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import Engine, delete, text

from veerkracht.domain.accounts import Account, Role
from veerkracht.settings import Settings
from veerkracht.signals.accounts import add_account
from veerkracht.signals.demo import DEMO_ACCOUNTS
from veerkracht.storage import Store, open_store
from veerkracht.storage import tables as t
from veerkracht.storage.units import read_findings, read_unit
from veerkracht.web import create_app

PASSWORDS = {username: password for username, password, *_ in DEMO_ACCOUNTS}
OUTSIDER = ("elders", "demo-elders-2024")  # a professional whose area is elsewhere
NOW = datetime(2026, 3, 2, 10, 0)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """A Demostad of these tests' own (they add assets, log rows and catalogue edits)."""
    from veerkracht.pipeline import run_demo

    workspace = tmp_path_factory.mktemp(f"suggestions-{request.param}")
    database_url, admin = None, None
    if request.param == "postgres":
        admin = request.getfixturevalue("postgres_admin")
        name = f"vk_test_{uuid.uuid4().hex[:16]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        database_url = admin.url.set(database=name).render_as_string(hide_password=False)
    settings = Settings(workspace=workspace, database_url=database_url, secret_key="s" * 40)
    run_demo(settings, seed=1, dwellings=6000)
    store = open_store(settings.store_url)
    outsider = Account(
        username=OUTSIDER[0],
        role=Role.PROFESSIONAL,
        display_name="Iemand van elders",
        scope=frozenset({"WK000000"}),
    )
    add_account(store, outsider, OUTSIDER[1], now=NOW)
    store.dispose()
    yield settings
    if admin is not None:
        _drop(admin, database_url)


def _drop(admin: Engine, url: str | None) -> None:
    name = url.rsplit("/", 1)[-1] if url else ""
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def store(demo: Settings) -> Iterator[Store]:
    opened = open_store(demo.store_url)
    yield opened
    opened.dispose()


@pytest.fixture(scope="module")
def story_block(store: Store) -> str:
    """The block on top of the warning list: high load, little capacity."""
    warnings = read_findings(store, "warning", level="block")
    return str(warnings.sort_values("score", ascending=False).iloc[0]["key"])


def _client(settings: Settings, username: str | None = None) -> TestClient:
    client = TestClient(create_app(settings))
    if username is not None:
        password = OUTSIDER[1] if username == OUTSIDER[0] else PASSWORDS[username]
        csrf = _csrf(client.get("/login").text)
        response = client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
    return client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no csrf_token on the page"
    return found.group(1)


@pytest.fixture(scope="module")
def professional(demo: Settings) -> Iterator[TestClient]:
    with _client(demo, "beheer") as client:
        yield client


@pytest.fixture(scope="module")
def admin(demo: Settings) -> Iterator[TestClient]:
    with _client(demo, "admin") as client:
        yield client


def _items(client: TestClient, key: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/units/block/{key}/suggestions")
    assert response.status_code == 200, response.text
    items = [item for group in response.json()["groups"] for item in group["items"]]
    return sorted(items, key=lambda item: item["rank"])


def test_the_story_block_gets_readable_suggestions_from_three_terrains(
    professional: TestClient, story_block: str
) -> None:
    data = professional.get(f"/api/units/block/{story_block}/suggestions").json()
    terrains = {group["terrain"] for group in data["groups"]}
    assert len(terrains) >= 3, terrains
    assert "hangt af van de plek" in data["caveat"]
    items = [item for group in data["groups"] for item in group["items"]]
    assert data["count"] == len(items) >= 3
    assert sorted(item["rank"] for item in items) == list(range(1, len(items) + 1))
    for item in items:
        assert item["reasons"], item["id"]
        assert all(r.endswith(".") and len(r) > 20 for r in item["reasons"]), item["reasons"]
        assert item["caveat"].startswith(data["caveat"]) and "erkenningsstelsel" in item["caveat"]
    reasons = " ".join(r for item in items for r in item["reasons"])
    assert "vergelijkbare bouwblokken" in reasons and "vroeg signaleren" in reasons

    page = professional.get(f"/units/block/{story_block}/suggestions")
    assert page.status_code == 200
    html = page.text
    assert "Wat hier zou kunnen passen" in html and "hangt af van de plek" in html
    for group in data["groups"]:
        assert f'id="terrain-{group["terrain"]}"' in html and group["label"] in html
    first = min(items, key=lambda item: item["rank"])
    assert str(escape(first["name"])) in html and str(escape(first["reasons"][0])) in html
    assert f'href="/api/units/block/{story_block}/suggestions"' in html  # the JSON twin


def test_the_public_never_gets_suggestions(demo: Settings, story_block: str) -> None:
    with _client(demo) as public:
        page = public.get(f"/units/block/{story_block}/suggestions")
        api = public.get(f"/api/units/block/{story_block}/suggestions")
        unit = public.get(f"/units/block/{story_block}")
        unknown = public.get("/api/units/block/GEEN/suggestions")
    assert page.status_code == 403
    assert "alleen voor professionals" in page.text and "geen oordeel over de straat" in page.text
    assert "Waarom het hier zou kunnen passen" not in page.text
    assert "Spreiding bij toewijzing" not in page.text
    assert api.status_code == 403
    body = api.json()
    assert set(body) == {"error", "detail", "status", "message_nl"}
    assert "alleen voor professionals" in body["message_nl"]
    assert unit.status_code == 200 and "/suggestions" not in unit.text  # no link for the public
    assert unknown.status_code == 403  # the public learns nothing, not even whether it exists


def test_outside_the_area_no_suggestions_either(demo: Settings, story_block: str) -> None:
    with _client(demo, OUTSIDER[0]) as outsider:
        page = outsider.get(f"/units/block/{story_block}/suggestions")
        api = outsider.get(f"/api/units/block/{story_block}/suggestions")
    assert page.status_code == 403 and "buiten uw werkgebied" in page.text
    assert api.status_code == 403 and "groups" not in api.json()


def test_professionals_find_the_page_from_the_unit_page(
    professional: TestClient, story_block: str
) -> None:
    unit = professional.get(f"/units/block/{story_block}")
    assert f'href="/units/block/{story_block}/suggestions"' in unit.text
    assert professional.get("/units/block/GEEN/suggestions").status_code == 404
    assert professional.get("/units/blok/X/suggestions").status_code == 422


def test_suggestions_change_when_an_asset_is_added(
    professional: TestClient, store: Store, story_block: str
) -> None:
    before = {item["id"] for item in _items(professional, story_block)}
    assert "ontmoetingsruimte_complex" in before  # needs a block without a meeting place
    inside = read_unit(store, "block", story_block)["geometry"].representative_point()
    try:
        _insert_asset(store, "pending-place", inside, status="pending")
        assert {item["id"] for item in _items(professional, story_block)} == before
        _insert_asset(store, "approved-place", inside, status="approved")
        after = {item["id"] for item in _items(professional, story_block)}
    finally:
        with store.engine.begin() as conn:
            conn.execute(delete(t.assets).where(t.assets.c.asset_id.like("h2-test-%")))
    assert "ontmoetingsruimte_complex" not in after
    assert {item["id"] for item in _items(professional, story_block)} == before


def test_suggestions_change_when_an_intervention_is_logged(
    professional: TestClient, store: Store, story_block: str
) -> None:
    before = _items(professional, story_block)
    order = [item["id"] for item in before]
    fresh = [item for item in before if item["log"] is None]  # nothing logged around it yet
    assert len(fresh) >= 3
    top, second, third = (item["id"] for item in fresh[:3])
    street = read_unit(store, "block", story_block)["parent_key"]
    street_name = read_unit(store, "street", street)["name"]
    try:
        _insert_log(store, top, "block", story_block, date(2024, 3, 1))
        _insert_log(store, second, "street", street, date(2023, 9, 15))
        _insert_log(store, third, "block", story_block, date(2020, 1, 6), date(2021, 2, 1))
        after = _items(professional, story_block)
        page = professional.get(f"/units/block/{story_block}/suggestions").text
    finally:
        with store.engine.begin() as conn:
            conn.execute(
                delete(t.intervention_log).where(t.intervention_log.c.log_id.like("h2-test-%"))
            )
    by_id = {item["id"]: item for item in after}
    assert set(by_id) == set(order)
    assert by_id[top]["already_here"] is True
    assert by_id[top]["log"]["text"] == "Loopt hier al sinds 1 maart 2024 (Welzijn Demostad)."
    assert by_id[second]["already_here"] is True
    assert by_id[second]["log"]["text"] == (
        f"Loopt al sinds 15 september 2023 in de hele straat ({street_name}) (Welzijn Demostad)."
    )
    assert by_id[third]["already_here"] is False  # it ended: still a suggestion, marked
    assert (
        by_id[third]["log"]["text"]
        == "Liep hier van 6 januari 2020 tot 1 februari 2021 (Welzijn Demostad)."
    )
    # already running: ranked after every new one; the others keep their order
    flags = [item["already_here"] for item in after]
    assert flags == sorted(flags) and flags.count(True) >= 2
    ids = [item["id"] for item in after]
    assert (ids.index(top) < ids.index(second)) == (order.index(top) < order.index(second))
    new = [i for i in ids if not by_id[i]["already_here"]]
    assert new == [i for i in order if i in new]
    assert by_id[top]["rank"] > by_id[third]["rank"]
    assert "Loopt hier al sinds 1 maart 2024" in page and "Liep hier van 6 januari 2020" in page


def test_retired_and_added_entries_take_effect_at_once(
    admin: TestClient, professional: TestClient, store: Store, story_block: str
) -> None:
    ids = [item["id"] for item in _items(professional, story_block)]
    gone = ids[0]
    entry = admin.get(f"/interventions/catalogue/{gone}")
    csrf = _csrf(entry.text)
    try:
        response = admin.post(
            f"/interventions/catalogue/{gone}/retire",
            data={"csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert gone not in [item["id"] for item in _items(professional, story_block)]
        assert gone not in professional.get(f"/units/block/{story_block}/suggestions").text

        new = admin.post(
            "/interventions/catalogue/new",
            data={"csrf_token": csrf, "mode": "toml", "version": "", "toml": NEW_ENTRY},
            follow_redirects=False,
        )
        assert new.status_code == 303, new.text
        added = {item["id"]: item for item in _items(professional, story_block)}
        assert "blokgesprek" in added
        assert any("vroeg signaleren" in r for r in added["blokgesprek"]["reasons"])

        restored = admin.post(
            f"/interventions/catalogue/{gone}/restore",
            data={"csrf_token": csrf},
            follow_redirects=False,
        )
        assert restored.status_code == 303
        assert gone in [item["id"] for item in _items(professional, story_block)]
    finally:
        with store.engine.begin() as conn:
            conn.execute(delete(t.intervention_catalogue))
    assert [item["id"] for item in _items(professional, story_block)] == ids


NEW_ENTRY = """
[[intervention]]
id = "blokgesprek"
name = "Blokgesprek"
terrain = "light_connection"
levels = ["block"]
target_group = "Alle bewoners van het blok."
goal = "Buren praten samen over wat beter kan in hun blok."
approach = "Een opbouwwerker nodigt het blok uit voor een gesprek op de binnenplaats."
who = "Welzijnsorganisatie."
cost = "laag"
evidence = "niet_beoordeeld"
sources = [{title = "Een praktijkvoorbeeld", publisher = "Een gemeente"}]
fits_when = [{findings = "warning", weight = 2}]
"""


def _insert_asset(store: Store, name: str, point: Any, *, status: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            t.assets.insert().values(
                asset_id=f"h2-test-{name}",
                kind="place",
                name="Binnentuin",
                visibility="public",
                x=float(point.x),
                y=float(point.y),
                origin="professional",
                status=status,
                created_at=NOW,
            )
        )


def _insert_log(
    store: Store,
    intervention_id: str,
    level: str,
    key: str,
    started: date,
    ended: date | None = None,
) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            t.intervention_log.insert().values(
                log_id=f"h2-test-{uuid.uuid4().hex[:8]}",
                intervention_id=intervention_id,
                title="Test",
                level=level,
                unit_key=key,
                started_on=started,
                ended_on=ended,
                organisation="Welzijn Demostad",
                aim="Samen afspraken maken.",
                origin="app",
                created_at=NOW,
            )
        )


def test_docs_name_who_sees_what() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "interventions.md").read_text()
    assert "## Editing the catalogue in the app" in page
    assert "never" in page and "/units/{level}/{key}/suggestions" in page
