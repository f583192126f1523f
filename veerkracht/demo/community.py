"""Demostad's community: first names, opening hours and units for the generated assets, and a
few residents' offers (approved, pending, for the block only), a story and one stale item.

Runs after the build (items need their block and street keys) and recomputes the asset
indicators. The same seed gives the same items; dates are relative to ``now`` (by default
midnight today, so the store of one day is the same for the same seed).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np

from veerkracht.community.audience import Audience, ItemStatus
from veerkracht.community.rules import ASSET_INDICATORS
from veerkracht.community.views import records
from veerkracht.domain.assets import AssetKind
from veerkracht.indicators.refresh import refresh_indicators
from veerkracht.settings import Settings
from veerkracht.storage import Store
from veerkracht.storage import assets as asset_store
from veerkracht.storage import sources as source_store

FIRST_NAMES = (
    "Anna", "Fatima", "Johan", "Mehmet", "Sanne", "Kees", "Yasmina", "Dirk", "Ayoub", "Ingrid",
    "Priya", "Bram", "Noura", "Henk", "Mila", "Stefan", "Esra", "Wim", "Lotte", "Kofi",
)  # fmt: skip

#: (title, description) of residents' offers.
OFFERS = (
    ("Ik repareer fietsen", "Lekke band of losse ketting? Kom langs, ik help graag."),
    ("Boodschappen doen", "Ik doe boodschappen voor buren die slecht ter been zijn."),
    ("Koffie met een buur", "Ik drink graag koffie met een buur die wat aanspraak zoekt."),
    ("Hulp met formulieren", "Ik help bij brieven en formulieren van de gemeente."),
    ("Oppassen op de kat", "Op vakantie? Ik zorg voor uw kat of planten."),
    ("Samen wandelen", "Elke ochtend een rondje door de buurt, loop gerust mee."),
    ("Nederlands oefenen", "Ik oefen graag Nederlands met nieuwe buren."),
    ("Klusjes in huis", "Een lamp ophangen of een kastje in elkaar zetten: ik help."),
)
ACTIVE_TASKS = (
    "Houdt de portiek schoon en spreekt nieuwe buren aan.",
    "Organiseert de koffieochtend in het buurthuis.",
    "Let op oudere buren en belt als er iets is.",
    "Regelt de binnentuin samen met de bewonerscommissie.",
)
OPENING_HOURS = {
    AssetKind.INSTITUTION.value: "ma-vr 9:00-17:00, wo-avond 19:00-21:00",
    AssetKind.ECONOMY.value: "ma-za 8:00-20:00",
}


def add_demo_community(
    store: Store, settings: Settings, *, seed: int, now: datetime | None = None
) -> dict[str, int]:
    """Fill in Demostad's assets and add residents' items; returns counts per status."""
    # midnight today: two runs on one day give the same store; dates stay recent for the prompts
    when = now or datetime.combine(date.today(), time())
    rng = np.random.default_rng(seed + 7007)
    asset_store.place_assets(store)
    rows = records(asset_store.read_assets(store))
    demo = [r for r in rows if r.get("origin") == "demo" and r.get("block_key")]
    changed = [_enrich(row, rng, when) for row in demo]
    stale = next((c for c in changed if c["kind"] == AssetKind.PLACE.value), None)
    if stale is not None:
        stale["confirmed_at"] = when - timedelta(days=600)
        stale["name"] = "Bankje bij de vijver"
    added = _offers(store, rng, when)
    asset_store.save_assets(store, changed=changed, added=added)
    refresh_indicators(store, settings, ASSET_INDICATORS)
    statuses = [str(a["status"]) for a in added] + [ItemStatus.APPROVED.value] * len(changed)
    return {s: statuses.count(s) for s in sorted(set(statuses))}


def _enrich(row: dict[str, Any], rng: np.random.Generator, now: datetime) -> dict[str, Any]:
    """A generated asset with status, dates and, for some, a first name or opening hours."""
    days = int(rng.integers(10, 200))
    out: dict[str, Any] = {
        "asset_id": row["asset_id"],
        "kind": row["kind"],
        "name": row["name"],
        "status": ItemStatus.APPROVED.value,
        "created_at": now - timedelta(days=days + 30),
        "confirmed_at": now - timedelta(days=days),
        "consent_at": now - timedelta(days=days + 30),
    }
    if row["kind"] in OPENING_HOURS:
        out["opening_hours"] = OPENING_HOURS[row["kind"]]
    if row["kind"] == AssetKind.ACTIVE_RESIDENT.value:
        out["first_name"] = str(rng.choice(FIRST_NAMES))
        out["description"] = str(rng.choice(ACTIVE_TASKS))
    if row["name"] == "Gedeelde binnentuin":
        out["visibility"] = Audience.BLOCK.value  # for the block's residents only
    return out


def _offers(store: Store, rng: np.random.Generator, now: datetime) -> list[dict[str, Any]]:
    """Residents' offers at random addresses: approved (public and block), pending, a story."""
    dwellings = source_store.read_frame(store, "dwellings")
    dwellings = dwellings[dwellings["block_key"].notna()].sort_values("dwelling_id")
    plan = (
        [(AssetKind.GIFT, ItemStatus.APPROVED, Audience.PUBLIC)] * 8
        + [(AssetKind.GIFT, ItemStatus.APPROVED, Audience.BLOCK)] * 4
        + [(AssetKind.GIFT, ItemStatus.PENDING, Audience.PUBLIC)] * 3
        + [(AssetKind.STORY, ItemStatus.APPROVED, Audience.PUBLIC)]
    )
    picks = rng.choice(len(dwellings), size=len(plan), replace=False)
    out = []
    for n, ((kind, status, audience), pick) in enumerate(zip(plan, picks, strict=True), 1):
        home = dwellings.iloc[int(pick)]
        title, text = OFFERS[n % len(OFFERS)]
        if kind is AssetKind.STORY:
            title, text = "Het straatfeest van 1998", "Toen de hele straat samen at op de stoep."
        days = int(rng.integers(1, 60))
        out.append(
            {
                "asset_id": f"D-{n:04d}",
                "kind": kind.value,
                "name": title,
                "description": text,
                "visibility": audience.value,
                "x": float(home.geometry.x),
                "y": float(home.geometry.y),
                "origin": "demo",
                "source_name": "demostad",
                "status": status.value,
                "first_name": str(rng.choice(FIRST_NAMES)),
                "dwelling_id": str(home["dwelling_id"]),
                "level": "block",
                "unit_key": str(home["block_key"]),
                "entrance_key": _text(home["entrance_key"]),
                "block_key": str(home["block_key"]),
                "street_key": _text(home["street_key"]),
                "neighbourhood_code": _text(home["neighbourhood_code"]),
                "consent_at": now - timedelta(days=days),
                "created_at": now - timedelta(days=days),
                "updated_at": now - timedelta(days=days),
                "confirmed_at": now - timedelta(days=days)
                if status is ItemStatus.APPROVED
                else None,
            }
        )
    return out


def _text(value: Any) -> str | None:
    return None if value is None or value != value else str(value)
