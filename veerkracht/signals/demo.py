"""Demostad's people, teams and routing rules; demo passwords are fixed and printed (a demo).

Call ``create_demo_accounts(store)`` after the Demostad build: it also places and routes the
generated signals, so professionals find them in their worklists.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from veerkracht.domain.accounts import Account, Role
from veerkracht.signals.accounts import add_account
from veerkracht.signals.routing import route
from veerkracht.storage import Store
from veerkracht.storage import accounts as account_store
from veerkracht.storage import signals as signal_store

ORGANISATIONS = {
    "gemeente": "Gemeente Demostad",
    "welzijn": "Welzijn Demostad",
    "woonstad": "Woonstad (woningcorporatie)",
    "politie": "Politie, basisteam Demostad",
}

TEAMS = {  # team id: (name, organisation)
    "wijkteam-west": ("Wijkteam West", "welzijn"),
    "wijkteam-oost": ("Wijkteam Oost", "welzijn"),
    "woonstad-beheer": ("Sociaal beheer Woonstad", "woonstad"),
    "politie-wijk": ("Wijkagenten", "politie"),
    "gebiedsteam": ("Gebiedsteam gemeente", "gemeente"),
}

#: First match wins. Worries about a person go to the wijkteam of their wijk; noise at night
#: to the wijkagent; other nuisance and tensions to the corporation; the rest to the gemeente.
ROUTING_RULES: list[dict[str, Any]] = [
    {"category": "zorg_om_buur", "area_code": "WK999901", "team_id": "wijkteam-west"},
    {"category": "zorg_om_buur", "team_id": "wijkteam-oost"},
    {"category": "overlast_geluid", "from_hour": 23, "to_hour": 7, "team_id": "politie-wijk"},
    {"category": "onveilig", "team_id": "politie-wijk"},
    {"category": "overlast", "team_id": "woonstad-beheer"},
    {"category": "spanningen", "team_id": "woonstad-beheer"},
    {"team_id": "gebiedsteam"},
]

#: (username, password, role, display name, team, organisation, profession, scope)
DEMO_ACCOUNTS = [
    ("admin", "demo-admin-2024", Role.ADMIN, "Beheerder", None, "gemeente", None, ""),
    (
        "welzijn",
        "demo-welzijn-2024",
        Role.PROFESSIONAL,
        "Sanne (welzijnswerker)",
        "wijkteam-west",
        "welzijn",
        "welzijnswerker",
        "WK999901",
    ),
    (
        "welzijn-oost",
        "demo-welzijn-2024",
        Role.PROFESSIONAL,
        "Karim (welzijnswerker)",
        "wijkteam-oost",
        "welzijn",
        "welzijnswerker",
        "WK999902,WK999903,WK999904",
    ),
    (
        "beheer",
        "demo-beheer-2024",
        Role.PROFESSIONAL,
        "Petra (sociaal beheerder)",
        "woonstad-beheer",
        "woonstad",
        "sociaal beheerder",
        "GM9999",
    ),
    (
        "wijkagent",
        "demo-agent-2024",
        Role.PROFESSIONAL,
        "Ahmed (wijkagent)",
        "politie-wijk",
        "politie",
        "wijkagent",
        "GM9999",
    ),
    (
        "gebied",
        "demo-gebied-2024",
        Role.PROFESSIONAL,
        "Lotte (gebiedsmakelaar)",
        "gebiedsteam",
        "gemeente",
        "gebiedsmakelaar",
        "GM9999",
    ),
    (
        "analist",
        "demo-analist-2024",
        Role.ANALYST,
        "Bram (analist)",
        None,
        "gemeente",
        None,
        "GM9999",
    ),
]


def create_demo_accounts(
    store: Store, *, now: datetime | None = None
) -> list[tuple[str, str, str]]:
    """Create Demostad's organisations, teams, accounts and routing; (username, password, role).

    Safe to call again: existing accounts are kept. Unrouted signals are placed and routed.
    """
    moment = now or datetime.now().replace(microsecond=0)
    for organisation_id, name in ORGANISATIONS.items():
        account_store.write_organisation(store, organisation_id, name)
    for team_id, (name, organisation_id) in TEAMS.items():
        account_store.write_team(store, team_id, name, organisation_id=organisation_id)
    account_store.write_routing_rules(store, ROUTING_RULES)
    logins = []
    for username, password, role, name, team, organisation, profession, scope in DEMO_ACCOUNTS:
        if account_store.read_account(store, username) is None:
            add_account(
                store,
                Account(
                    username=username,
                    role=role,
                    display_name=name,
                    team_id=team,
                    organisation_id=organisation,
                    profession=profession,
                    scope=frozenset(c for c in scope.split(",") if c),
                ),
                password,
                now=moment,
            )
        logins.append((username, password, role.value))
    route_unrouted_signals(store, now=moment)
    return logins


def route_unrouted_signals(store: Store, *, now: datetime) -> int:
    """Place (buurt, address) and route imported or generated signals that have no team yet."""
    rules = account_store.read_routing_rules(store)
    todo = [
        signal
        for signal in signal_store.read_signals(store, limit=10_000_000)
        if not (signal.get("team_id") or signal.get("source"))
    ]
    located_all = signal_store.locate_points(store, [s["x"] for s in todo], [s["y"] for s in todo])
    placed = []
    for signal, located in zip(todo, located_all, strict=True):
        if located is None:
            continue
        codes = {
            located[k]
            for k in ("neighbourhood_code", "district_code", "municipality_code")
            if located.get(k)
        }
        team_id, assignee = route(
            rules, category=signal["category"], area_codes=codes, hour=signal["created_at"].hour
        )
        nearest = located["dwelling"] or {}
        placed.append(
            (
                signal["signal_id"],
                {
                    "neighbourhood_code": located["neighbourhood_code"],
                    "district_code": located["district_code"],
                    "municipality_code": located["municipality_code"],
                    "dwelling_id": nearest.get("dwelling_id"),
                    "block_key": nearest.get("block_key"),
                    "street_key": nearest.get("street_key"),
                    "team_id": team_id,
                    "assignee": assignee,
                },
            )
        )
    signal_store.place_signals(store, placed, now=now)
    return len(placed)
