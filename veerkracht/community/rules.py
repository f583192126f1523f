"""The life of an asset as data: who may do what from which status (STYLE habit 14).

``check_transition`` is the one function that reads the table; every change of an asset goes
through ``veerkracht.community.assets.change_asset``, which calls it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from veerkracht.community.audience import GONE, ItemStatus
from veerkracht.domain.assets import AssetKind
from veerkracht.errors import Forbidden
from veerkracht.signals.errors import IntakeRejected, SignalError


class AssetAction(StrEnum):
    """What can happen to an asset."""

    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"  # gone everywhere; personal text wiped
    CONFIRM = "confirm"  # still true (freshness)
    RETIRE = "retire"  # stale or no longer there


class ActorKind(StrEnum):
    """Who acts: the resident through their personal link, or a professional (or the CLI)."""

    RESIDENT = "resident"
    PROFESSIONAL = "professional"


_R = frozenset({ActorKind.RESIDENT})
_P = frozenset({ActorKind.PROFESSIONAL})
_RP = _R | _P

#: (status now, action) → (status after, who may do it). An empty status counts as approved.
TRANSITIONS: dict[tuple[ItemStatus, AssetAction], tuple[ItemStatus, frozenset[ActorKind]]] = {
    (ItemStatus.PENDING, AssetAction.APPROVE): (ItemStatus.APPROVED, _P),
    (ItemStatus.PENDING, AssetAction.REJECT): (ItemStatus.REJECTED, _P),
    (ItemStatus.PENDING, AssetAction.WITHDRAW): (ItemStatus.WITHDRAWN, _RP),
    (ItemStatus.PENDING, AssetAction.CONFIRM): (ItemStatus.PENDING, _RP),
    (ItemStatus.APPROVED, AssetAction.WITHDRAW): (ItemStatus.WITHDRAWN, _RP),
    (ItemStatus.APPROVED, AssetAction.CONFIRM): (ItemStatus.APPROVED, _RP),
    (ItemStatus.APPROVED, AssetAction.RETIRE): (ItemStatus.RETIRED, _RP),
    # the right to be forgotten holds after a rejection or retirement too
    (ItemStatus.REJECTED, AssetAction.WITHDRAW): (ItemStatus.WITHDRAWN, _RP),
    (ItemStatus.RETIRED, AssetAction.WITHDRAW): (ItemStatus.WITHDRAWN, _RP),
}

#: Statuses whose items count in the capacity indicators.
COUNTED = frozenset({ItemStatus.APPROVED})

#: Kinds that are a person's: shown by first name only, on the map at their unit's label point.
PERSON_KINDS = frozenset({AssetKind.GIFT, AssetKind.STORY, AssetKind.ACTIVE_RESIDENT})

#: Levels an item can be tied to, and the asset column that carries that level's key.
ITEM_LEVELS: dict[str, str] = {
    "entrance": "entrance_key",
    "block": "block_key",
    "street": "street_key",
    "neighbourhood": "neighbourhood_code",
}

#: The indicators that read assets; recomputed after every change of what counts.
ASSET_INDICATORS = (
    "assets_nearby",
    "assets_nearby_500m",
    "offers_nearby",
    "active_residents_per_100",
    "active_residents_nearby",
)


class AssetTransitionRefused(SignalError):
    """The transition table does not allow this action from this status, for this actor."""

    http_status = 409
    msgid = 'This item is "%(current)s"; "%(action)s" is not possible now. Possible: %(allowed)s.'


class AssetNotAllowed(Forbidden):
    """The professional's scope does not cover this item (the message never says what it holds)."""


class AssetRejected(IntakeRejected):
    """Fields of a submitted item that are not correct: field → (msgid, values)."""


def status_of(row: dict[str, Any]) -> ItemStatus:
    """The item's status (an empty status counts as approved: rows of older imports)."""
    return ItemStatus(row.get("status") or ItemStatus.APPROVED)


def check_transition(status: ItemStatus, action: AssetAction, actor: ActorKind) -> ItemStatus:
    """The status after ``action``; AssetTransitionRefused when the table does not allow it."""
    found = TRANSITIONS.get((status, action))
    if found is None or actor not in found[1]:
        allowed = ", ".join(a.value for a in allowed_actions(status, actor)) or "-"
        raise AssetTransitionRefused(
            f'cannot {action.value} an item that is "{status.value}" as {actor.value}',
            current=status.value,
            action=action.value,
            allowed=allowed,
        )
    return found[0]


def allowed_actions(status: ItemStatus, actor: ActorKind) -> list[AssetAction]:
    """The actions ``actor`` may take on an item with ``status`` (for buttons and messages)."""
    return [
        action
        for (current, action), (_after, who) in TRANSITIONS.items()
        if current is status and actor in who
    ]


def counts(status: ItemStatus) -> bool:
    """True when items of this status count in analytics."""
    return status in COUNTED


def is_gone(status: ItemStatus) -> bool:
    """True when nobody sees items of this status any more."""
    return status in GONE
