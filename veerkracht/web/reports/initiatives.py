"""Residents' initiatives in a report: what the onlooker may see, the owner by first name only.

Visibility is ``veerkracht.community.initiatives.can_see_initiative`` (which asks
``audience.can_see``); a printed report also leaves out initiatives still waiting for moderation
and those that stopped. Supporters are counted, never named.
"""

from __future__ import annotations

from typing import Any

from veerkracht.community.audience import ItemStatus, Onlooker
from veerkracht.community.initiatives import (
    InitiativeStatus,
    can_see_initiative,
    item_status,
    public_view,
)
from veerkracht.domain.levels import Level
from veerkracht.storage import initiatives as initiative_store
from veerkracht.storage.engine import Store
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_
from veerkracht.web.reports.models import InitiativeItem

#: Stages shown in a report, in this order, with their words (msgids).
SHOWN_STATUSES: dict[str, str] = {
    InitiativeStatus.ACTIVE.value: N_("running"),
    InitiativeStatus.PROPOSED.value: N_("looking for neighbours to join"),
    InitiativeStatus.DONE.value: N_("done"),
}


def read_visible_initiatives(
    store: Store, *, unit: dict[str, Any], onlooker: Onlooker, neighbourhood_code: str | None
) -> list[InitiativeItem]:
    """Approved initiatives of the unit (for a buurt: everything in it) the onlooker may see,
    running ones first."""
    rows = _of_unit(store, unit)
    shown = [
        row
        for row in rows
        if str(row["status"]) in SHOWN_STATUSES
        and item_status(row) is ItemStatus.APPROVED
        and can_see_initiative(
            onlooker,
            {**row, "neighbourhood_code": row.get("neighbourhood_code") or neighbourhood_code},
        )
    ]
    order = list(SHOWN_STATUSES)
    shown.sort(key=lambda row: order.index(str(row["status"])))
    supporters = initiative_store.count_supporters(store, [r["initiative_id"] for r in shown])
    return [_item(public_view(row), supporters.get(row["initiative_id"], 0)) for row in shown]


def _of_unit(store: Store, unit: dict[str, Any]) -> list[dict[str, Any]]:
    level, key = Level(unit["level"]), str(unit["key"])
    if level == Level.BLOCK:
        return initiative_store.read_initiatives(store, block_key=key)
    if level == Level.STREET:
        return initiative_store.read_initiatives(store, street_key=key)
    if level == Level.NEIGHBOURHOOD:
        return initiative_store.read_initiatives(store, neighbourhood_codes=[key])
    return []


def _item(view: dict[str, Any], supporters: int) -> InitiativeItem:
    status = str(view["status"])
    return InitiativeItem(
        title=str(view["title"]),
        description=str(view["description"]),
        status=status,
        status_label=_(SHOWN_STATUSES[status]),
        owner=str(view["owner_first_name"]),
        supporters=supporters,
    )
