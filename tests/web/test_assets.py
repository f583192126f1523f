"""Assets on the web: issue 7's acceptance in Demostad and a visibility walk of every role.

A resident adds an offer without an account, a professional approves it, it shows on the map
layer of its block and in the block's capacity figures; the resident withdraws it through the
personal link and it disappears everywhere (map, lists, unit pages, JSON, exports, counts).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely
from fastapi.testclient import TestClient

from tests.signals.web import PASSWORDS, form_token, log_in
from veerkracht.domain.levels import Level
from veerkracht.exports import export_units
from veerkracht.pipeline import run_demo
from veerkracht.settings import Settings
from veerkracht.storage import audit as audit_store
from veerkracht.storage import open_store
from veerkracht.storage import units as unit_store
from veerkracht.storage.engine import Store
from veerkracht.web import create_app
from veerkracht.web.geo import to_wgs84


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(workspace=tmp_path_factory.mktemp("assets-web"), secret_key="a" * 40)
    summary = run_demo(settings, seed=1, dwellings=6000)  # three wijken: in and out of scope
    for login in summary["logins"]:
        PASSWORDS[login["username"]] = login["password"]
    return settings


@pytest.fixture(scope="module")
def store(settings: Settings) -> Iterator[Store]:
    opened = open_store(settings.store_url)
    yield opened
    opened.dispose()


def client(settings: Settings, username: str | None = None) -> TestClient:
    browser = TestClient(create_app(settings))
    if username:
        log_in(browser, username)
    return browser


def homes(store: Store, district: str, n: int) -> list[dict[str, Any]]:
    """``n`` dwellings of a district, each in another block, with their address."""
    from sqlalchemy import select

    from veerkracht.storage import tables as t

    d = t.dwellings
    out: list[dict[str, Any]] = []
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(d).where(d.c.district_code == district).order_by(d.c.dwelling_id)
        )
        for row in rows.mappings():
            if row["block_key"] not in {h["block_key"] for h in out}:
                out.append(dict(row))
            if len(out) == n:
                return out
    raise AssertionError(f"not {n} blocks in {district}")


def add(browser: TestClient, home: dict[str, Any], **fields: str) -> str:
    """Fill the form like a browser; returns the personal link's path."""
    page = browser.get("/assets/new").text
    data = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
        "submission_key": re.search(r'name="submission_key" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
        "kind": "gift",
        "first_name": "Joke van Dijk",
        "postcode": home["postcode"],
        "house_number": str(home["house_number"]) + (home.get("house_letter") or ""),
        "audience": "public",
        "level": "block",
        "consent": "1",
        **fields,
    }
    response = browser.post("/assets", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"].split("?")[0]


def offers_figure(browser: TestClient, block: str) -> float:
    page = browser.get(f"/api/units/block/{block}").json()
    for group in page["groups"]:
        for figure in group["figures"]:
            if figure["indicator"] == "offers_nearby":
                return float(figure["value"])
    raise AssertionError("no offers_nearby figure")


def asset_id_of(browser: TestClient, link: str) -> str:
    return str(browser.get("/api" + link).json()["item"]["asset_id"])


def exported_offers(store: Store, block: str, out: Path) -> float:
    export_units(store, Level.BLOCK, out, "csv")
    with out.open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["key"] == block)
    return float(row["offers_nearby"])


def test_add_approve_show_and_withdraw_everywhere(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    (home,) = homes(store, "WK999901", 1)
    block = home["block_key"]
    resident, public, welzijn = client(settings), client(settings), client(settings, "welzijn")
    before = offers_figure(public, block)
    exported_before = exported_offers(store, block, tmp_path / "before.csv")

    link = add(resident, home, title="Ik plak fietsbanden", description="Kom gerust langs.")
    mine = resident.get(link + "?received=1")
    assert "Wacht op goedkeuring" in mine.text and "Bedankt, we hebben het ontvangen" in mine.text
    asset_id = asset_id_of(resident, link)
    layer = f"/api/assets?level=block&key={block}"
    assert asset_id not in public.get(layer).text  # pending: not public
    assert "Ik plak fietsbanden" not in public.get(f"/units/block/{block}").text

    moderation = welzijn.get("/assets/moderation")
    assert "Ik plak fietsbanden" in moderation.text and "Joke" in moderation.text
    reads = audit_store.audit_rows(store, record_type="asset", record_id=asset_id)
    assert ("welzijn", "list") in {(r["actor"], r["action"]) for r in reads}
    csrf = form_token(welzijn, "/assets/moderation")
    done = welzijn.post(
        f"/assets/{asset_id}/change",
        data={"action": "approve", "note": "", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303

    features = [
        f for f in public.get(layer).json()["features"] if f["properties"]["asset_id"] == asset_id
    ]
    assert len(features) == 1 and features[0]["properties"]["first_name"] == "Joke"
    unit = unit_store.read_unit(store, "block", block)
    label = to_wgs84([shapely.Point(unit["x"], unit["y"])])[0]
    assert features[0]["geometry"]["coordinates"] == [label.x, label.y]  # the block, not the home
    page = public.get(f"/units/block/{block}").text
    assert page.index('id="what-is-here"') < page.index('data-indicator="assets_nearby"')
    assert "Ik plak fietsbanden" in page and "(Joke)" in page and "van Dijk" not in page
    here = public.get(f"/api/units/block/{block}").json()["what_is_here"]
    assert asset_id in {i["asset_id"] for i in here["items"]}
    assert offers_figure(public, block) == before + 1
    assert exported_offers(store, block, tmp_path / "approved.csv") == exported_before + 1

    csrf = form_token(resident, link)
    gone = resident.post(
        link, data={"action": "withdraw", "csrf_token": csrf}, follow_redirects=False
    )
    assert gone.status_code == 303
    assert "Ingetrokken" in resident.get(link).text
    for path in (
        layer,
        "/api/assets",
        f"/assets?level=block&key={block}",
        f"/api/assets/list?level=block&key={block}",
        "/assets",
        f"/units/block/{block}",
        f"/api/units/block/{block}",
        f"/units/street/{home['street_key']}",
        f"/api/units/neighbourhood/{home['neighbourhood_code']}",
    ):
        for browser in (public, welzijn):
            text = browser.get(path).text
            assert asset_id not in text and "Ik plak fietsbanden" not in text, path
    assert "Ik plak fietsbanden" not in welzijn.get("/assets/moderation").text
    assert offers_figure(public, block) == before
    assert exported_offers(store, block, tmp_path / "withdrawn.csv") == exported_before


def test_every_role_against_every_asset_page(settings: Settings, store: Store) -> None:
    mine, other = homes(store, "WK999901", 2)
    far = homes(store, "WK999902", 1)[0]
    block = mine["block_key"]
    resident = client(settings)
    link = add(resident, mine, title="Pending titel QX", first_name="Kees de Boer")
    add(resident, mine, title="Alleen het blok QX", audience="block", first_name="Noor Bakker")
    block_link = add(resident, mine, title="Nog een blok QX", audience="block")
    other_link = add(client(settings), other, title="Ander blok QX")
    add(client(settings), far, title="Ver weg QX")
    welzijn = client(settings, "welzijn")
    csrf = form_token(welzijn, "/assets/moderation")
    for path in (block_link, other_link):
        asset_id = asset_id_of(resident, path)
        welzijn.post(f"/assets/{asset_id}/change", data={"action": "approve", "csrf_token": csrf})
    block_item = "Nog een blok QX"
    csrf = form_token(welzijn, "/assets/on-behalf")
    made = welzijn.post(
        "/assets/on-behalf",
        data={
            "csrf_token": csrf,
            "kind": "active_resident",
            "title": "Houdt de trap schoon QX",
            "first_name": "Wim",
            "postcode": mine["postcode"],
            "house_number": str(mine["house_number"]) + (mine.get("house_letter") or ""),
            "level": "block",
            "audience": "public",
            "consent": "1",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303

    browsers = {
        "public": client(settings),
        "neighbour": client(settings),
        "other_neighbour": client(settings),
        **{
            name: client(settings, name) for name in ("welzijn", "welzijn-oost", "analist", "admin")
        },
    }
    browsers["pending_maker"] = client(settings)
    browsers["pending_maker"].get(
        link
    )  # a pending item proves nothing (anyone can type an address)
    browsers["neighbour"].get(block_link)  # proves the block through their own approved item
    browsers["other_neighbour"].get(other_link)
    pages = [
        f"/units/block/{block}",
        f"/api/units/block/{block}",
        f"/assets?level=block&key={block}",
        f"/api/assets/list?level=block&key={block}",
        f"/api/assets?level=block&key={block}",
        f"/units/street/{mine['street_key']}",
        f"/assets?level=neighbourhood&key={mine['neighbourhood_code']}",
        f"/api/assets?level=district&key={mine['district_code']}",
        "/assets",
        "/api/assets",
        "/api/assets/list",
        "/assets/new",
        "/api/assets/form",
        "/assets/moderation",
        "/api/assets/moderation",
    ]
    sees_pending = {"welzijn", "admin"}
    sees_block = {"neighbour", "welzijn", "admin"}
    sees_active = {"welzijn", "admin"}
    moderators = {"welzijn", "welzijn-oost", "admin"}
    house = re.compile(rf"{mine['street_name']} {mine['house_number']}(?![0-9–-])")
    for role, browser in browsers.items():
        seen = ""
        for path in pages:
            response = browser.get(path, follow_redirects=False)
            if path.endswith("/moderation") and role not in moderators:
                expected = 403 if role == "analist" else (401 if path.startswith("/api/") else 303)
                assert response.status_code == expected, (role, path, response.status_code)
                continue
            assert response.status_code == 200, (role, path, response.status_code)
            text = response.text
            for private in ("de Boer", "Bakker", "van Dijk", mine["postcode"], far["postcode"]):
                assert private not in text, (role, path, private)
            assert not house.search(text), (role, path)  # (a block's name holds a range: 2–182)
            seen += text
        assert ("Pending titel QX" in seen) == (role in sees_pending), role
        assert (block_item in seen) == (role in sees_block), role
        assert ("Houdt de trap schoon QX" in seen) == (role in sees_active), role
        assert "Ander blok QX" in seen, role  # approved and public: everybody
        assert ("Ver weg QX" in seen) == (role in {"welzijn-oost", "admin"}), role  # pending, east


def test_wrong_fields_are_named_in_dutch_and_a_retry_is_stored_once(
    settings: Settings, store: Store
) -> None:
    (home,) = homes(store, "WK999903", 1)
    browser = client(settings)
    page = browser.get("/assets/new").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    wrong = browser.post(
        "/assets",
        data={"csrf_token": csrf, "kind": "gift", "title": "Hoi", "postcode": home["postcode"]},
    )
    assert wrong.status_code == 400
    assert 'id="error-summary"' in wrong.text
    for text in ("Zet een vinkje", "Vul uw voornaam in", "Schrijf een huisnummer"):
        assert text in wrong.text
    assert browser.post("/assets", data={"kind": "gift"}).status_code == 403  # no CSRF token

    body = {
        "kind": "place",
        "title": "Bankje bij de speeltuin",
        "consent": True,
        "postcode": home["postcode"],
        "house_number": str(home["house_number"]) + (home.get("house_letter") or ""),
        "submission_key": "retry-key-0001",
    }
    first = browser.post("/api/assets", json=body)
    assert first.status_code == 201 and first.json()["personal_url"].startswith("/assets/mine/")
    again = browser.post("/api/assets", json=body)
    assert again.status_code == 200 and again.json()["personal_url"] is None
    assert again.json()["asset_id"] == first.json()["asset_id"]
    mine = browser.get("/api" + first.json()["personal_url"]).json()
    assert mine["item"]["status"] == "pending" and mine["actions"]
    assert "dwelling_id" not in str(mine) and "edit_hash" not in str(mine)


def test_a_stale_item_prompts_its_resident_and_confirming_refreshes_it(
    settings: Settings, store: Store
) -> None:
    from datetime import datetime, timedelta

    (home,) = homes(store, "WK999903", 1)
    admin = client(settings, "admin")
    csrf = form_token(admin, "/assets/on-behalf")
    made = admin.post(
        "/assets/on-behalf",
        data={
            "csrf_token": csrf,
            "kind": "gift",
            "title": "Ik maak soep voor zieke buren",
            "first_name": "Ahmed",
            "postcode": home["postcode"],
            "house_number": str(home["house_number"]) + (home.get("house_letter") or ""),
            "level": "street",
            "audience": "public",
            "consent": "1",
        },
        follow_redirects=False,
    )
    link = made.headers["location"].split("?")[0]
    later = TestClient(create_app(settings))
    later.app.state.clock = lambda: datetime.now().replace(microsecond=0) + timedelta(days=400)  # type: ignore[attr-defined]
    page = later.get(link).text
    assert 'id="stale-prompt"' in page and "12 maanden niet bevestigd" in page
    csrf = form_token(later, link)
    later.post(link, data={"action": "confirm", "csrf_token": csrf})
    assert 'id="stale-prompt"' not in later.get(link).text
    item = later.get("/api" + link).json()["item"]
    assert item["status"] == "approved" and item["level_label"] == "straat"


def test_the_public_sees_active_residents_only_as_a_disclosed_count(settings: Settings) -> None:
    """Counted, never named — and a count under 10 is not shown to the public as a number."""
    store = open_store(settings.store_url)
    try:
        blocks = unit_store.read_units(store, "block", with_geometry=False)
    finally:
        store.dispose()
    public, welzijn = client(settings), client(settings, "welzijn")
    seen_exact = 0
    for key in blocks["key"][:40]:
        here = public.get(f"/api/units/block/{key}").json()["what_is_here"]
        count = here["active_residents"]
        assert count is None or (count >= 10 and count % 5 == 0), (key, here)
        if count is None and here["active_residents_withheld"] == "small_count":
            pro = welzijn.get(f"/api/units/block/{key}").json()["what_is_here"]
            seen_exact += pro["active_residents"] is not None
    assert seen_exact > 0  # professionals in scope see the exact count the public does not
