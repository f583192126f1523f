"""The page of one unit: its place in the levels, its figures, what lies inside it, its map."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pandas as pd

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community.audience import Onlooker
from veerkracht.domain.levels import KEY_COLUMN, PARENT, Level
from veerkracht.errors import NotFound
from veerkracht.indicators.registry import BY_KEY
from veerkracht.settings import Settings
from veerkracht.storage.engine import Store
from veerkracht.storage.units import (
    read_dwellings_of,
    read_last_build,
    read_unit,
    read_unit_indicators,
    read_units,
)
from veerkracht.web.errors import UnknownUnit
from veerkracht.web.geo import bounds_wgs84, feature_collection
from veerkracht.web.i18n import format_number
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_, level_word
from veerkracht.web.pages.assets import build_what_is_here
from veerkracht.web.pages.context import build_area_statistics, build_liveability
from veerkracht.web.pages.figures import (
    build_figure_groups,
    disclosed_rows,
    pick_year,
    short_value,
    withheld_text,
)
from veerkracht.web.pages.models import Address, ChildGroup, SpreadNote, UnitPage, UnitRef
from veerkracht.web.pages.sources import build_source_notes
from veerkracht.web.pages.trend import build_trends
from veerkracht.web.pages.units import sort_by_name, unit_ref

#: Which lower levels a unit page lists, nearest first (an entrance lists its addresses).
CHILD_LEVELS: dict[Level, tuple[Level, ...]] = {
    Level.ENTRANCE: (),
    Level.BUILDING: (Level.ENTRANCE,),
    Level.BLOCK: (Level.ENTRANCE, Level.BUILDING),
    Level.STREET: (Level.BLOCK,),
    Level.NEIGHBOURHOOD: (Level.STREET, Level.BLOCK),
    Level.DISTRICT: (Level.NEIGHBOURHOOD,),
    Level.MUNICIPALITY: (Level.DISTRICT,),
}

#: Months after which an item counts as stale on unit pages (the setting's default).
STALE_MONTHS = Settings.model_fields["assets_stale_months"].default

#: Official areas: their codes decide whether a unit lies in a viewer's scope.
AREA_LEVELS = (Level.NEIGHBOURHOOD, Level.DISTRICT, Level.MUNICIPALITY)

#: Levels whose page lists the addresses of their dwellings.
ADDRESS_LEVELS = (Level.ENTRANCE, Level.BUILDING)

_CHILD: dict[Level, Level] = {up: down for down, up in PARENT.items() if up is not None}


def build_unit_page(
    store: Store,
    *,
    level: Level,
    key: str,
    viewer: Viewer,
    resident_blocks: frozenset[str] = frozenset(),
) -> UnitPage:
    """Everything the page of the unit ``level``/``key`` shows, for this viewer.

    Every figure passes disclosure for the unit's own areas (its buurt, wijk, gemeente); the
    parent's figures for the parent's areas. "Wat is hier" (assets) comes first; items for the
    residents of a block are shown to those who proved to live there (``resident_blocks``).
    """
    unit = _read_unit(store, level, key)
    breadcrumb = _breadcrumb(store, level, unit)
    build = read_last_build(store)
    rows = read_unit_indicators(store, level.value, key)
    year = pick_year(rows, build["reference_year"] if build else None)
    visible = disclosed_rows(rows, level=level, viewer=viewer, area_codes=area_codes(breadcrumb))
    now = visible[visible["year"] == year]
    parent = breadcrumb[-2] if len(breadcrumb) > 1 else None
    return UnitPage(
        unit=unit_ref(unit),
        rule=unit.get("rule"),
        what_is_here=build_what_is_here(
            store,
            level=level,
            key=key,
            onlooker=Onlooker(viewer=viewer, resident_blocks=resident_blocks),
            now=datetime.now().replace(microsecond=0),
            months=STALE_MONTHS,
        ),
        breadcrumb=breadcrumb,
        year=year,
        groups=build_figure_groups(
            now,
            level=level,
            year=year,
            parent=parent,
            parent_rows=_parent_rows(store, breadcrumb[:-1], viewer, year),
        ),
        trends=build_trends(visible, level=level),
        spread=build_spread_notes(now) if level in AREA_LEVELS else [],
        children=[_child_group(store, level, key, child) for child in CHILD_LEVELS[level]],
        addresses=_addresses(store, level, key) if level in ADDRESS_LEVELS else [],
        bounds=bounds_wgs84([unit["geometry"]]),
        geojson_url=f"{unit_ref(unit).api_url}?format=geojson",
        sources=build_source_notes(store),
        area_statistics=build_area_statistics(store, level, key),
        liveability=build_liveability(store, level, key),
    )


def area_codes(trail: list[UnitRef]) -> set[str]:
    """The buurt, wijk and gemeente codes in a breadcrumb: they decide the viewer's scope."""
    return {c.key for c in trail if Level(c.level) in AREA_LEVELS}


def build_spread_notes(rows: pd.DataFrame) -> list[SpreadNote]:
    """How unevenly the inflow lies over blocks and portieken inside an area, in words."""
    shown = {row.indicator: row for row in rows.itertuples(index=False)}
    even = shown.get("vulnerable_lettings_5y")
    even_value = None if even is None or even.withheld or pd.isna(even.value) else even.value
    notes = []
    for key in SPREAD_INDICATORS:
        row = shown.get(key)
        if row is None:
            continue
        indicator = BY_KEY[key]
        value = None if row.withheld or pd.isna(row.value) else float(row.value)
        notes.append(
            SpreadNote(
                indicator=key,
                label=_(indicator.label),
                value=value,
                text=withheld_text(row.withheld)
                if value is None
                else spread_sentence(key, value, even_value),
            )
        )
    return notes


def spread_sentence(key: str, value: float, even: float | None = None) -> str:
    """One B1 sentence about a spread index: how (un)evenly the inflow lies."""
    indicator = BY_KEY[key]
    if indicator.spread_measure == "isolation":
        text = _(
            "A newly arrived vulnerable household lives on average in an entrance where "
            "%(share)s of the dwellings went to a vulnerable household in 5 years."
        ) % {"share": short_value(value, "share")}
        if even is not None:
            text += " " + _("With an even spread that would be %(share)s.") % {
                "share": short_value(even, "share")
            }
        return text
    over = (
        _("over the blocks") if indicator.spread_level == Level.BLOCK else _("over the entrances")
    )
    return _(
        "The inflow of vulnerable households (5 years) is %(how)s spread %(over)s "
        "(%(value)s on a scale from 0, even, to 1, all in one place)."
    ) % {"how": _(_unevenness(value)), "over": over, "value": format_number(value, decimals=2)}


def _unevenness(value: float) -> str:
    for limit, words in UNEVENNESS:
        if value < limit:
            return words
    return UNEVENNESS[-1][1]


#: Spread indices shown on area pages, and their wording by size.
SPREAD_INDICATORS = (
    "inflow_dissimilarity_block",
    "inflow_dissimilarity_entrance",
    "inflow_isolation_entrance",
)
UNEVENNESS = (
    (0.2, N_("fairly evenly")),
    (0.4, N_("somewhat unevenly")),
    (0.6, N_("unevenly")),
    (math.inf, N_("very unevenly")),
)


def _parent_rows(
    store: Store, trail: list[UnitRef], viewer: Viewer, year: int | None
) -> pd.DataFrame | None:
    """The parent's disclosed figures of ``year`` (``trail`` ends with the parent)."""
    if not trail or year is None:
        return None
    parent = trail[-1]
    rows = read_unit_indicators(store, parent.level, parent.key)
    rows = rows[rows["year"] == year]
    return disclosed_rows(
        rows, level=Level(parent.level), viewer=viewer, area_codes=area_codes(trail)
    )


def build_unit_map(store: Store, *, level: Level, key: str) -> dict[str, Any]:
    """The small map of a unit: its nearest lower units (or its parent), then the unit itself."""
    unit = _read_unit(store, level, key)
    parts: list[tuple[Any, dict[str, Any]]] = []
    children = CHILD_LEVELS[level]
    if children:
        frame = _units_below(store, level, key, children[-1], with_geometry=True)
        parts += [(row["geometry"], _props(row, "child")) for row in frame.to_dict("records")]
    elif (parent_level := PARENT[level]) is not None and unit.get("parent_key"):
        parent = _read_unit_or_none(store, parent_level, unit["parent_key"])
        if parent is not None:
            parts.append((parent["geometry"], _props(parent, "context")))
    parts.append((unit["geometry"], _props(unit, "self")))
    return feature_collection([g for g, _ in parts], [p for _, p in parts])


def _read_unit(store: Store, level: Level, key: str) -> dict[str, Any]:
    try:
        return read_unit(store, level.value, key)
    except NotFound:
        raise UnknownUnit(level, key) from None


def _read_unit_or_none(store: Store, level: Level, key: str) -> dict[str, Any] | None:
    try:
        return read_unit(store, level.value, key)
    except NotFound:
        return None


def _breadcrumb(store: Store, level: Level, unit: dict[str, Any]) -> list[UnitRef]:
    """From the municipality down to the unit, following parent keys."""
    trail = [unit_ref(unit)]
    current, parent_key = level, unit.get("parent_key")
    while PARENT[current] is not None and parent_key:
        current = PARENT[current]  # type: ignore[assignment]
        parent = _read_unit_or_none(store, current, parent_key)
        if parent is None:
            break
        trail.append(unit_ref(parent))
        parent_key = parent.get("parent_key")
    return trail[::-1]


def _child_group(store: Store, level: Level, key: str, child: Level) -> ChildGroup:
    frame = sort_by_name(_units_below(store, level, key, child, with_geometry=False))
    return ChildGroup(
        level=child.value,
        level_label=level_word(child),
        level_plural=level_word(child, plural=True),
        units=[unit_ref(row) for row in frame.to_dict("records")],
    )


def _units_below(
    store: Store, level: Level, key: str, target: Level, *, with_geometry: bool
) -> pd.DataFrame:
    """Units of ``target`` inside the unit, stepping down one level at a time by parent key."""
    keys, current = [key], level
    while True:
        current = _CHILD[current]
        geometry = with_geometry and current == target
        frames = [
            read_units(store, current.value, parent_key=k, with_geometry=geometry) for k in keys
        ]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        if current == target or frame.empty:
            return frame
        keys = list(frame["key"])


def _addresses(store: Store, level: Level, key: str) -> list[Address]:
    frame = read_dwellings_of(store, KEY_COLUMN[level], key)
    return [
        Address(
            dwelling_id=str(row["dwelling_id"]),
            address=format_address(row),
            postcode=None if pd.isna(row["postcode"]) else str(row["postcode"]),
        )
        for row in frame.to_dict("records")
    ]


def format_address(row: dict[str, Any]) -> str:
    """A Dutch address line: ``Kersenboomstraat 12A-2``."""

    def text(value: Any) -> str:
        return "" if value is None or pd.isna(value) else str(value)

    number = text(row.get("house_number"))
    letter, suffix = text(row.get("house_letter")), text(row.get("house_suffix"))
    return (
        f"{text(row.get('street_name'))} {number}{letter}{'-' + suffix if suffix else ''}".strip()
    )


def _props(row: dict[str, Any], role: str) -> dict[str, Any]:
    ref = unit_ref(row)
    return {
        "level": ref.level,
        "key": ref.key,
        "name": ref.name,
        "dwellings": ref.dwellings,
        "url": ref.url,
        "role": role,
    }
