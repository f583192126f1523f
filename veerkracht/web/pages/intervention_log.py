"""Pages of the intervention log: a unit's entries (with the form to add one) and the overall
list with filters. Professionals and administrators write within their scope; analysts read;
the public never sees the log (``LogForbidden``, shown as 403).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pandas as pd
from babel.dates import format_date
from pydantic import BaseModel, Field

from veerkracht.assessment.disclosure import Viewer
from veerkracht.domain.levels import Level
from veerkracht.errors import NotFound
from veerkracht.indicators.presence import touched_units
from veerkracht.interventions.catalogue_edit import effective_catalogue
from veerkracht.interventions.log import (
    READ_ROLES,
    AreaCodes,
    LogForbidden,
    can_write,
    read_entries,
)
from veerkracht.storage import intervention_log as log_store
from veerkracht.storage.engine import Store
from veerkracht.storage.units import read_unit, read_units
from veerkracht.web.errors import UnknownUnit
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import level_word
from veerkracht.web.pages.models import UnitRef
from veerkracht.web.pages.units import unit_ref

LOG_URL = "/interventions/log"
CATALOGUE_ENTRY_URL = "/interventions/catalogue/{id}"


class InterventionChoice(BaseModel):
    """A catalogue intervention a log entry may name."""

    id: str
    name: str


class LogEntryOut(BaseModel):
    """One log entry as a page shows it."""

    log_id: str
    title: str
    intervention_id: str | None = None
    intervention_name: str | None = None
    intervention_url: str | None = None
    level: str
    level_label: str
    unit_key: str
    unit_name: str
    unit_url: str = Field(description="The unit's page")
    log_url: str = Field(description="The unit's log page")
    started_on: date
    ended_on: date | None = None
    period: str = Field(description="Since when (and until), in Dutch")
    running: bool
    organisation: str
    aim: str
    notes: str | None = None
    origin: str = Field(description="demo | app | import")
    effect_url: str = Field(description="Before and after this entry")
    end_url: str = Field(description="Where the form to end it posts to")
    can_end: bool = Field(description="The viewer may end it (it runs and lies in their area)")


class UnitLogPage(BaseModel):
    """A unit's log: its own entries, those of units around or inside it, and the form."""

    unit: UnitRef
    entries: list[LogEntryOut] = Field(description="Logged for this unit")
    around: list[LogEntryOut] = Field(description="Logged for units around or inside it")
    can_write: bool = Field(description="The viewer may add entries here")
    interventions: list[InterventionChoice]
    today: date
    json_url: str


class LogFilters(BaseModel):
    level: str | None = None
    organisation: str | None = None
    intervention_id: str | None = None
    year: int | None = Field(default=None, description="Only entries running in this year")


class LogListPage(BaseModel):
    """Every entry the viewer may read, newest first, with the filters used."""

    count: int
    entries: list[LogEntryOut]
    filters: LogFilters
    interventions: list[InterventionChoice]
    organisations: list[str]
    scope: list[str] = Field(description="The viewer's area codes; empty = everywhere")


def build_unit_log(store: Store, *, level: Level, key: str, viewer: Viewer) -> UnitLogPage:
    """A unit's log page; LogForbidden for the public and outside the viewer's area."""
    unit = _unit(store, level, key)
    codes = AreaCodes(store)
    if viewer.role not in READ_ROLES or not viewer.sees_sensitive_in(codes.of(level.value, key)):
        raise LogForbidden(f'{level.value} "{key}" lies outside your area')
    frame = read_entries(store, viewer=viewer, codes=codes)
    own = (frame["level"] == level.value) & (frame["unit_key"].astype(str) == key)
    dwellings = codes.dwellings
    around = [
        not mine
        and key
        in touched_units(dwellings, level=str(row.level), key=str(row.unit_key), at=level.value)
        for mine, row in zip(own, frame.itertuples(index=False), strict=True)
    ]
    outputs = _outputs(store, frame, viewer, codes)
    catalogue = choices(store)
    return UnitLogPage(
        unit=unit,
        entries=[o for o, mine in zip(outputs, own, strict=True) if mine],
        around=[o for o, near in zip(outputs, around, strict=True) if near],
        can_write=can_write(viewer, codes.of(level.value, key)),
        interventions=catalogue,
        today=date.today(),
        json_url=unit_log_url(level.value, key, api=True),
    )


def build_log_list(
    store: Store,
    *,
    viewer: Viewer,
    level: Level | None = None,
    organisation: str | None = None,
    intervention_id: str | None = None,
    year: int | None = None,
) -> LogListPage:
    """The overall log within the viewer's area, filtered; LogForbidden for the public."""
    codes = AreaCodes(store)
    everything = read_entries(store, viewer=viewer, codes=codes)
    frame = read_entries(
        store,
        viewer=viewer,
        codes=codes,
        level=level.value if level else None,
        organisation=organisation or None,
        intervention_id=intervention_id or None,
        running_year=year,
    )
    entries = _outputs(store, frame, viewer, codes)
    return LogListPage(
        count=len(entries),
        entries=entries,
        filters=LogFilters(
            level=level.value if level else None,
            organisation=organisation or None,
            intervention_id=intervention_id or None,
            year=year,
        ),
        interventions=choices(store),
        organisations=sorted(set(everything["organisation"].astype(str))),
        scope=sorted(viewer.scope),
    )


def build_entry(store: Store, log_id: str, *, viewer: Viewer) -> LogEntryOut:
    """One entry as the viewer may see it (LogForbidden outside their area)."""
    entry = log_store.read_log_entry(store, log_id)
    frame = read_entries(store, viewer=viewer, level=entry["level"], unit_key=entry["unit_key"])
    frame = frame[frame["log_id"] == log_id]
    if frame.empty:
        raise LogForbidden(f'log entry "{log_id}" lies outside your area')
    return _outputs(store, frame, viewer, AreaCodes(store))[0]


def choices(store: Store) -> list[InterventionChoice]:
    """The catalogue's interventions by name (for the form's list)."""
    items = sorted(effective_catalogue(store), key=lambda i: i.name.casefold())
    return [InterventionChoice(id=i.id, name=i.name) for i in items]


def unit_log_url(level: str, key: str, *, api: bool = False) -> str:
    """Path of a unit's log page (or its JSON twin)."""
    return f"{'/api' if api else ''}/units/{level}/{quote(key, safe='')}/log"


def effect_url(log_id: str, *, api: bool = False) -> str:
    return f"{'/api' if api else ''}{LOG_URL}/{quote(log_id, safe='')}/effect"


def dutch_period(started_on: date, ended_on: date | None) -> str:
    """'sinds 1 april 2021' or '1 april 2021 tot en met 30 juni 2025'."""
    start = format_date(started_on, format="long", locale="nl")
    if ended_on is None:
        return _("since %(date)s") % {"date": start}
    end = format_date(ended_on, format="long", locale="nl")
    return _("%(start)s to %(end)s") % {"start": start, "end": end}


def _outputs(
    store: Store, frame: pd.DataFrame, viewer: Viewer, codes: AreaCodes
) -> list[LogEntryOut]:
    names = {i.id: i.name for i in effective_catalogue(store)} if len(frame) else {}
    units = unit_names(store, set(frame["level"].astype(str))) if len(frame) else {}
    out = []
    for row in frame.to_dict("records"):
        level, key = str(row["level"]), str(row["unit_key"])
        running = row["ended_on"] is None
        chosen = row["intervention_id"] or None
        out.append(
            LogEntryOut(
                log_id=str(row["log_id"]),
                title=str(row["title"]),
                intervention_id=chosen,
                intervention_name=names.get(chosen) if chosen else None,
                intervention_url=(
                    CATALOGUE_ENTRY_URL.format(id=quote(chosen, safe="")) if chosen else None
                ),
                level=level,
                level_label=level_word(level),
                unit_key=key,
                unit_name=units.get((level, key), key),
                unit_url=f"/units/{level}/{quote(key, safe='')}",
                log_url=unit_log_url(level, key),
                started_on=row["started_on"],
                ended_on=row["ended_on"],
                period=dutch_period(row["started_on"], row["ended_on"]),
                running=running,
                organisation=str(row["organisation"]),
                aim=str(row["aim"]),
                notes=row["notes"] or None,
                origin=str(row["origin"]),
                effect_url=effect_url(str(row["log_id"])),
                end_url=f"{LOG_URL}/{quote(str(row['log_id']), safe='')}/end",
                can_end=running and can_write(viewer, codes.of(level, key)),
            )
        )
    return out


def unit_names(store: Store, levels: set[str]) -> dict[tuple[str, str], str]:
    """(level, key) → name of every unit of ``levels``."""
    out: dict[tuple[str, str], str] = {}
    for level in levels:
        units = read_units(store, level, with_geometry=False)
        out.update(
            {(level, str(k)): str(n) for k, n in zip(units["key"], units["name"], strict=True)}
        )
    return out


def _unit(store: Store, level: Level, key: str) -> UnitRef:
    try:
        return unit_ref(read_unit(store, level.value, key))
    except NotFound:
        raise UnknownUnit(level, key) from None
