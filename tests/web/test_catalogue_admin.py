"""The catalogue in the web app: everybody reads it, only administrators change it.

Edits go through the same check as the shipped files (a bad entry names the field and changes
nothing), are stored in ``intervention_catalogue`` and audited; a stale form is refused. Runs on
SQLite and PostgreSQL with an empty store (the catalogue needs no Demostad).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from veerkracht.cli import cli
from veerkracht.domain.accounts import Account, Role
from veerkracht.interventions.catalogue import shipped_catalogue
from veerkracht.settings import Settings
from veerkracht.signals.accounts import add_account
from veerkracht.storage import Store
from veerkracht.storage import intervention_catalogue as overrides
from veerkracht.storage.audit import audit_rows
from veerkracht.web import create_app

NOW = datetime(2026, 3, 2, 10, 0)
PASSWORD = "een-lang-wachtwoord-2026"
ACCOUNTS = {
    "beheerder": Role.ADMIN,
    "sanne": Role.PROFESSIONAL,
    "bram": Role.ANALYST,
}


@pytest.fixture
def app_settings(tmp_path: Path, store: Store) -> Settings:
    for username, role in ACCOUNTS.items():
        account = Account(
            username=username,
            role=role,
            display_name=username.title(),
            scope=frozenset() if role == Role.ADMIN else frozenset({"GM9999"}),
        )
        add_account(store, account, PASSWORD, now=NOW)
    return Settings(
        workspace=tmp_path / "workspace",
        database_url=store.engine.url.render_as_string(hide_password=False),
        secret_key="s" * 40,
    )


def _client(settings: Settings, username: str | None = None) -> TestClient:
    client = TestClient(create_app(settings))
    if username:
        response = client.post(
            "/login",
            data={
                "username": username,
                "password": PASSWORD,
                "csrf_token": _csrf(client.get("/login").text),
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
    return client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no csrf_token on the page"
    return found.group(1)


@pytest.fixture
def admin(app_settings: Settings) -> Iterator[TestClient]:
    with _client(app_settings, "beheerder") as client:
        yield client


def _form(client: TestClient, path: str) -> dict[str, str | list[str]]:
    """The fields of the edit form as a browser would send them."""
    html = client.get(path).text
    fields: dict[str, str | list[str]] = {}
    for name, value in re.findall(
        r'<input type="(?:hidden|text)"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html
    ):
        fields[name] = unescape(value)
    for name, value in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S
    ):
        fields[name] = unescape(value)
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = chosen.group(1) if chosen else ""
    fields["levels"] = re.findall(r'name="levels"[^>]*value="([^"]+)" checked', html)
    return fields


def test_everybody_reads_the_catalogue(app_settings: Settings) -> None:
    with _client(app_settings) as public:
        page = public.get("/interventions/catalogue")
        data = public.get("/api/interventions/catalogue").json()
        entry = public.get("/interventions/catalogue/portiekgesprekken")
        entry_json = public.get("/api/interventions/catalogue/portiekgesprekken").json()
        missing = public.get("/interventions/catalogue/bestaat_niet")
    assert page.status_code == 200 and "Catalogus van interventies" in page.text
    assert data["count"] == len(shipped_catalogue()) and data["can_edit"] is False
    assert {t["terrain"] for t in data["terrains"]} == {
        "informal_networks",
        "light_connection",
        "professionals",
        "public_space",
        "shared_spaces",
        "scale_and_mix",
    }
    assert "Interventie toevoegen" not in page.text
    html = entry.text
    for label in ("Terrein", "Niveau", "Doelgroep", "Doel", "Aanpak", "Wie doet het", "Kosten"):
        assert f"<dt>{label}</dt>" in html
    assert "<dt>Bewijs</dt>" in html and "<dt>Bronnen</dt>" in html
    assert 'href="https://academievandestad.nl/projecten/portiekaanpak-dapper-3/"' in html
    turnover = "Verhuizingen (mutatiegraad): hoger dan bij 70 van de 100 vergelijkbare plekken"
    assert f"{turnover} (telt dubbel)" in html
    assert "Bewerken" not in html and 'action="/interventions/catalogue/' not in html
    assert entry_json["toml"] is None and entry_json["updated_by"] is None
    assert entry_json["fits_when"][0].endswith("(telt dubbel)")
    assert missing.status_code == 404


@pytest.mark.parametrize("username", [None, "sanne", "bram"])
def test_only_administrators_change_the_catalogue(
    app_settings: Settings, store: Store, username: str | None
) -> None:
    with _client(app_settings, username) as client:
        csrf = _csrf(client.get("/login").text)
        edit_page = client.get("/interventions/catalogue/opzoomeren/edit")
        new_page = client.get("/interventions/catalogue/new")
        posted = client.post(
            "/interventions/catalogue/opzoomeren/edit",
            data={"csrf_token": csrf, "mode": "toml", "toml": "kapot"},
        )
        retired = client.post(
            "/interventions/catalogue/opzoomeren/retire", data={"csrf_token": csrf}
        )
        api = client.put(
            "/api/interventions/catalogue/opzoomeren",
            json={"toml": "kapot"},
            headers={"X-CSRF-Token": csrf},
        )
    assert edit_page.status_code == new_page.status_code == 403
    assert "Alleen beheerders kunnen interventies" in edit_page.text
    assert posted.status_code == retired.status_code == api.status_code == 403
    assert "alleen beheerders" in api.json()["message_nl"].lower()
    assert overrides.read_overrides(store) == []


def test_a_bad_edit_names_the_field_and_changes_nothing(admin: TestClient, store: Store) -> None:
    fields = _form(admin, "/interventions/catalogue/opzoomeren/edit")
    assert fields["cost"] == "laag" and fields["levels"] == ["block", "street"]
    response = admin.post(
        "/interventions/catalogue/opzoomeren/edit",
        data={**fields, "cost": "gratis", "goal": "x"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    html = response.text
    assert "Er is niets opgeslagen" in html
    assert re.search(
        r'id="field-cost".*?<span class="error" id="error-cost">Kosten, veld &#34;cost&#34;: '
        r"moet een van deze zijn: &#34;laag&#34;, &#34;midden&#34; of &#34;hoog&#34; "
        r"\(ingevuld: &#34;gratis&#34;\)",
        html,
        re.S,
    )
    assert re.search(
        r'id="field-goal".*?Doel, veld &#34;goal&#34;: moet minstens 3 tekens hebben', html, re.S
    )
    select = re.search(r'<select id="cost".*?</select>', html, re.S)
    assert select and " selected" not in select.group(0)  # "gratis" is no choice: none chosen
    assert overrides.read_overrides(store) == []

    toml = _form(admin, "/interventions/catalogue/opzoomeren/edit?mode=toml")
    assert toml["mode"] == "toml" and toml["toml"].startswith("[[intervention]]")
    bad = toml["toml"].replace('indicator = "nuisance_afval_per_100"', 'indicator = "afval"')
    response = admin.post("/interventions/catalogue/opzoomeren/edit", data={**toml, "toml": bad})
    assert response.status_code == 400
    assert "Tekens dat het past, veld &#34;fits_when[0].any_of[0].indicator&#34;" in response.text
    assert "&#34;afval&#34; is geen bekende code van een cijfer" in response.text
    assert_no_english(response.text)
    assert overrides.read_overrides(store) == []
    assert admin.get("/api/interventions/catalogue/opzoomeren").json()["origin"] == "shipped"


def test_an_edit_in_fields_is_stored_and_shown(admin: TestClient, store: Store) -> None:
    before = admin.get("/api/interventions/catalogue/opzoomeren").json()
    fields = _form(admin, "/interventions/catalogue/opzoomeren/edit")
    response = admin.post(
        "/interventions/catalogue/opzoomeren/edit",
        data={
            **fields,
            "goal": "Een schone straat waar buren elkaar kennen.",
            "source_title_2": "Nieuwe bron",
            "source_publisher_2": "Gemeente",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/interventions/catalogue/opzoomeren"
    entry = admin.get("/api/interventions/catalogue/opzoomeren").json()
    assert entry["goal"] == "Een schone straat waar buren elkaar kennen."
    assert entry["origin"] == "edited" and entry["updated_by"] == "beheerder"
    assert [s["title"] for s in entry["sources"]][-1] == "Nieuwe bron"
    assert entry["fits_when"] == before["fits_when"] and len(entry["fits_when"]) == 3
    assert entry["levels"] == before["levels"] and entry["cost"] == before["cost"]
    assert overrides.read_override(store, "opzoomeren")["active"] is True
    assert [r["action"] for r in audit_rows(store, record_type="intervention")] == ["edit"]
    page = admin.get("/interventions/catalogue/opzoomeren").text
    assert "aangepast in de app" in page.lower() and "door beheerder" in page

    reverted = admin.post(
        "/interventions/catalogue/opzoomeren/revert", data={"csrf_token": fields["csrf_token"]}
    )
    assert reverted.status_code == 200  # followed the redirect to the entry page
    assert admin.get("/api/interventions/catalogue/opzoomeren").json()["origin"] == "shipped"


def test_add_retire_and_restore(admin: TestClient, store: Store) -> None:
    fields = _form(admin, "/interventions/catalogue/new?mode=toml")
    toml = (
        '[[intervention]]\nid = "buurtsoep"\nname = "Buurtsoep"\nterrain = "light_connection"\n'
        'levels = ["street"]\ntarget_group = "Alle buren."\ngoal = "Samen soep eten."\n'
        'approach = "Elke maand soep op straat."\nwho = "Bewoners."\ncost = "laag"\n'
        'evidence = "niet_beoordeeld"\nsources = [{title = "Praktijk", publisher = "Buurt"}]\n'
        'fits_when = [{findings = "warning", weight = 2}]\n'
    )
    added = admin.post(
        "/interventions/catalogue/new", data={**fields, "toml": toml}, follow_redirects=False
    )
    assert (
        added.status_code == 303
        and added.headers["location"] == "/interventions/catalogue/buurtsoep"
    )
    again = admin.post("/interventions/catalogue/new", data={**fields, "toml": toml})
    assert again.status_code == 400
    assert "Code (id), veld &#34;id&#34;: &#34;buurtsoep&#34; bestaat al" in again.text
    listing = admin.get("/api/interventions/catalogue").json()
    assert listing["count"] == len(shipped_catalogue()) + 1

    csrf = fields["csrf_token"]
    admin.post("/interventions/catalogue/buurtsoep/retire", data={"csrf_token": csrf})
    listing = admin.get("/api/interventions/catalogue").json()
    assert [e["id"] for e in listing["retired"]] == ["buurtsoep"]
    assert "buurtsoep" not in [e["id"] for t in listing["terrains"] for e in t["entries"]]
    assert "Uit gebruik (wordt niet voorgesteld)" in admin.get("/interventions/catalogue").text
    with _client(admin.app.state.settings) as public:  # type: ignore[attr-defined]
        assert public.get("/interventions/catalogue/buurtsoep").status_code == 404
        assert public.get("/api/interventions/catalogue").json()["retired"] == []
    entry = admin.get("/interventions/catalogue/buurtsoep").text
    assert (
        "Deze interventie is uit gebruik" in entry
        and 'action="/interventions/catalogue/buurtsoep/restore"' in entry
    )
    admin.post("/interventions/catalogue/buurtsoep/restore", data={"csrf_token": csrf})
    assert admin.get("/api/interventions/catalogue/buurtsoep").json()["retired"] is False
    actions = [r["action"] for r in audit_rows(store, record_type="intervention")]
    assert actions == ["add", "retire", "restore"]


def test_a_stale_form_is_refused(admin: TestClient, store: Store) -> None:
    first = _form(admin, "/interventions/catalogue/opzoomeren/edit")
    second = _form(admin, "/interventions/catalogue/opzoomeren/edit")
    ok = admin.post(
        "/interventions/catalogue/opzoomeren/edit",
        data={**first, "name": "Opzoomeren A"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    stale = admin.post(
        "/interventions/catalogue/opzoomeren/edit", data={**second, "name": "Opzoomeren B"}
    )
    assert stale.status_code == 409
    assert "Iemand anders heeft deze interventie net veranderd" in stale.text
    assert admin.get("/api/interventions/catalogue/opzoomeren").json()["name"] == "Opzoomeren A"


def test_the_json_api_edits_too(admin: TestClient, store: Store) -> None:
    csrf = _csrf(admin.get("/interventions/catalogue/opzoomeren").text)
    entry = shipped_catalogue().get("opzoomeren").model_dump(mode="json", exclude_none=True)
    bad = admin.put(
        "/api/interventions/catalogue/opzoomeren",
        json={"entry": {**entry, "cost": "gratis"}},
        headers={"X-CSRF-Token": csrf},
    )
    assert bad.status_code == 400 and "cost" in bad.json()["fields"]
    assert bad.json()["fields"]["cost"][0].startswith('field "cost": Input should be')
    assert bad.json()["fields_nl"]["cost"] == [
        'Kosten, veld "cost": moet een van deze zijn: "laag", "midden" of "hoog" '
        '(ingevuld: "gratis")'
    ]
    assert overrides.read_overrides(store) == []
    good = admin.put(
        "/api/interventions/catalogue/opzoomeren",
        json={"entry": {**entry, "cost": "midden"}},
        headers={"X-CSRF-Token": csrf},
    )
    assert good.status_code == 200 and good.json()["cost"] == "midden"
    no_csrf = admin.post("/api/interventions/catalogue/opzoomeren/retire")
    assert no_csrf.status_code == 403
    retired = admin.post(
        "/api/interventions/catalogue/opzoomeren/retire", headers={"X-CSRF-Token": csrf}
    )
    assert retired.status_code == 200 and retired.json()["retired"] is True


#: pydantic's English texts, which must not reach the Dutch page.
ENGLISH = ("should have", "Field required", "Input should", "is required", "not a known field")


def assert_no_english(html: str) -> None:
    for words in ENGLISH:
        assert words not in html, words


def test_field_problems_are_in_dutch_and_name_the_field(admin: TestClient, store: Store) -> None:
    fields = _form(admin, "/interventions/catalogue/new")
    response = admin.post(
        "/interventions/catalogue/new",
        data={
            **fields,
            "id": "Buurt Soep",
            "name": "S",
            "goal": "Samen soep eten.",
            "source_title_0": "Pr",
            "source_publisher_0": "Buurt",
            "source_url_0": "ftp://soep",
            "source_year_0": "1850",
            "fits_when": '[{findings = "warning", weight = 0}]',
        },
    )
    assert response.status_code == 400
    errors = {
        name: [unescape(m) for m in re.findall(rf'id="error-{name}">(.*?)</span>', response.text)]
        for name in ("id", "name", "target_group", "levels", "sources", "fits_when")
    }
    assert errors["name"] == ['Naam, veld "name": moet minstens 2 tekens hebben (ingevuld: "S")']
    assert errors["id"] == [
        'Code (id), veld "id": mag alleen kleine letters, cijfers en _ hebben, en begint met '
        'een letter of cijfer (ingevuld: "Buurt Soep")'
    ]
    assert errors["target_group"] == [
        'Doelgroep, veld "target_group": moet ingevuld zijn, maar ontbreekt'
    ]
    assert errors["levels"] == [
        'Niveaus waarop het kan, veld "levels": heeft er minstens één nodig'
    ]
    assert errors["sources"] == [
        'Bronnen, veld "sources[0].title": moet minstens 3 tekens hebben (ingevuld: "Pr")',
        'Bronnen, veld "sources[0].url": moet een webadres zijn dat begint met http:// of '
        'https:// (ingevuld: "ftp://soep")',
        'Bronnen, veld "sources[0].year": moet 1900 of meer zijn (ingevuld: 1850)',
    ]
    assert errors["fits_when"] == [
        'Tekens dat het past, veld "fits_when[0].weight": moet meer dan 0 zijn (ingevuld: 0)'
    ]
    summary = re.search(r'id="error-summary".*?</ul>', response.text, re.S)
    assert summary and "Naam, veld &#34;name&#34;: moet minstens 2 tekens hebben" in summary.group(
        0
    )
    assert_no_english(response.text)
    assert overrides.read_overrides(store) == []


def test_the_command_line_keeps_the_english_problems(tmp_path: Path) -> None:
    path = tmp_path / "eigen.toml"
    path.write_text(
        '[[intervention]]\nid = "soep"\nname = "S"\nterrain = "light_connection"\n'
        'levels = ["street"]\ntarget_group = "Alle buren."\ngoal = "Samen soep eten."\n'
        'approach = "Soep op straat."\nwho = "Bewoners."\ncost = "laag"\n'
        'evidence = "niet_beoordeeld"\nsources = [{title = "Praktijk", publisher = "Buurt"}]\n'
        'fits_when = [{findings = "warning"}]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["interventions", "check", str(path)])
    assert result.exit_code != 0
    assert 'intervention "soep", field "name": String should have at least 2 characters' in (
        result.output
    )
