"""Initiatives owned by residents: propose, moderate, join, change status, post news, link assets.

A resident proposes something for their block or street (no account: a personal link to edit,
post updates, link assets and close). It is moderated (``approved``) before it is public.
Neighbours join with one click and a first name (each gets a personal link to withdraw); from
``SUPPORTERS_TO_ACTIVATE`` supporters it becomes active by itself. Every change of status goes
through ``change_status``, which checks ``TRANSITIONS``; updates are appended, never changed.
Who may see an initiative is decided by ``veerkracht.community.audience.can_see``; the public
sees the owner's first name and the number of supporters, never who they are.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community.audience import (
    PUBLIC_ONLOOKER,
    Audience,
    ItemStatus,
    Onlooker,
    can_see,
    first_name_only,
    in_scope,
)
from veerkracht.community.initiative_checks import (
    MAX_TEXT,
    check_key,
    check_proposal,
    check_text,
    raise_if,
)
from veerkracht.community.initiative_status import (
    CLOSED,
    OPEN,
    TRANSITIONS,
    Actor,
    AlreadyJoined,
    InitiativeChanged,
    InitiativeError,
    InitiativeStatus,
    NotOpen,
    OwnInitiative,
    ProfessionalsOnly,
    TransitionRefused,
    UpdateKind,
    check_transition,
    next_statuses,
)
from veerkracht.errors import NotFound
from veerkracht.signals.tokens import new_token, token_hash
from veerkracht.storage import initiatives as db
from veerkracht.storage.engine import Store

#: What this module offers (with the status rules it re-exports from ``initiative_status``).
__all__ = [
    "Actor",
    "AlreadyJoined",
    "CLOSED",
    "InitiativeChanged",
    "InitiativeError",
    "InitiativeStatus",
    "NotOpen",
    "OPEN",
    "OwnInitiative",
    "ProfessionalsOnly",
    "Proposal",
    "Receipt",
    "SUPPORTERS_TO_ACTIVATE",
    "TRANSITIONS",
    "TransitionRefused",
    "UpdateKind",
    "can_moderate",
    "can_see_initiative",
    "change_status",
    "check_transition",
    "close",
    "edit",
    "item_status",
    "join",
    "link_asset",
    "link_token",
    "maybe_activate",
    "moderate",
    "next_statuses",
    "offer_support",
    "post_update",
    "propose",
    "public_view",
    "read_owned",
    "read_support",
    "read_visible",
    "unlink_asset",
    "withdraw_support",
]

#: From this many supporters (the owner not counted) a proposal becomes active.
SUPPORTERS_TO_ACTIVATE = 3


@dataclass
class Proposal:
    """What a resident submits: what, and where (postcode + house number → block or street)."""

    title: Any
    description: Any
    first_name: Any
    postcode: Any
    house_number: Any
    level: Any = "block"
    needs: Any = None
    email: Any = None
    submission_key: Any = None


@dataclass(frozen=True)
class Receipt:
    """What a proposer or supporter gets back: the id and the personal link token."""

    initiative_id: str
    token: str
    created: bool  # False for a retry of a stored submission
    activated: bool = False  # a join that made the initiative active


# ---- visibility -----------------------------------------------------------------------------


def item_status(row: dict[str, Any]) -> ItemStatus:
    """The moderation status ``audience.can_see`` judges an initiative by."""
    if row["status"] == InitiativeStatus.WITHDRAWN:
        return ItemStatus.WITHDRAWN
    if not row["approved"]:
        return (
            ItemStatus.REJECTED if row["status"] == InitiativeStatus.STOPPED else ItemStatus.PENDING
        )
    return ItemStatus.APPROVED


def can_see_initiative(onlooker: Onlooker, row: dict[str, Any]) -> bool:
    """May ``onlooker`` see this initiative (public once approved; pending for moderators)?"""
    return can_see(
        onlooker,
        audience=Audience.PUBLIC,
        status=item_status(row),
        block_key=row.get("block_key"),
        neighbourhood_code=row.get("neighbourhood_code"),
    )


def can_moderate(viewer: Viewer, row: dict[str, Any]) -> bool:
    """Professionals and administrators whose scope covers the initiative's buurt."""
    return in_scope(viewer, row.get("neighbourhood_code"))


def read_visible(store: Store, initiative_id: str, onlooker: Onlooker) -> dict[str, Any]:
    """The initiative when ``onlooker`` may see it; NotFound (same answer) when not or absent."""
    row = db.read_initiative(store, initiative_id)
    if row is None or not can_see_initiative(onlooker, row):
        raise NotFound(f'no initiative "{initiative_id}" that you may see')
    return row


def public_view(row: dict[str, Any]) -> dict[str, Any]:
    """What anybody who may see the initiative sees: never the e-mail, link or surname."""
    return {
        "initiative_id": row["initiative_id"],
        "title": row["title"],
        "description": row["description"],
        "needs": row.get("needs"),
        "status": row["status"],
        "approved": bool(row["approved"]),
        "level": row["level"],
        "unit_key": row["unit_key"],
        "street_key": row.get("street_key"),
        "neighbourhood_code": row.get("neighbourhood_code"),
        "owner_first_name": first_name_only(row["owner_first_name"]),
        "created_at": row["created_at"],
        "activated_at": row.get("activated_at"),
        "closed_at": row.get("closed_at"),
        "x": row.get("x"),
        "y": row.get("y"),
    }


# ---- proposing and the owner's link ---------------------------------------------------------


def propose(
    store: Store,
    proposal: Proposal,
    *,
    secret: str,
    now: datetime,
    initiative_id: str | None = None,
) -> Receipt:
    """Check, place and store a proposal once (a retry with the same key gives the same link)."""
    fields = check_proposal(proposal)
    place = _place(store, fields)
    key = fields["submission_key"] or new_token()
    token = link_token(secret, "owner", key)
    row = {
        "initiative_id": initiative_id or "I-" + secrets.token_hex(4).upper(),
        "title": fields["title"],
        "description": fields["description"],
        "needs": fields["needs"],
        "status": InitiativeStatus.PROPOSED.value,
        **place,
        "owner_first_name": fields["first_name"],
        "owner_hash": token_hash(token),
        "owner_email": fields["email"],
        "approved": False,
        "created_at": now,
        "updated_at": now,
    }
    created = db.insert_initiative(store, row, [_status_row(now, "owner", "proposed", True)])
    stored = db.read_initiative_by_owner(store, row["owner_hash"])
    assert stored is not None
    return Receipt(initiative_id=stored["initiative_id"], token=token, created=created)


def read_owned(store: Store, token: str) -> dict[str, Any]:
    """The initiative behind an owner's personal link; NotFound for a wrong link."""
    row = db.read_initiative_by_owner(store, token_hash(token)) if token else None
    if row is None:
        raise NotFound("no initiative for this link")
    return row


def edit(
    store: Store, token: str, *, title: Any, description: Any, needs: Any, now: datetime
) -> dict[str, Any]:
    """The owner changes the text while the initiative is open."""
    row = _open(read_owned(store, token))
    fields = check_proposal(
        Proposal(
            title=title,
            description=description,
            needs=needs,
            first_name="-",
            postcode=None,
            house_number=None,
        ),
        place=False,
    )
    values = {k: fields[k] for k in ("title", "description", "needs")} | {"updated_at": now}
    note = _row(now, UpdateKind.UPDATE, "owner", "edited the text", public=False)
    _change(store, row, values, [note])
    return read_owned(store, token)


def post_update(store: Store, token: str, text: Any, *, now: datetime) -> None:
    """The owner posts news (public once the initiative is approved)."""
    row = read_owned(store, token)
    if row["status"] == InitiativeStatus.WITHDRAWN:
        raise NotOpen("withdrawn")
    body = check_text(text, "text", minimum=3, maximum=MAX_TEXT)
    db.append_updates(
        store, row["initiative_id"], [_row(now, UpdateKind.UPDATE, "owner", body, public=True)]
    )


def close(store: Store, token: str, target: str, *, note: Any, now: datetime) -> dict[str, Any]:
    """The owner withdraws a proposal, or closes an active initiative as done or stopped."""
    row = read_owned(store, token)
    text = check_text(note, "note", minimum=0, maximum=MAX_TEXT) if note else None
    return change_status(
        store, row["initiative_id"], target, actor=Actor.OWNER, author="owner", note=text, now=now
    )


def link_asset(store: Store, token: str, asset_id: str, *, now: datetime) -> bool:
    """The owner links a public asset (a place, an offer) to the initiative."""
    from veerkracht.storage.assets import read_asset

    row = _open(read_owned(store, token))
    asset = read_asset(store, asset_id) if asset_id else None
    if asset is None or not can_see(
        PUBLIC_ONLOOKER,
        audience=asset.get("visibility"),
        status=asset.get("status"),
        block_key=asset.get("block_key"),
        neighbourhood_code=asset.get("neighbourhood_code"),
    ):
        raise NotFound(f'no public asset "{asset_id}"')
    note = _row(now, UpdateKind.UPDATE, "owner", f"linked asset {asset_id}", public=False)
    return db.link_asset(store, row["initiative_id"], asset_id, note)


def unlink_asset(store: Store, token: str, asset_id: str, *, now: datetime) -> bool:
    """The owner removes the link to an asset."""
    row = read_owned(store, token)
    note = _row(now, UpdateKind.UPDATE, "owner", f"unlinked asset {asset_id}", public=False)
    return db.unlink_asset(store, row["initiative_id"], asset_id, note)


# ---- supporters -----------------------------------------------------------------------------


def join(
    store: Store,
    initiative_id: str,
    *,
    first_name: Any,
    submission_key: Any,
    secret: str,
    now: datetime,
) -> Receipt:
    """A neighbour joins with a first name; a retry with the same key is stored once."""
    row = read_visible(store, initiative_id, PUBLIC_ONLOOKER)
    _open(row)
    name = first_name_only(check_text(first_name, "first_name", minimum=1, maximum=40))
    key = check_key(submission_key) or new_token()
    token = link_token(secret, f"support:{initiative_id}", key)
    created = db.insert_supporter(
        store,
        {
            "initiative_id": initiative_id,
            "supporter_hash": token_hash(token),
            "first_name": name,
            "joined_at": now,
        },
    )
    activated = maybe_activate(store, initiative_id, now=now)
    return Receipt(initiative_id=initiative_id, token=token, created=created, activated=activated)


def read_support(store: Store, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(supporter row, initiative) behind a supporter's link; NotFound for a wrong link."""
    supporter = db.read_supporter(store, token_hash(token)) if token else None
    initiative = db.read_initiative(store, supporter["initiative_id"]) if supporter else None
    if supporter is None or initiative is None:
        raise NotFound("no support for this link")
    return supporter, initiative


def withdraw_support(store: Store, token: str, *, now: datetime) -> bool:
    """The supporter withdraws (an active initiative stays active: the owner carries it)."""
    supporter, _initiative = read_support(store, token)
    return db.withdraw_supporter(store, supporter["supporter_id"], now=now)


def maybe_activate(store: Store, initiative_id: str, *, now: datetime) -> bool:
    """Make an approved proposal active once it has enough supporters; True when this did it.

    Counted after the supporter's own transaction, so of two joins at the same moment the later
    one always sees both.
    """
    row = db.read_initiative(store, initiative_id)
    if row is None or not row["approved"] or row["status"] != InitiativeStatus.PROPOSED:
        return False
    if db.count_supporters(store, [initiative_id])[initiative_id] < SUPPORTERS_TO_ACTIVATE:
        return False
    try:
        change_status(
            store,
            initiative_id,
            InitiativeStatus.ACTIVE,
            actor=Actor.SYSTEM,
            author="system",
            now=now,
        )
    except (InitiativeChanged, TransitionRefused):
        return False
    return True


# ---- professionals --------------------------------------------------------------------------


def moderate(
    store: Store, initiative_id: str, *, approve: bool, viewer: Viewer, note: Any, now: datetime
) -> dict[str, Any]:
    """A professional in scope approves a proposal (public from then on) or refuses it."""
    row = _for_professional(store, initiative_id, viewer)
    text = check_text(note, "note", minimum=0, maximum=MAX_TEXT) if note else None
    if row["approved"] or row["status"] != InitiativeStatus.PROPOSED:
        raise TransitionRefused(
            "already moderated", current=row["status"], target="approved", allowed="-"
        )
    author = viewer.name or viewer.role
    if not approve:
        return change_status(
            store,
            initiative_id,
            InitiativeStatus.STOPPED,
            actor=Actor.PROFESSIONAL,
            author=author,
            note=text,
            now=now,
            public_note=False,
        )
    history = [_status_row(now, author, "approved", False)]
    if text:
        history.append(_row(now, UpdateKind.UPDATE, author, text, public=False))
    try:
        db.change_initiative(
            store,
            initiative_id,
            expected_status=row["status"],
            expected_approved=False,
            values={"approved": True, "updated_at": now},
            history=history,
        )
    except db.StaleInitiative:
        raise InitiativeChanged(initiative_id) from None
    maybe_activate(store, initiative_id, now=now)
    return db.read_initiative(store, initiative_id) or row


def offer_support(
    store: Store,
    initiative_id: str,
    *,
    viewer: Viewer,
    organisation_id: str | None,
    text: Any,
    now: datetime,
) -> None:
    """A professional in scope offers support on behalf of their organisation (public)."""
    row = _open(_for_professional(store, initiative_id, viewer))
    if not row["approved"]:
        raise TransitionRefused("not approved", current="pending", target="support", allowed="-")
    body = check_text(text, "text", minimum=3, maximum=MAX_TEXT)
    update = _row(now, UpdateKind.SUPPORT, viewer.name or viewer.role, body, public=True)
    db.append_updates(store, initiative_id, [update | {"organisation_id": organisation_id}])


def change_status(
    store: Store,
    initiative_id: str,
    target: str,
    *,
    actor: Actor,
    author: str,
    now: datetime,
    note: str | None = None,
    public_note: bool = True,
) -> dict[str, Any]:
    """The one door for a change of status: checks ``TRANSITIONS`` and logs it (one transaction)."""
    row = db.read_initiative(store, initiative_id)
    if row is None:
        raise NotFound(f'no initiative "{initiative_id}"')
    to = check_transition(row["status"], target, actor)
    values: dict[str, Any] = {"status": to.value, "updated_at": now}
    if to is InitiativeStatus.ACTIVE:
        values["activated_at"] = now
    if to in CLOSED:
        values["closed_at"] = now
    history = [_status_row(now, author, to.value, bool(row["approved"]))]
    if note:
        public = public_note and bool(row["approved"])
        history.append(_row(now, UpdateKind.UPDATE, author, note, public=public))
    _change(store, row, values, history)
    return db.read_initiative(store, initiative_id) or row


def link_token(secret: str, purpose: str, key: str) -> str:
    """A personal link token derived from the submission key (a retry gives the same link)."""
    digest = hmac.new(secret.encode(), f"initiative:{purpose}:{key}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


# ---- helpers --------------------------------------------------------------------------------


def _place(store: Store, fields: dict[str, Any]) -> dict[str, Any]:
    """Unit keys of the chosen block or street; the address itself is not kept."""
    found = db.find_dwelling_places(store, fields["postcode"], fields["house_number"])
    raise_if(not found, "postcode", "We cannot find this address. Check postcode and house number.")
    place = found[0]
    level = fields["level"]
    unit_key = place["block_key"] if level == "block" else place["street_key"]
    raise_if(not unit_key, "postcode", "This address is not part of a block or street yet.")
    point = db.read_unit_point(store, level, unit_key) or {"x": None, "y": None}
    return {
        "level": level,
        "unit_key": unit_key,
        "x": point["x"],
        "y": point["y"],
        "block_key": place["block_key"] if level == "block" else None,
        "street_key": place["street_key"],
        "neighbourhood_code": place["neighbourhood_code"],
    }


def _open(row: dict[str, Any]) -> dict[str, Any]:
    if row["status"] not in OPEN:
        raise NotOpen(f"initiative {row['initiative_id']} is {row['status']}")
    return row


def _for_professional(store: Store, initiative_id: str, viewer: Viewer) -> dict[str, Any]:
    row = read_visible(store, initiative_id, Onlooker(viewer=viewer))
    if not can_moderate(viewer, row):
        raise ProfessionalsOnly(f"{viewer.role} may not act on {initiative_id}")
    return row


def _change(
    store: Store, row: dict[str, Any], values: dict[str, Any], history: list[dict[str, Any]]
) -> None:
    try:
        db.change_initiative(
            store,
            row["initiative_id"],
            expected_status=row["status"],
            values=values,
            history=history,
        )
    except db.StaleInitiative:
        raise InitiativeChanged(row["initiative_id"]) from None


def _row(
    now: datetime, kind: UpdateKind, author: str, text: str, *, public: bool
) -> dict[str, Any]:
    return {
        "at": now,
        "kind": kind.value,
        "author": author[:40],
        "text": text,
        "public": public,
        "organisation_id": None,
    }


def _status_row(now: datetime, author: str, text: str, public: bool) -> dict[str, Any]:
    return _row(now, UpdateKind.STATUS, author, text, public=public)
