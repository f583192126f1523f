"""1 — What is here: places, groups and offers near the unit, initiatives, active residents.

What the viewer may see is decided by ``veerkracht.community.audience.can_see`` alone; a printed
report also leaves out items still waiting for moderation (a report is not a moderation tool).
A person is shown by first name only; active residents are counted (a disclosure-controlled
figure), never listed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely

from veerkracht.community.audience import ItemStatus, Onlooker, can_see_asset, first_name_only
from veerkracht.community.rules import status_of
from veerkracht.community.views import is_person_item, records
from veerkracht.domain.assets import AssetKind
from veerkracht.domain.levels import Level
from veerkracht.storage.assets import read_assets
from veerkracht.storage.engine import Store
from veerkracht.web.i18n import format_number
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_, in_this
from veerkracht.web.pages.models import Figure
from veerkracht.web.reports.initiatives import read_visible_initiatives
from veerkracht.web.reports.maps import MapPoint
from veerkracht.web.reports.models import AssetGroup, AssetItem, HereSection

#: Assets up to this distance from the unit's outline count as "here" (an area: inside only).
RADIUS_M: dict[Level, float] = {Level.BLOCK: 100.0, Level.STREET: 100.0}

#: Kinds in the order a report lists them (places first); active residents are only counted.
KIND_ORDER: tuple[tuple[AssetKind, str], ...] = (
    (AssetKind.PLACE, N_("Meeting places")),
    (AssetKind.INSTITUTION, N_("Facilities")),
    (AssetKind.ECONOMY, N_("Shops, markets and cafés")),
    (AssetKind.ASSOCIATION, N_("Clubs and groups")),
    (AssetKind.GIFT, N_("What residents offer")),
)

#: The asset column that ties an item to a unit of each level.
KEY_COLUMNS: dict[Level, str] = {
    Level.BLOCK: "block_key",
    Level.STREET: "street_key",
    Level.NEIGHBOURHOOD: "neighbourhood_code",
}

#: Indicators that count active residents (sensitive: they pass disclosure like any figure).
ACTIVE_RESIDENT_FIGURES = ("active_residents_per_100", "active_residents_nearby")


def read_visible_assets(
    store: Store, *, unit: dict[str, Any], onlooker: Onlooker, neighbourhood_code: str | None
) -> list[dict[str, Any]]:
    """Approved assets tied to ``unit`` or near it that ``onlooker`` may see, nearest first,
    each with its ``distance_m``. An item without a buurt code is judged by the unit's buurt."""
    return _visible(_near(read_assets(store), unit), onlooker, neighbourhood_code)


def map_points(assets: list[dict[str, Any]]) -> list[MapPoint]:
    """Places, facilities, shops and groups for the map; a person's item is never drawn."""
    return [
        MapPoint(x=float(row["x"]), y=float(row["y"]), kind=str(row["kind"]))
        for row in assets
        if not is_person_item(row)
    ]


def build_here(
    store: Store,
    *,
    unit: dict[str, Any],
    assets: list[dict[str, Any]],
    onlooker: Onlooker,
    neighbourhood_code: str | None,
    figures: dict[str, Figure],
    max_items: int | None = None,
) -> HereSection:
    """Section 1 for ``unit`` (a row of the units table) from its visible ``assets``.

    ``figures`` are the unit's disclosed figures by indicator key; ``max_items`` caps each
    kind's list (a one-page vignette) and says how many more there are.
    """
    level = Level(unit["level"])
    groups, notes = _groups(assets, level, max_items)
    stories = [_item(row, level) for row in _of_kind(assets, AssetKind.STORY)][:max_items]
    initiatives = read_visible_initiatives(
        store, unit=unit, onlooker=onlooker, neighbourhood_code=neighbourhood_code
    )
    return HereSection(
        title=_("What is here"),
        intro=_("We start with the strengths: what this place has."),
        groups=groups,
        stories=stories,
        initiatives=initiatives[:max_items] if max_items else initiatives,
        active_residents=[figures[k] for k in ACTIVE_RESIDENT_FIGURES if k in figures],
        notes=notes,
    )


def _near(assets: pd.DataFrame, unit: dict[str, Any]) -> pd.DataFrame:
    """Assets tied to the unit or lying within its radius, with their distance in metres."""
    if assets.empty:
        return assets.assign(distance_m=pd.Series(dtype=float))
    level = Level(unit["level"])
    points = shapely.points(assets["x"].to_numpy(float), assets["y"].to_numpy(float))
    geometry = unit.get("geometry")
    distance = (
        shapely.distance(geometry, points) if geometry is not None else np.full(len(assets), np.inf)
    )
    near = distance <= RADIUS_M.get(level, 0.0)
    tied = _is(assets["level"], level.value) & _is(assets["unit_key"], unit["key"])
    if level in KEY_COLUMNS:
        tied |= _is(assets[KEY_COLUMNS[level]], unit["key"])
    # a person's item is here only when tied to the unit: its point is a home, never a place
    person = np.array([is_person_item(row) for row in records(assets)], dtype=bool)
    out = assets.assign(distance_m=np.where(tied, 0.0, np.round(distance, 0)))
    return out[(near & ~person) | tied].sort_values(["distance_m", "name"], kind="stable")


def _is(column: pd.Series, value: str) -> np.ndarray:
    """Where ``column`` equals ``value`` (missing values are no match)."""
    return column.eq(value).fillna(False).to_numpy(dtype=bool)


def _visible(
    assets: pd.DataFrame, onlooker: Onlooker, neighbourhood_code: str | None
) -> list[dict[str, Any]]:
    """Rows the onlooker may see, approved ones only (no pending items in a printed report)."""
    rows = []
    for row in records(assets):
        if status_of(row) is not ItemStatus.APPROVED:
            continue
        judged = {**row, "neighbourhood_code": row.get("neighbourhood_code") or neighbourhood_code}
        if can_see_asset(onlooker, judged):
            rows.append(row)
    return rows


def _groups(
    rows: list[dict[str, Any]], level: Level, max_items: int | None
) -> tuple[list[AssetGroup], list[str]]:
    groups, notes = [], []
    for kind, label in KIND_ORDER:
        items = [_item(row, level) for row in _of_kind(rows, kind)]
        if not items:
            continue
        if max_items is not None and len(items) > max_items:
            notes.append(
                _("%(label)s: %(count)s more in the app.")
                % {"label": _(label), "count": format_number(len(items) - max_items)}
            )
            items = items[:max_items]
        groups.append(AssetGroup(kind=kind.value, label=_(label), items=items))
    return groups, notes


def _of_kind(rows: list[dict[str, Any]], kind: AssetKind) -> list[dict[str, Any]]:
    return [row for row in rows if row.get("kind") == kind.value]


def _item(row: dict[str, Any], level: Level) -> AssetItem:
    distance = float(row["distance_m"])
    person = None
    if is_person_item(row):
        person = first_name_only(_text(row.get("first_name"))) or None
    return AssetItem(
        kind=str(row["kind"]),
        name=str(row["name"]),
        person=person,
        description=_text(row.get("description")) or None,
        where=in_this(level)
        if distance <= 0
        else _("%(metres)s metres away") % {"metres": format_number(distance)},
        distance_m=distance,
    )


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None
