"""3 — What fits here (suggestions) and 4 — what has been done (the intervention log).

Suggestions are made from exact figures, so only viewers who see the exact figures of this place
(professionals, analysts and administrators within their scope) get them; the public version says
why it has none: a suggestion is never a public judgement of a street. The log's entries are for
professionals (and administrators) within their scope; everyone else sees how many there are.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import shapely

from veerkracht.assessment.disclosure import PUBLIC, Viewer
from veerkracht.domain.levels import UNIT_LEVELS, Level, rank
from veerkracht.interventions.suggest import CAVEAT, SuggestionsForbidden, build_suggestions
from veerkracht.storage.engine import Store
from veerkracht.storage.intervention_log import read_log
from veerkracht.storage.units import read_units
from veerkracht.web.i18n import format_number, load_translations
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import in_this, level_word
from veerkracht.web.pages.models import UnitRef
from veerkracht.web.reports.models import DoneSection, FitsSection, LogItem, SuggestionItem

#: Roles that may see suggestions, and roles that may see the log's entries (within scope).
SUGGESTION_ROLES = frozenset({"professional", "analyst", "admin"})
LOG_ROLES = frozenset({"professional", "admin"})

#: Log entries of units up to this distance from the unit count as "around it" (areas: inside).
AROUND_M: dict[Level, float] = {Level.BLOCK: 150.0, Level.STREET: 150.0}
#: Areas count only when the unit lies in them (a neighbouring buurt is not "around" a block).
AREA_LEVELS = frozenset({"neighbourhood", "district", "municipality"})


def build_fits(
    store: Store,
    *,
    level: Level,
    key: str,
    viewer: Viewer,
    area_codes: set[str],
    limit: int | None = None,
) -> FitsSection:
    """Section 3: the best-fitting interventions with their reasons, or why there are none."""
    title = _("What fits here")
    if not sees_suggestions(viewer, area_codes):
        return FitsSection(
            title=title,
            shown=False,
            note=_(
                "The public version has no suggestions per place: a suggestion is not a "
                "judgement of a street. Professionals see here which approaches may fit."
            ),
            items=[],
        )
    try:
        found = build_suggestions(store, level=level.value, key=key, viewer=viewer).suggestions
    except SuggestionsForbidden:  # out of scope after all: as the public version
        return build_fits(
            store, level=level, key=key, viewer=PUBLIC, area_codes=area_codes, limit=limit
        )
    shown = found[:limit] if limit else found
    note = (
        _("Approaches from the catalogue whose conditions match this place, best fit first.")
        if found
        else _("No approach from the catalogue clearly fits the figures of this place.")
    )
    if len(found) > len(shown):
        note += " " + _("%(count)s more in the app.") % {
            "count": format_number(len(found) - len(shown))
        }
    return FitsSection(
        title=title,
        shown=True,
        note=note,
        items=[
            SuggestionItem(
                id=s.intervention.id,
                name=s.intervention.name,
                terrain_label=s.intervention.terrain_label,
                goal=s.intervention.goal,
                reasons=[*s.reasons, *([s.log.text] if s.log else [])],
                evidence_label=s.intervention.evidence_label,
                cost=s.intervention.cost.value,
            )
            for s in shown
        ],
        caveat=CAVEAT,
    )


def sees_suggestions(viewer: Viewer, area_codes: set[str]) -> bool:
    """True when ``viewer`` may see suggestions for a place in these areas."""
    return viewer.role in SUGGESTION_ROLES and viewer.sees_sensitive_in(area_codes)


def sees_log(viewer: Viewer, area_codes: set[str]) -> bool:
    """True when ``viewer`` may see the log's entries for a place in these areas."""
    return viewer.role in LOG_ROLES and viewer.sees_sensitive_in(area_codes)


def build_done(
    store: Store,
    *,
    unit: dict[str, Any],
    breadcrumb: list[UnitRef],
    viewer: Viewer,
    area_codes: set[str],
    limit: int | None = None,
) -> DoneSection:
    """Section 4: log entries of the unit, the units inside or around it and the areas it lies
    in; running ones first, then the newest. The public sees their number only."""
    entries = _entries_around(store, unit, breadcrumb)
    title = _("What has been done")
    if not sees_log(viewer, area_codes):
        note = (
            load_translations().ngettext(
                "%(count)s activity has been logged in and around this place. "
                "What, by whom and since when is for professionals.",
                "%(count)s activities have been logged in and around this place. "
                "What, by whom and since when is for professionals.",
                len(entries),
            )
            % {"count": format_number(len(entries))}
            if entries
            else _("No activities have been logged in or around this place yet.")
        )
        return DoneSection(title=title, shown=False, count=len(entries), note=note, items=[])
    items = [_log_item(entry) for entry in entries]
    shown = items[:limit] if limit else items
    note = (
        _("What organisations did here and around it, running activities first.")
        if items
        else _("No activities have been logged in or around this place yet.")
    )
    if len(items) > len(shown):
        note += " " + _("%(count)s more in the app.") % {
            "count": format_number(len(items) - len(shown))
        }
    return DoneSection(title=title, shown=True, count=len(items), note=note, items=shown)


def _entries_around(
    store: Store, unit: dict[str, Any], breadcrumb: list[UnitRef]
) -> list[dict[str, Any]]:
    log = read_log(store)
    if log.empty:
        return []
    level = Level(unit["level"])
    ancestors = {(ref.level, ref.key): ref for ref in breadcrumb if ref.key != unit["key"]}
    places = _places_around(store, unit, set(log["level"]), AROUND_M.get(level, 0.0))
    found = []
    for entry in log.to_dict("records"):
        where_key = (str(entry["level"]), str(entry["unit_key"]))
        if where_key == (level.value, unit["key"]):
            where = in_this(level)
        elif where_key in ancestors:
            ref = ancestors[where_key]
            where = _("whole %(level)s: %(name)s") % {"level": ref.level_label, "name": ref.name}
        elif where_key in places:
            name, distance = places[where_key]
            where = (
                in_this(level) + f": {name}"
                if distance <= 0
                else _("nearby: %(name)s") % {"name": name}
            )
        else:
            continue
        found.append({**entry, "where": where})
    found.sort(key=_order)
    return found


def _places_around(
    store: Store, unit: dict[str, Any], levels: set[str], radius_m: float
) -> dict[tuple[str, str], tuple[str, float]]:
    """Smaller units of the logged levels inside the unit (distance 0: their label point lies in
    it), and units up to street level within ``radius_m`` of it, with name and distance."""
    geometry = unit["geometry"]
    inside_of = shapely.buffer(geometry, 1.0)  # footprints touching within a metre count
    minx, miny, maxx, maxy = shapely.bounds(geometry)
    bbox = (minx - radius_m, miny - radius_m, maxx + radius_m, maxy + radius_m)
    places: dict[tuple[str, str], tuple[str, float]] = {}
    for level in sorted(levels & {lv.value for lv in UNIT_LEVELS}):
        frame = read_units(store, level, bbox=bbox)
        if frame.empty:
            continue
        shapes = frame.geometry.to_numpy()
        inside = shapely.contains(inside_of, shapely.point_on_surface(shapes))
        distance = shapely.distance(geometry, shapes)
        for row, within, gap in zip(frame.to_dict("records"), inside, distance, strict=True):
            if (level, str(row["key"])) == (unit["level"], unit["key"]):
                continue
            if within and rank(Level(level)) < rank(Level(unit["level"])):
                places[(level, str(row["key"]))] = (_named(row), 0.0)
            elif radius_m > 0 and gap <= radius_m and level not in AREA_LEVELS:
                places[(level, str(row["key"]))] = (_named(row), float(gap))
    return places


def _named(row: dict[str, Any]) -> str:
    """``Blok Kersenboomstraat 1–7`` as it is; a name without its level word gets it in front."""
    word, name = level_word(str(row["level"])), str(row["name"])
    return name if name.casefold().startswith(word.casefold()) else f"{word} {name}"


def _order(entry: dict[str, Any]) -> tuple[int, float]:
    running = entry.get("ended_on") is None
    started = pd.Timestamp(entry["started_on"]).timestamp()
    return (0 if running else 1, -started)


def _log_item(entry: dict[str, Any]) -> LogItem:
    return LogItem(
        title=str(entry["title"]),
        organisation=str(entry["organisation"]),
        aim=str(entry["aim"]),
        started_on=_date(entry["started_on"]),
        ended_on=_date(entry["ended_on"]) if entry.get("ended_on") else None,
        where=str(entry["where"]),
    )


def _date(value: Any) -> date:
    day: date = pd.Timestamp(value).date()
    return day
