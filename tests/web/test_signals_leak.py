# ruff: noqa: F811  (fixtures imported from tests.signals are redefined as parameters)
"""A resident reports noise and a worry without an account; walking every role against every
signal endpoint and page finds the worry only where the routed team looks, and its reads are
audited."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.signals.web import PASSWORDS, log_in, new_client, signals_web_settings, submit_form  # noqa: F401
from veerkracht.settings import Settings
from veerkracht.storage import open_store
from veerkracht.storage.audit import audit_rows

SIGNAL_PREFIXES = (
    "/signals",
    "/api/signals",
    "/api/worklist",
    "/worklist",
    "/open311",
    "/api/addresses",
    "/api/signal-categories",
    "/api/me",
    "/login",
)
ROLES = [
    "public",
    "resident-noise",
    "resident-worry",
    "welzijn",
    "welzijn-oost",
    "beheer",
    "wijkagent",
    "gebied",
    "analist",
    "admin",
]


@pytest.fixture(scope="module")
def reported(signals_web_settings: Settings) -> dict[str, str]:  # noqa: F811
    secret = f"GEHEIM-{uuid.uuid4().hex[:8]}"
    with new_client(signals_web_settings) as resident:
        noise = submit_form(
            resident,
            category="overlast_geluid",
            description="Harde muziek tot 3 uur 's nachts",
            address="Kersenboomstraat 5",
        )
        worry = submit_form(
            resident,
            category="zorg_om_buur",
            description=f"Mijn buurvrouw lijkt verward en eet slecht {secret}",
            address="Kersenboomstraat 7",
            contact_email="melder@example.org",
        )
        worry_page = resident.get(worry).text
        noise_json = resident.get("/api" + noise).json()
        worry_json = resident.get("/api" + worry).json()
    assert secret not in worry_page and "Veilig Thuis" not in worry_page
    return {
        "secret": secret,
        "noise_path": noise,
        "worry_path": worry,
        "noise_id": noise_json["signal"]["signal_id"],
        "worry_id": worry_json["signal"]["signal_id"],
    }


def _get_routes(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Every GET path of the signal routers, from the app's own OpenAPI schema."""
    paths = app.openapi()["paths"]
    return sorted(p for p, ops in paths.items() if "get" in ops and p.startswith(SIGNAL_PREFIXES))


def _urls(path: str, facts: dict[str, str]) -> list[str]:
    values = {
        "signal_id": [facts["worry_id"], facts["noise_id"]],
        "token": [facts["worry_path"].rsplit("/", 1)[1], facts["noise_path"].rsplit("/", 1)[1]],
        "code": ["zorg_om_buur", "overlast_geluid"],
        "request_id": [facts["worry_id"], facts["noise_id"]],
        "fmt": ["json", "xml"],
    }
    urls = [path]
    for name in re.findall(r"{(\w+)}", path):
        urls = [u.replace("{" + name + "}", v) for u in urls for v in values[name]]
    query = {
        "/api/addresses": "?q=Kersenboomstraat 7",
        "/api/signals/nearby": "?category=zorg_om_buur&dwelling_id=x",
        "/api/worklist": "?closed=1&format=json",
    }
    extra = (
        [
            "/api/worklist?format=geojson&closed=1",
            "/worklist?closed=1",
            "/open311/v2/requests.json?service_code=zorg_om_buur",
        ]
        if path == "/api/worklist"
        else []
    )
    return [u + query.get(path, "") for u in urls] + extra


@pytest.mark.parametrize("role", ROLES)
def test_no_role_but_the_routed_team_sees_the_worry(
    role: str,
    reported: dict[str, str],
    signals_web_settings: Settings,  # noqa: F811
) -> None:
    with new_client(signals_web_settings) as client:
        if role in PASSWORDS:
            log_in(client, role)
        routes = _get_routes(client.app)
        assert "/signals/{signal_id}" in routes and "/open311/v2/requests.{fmt}" in routes
        seen_by_team = []
        for path in routes:
            for url in _urls(path, reported):
                response = client.get(url, follow_redirects=False)
                body = response.text
                assert response.status_code < 500, url
                leaked = reported["secret"] in body
                if role == "welzijn":
                    seen_by_team.append(leaked)
                    continue
                assert not leaked, f"{role} sees the worry's text at {url}"
                mentions_id = reported["worry_id"] in body
                own_link = (
                    role == "resident-worry"
                    or url.startswith(reported["worry_path"])
                    or (url.startswith("/api" + reported["worry_path"]))
                )
                assert not mentions_id or own_link, f"{role} learns the worry exists at {url}"
        if role == "welzijn":
            assert any(seen_by_team)
        # and every POST on the worry: refused for all but the team, never echoing the text
        csrf = client.get("/api/me").json().get("csrf_token", "")
        form = client.post(
            f"/signals/{reported['worry_id']}/changes",
            data={"action": "note", "note": "probe", "csrf_token": csrf},
            follow_redirects=False,
        )
        api = client.post(
            f"/api/signals/{reported['worry_id']}/changes",
            json={"action": "note", "note": "probe"},
            headers={"X-CSRF-Token": csrf},
            follow_redirects=False,
        )
        for response in (form, api):
            assert reported["secret"] not in response.text or role == "welzijn"
            assert (response.status_code < 400) == (role == "welzijn"), (role, response.status_code)


def test_the_routed_team_reads_the_worry_and_the_read_is_audited(
    reported: dict[str, str],
    signals_web_settings: Settings,  # noqa: F811
) -> None:
    store = open_store(signals_web_settings.store_url)
    try:
        before = len(audit_rows(store, record_type="signal", record_id=reported["worry_id"]))
        with new_client(signals_web_settings) as client:
            log_in(client, "welzijn")
            page = client.get(f"/signals/{reported['worry_id']}")
            assert page.status_code == 200 and reported["secret"] in page.text
            assert "Eerste stap: persoonlijk contact" in page.text
            assert "melder@example.org" in page.text  # the routed team sees the contact details
        rows = audit_rows(store, record_type="signal", record_id=reported["worry_id"])
        assert len(rows) == before + 1
        assert (rows[-1]["actor"], rows[-1]["action"]) == ("welzijn", "read")
    finally:
        store.dispose()


def test_resident_text_is_escaped(signals_web_settings: Settings) -> None:  # noqa: F811
    with new_client(signals_web_settings) as client:
        follow = submit_form(
            client,
            category="overlast_afval",
            description='Afval & "rommel" bij 5 > 3',
            address="Kersenboomstraat 9",
        )
        html = client.get(follow).text
    assert "Afval &amp; &#34;rommel&#34; bij 5 &gt; 3" in html
