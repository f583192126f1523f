"""Demostad's initiatives: one active (four neighbours joined, news, support from the gemeente
and a granted budget request), one proposed with one neighbour, one waiting for approval.

Runs after the build and the demo accounts (it uses the unit keys and the organisations). Ids,
texts and places are the same every time; dates are relative to ``now``. Everything goes through
the same functions as the web pages, so the demo also exercises the rules.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community import budgets, initiatives
from veerkracht.community.audience import PUBLIC_ONLOOKER, can_see
from veerkracht.settings import Settings
from veerkracht.storage import Store
from veerkracht.storage import initiatives as db

#: (id, owner, level, title, description, needs, supporters, approved)
DEMO_INITIATIVES: tuple[tuple[str, str, str, str, str, str, tuple[str, ...], bool], ...] = (
    (
        "I-DEMO0001",
        "Ayse",
        "block",
        "Groene portiek",
        "Plantenbakken bij de ingangen van ons blok, die we samen onderhouden. Zo maken we "
        "de portiek vriendelijker en leren we elkaar kennen.",
        "Plantenbakken, aarde, een paar handen op zaterdag.",
        ("Fatima", "Henk", "Joyce", "Mo"),
        True,
    ),
    (
        "I-DEMO0002",
        "Kees",
        "street",
        "Koffieochtend in de straat",
        "Eén keer per maand koffie op de stoep, zodat nieuwe buren de straat leren kennen.",
        "Een kraam of tafel, koffie en thee.",
        ("Anna",),
        True,
    ),
    (
        "I-DEMO0003",
        "Noor",
        "block",
        "Buurtbieb in een kastje",
        "Een kastje met boeken bij de binnenplaats: neem er een, zet er een terug.",
        "Een oud kastje en een likje verf.",
        (),
        False,
    ),
)
BUDGET_AMOUNT = 5000
REQUEST = (750, "Plantenbakken, aarde en zaaigoed voor de drie ingangen van het blok.")
GRANT_REASON = "Past bij het doel van het buurtbudget: samen de buurt groener en veiliger maken."


def create_demo_initiatives(
    store: Store, settings: Settings, *, now: datetime | None = None
) -> dict[str, int]:
    """Add Demostad's initiatives and its neighbourhood budget (once); counts of what was added."""
    when = now or datetime.now().replace(microsecond=0)
    if db.read_initiative(store, DEMO_INITIATIVES[0][0]) is not None:
        return {"initiatives": 0}
    places = _places(store)
    if len(places) < len(DEMO_INITIATIVES):
        return {"initiatives": 0}
    secret = settings.secret_key
    district = places[0]["district_code"]
    moderator = Viewer(role="professional", scope=frozenset({district}), name="welzijn")
    start = when - timedelta(days=40)
    for n, (spec, place) in enumerate(zip(DEMO_INITIATIVES, places, strict=False)):
        _one(store, spec, place, secret=secret, moderator=moderator, at=start + timedelta(days=n))
    _news(store, secret, start)
    budget = budgets.create_budget(
        store,
        name=f"Buurtbudget {district} {when.year}",
        area_code=district,
        year=when.year,
        amount=BUDGET_AMOUNT,
        viewer=Viewer(role="admin", name="admin"),
    )
    owner = demo_owner_token(secret, DEMO_INITIATIVES[0][0])
    request_id = budgets.request_budget(
        store,
        owner,
        budget_id=budget["budget_id"],
        amount=REQUEST[0],
        purpose=REQUEST[1],
        now=start + timedelta(days=20),
    )
    budgets.decide(
        store,
        request_id,
        decision="granted",
        amount_granted=None,
        reason=GRANT_REASON,
        viewer=Viewer(role="admin", name="admin"),
        now=start + timedelta(days=27),
    )
    return {"initiatives": len(DEMO_INITIATIVES), "budgets": 1, "requests": 1}


def demo_owner_token(secret: str, initiative_id: str) -> str:
    """The owner's personal link token of a demo initiative (to try the owner's page)."""
    return initiatives.link_token(secret, "owner", f"demo-owner-{initiative_id}")


def _one(
    store: Store,
    spec: tuple[str, str, str, str, str, str, tuple[str, ...], bool],
    place: dict[str, Any],
    *,
    secret: str,
    moderator: Viewer,
    at: datetime,
) -> None:
    initiative_id, owner, level, title, description, needs, supporters, approved = spec
    proposal = initiatives.Proposal(
        title=title,
        description=description,
        needs=needs,
        first_name=owner,
        postcode=place["postcode"],
        house_number=str(place["house_number"]),
        level=level,
        submission_key=f"demo-owner-{initiative_id}",
    )
    initiatives.propose(store, proposal, secret=secret, now=at, initiative_id=initiative_id)
    if not approved:
        return
    initiatives.moderate(
        store, initiative_id, approve=True, viewer=moderator, note=None, now=at + timedelta(days=1)
    )
    for k, name in enumerate(supporters):
        initiatives.join(
            store,
            initiative_id,
            first_name=name,
            submission_key=f"demo-support-{initiative_id}-{k}",
            secret=secret,
            now=at + timedelta(days=2 + k),
        )


def _news(store: Store, secret: str, start: datetime) -> None:
    """News, an offer of support and a linked place for the active initiative."""
    from veerkracht.storage.assets import read_assets

    initiative_id = DEMO_INITIATIVES[0][0]
    token = demo_owner_token(secret, initiative_id)
    initiatives.post_update(
        store,
        token,
        "De eerste plantenbakken staan er! Zaterdag om 10 uur "
        "planten we samen; neem een schepje mee.",
        now=start + timedelta(days=9),
    )
    row = db.read_initiative(store, initiative_id)
    assert row is not None
    initiatives.offer_support(
        store,
        initiative_id,
        viewer=Viewer(role="professional", scope=frozenset({"GM9999"}), name="gebied"),
        organisation_id="gemeente",
        text="De gemeente levert aarde en helpt met de vergunning voor de bakken.",
        now=start + timedelta(days=10),
    )
    places = read_assets(store, neighbourhood_code=row["neighbourhood_code"], kinds=["place"])
    for asset in places.to_dict("records"):
        if can_see(
            PUBLIC_ONLOOKER,
            audience=asset.get("visibility"),
            status=asset.get("status"),
            block_key=asset.get("block_key"),
            neighbourhood_code=asset.get("neighbourhood_code"),
        ):
            initiatives.link_asset(
                store, token, str(asset["asset_id"]), now=start + timedelta(days=11)
            )
            break


def _places(store: Store) -> list[dict[str, Any]]:
    """Three addresses in the first wijk: two blocks, and another street for the street one."""
    from veerkracht.storage.units import read_dwellings_of

    code = _first_district(store)
    if code is None:
        return []
    frame = read_dwellings_of(store, "district_code", code)
    frame = frame[frame["postcode"].notna() & frame["house_number"].notna()]
    chosen: list[dict[str, Any]] = []
    seen_blocks: set[str] = set()
    seen_streets: set[str] = set()
    for row in frame.to_dict("records"):
        keys = db.find_dwelling_places(
            store, str(row["postcode"]).replace(" ", "").upper(), int(row["house_number"])
        )
        if not keys or not keys[0]["block_key"]:
            continue
        block, street = keys[0]["block_key"], keys[0]["street_key"]
        if block in seen_blocks or street in seen_streets:
            continue
        seen_blocks.add(block)
        seen_streets.add(street)
        chosen.append({**row, "district_code": code})
        if len(chosen) == len(DEMO_INITIATIVES):
            break
    return chosen


def _first_district(store: Store) -> str | None:
    from veerkracht.storage.units import read_units

    frame = read_units(store, "district", with_geometry=False)
    return None if frame.empty else str(sorted(frame["key"])[0])
