"""Before/after for one log entry from a built store: the entry, its unit and one comparison
per outcome (``effect.compare_before_after``), with the names of the comparison units.

Comparison units never had a logged intervention in or around them (sharing a dwelling with the
entry's unit, ``indicators.presence.touched_units``) from ``MAX_PRE_YEARS`` before the start on.
Only professionals, analysts and administrators whose scope covers the unit may read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from veerkracht.assessment.disclosure import Viewer
from veerkracht.indicators.presence import touched_units
from veerkracht.interventions.effect import (
    MAX_PRE_YEARS,
    OUTCOMES,
    BeforeAfter,
    compare_before_after,
)
from veerkracht.interventions.log import READ_ROLES, AreaCodes, LogForbidden
from veerkracht.storage import Store
from veerkracht.storage import intervention_log as log_store
from veerkracht.storage import units as unit_store


@dataclass(frozen=True)
class EntryEffects:
    """A log entry with its before/after per outcome and the names of the units involved."""

    entry: dict[str, Any]
    unit_name: str
    results: tuple[BeforeAfter, ...]
    names: dict[str, str]
    area_codes: dict[str, list[str]]
    excluded: int

    def as_dict(self) -> dict[str, Any]:
        entry = {
            k: (v.isoformat() if isinstance(v, date) else v)
            for k, v in self.entry.items()
            if k not in ("created_by", "created_at", "updated_at")
        }
        return {
            "entry": entry,
            "unit_name": self.unit_name,
            "results": [r.as_dict() for r in self.results],
            "names": self.names,
        }


def read_before_after(
    store: Store,
    log_id: str,
    *,
    viewer: Viewer,
    outcomes: Sequence[str] = OUTCOMES,
) -> EntryEffects:
    """Before/after of each outcome for entry ``log_id``; LogForbidden outside the viewer's
    scope or for the public, NotFound for an unknown id."""
    entry = log_store.read_log_entry(store, log_id)
    level, key = str(entry["level"]), str(entry["unit_key"])
    codes = AreaCodes(store)
    if viewer.role not in READ_ROLES or not viewer.sees_sensitive_in(codes.of(level, key)):
        raise LogForbidden(f'log entry "{log_id}" lies outside your area')
    excluded = _excluded(store, codes.dwellings, level=level, started_on=entry["started_on"])
    history = log_store.read_indicator_history(store, level, list(outcomes))
    results = tuple(
        compare_before_after(
            history[history["indicator"] == outcome],
            indicator=outcome,
            level=level,
            key=key,
            started_on=entry["started_on"],
            ended_on=entry["ended_on"],
            excluded=excluded,
        )
        for outcome in outcomes
    )
    names = _names(store, level)
    involved = {key} | {c.key for r in results for c in r.comparison}
    return EntryEffects(
        entry=entry,
        unit_name=names.get(key, key),
        results=results,
        names={k: names.get(k, k) for k in sorted(involved)},
        area_codes={k: sorted(codes.of(level, k)) for k in sorted(involved)},
        excluded=len(excluded),
    )


def _excluded(store: Store, keys: pd.DataFrame, *, level: str, started_on: date) -> set[str]:
    """Units of ``level`` touched by an entry that ran at some time since the pre period."""
    log = log_store.read_log(store)
    if log.empty:
        return set()
    first = pd.Timestamp(date(started_on.year - MAX_PRE_YEARS, 1, 1))
    ended = pd.to_datetime(log["ended_on"])
    relevant = log[ended.isna() | (ended >= first)]
    out: set[str] = set()
    for other_level, other_key in zip(relevant["level"], relevant["unit_key"], strict=True):
        out |= touched_units(keys, level=str(other_level), key=str(other_key), at=level)
    return out


def _names(store: Store, level: str) -> dict[str, str]:
    units = unit_store.read_units(store, level, with_geometry=False)
    return dict(zip(units["key"].astype(str), units["name"].astype(str), strict=True))
