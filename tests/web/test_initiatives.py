"""Initiatives on the web, in Demostad: a proposal without an account is moderated, three
neighbours join and it becomes active; its news and budget decisions are public, the supporters'
identities never are (a walk of every role over every initiative page and JSON twin). Matching
and the HSDS download are for professionals.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community import hsds
from veerkracht.community.audience import PUBLIC_ONLOOKER, Onlooker
from veerkracht.community.matching import MatchLevel
from veerkracht.settings import Settings
from veerkracht.signals.demo import DEMO_ACCOUNTS
from veerkracht.storage import audit as audit_store
from veerkracht.storage import initiatives as db
from veerkracht.storage import open_store
from veerkracht.storage import tables as t
from veerkracht.storage.engine import Store
from veerkracht.web import create_app
from veerkracht.web.pages.initiatives import initiatives_here

PASSWORDS = {a[0]: a[1] for a in DEMO_ACCOUNTS}
ROLES = [None, "analist", "beheer", "wijkagent", "gebied", "welzijn", "welzijn-oost", "admin"]
#: Professionals whose scope covers wijk WK999901 (they moderate there).
IN_SCOPE = {"beheer", "wijkagent", "gebied", "welzijn", "admin"}
SUPPORTERS = ("Gerbrand", "Hyacinth", "Zwaantje")
OWNER = "Wieteke Oosterhuis"
EMAIL = "wieteke@example.org"


@pytest.fixture(scope="module")
def store(web_settings: Settings) -> Iterator[Store]:
    opened = open_store(web_settings.store_url)
    yield opened
    opened.dispose()


def browser(settings: Settings, username: str | None = None) -> TestClient:
    client = TestClient(create_app(settings))
    if username:
        token = _field(client.get("/login").text, "csrf_token")
        response = client.post(
            "/login",
            data={"username": username, "password": PASSWORDS[username], "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
    return client


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, f"no {name}"
    return found.group(1)


def post_form(client: TestClient, page: str, action: str, data: dict[str, str]) -> Any:
    html = client.get(page).text
    fields = {"csrf_token": _field(html, "csrf_token"), **data}
    if 'name="submission_key"' in html:
        fields["submission_key"] = _field(html, "submission_key")
    return client.post(action, data=fields, follow_redirects=False)


def home(store: Store) -> dict[str, Any]:
    """A dwelling in wijk WK999901 whose block has no initiative yet."""
    taken = {r["block_key"] for r in db.read_initiatives(store)}
    d = t.dwellings
    query = select(d).where(d.c.district_code == "WK999901").order_by(d.c.dwelling_id.desc())
    with store.engine.connect() as conn:
        for row in conn.execute(query).mappings():
            if row["block_key"] and row["block_key"] not in taken and row["postcode"]:
                return dict(row)
    raise AssertionError("no free block")


@pytest.fixture(scope="module")
def flow(web_settings: Settings, store: Store) -> dict[str, Any]:
    """Propose, approve, three joins, news, a budget request and a partial grant."""
    where = home(store)
    resident = browser(web_settings)
    created = post_form(
        resident,
        "/initiatives/new",
        "/initiatives",
        {
            "title": "Zitbankjes bij de voordeur",
            "description": "Twee zitbankjes bij de voordeur, zodat we elkaar vaker spreken.",
            "needs": "Twee bankjes en een klusmiddag",
            "first_name": OWNER,
            "postcode": where["postcode"],
            "house_number": str(where["house_number"]),
            "level": "block",
            "email": EMAIL,
        },
    )
    assert created.status_code == 303, created.text
    owner_url = created.headers["location"].split("?")[0]
    mine = resident.get(created.headers["location"])
    assert mine.status_code == 200 and owner_url in mine.text
    iid = resident.get("/api" + owner_url).json()["initiative"]["initiative_id"]
    state: dict[str, Any] = {
        "id": iid,
        "owner": resident,
        "owner_url": owner_url,
        "where": where,
        "pending": {},
    }
    # waiting for approval: seen by professionals in scope only
    for name in ROLES:
        client = browser(web_settings, name)
        state["pending"][name] = (
            client.get(f"/initiatives/{iid}").status_code,
            client.get(f"/api/initiatives/{iid}").status_code,
        )
    welzijn = browser(web_settings, "welzijn")
    approved = post_form(
        welzijn,
        f"/initiatives/{iid}",
        f"/initiatives/{iid}/moderate",
        {"decision": "approve", "note": "Mooi plan"},
    )
    assert approved.status_code == 303, approved.text
    state["statuses"] = []
    state["support_urls"] = []
    for name in SUPPORTERS:
        neighbour = browser(web_settings)
        joined = post_form(
            neighbour, f"/initiatives/{iid}/join", f"/initiatives/{iid}/join", {"first_name": name}
        )
        assert joined.status_code == 303, joined.text
        state["support_urls"].append(joined.headers["location"].split("?")[0])
        state["statuses"].append(
            resident.get(f"/api/initiatives/{iid}").json()["initiative"]["status"]
        )
        state.setdefault("neighbour", neighbour)
    posted = post_form(
        resident, owner_url, f"{owner_url}/update", {"text": "Zaterdag zetten we de bankjes neer!"}
    )
    assert posted.status_code == 303
    budget = next(b for b in resident.get(f"/api/initiatives/{iid}").json()["budgets"])
    asked = post_form(
        resident,
        owner_url,
        f"{owner_url}/budget",
        {
            "budget_id": budget["budget_id"],
            "amount": "400",
            "purpose": "Twee zitbankjes van gerecycled plastic",
        },
    )
    assert asked.status_code == 303, asked.text
    request_id = db.read_budget_requests(store, initiative_id=iid)[0]["request_id"]
    admin = browser(web_settings, "admin")
    decided = post_form(
        admin,
        f"/initiatives/budgets/{budget['budget_id']}",
        f"/initiatives/budget-requests/{request_id}/decision",
        {
            "decision": "partly",
            "amount_granted": "250",
            "reason": "Eén bankje uit het budget, het tweede via de corporatie",
        },
    )
    assert decided.status_code == 303, decided.text
    state["budget_id"] = budget["budget_id"]
    return state


def test_pending_proposals_are_seen_by_professionals_in_scope_only(flow: dict[str, Any]) -> None:
    assert flow["pending"] == {
        name: (200, 200) if name in IN_SCOPE else (404, 404) for name in ROLES
    }


def test_three_neighbours_make_it_active_and_its_record_is_public(
    web_settings: Settings, flow: dict[str, Any]
) -> None:
    iid = flow["id"]
    assert flow["statuses"] == ["proposed", "proposed", "active"]
    public = browser(web_settings)
    data = public.get(f"/api/initiatives/{iid}").json()
    assert data["initiative"]["supporters"] == 3 and data["initiative"]["status"] == "active"
    assert data["initiative"]["owner_first_name"] == "Wieteke"
    texts = [u["text"] for u in data["updates"]]
    assert "Zaterdag zetten we de bankjes neer!" in texts and "Actief" in texts
    assert "Mooi plan" not in texts  # the moderator's note is not public
    (request,) = data["budget_requests"]
    assert (request["amount_requested"], request["decision"], request["amount_granted"]) == (
        400.0,
        "partly",
        250.0,
    )
    assert request["decision_reason"].startswith("Eén bankje")
    page = public.get(f"/initiatives/{iid}").text
    assert "Gedeeltelijk toegekend" in page and "€\xa0250" in page and "Actief" in page
    budget_page = public.get(f"/initiatives/budgets/{flow['budget_id']}").text
    assert "Zitbankjes bij de voordeur" in budget_page and "Eén bankje" in budget_page


def test_no_role_ever_sees_who_supports_it(
    web_settings: Settings, flow: dict[str, Any], store: Store
) -> None:
    iid = flow["id"]
    paths = [
        "/initiatives",
        "/api/initiatives",
        "/api/initiatives?format=geojson",
        "/initiatives/budgets",
        "/api/initiatives/budgets",
        f"/initiatives/budgets/{flow['budget_id']}",
        f"/api/initiatives/budgets/{flow['budget_id']}",
    ]
    for other in [iid, "I-DEMO0001", "I-DEMO0002", "I-DEMO0003"]:
        paths += [
            f"/initiatives/{other}",
            f"/api/initiatives/{other}",
            f"/initiatives/{other}/join",
        ]
    for name in ROLES:
        client = browser(web_settings, name)
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 404), (name, path, response.status_code)
            text = response.text
            for secret in (
                *SUPPORTERS,
                "Oosterhuis",
                flow["owner_url"],
                "supporter_hash",
                "owner_hash",
            ):
                assert secret not in text, (name, path, secret)
            if EMAIL in text:  # the proposer's e-mail: only for moderators, audited
                assert name in IN_SCOPE and path.endswith(iid), (name, path)
    reads = audit_store.audit_rows(store, record_type="initiative", record_id=iid)
    assert {r["actor"] for r in reads} >= {"welzijn", "admin"}
    # the owner sees the first names of the supporters; a supporter sees only themselves
    owner_page = flow["owner"].get(flow["owner_url"]).text
    assert all(name in owner_page for name in SUPPORTERS)
    supporter_page = flow["neighbour"].get(flow["support_urls"][0]).text
    assert SUPPORTERS[0] in supporter_page and SUPPORTERS[1] not in supporter_page


def test_one_join_per_neighbour_and_withdrawing(
    web_settings: Settings, flow: dict[str, Any]
) -> None:
    iid = flow["id"]
    # the join page shows no form any more; a crafted POST (token from another form) is refused
    assert "U doet al mee" in flow["neighbour"].get(f"/initiatives/{iid}/join").text
    again = post_form(
        flow["neighbour"],
        "/initiatives/new",
        f"/initiatives/{iid}/join",
        {"first_name": "Nog eens"},
    )
    assert again.status_code == 409 and "U doet al mee" in again.text
    own = post_form(
        flow["owner"], "/initiatives/new", f"/initiatives/{iid}/join", {"first_name": "Wieteke"}
    )
    assert own.status_code == 409 and "uw eigen initiatief" in own.text
    url = flow["support_urls"][-1]
    client = browser(web_settings)
    withdrawn = post_form(client, url, f"{url}/withdraw", {})
    assert withdrawn.status_code == 303
    assert client.get("/api" + url).json()["supporter"]["withdrawn_at"] is not None
    public = client.get(f"/api/initiatives/{iid}").json()["initiative"]
    assert (public["supporters"], public["status"]) == (2, "active")
    assert client.get("/initiatives/support/no-such-link").status_code == 404
    assert client.get("/api/initiatives/mine/no-such-link").status_code == 404


def test_bad_input_gives_clear_errors(web_settings: Settings) -> None:
    client = browser(web_settings)
    response = post_form(
        client,
        "/initiatives/new",
        "/initiatives",
        {
            "title": "",
            "description": "kort",
            "first_name": "",
            "postcode": "12",
            "house_number": "",
            "level": "block",
            "email": "nee",
        },
    )
    assert response.status_code == 400
    for dutch in (
        "Vul dit in.",
        "Schrijf minstens 10 tekens.",
        "Schrijf een postcode zoals",
        "Schrijf een huisnummer",
        "Dit is geen e-mailadres",
    ):
        assert dutch in response.text
    api = client.post(
        "/api/initiatives",
        json={
            "title": "Bankjes",
            "description": "Twee bankjes bij de ingang",
            "first_name": "Kees",
            "postcode": "9999ZZ",
            "house_number": "1",
        },
    )
    assert api.status_code == 400 and list(api.json()["errors"]) == ["postcode"]
    refused = client.post("/initiatives", data={"title": "x"})
    assert refused.status_code == 403  # no CSRF token
    admin = browser(web_settings, "admin")
    wrong = post_form(
        admin,
        "/initiatives/budgets",
        "/initiatives/budgets",
        {"name": "Budget", "area_code": "WK000000", "year": "2030", "amount": "10"},
    )
    assert wrong.status_code == 400 and "Er is geen buurt, wijk of gemeente" in wrong.text
    analyst = browser(web_settings, "analist")
    denied = post_form(
        analyst,
        "/initiatives/budgets",
        "/initiatives/budgets",
        {"name": "Budget", "area_code": "WK999902", "year": "2030", "amount": "10"},
    )
    assert denied.status_code == 403 and "beheerders" in denied.text


def test_matching_is_for_professionals(web_settings: Settings, store: Store) -> None:
    where = home(store)
    query = (
        f"/match?text=fiets+repareren&postcode={where['postcode']}"
        f"&house_number={where['house_number']}"
    )
    assert browser(web_settings).get(query, follow_redirects=False).status_code == 303
    assert browser(web_settings, "analist").get(query).status_code == 403
    welzijn = browser(web_settings, "welzijn")
    page = welzijn.get(query)
    assert page.status_code == 200 and "Zoek aanbod in de buurt" in page.text
    data = welzijn.get("/api" + query).json()
    assert data["count"] > 0
    ranks = [MatchLevel[i["level"].upper()] for i in data["items"]]
    assert ranks == sorted(ranks)
    assert all(i["kind"] not in ("story", "active_resident") for i in data["items"])
    bad = welzijn.get("/match?text=x&postcode=9999ZZ&house_number=1")
    assert bad.status_code == 400 and "9999ZZ" in bad.text
    with store.engine.connect() as conn:
        signal_id = conn.execute(
            select(t.signals.c.signal_id)
            .where(
                t.signals.c.category == "idee_aanbod",
                t.signals.c.district_code == "WK999901",
            )
            .limit(1)
        ).scalar()
        other_id = conn.execute(
            select(t.signals.c.signal_id)
            .where(
                t.signals.c.category == "overlast_afval",
                t.signals.c.district_code == "WK999901",
            )
            .limit(1)
        ).scalar()
    assert signal_id and other_id
    assert f"/signals/{signal_id}/match" in welzijn.get(f"/signals/{signal_id}").text
    matched = welzijn.get(f"/api/signals/{signal_id}/match").json()
    assert matched["signal_id"] == signal_id and matched["need"] is not None
    assert welzijn.get(f"/signals/{signal_id}/match").status_code == 200
    assert welzijn.get(f"/api/signals/{other_id}/match").status_code == 400


def test_hsds_download_for_professionals(web_settings: Settings, store: Store) -> None:
    assert (
        browser(web_settings)
        .get("/initiatives/export/hsds.json", follow_redirects=False)
        .status_code
        == 303
    )
    gebied = browser(web_settings, "gebied")
    assert "/initiatives/export/hsds.zip" in gebied.get("/initiatives").text
    docs = gebied.get("/initiatives/export/hsds.json").json()
    assert docs and all(
        {"id", "name", "description", "services", "locations"} <= set(d) for d in docs
    )
    archive = zipfile.ZipFile(io.BytesIO(gebied.get("/initiatives/export/hsds.zip").content))
    assert "datapackage.json" in archive.namelist()
    assert json.loads(archive.read("datapackage.json"))["resources"][0]["path"] == (
        "organizations.csv"
    )
    assert hsds.validate_export(hsds.export_hsds(store)) == []
    exports = audit_store.audit_rows(store, record_type="hsds")
    assert [r["actor"] for r in exports][-2:] == ["gebied", "gebied"]


def test_initiatives_here_for_the_unit_pages(web_settings: Settings, store: Store) -> None:
    active = db.read_initiative(store, "I-DEMO0001")
    pending = db.read_initiative(store, "I-DEMO0003")
    assert active is not None and pending is not None
    here = initiatives_here(store, level="block", key=active["unit_key"], onlooker=PUBLIC_ONLOOKER)
    assert [i["initiative_id"] for i in here["items"]] == ["I-DEMO0001"]
    assert here["items"][0]["supporters"] >= 3
    assert (
        initiatives_here(store, level="block", key=pending["unit_key"], onlooker=PUBLIC_ONLOOKER)[
            "count"
        ]
        == 0
    )
    west = Onlooker(viewer=Viewer(role="professional", scope=frozenset({"WK999901"})))
    assert (
        initiatives_here(store, level="block", key=pending["unit_key"], onlooker=west)["count"] == 1
    )
    street = initiatives_here(
        store, level="street", key=active["street_key"], onlooker=PUBLIC_ONLOOKER
    )
    assert "I-DEMO0001" in [i["initiative_id"] for i in street["items"]]
    district = initiatives_here(store, level="district", key="WK999901", onlooker=PUBLIC_ONLOOKER)
    assert {"I-DEMO0001", "I-DEMO0002"} <= {i["initiative_id"] for i in district["items"]}
    app = create_app(web_settings)
    html = app.state.templates.env.get_template("_initiatives_here.html").render(
        initiatives_here=here
    )
    assert "Initiatieven van bewoners" in html and "Groene portiek" in html


def test_professionals_support_and_close_owner_api(
    web_settings: Settings, flow: dict[str, Any]
) -> None:
    iid = flow["id"]
    gebied = browser(web_settings, "gebied")
    offered = post_form(
        gebied,
        f"/initiatives/{iid}",
        f"/initiatives/{iid}/support",
        {"text": "De gemeente betaalt de verf."},
    )
    assert offered.status_code == 303
    east = browser(web_settings, "welzijn-oost")
    refused = post_form(
        east, "/initiatives/new", f"/initiatives/{iid}/support", {"text": "Wij ook"}
    )
    assert refused.status_code == 403 and "in dit gebied" in refused.text
    owner_api = "/api" + flow["owner_url"]
    news = flow["owner"].post(f"{owner_api}/update", json={"text": "Bankjes staan er!"})
    assert news.status_code == 200 and news.json()["updates"][-1]["text"] == "Bankjes staan er!"
    wrong = flow["owner"].post(
        f"{owner_api}/budget",
        json={"budget_id": "nope", "amount": "5", "purpose": "Nog wat verf kopen"},
    )
    assert wrong.status_code == 400 and list(wrong.json()["errors"]) == ["budget_id"]
    closed = post_form(
        browser(web_settings, "welzijn"),
        f"/initiatives/{iid}",
        f"/initiatives/{iid}/status",
        {"to_status": "done", "note": "Gelukt!"},
    )
    assert closed.status_code == 303
    public = browser(web_settings)
    data = public.get(f"/api/initiatives/{iid}").json()
    assert data["initiative"]["status"] == "done" and not data["open"]
    updates = [(u["kind"], u["by"], u["text"]) for u in data["updates"]]
    assert ("support", "Gemeente Demostad", "De gemeente betaalt de verf.") in updates
    assert ("update", None, "Gelukt!") in updates  # a professional's name is not public
    assert "afgesloten" in public.get(f"/initiatives/{iid}/join").text
