"""Who may see an asset or an initiative: the one place where visibility is decided.

Each item names its audience: everybody (``public``), the residents of the same block and the
professionals (``block``), or professionals only (``professional``). Items from residents are
moderated first (``pending``); withdrawn, rejected and retired items are shown to nobody.
Professionals (and administrators) see items within their scope, pending ones too, to moderate.
A resident proves where they live with their own personal link (``resident_blocks``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from veerkracht.assessment.disclosure import PUBLIC, Viewer


class Audience(StrEnum):
    """Who may see an item (the ``visibility`` column)."""

    PUBLIC = "public"
    BLOCK = "block"  # residents of the same block, and professionals
    PROFESSIONAL = "professional"


class ItemStatus(StrEnum):
    """Where an asset stands in moderation and its life."""

    PENDING = "pending"  # added by a resident, not yet approved
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # by the resident (or on their behalf): gone everywhere
    RETIRED = "retired"  # stale, or no longer there


#: Roles that see every audience within their scope (and moderate).
PROFESSIONAL_ROLES = frozenset({"professional", "admin"})

#: Statuses nobody sees any more (they stay in the store only as a record of withdrawal).
GONE = frozenset({ItemStatus.REJECTED, ItemStatus.WITHDRAWN, ItemStatus.RETIRED})


@dataclass(frozen=True)
class Onlooker:
    """Who looks at community items: a viewer plus the blocks they proved to live in."""

    viewer: Viewer = PUBLIC
    resident_blocks: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_professional(self) -> bool:
        return self.viewer.role in PROFESSIONAL_ROLES


PUBLIC_ONLOOKER = Onlooker()


def area_codes_of(neighbourhood_code: str | None) -> set[str]:
    """The buurt code with its wijk and gemeente codes (``BU03630000`` → WK036300, GM0363)."""
    code = (neighbourhood_code or "").strip()
    if not code.startswith("BU") or len(code) < 8:
        return {code} if code else set()
    digits = code[2:]
    return {code, "WK" + digits[:6], "GM" + digits[:4]}


def in_scope(viewer: Viewer, neighbourhood_code: str | None) -> bool:
    """True when a professional's scope covers this buurt (an empty scope covers everything)."""
    if viewer.role not in PROFESSIONAL_ROLES:
        return False
    return not viewer.scope or bool(viewer.scope & area_codes_of(neighbourhood_code))


def can_see(
    onlooker: Onlooker,
    *,
    audience: str | None,
    status: str | None,
    block_key: str | None,
    neighbourhood_code: str | None,
) -> bool:
    """True when ``onlooker`` may see an item with this audience, status and place.

    An empty status counts as approved and an empty audience as public (rows from older imports).
    """
    state = ItemStatus(status or ItemStatus.APPROVED)
    if state in GONE:
        return False
    if onlooker.is_professional and in_scope(onlooker.viewer, neighbourhood_code):
        return True
    if state is not ItemStatus.APPROVED:
        return False
    kind = Audience(audience or Audience.PUBLIC)
    if kind is Audience.PUBLIC:
        return True
    if kind is Audience.BLOCK:
        return bool(block_key) and block_key in onlooker.resident_blocks
    return False


def first_name_only(name: str | None) -> str:
    """What may be shown of a person: the first word of the name given, at most 30 letters."""
    words = (name or "").strip().split()
    return words[0][:30] if words else ""


def can_see_asset(onlooker: Onlooker, row: Mapping[str, Any]) -> bool:
    """``can_see`` for an asset row; an active resident is shown to professionals only.

    Active residents (buurtdragers) are counted, never named, whatever audience a row claims.
    """
    if row.get("kind") == "active_resident" and not onlooker.is_professional:
        return False
    return can_see(
        onlooker,
        audience=row.get("visibility"),
        status=row.get("status"),
        block_key=row.get("block_key"),
        neighbourhood_code=row.get("neighbourhood_code"),
    )
