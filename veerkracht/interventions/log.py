"""The intervention log's one door: check an entry, check who writes it, store it, recount.

Professionals (and administrators) add and end entries for units in their scope: a unit is in
scope when one of its area codes (buurt, wijk, gemeente, as far up as the unit's own level) is
in the account's scope, or the scope is empty. Analysts and professionals read the entries of
units in their scope; the public reads nothing. Every write recomputes the presence indicator
(``indicators/presence.py``) so the capacity figures follow the log.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community.audience import PROFESSIONAL_ROLES
from veerkracht.domain.levels import KEY_COLUMN, UNIT_LEVELS, Level, rank
from veerkracht.errors import Forbidden, InputError, NotFound
from veerkracht.indicators.presence import INDICATORS as PRESENCE
from veerkracht.indicators.presence import running_in
from veerkracht.indicators.refresh import refresh_indicators
from veerkracht.settings import Settings
from veerkracht.storage import Store
from veerkracht.storage import intervention_log as log_store
from veerkracht.storage import units as unit_store

#: Where an entry comes from.
ORIGINS = ("demo", "app", "import")
#: Roles that read the log (within their scope); the public never does.
READ_ROLES = frozenset({"professional", "analyst", "admin"})
#: The indicators recomputed after every write.
PRESENCE_KEYS = tuple(indicator.key for indicator in PRESENCE)
#: Longest texts accepted per field.
MAX_LENGTH = {"title": 200, "organisation": 200, "aim": 2000, "notes": 5000, "intervention_id": 80}
EARLIEST = date(1990, 1, 1)
#: Required fields and the msgid that asks for them.
REQUIRED = {
    "title": "Give a short title: what is done?",
    "organisation": "Give the organisation that does it.",
    "aim": "Give the aim: what should it bring about?",
    "unit_key": "Give the code of the place.",
}
LEVEL_NAMES = tuple(level.value for level in UNIT_LEVELS)
_AREA_COLUMNS = {
    Level.NEIGHBOURHOOD: "neighbourhood_code",
    Level.DISTRICT: "district_code",
    Level.MUNICIPALITY: "municipality_code",
}


class LogEntryError(InputError):
    """Fields of a log entry that are wrong: ``errors`` maps field → (English msgid, values),
    translated at the edge (the web shows Dutch, the CLI and the API the English text)."""

    def __init__(self, errors: Mapping[str, tuple[str, dict[str, Any]]]) -> None:
        self.errors = dict(errors)
        first = next(iter(self.errors))
        text = "; ".join(
            f"{field}: {msgid % values}" for field, (msgid, values) in self.errors.items()
        )
        super().__init__(text, field=first)

    def messages(self, translate: Callable[[str], str] = str) -> dict[str, str]:
        """field → message, each msgid passed through ``translate`` first."""
        return {field: translate(msgid) % values for field, (msgid, values) in self.errors.items()}


class LogForbidden(Forbidden):
    """The viewer may not read or write this part of the log."""


@dataclass(frozen=True)
class LogEntryInput:
    """A checked entry, ready to store."""

    title: str
    level: str
    unit_key: str
    started_on: date
    organisation: str
    aim: str
    ended_on: date | None = None
    intervention_id: str | None = None
    notes: str | None = None


def check_entry(
    values: Mapping[str, Any], *, today: date, known_interventions: Collection[str] = ()
) -> LogEntryInput:
    """A checked entry from form or API values; LogEntryError names every wrong field.

    ``known_interventions`` are the catalogue ids an entry may name (an empty id is allowed:
    not everything done is in the catalogue).
    """
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    text = {
        name: _text(values.get(name), lines=name in ("aim", "notes"))
        for name in (*MAX_LENGTH, "level", "unit_key")
    }
    for name, msgid in REQUIRED.items():
        if not text[name]:
            errors[name] = (msgid, {})
    for name, longest in MAX_LENGTH.items():
        if len(text[name]) > longest:
            errors[name] = (
                "This text is too long: at most %(limit)s characters.",
                {"limit": longest},
            )
    if text["level"] not in LEVEL_NAMES:
        errors["level"] = (
            'The level "%(value)s" is not one of: %(allowed)s.',
            {"value": text["level"], "allowed": ", ".join(LEVEL_NAMES)},
        )
    started = _date(values.get("started_on"), "started_on", errors, required=True)
    ended = _date(values.get("ended_on"), "ended_on", errors, required=False)
    if started is not None and not EARLIEST <= started <= today:
        errors["started_on"] = (
            "The start must lie between %(earliest)s and today (%(today)s): log what has started.",
            {"earliest": EARLIEST.isoformat(), "today": today.isoformat()},
        )
    if started is not None and ended is not None and ended < started:
        errors["ended_on"] = _before_start(ended, started)
    chosen = text["intervention_id"]
    if chosen and chosen not in set(known_interventions):
        errors["intervention_id"] = (
            'The intervention "%(value)s" is not in the catalogue. Leave it empty for '
            "something that is not.",
            {"value": chosen},
        )
    if errors:
        raise LogEntryError(errors)
    assert started is not None
    return LogEntryInput(
        title=text["title"],
        level=text["level"],
        unit_key=text["unit_key"],
        started_on=started,
        organisation=text["organisation"],
        aim=text["aim"],
        ended_on=ended,
        intervention_id=chosen or None,
        notes=text["notes"] or None,
    )


def add_entry(
    store: Store,
    settings: Settings,
    values: Mapping[str, Any],
    *,
    by: Viewer,
    now: datetime,
    known_interventions: Collection[str] | None = None,
    origin: str = "app",
) -> str:
    """Check and store a new entry for a unit in ``by``'s scope; returns its log id.

    ``known_interventions`` defaults to the effective catalogue (shipped plus the app's edits).
    """
    if origin not in ORIGINS:
        raise InputError(f'origin "{origin}" is not one of {", ".join(ORIGINS)}', field="origin")
    known = _known(store) if known_interventions is None else known_interventions
    entry = check_entry(values, today=now.date(), known_interventions=known)
    _require_unit(store, entry.level, entry.unit_key)
    require_writer(store, by, level=entry.level, key=entry.unit_key)
    log_id = log_store.add_log_entry(
        store,
        title=entry.title,
        level=entry.level,
        unit_key=entry.unit_key,
        started_on=entry.started_on,
        ended_on=entry.ended_on,
        organisation=entry.organisation,
        aim=entry.aim,
        notes=entry.notes,
        intervention_id=entry.intervention_id,
        origin=origin,
        created_by=by.name,
        now=now,
    )
    refresh_presence(store, settings)
    return log_id


def end_entry(
    store: Store,
    settings: Settings,
    log_id: str,
    ended_on: Any,
    *,
    by: Viewer,
    now: datetime,
) -> dict[str, Any]:
    """Set the end date of an entry of a unit in ``by``'s scope; returns the entry as it is now."""
    entry = log_store.read_log_entry(store, log_id)
    require_writer(store, by, level=entry["level"], key=entry["unit_key"])
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    ended = _date(ended_on, "ended_on", errors, required=True)
    if ended is not None and ended < entry["started_on"]:
        errors["ended_on"] = _before_start(ended, entry["started_on"])
    if ended is not None and ended > now.date():
        errors["ended_on"] = (
            "The end (%(end)s) lies after today (%(today)s).",
            {"end": ended.isoformat(), "today": now.date().isoformat()},
        )
    if errors:
        raise LogEntryError(errors)
    assert ended is not None
    log_store.end_log_entry(store, log_id, ended_on=ended, now=now)
    refresh_presence(store, settings)
    return log_store.read_log_entry(store, log_id)


def read_entries(
    store: Store,
    *,
    viewer: Viewer,
    level: str | None = None,
    unit_key: str | None = None,
    organisation: str | None = None,
    intervention_id: str | None = None,
    running_year: int | None = None,
    codes: AreaCodes | None = None,
) -> pd.DataFrame:
    """The entries ``viewer`` may read (units in their scope), newest first, with filters;
    a column ``area_codes`` lists each entry's area codes. LogForbidden for the public."""
    if viewer.role not in READ_ROLES:
        raise LogForbidden("the intervention log is for professionals and analysts")
    frame = log_store.read_log(store, level=level, unit_key=unit_key)
    if organisation:
        frame = frame[frame["organisation"].str.contains(organisation, case=False, regex=False)]
    if intervention_id:
        frame = frame[frame["intervention_id"] == intervention_id]
    if running_year is not None:
        frame = running_in(frame, running_year)
    codes = codes or AreaCodes(store)
    frame = frame.assign(
        area_codes=[
            sorted(codes.of(lv, key))
            for lv, key in zip(frame["level"], frame["unit_key"], strict=True)
        ]
    )
    keep = [viewer.sees_sensitive_in(set(c)) for c in frame["area_codes"]]
    return frame[keep].reset_index(drop=True)


def can_write(viewer: Viewer, area_codes: Collection[str]) -> bool:
    """True when ``viewer`` is a professional or administrator whose scope covers the unit."""
    if viewer.role not in PROFESSIONAL_ROLES:
        return False
    return not viewer.scope or bool(viewer.scope & set(area_codes))


def require_writer(store: Store, viewer: Viewer, *, level: str, key: str) -> None:
    """LogForbidden unless ``viewer`` may add or end entries for this unit."""
    if viewer.role not in PROFESSIONAL_ROLES:
        raise LogForbidden(
            f'role "{viewer.role}" may not change the intervention log (professionals and '
            "administrators may)"
        )
    if not can_write(viewer, AreaCodes(store).of(level, key)):
        raise LogForbidden(f'{level} "{key}" lies outside your area')


def refresh_presence(store: Store, settings: Settings) -> int:
    """Recount the presence indicator for the last build's units and years; returns rows written.

    Nothing happens (0) before the first build.
    """
    return refresh_indicators(store, settings, PRESENCE_KEYS)


class AreaCodes:
    """The area codes (buurt, wijk, gemeente) of units, read once per unit.

    A unit gets the codes of the areas its dwellings lie in, from its own level upwards: a
    block its buurt(en), wijk and gemeente; a wijk its own code and the gemeente's.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[tuple[str, str], set[str]] = {}
        self._keys: pd.DataFrame | None = None

    def of(self, level: str, key: str) -> set[str]:
        if (level, key) not in self.cache:
            self.cache[(level, key)] = self._read(level, key)
        return self.cache[(level, key)]

    @property
    def dwellings(self) -> pd.DataFrame:
        """Every dwelling's level keys (read once)."""
        if self._keys is None:
            self._keys = log_store.read_dwelling_keys(self.store)
        return self._keys

    def _read(self, level: str, key: str) -> set[str]:
        try:
            chosen = Level(level)
        except ValueError:
            return set()
        keys = self.dwellings
        rows = keys[(keys[KEY_COLUMN[chosen]] == str(key)).to_numpy(dtype=bool)]
        codes: set[str] = set()
        for area, column in _AREA_COLUMNS.items():
            if rank(area) >= rank(chosen):
                codes |= {str(c) for c in rows[column].dropna().unique() if str(c)}
        return codes


def _known(store: Store) -> set[str]:
    from veerkracht.interventions.catalogue_edit import effective_catalogue

    return {item.id for item in effective_catalogue(store)}


def _require_unit(store: Store, level: str, key: str) -> None:
    try:
        unit_store.read_unit(store, level, key)
    except NotFound:
        raise LogEntryError(
            {
                "unit_key": (
                    'There is no %(level)s with code "%(key)s".',
                    {"level": level, "key": key},
                )
            }
        ) from None


def _before_start(ended: date, started: date) -> tuple[str, dict[str, Any]]:
    return (
        "The end (%(end)s) lies before the start (%(start)s).",
        {"end": ended.isoformat(), "start": started.isoformat()},
    )


def _text(value: Any, *, lines: bool = False) -> str:
    """Text without surrounding blanks; runs of blanks become one (line breaks kept in
    ``lines`` fields)."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n")
    if lines:
        return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")).strip()
    return re.sub(r"\s+", " ", text).strip()


def _date(
    value: Any, name: str, errors: dict[str, tuple[str, dict[str, Any]]], *, required: bool
) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        if required:
            errors[name] = ("Give a date like 2024-03-01.", {})
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = ('"%(value)s" is not a date. Write it like 2024-03-01.', {"value": text})
        return None
