"""Assets of a neighbourhood: add (residents without an account, professionals on behalf),
moderate, confirm, retire and withdraw. Every change goes through ``change_asset``.

A resident's item starts pending and becomes public only after a professional approved it; the
resident gets a personal link (only its hash is stored) to see, confirm or withdraw it.
Withdrawal wipes the personal text and the address link: the item disappears everywhere. After
every change of what counts, the asset indicators are recomputed (``refresh_indicators``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community.audience import PROFESSIONAL_ROLES, ItemStatus, in_scope
from veerkracht.community.intake import AssetIntake, check_intake
from veerkracht.community.rules import (
    ASSET_INDICATORS,
    ActorKind,
    AssetAction,
    AssetNotAllowed,
    check_transition,
    counts,
    status_of,
)
from veerkracht.errors import NotFound
from veerkracht.indicators.refresh import refresh_indicators
from veerkracht.settings import Settings
from veerkracht.signals.tokens import new_token, token_hash
from veerkracht.storage import Store
from veerkracht.storage import assets as asset_store


@dataclass(frozen=True)
class Actor:
    """Who changes an item: the resident (through the link) or a professional (or the CLI).

    ``viewer`` holds a professional's scope; None means everywhere (the command line).
    """

    kind: ActorKind
    name: str
    viewer: Viewer | None = None


RESIDENT = Actor(ActorKind.RESIDENT, "resident")


def professional(viewer: Viewer) -> Actor:
    """The actor for a logged-in professional or administrator; AssetNotAllowed otherwise."""
    if viewer.role not in PROFESSIONAL_ROLES:
        raise AssetNotAllowed(f'role "{viewer.role}" may not add or moderate items')
    return Actor(ActorKind.PROFESSIONAL, viewer.name or viewer.role, viewer)


def command_line(name: str = "cli") -> Actor:
    """The actor of the command line: a professional without a scope limit."""
    return Actor(ActorKind.PROFESSIONAL, name, None)


@dataclass(frozen=True)
class Receipt:
    """What the submitter gets back once: the item's id and the personal link token."""

    asset_id: str
    token: str | None  # None when this was a retry of a stored submission
    status: str
    created: bool


def submit_asset(store: Store, intake: AssetIntake, *, now: datetime) -> Receipt:
    """Store a resident's item as pending (no account); AssetRejected lists every wrong field."""
    fields, place = check_intake(store, intake)
    return _insert(store, fields, place, status=ItemStatus.PENDING, origin="resident", now=now)


def add_on_behalf(
    store: Store, intake: AssetIntake, *, by: Actor, now: datetime, settings: Settings
) -> Receipt:
    """A professional adds an item for a resident: approved at once, with a link to hand over."""
    if by.kind is not ActorKind.PROFESSIONAL:
        raise AssetNotAllowed("only professionals add items on behalf of residents")
    fields, place = check_intake(store, intake)
    if by.viewer is not None and not in_scope(by.viewer, place.get("neighbourhood_code")):
        raise AssetNotAllowed(f"{by.name} may not add items outside their area")
    receipt = _insert(
        store,
        fields,
        place,
        status=ItemStatus.APPROVED,
        origin="professional",
        now=now,
        created_by=by.name,
    )
    if receipt.created:
        refresh_indicators(store, settings, ASSET_INDICATORS)
    return receipt


def change_asset(
    store: Store,
    asset_id: str,
    action: AssetAction | str,
    *,
    by: Actor,
    now: datetime,
    settings: Settings,
    note: str | None = None,
) -> dict[str, Any]:
    """The one door for every change: checks the actor and the transition table, writes the
    change under a status check (with an audit row), refreshes the asset indicators when what
    counts changed, and returns the item as it is now."""
    chosen = AssetAction(action)
    row = asset_store.read_asset(store, asset_id)
    if row is None:
        raise NotFound(f'no asset "{asset_id}"')
    _check_actor(by, row)
    before = status_of(row)
    after = check_transition(before, chosen, by.kind)
    values = _values(chosen, after, by=by, now=now, note=note)
    done = asset_store.change_asset_row(
        store,
        asset_id,
        expected_status=row.get("status"),
        values=values,
        audit={
            "actor": by.name,
            "action": "change",
            "now": now,
            "detail": f"{chosen.value}: {before.value} -> {after.value}",
        },
    )
    if not done:
        raise NotFound(f'asset "{asset_id}" changed meanwhile; reload and try again')
    if counts(before) != counts(after):
        refresh_indicators(store, settings, ASSET_INDICATORS)
    return {**row, **values}


def asset_for_link(store: Store, token: str) -> dict[str, Any]:
    """The item behind a personal link; NotFound for a wrong link."""
    row = asset_store.read_asset_by_hash(store, token_hash(token)) if token else None
    if row is None:
        raise NotFound("no item for this link")
    return row


def is_stale(row: dict[str, Any], *, now: datetime, months: int) -> bool:
    """True when an approved item was not confirmed (or added) for ``months`` months."""
    if status_of(row) is not ItemStatus.APPROVED:
        return False
    last = row.get("confirmed_at") or row.get("moderated_at") or row.get("created_at")
    if last is None or pd.isna(last):
        return False
    return bool(pd.Timestamp(last) < pd.Timestamp(now) - pd.DateOffset(months=months))


def _check_actor(by: Actor, row: dict[str, Any]) -> None:
    viewer = by.viewer
    if viewer is not None and not in_scope(viewer, row.get("neighbourhood_code")):
        raise AssetNotAllowed(f'{by.name} may not change asset "{row["asset_id"]}"')


def _values(
    action: AssetAction, after: ItemStatus, *, by: Actor, now: datetime, note: str | None
) -> dict[str, Any]:
    values: dict[str, Any] = {"status": after.value, "updated_at": now}
    if action in (AssetAction.APPROVE, AssetAction.REJECT):
        values |= {"moderated_by": by.name, "moderated_at": now, "moderation_note": note}
    if action in (AssetAction.APPROVE, AssetAction.CONFIRM):
        values["confirmed_at"] = now
    if action is AssetAction.RETIRE and note:
        values["moderation_note"] = note
    if action is AssetAction.WITHDRAW:
        values |= {
            "withdrawn_at": now,
            "name": "",
            "description": None,
            "first_name": None,
            "contact_email": None,
            "photo": None,
            "dwelling_id": None,
            "opening_hours": None,
        }
    return values


def _insert(
    store: Store,
    fields: dict[str, Any],
    place: dict[str, Any],
    *,
    status: ItemStatus,
    origin: str,
    now: datetime,
    created_by: str | None = None,
) -> Receipt:
    key = fields.pop("submission_key", None)
    asset_id = _asset_id(key)
    token = new_token()
    row = {
        "asset_id": asset_id,
        **fields,
        "x": float(place["x"]),
        "y": float(place["y"]),
        "origin": origin,
        "status": status.value,
        "dwelling_id": place.get("dwelling_id"),
        "entrance_key": place.get("entrance_key"),
        "block_key": place.get("block_key"),
        "street_key": place.get("street_key"),
        "neighbourhood_code": place.get("neighbourhood_code"),
        "consent_at": now,
        "created_at": now,
        "updated_at": now,
        "confirmed_at": now if status is ItemStatus.APPROVED else None,
        "edit_hash": token_hash(token),
        "created_by": created_by,
    }
    if not asset_store.insert_asset(store, row):
        stored = asset_store.read_asset(store, asset_id) or {}
        return Receipt(asset_id, None, str(stored.get("status")), created=False)
    return Receipt(asset_id, token, status.value, created=True)


def _asset_id(submission_key: str | None) -> str:
    """``R-`` and 10 hex digits; the same submission key gives the same id (a retry stores once)."""
    if submission_key:
        return "R-" + hashlib.sha256(submission_key.encode()).hexdigest()[:10].upper()
    return "R-" + secrets.token_hex(5).upper()
