"""Recompute a few indicators after a change, without a whole build.

An approved offer, a withdrawn place or a logged visit changes only the indicators that read
that table. ``refresh_indicators`` recomputes the named ones from the stored dwellings (which
carry their level keys after a build) and units, with estimates, for the same (level, year)
pairs the last build stored, and replaces only those rows in one transaction. Warnings and
positive deviance are left as the last build found them.

The context is the build's own (``indicators/stored_context.py``): every stored source, the
Leefbaarometer grid and the intervention log.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from veerkracht.assessment.estimates import add_estimates
from veerkracht.domain.levels import UNIT_LEVELS, Level
from veerkracht.indicators.base import Context
from veerkracht.indicators.compute import compute_indicators
from veerkracht.indicators.registry import get_indicator
from veerkracht.indicators.stored_context import context_from_store
from veerkracht.settings import Settings
from veerkracht.storage import sources as source_store
from veerkracht.storage import units as unit_store
from veerkracht.storage.engine import Store


def refresh_indicators(store: Store, settings: Settings, keys: Collection[str]) -> int:
    """Recompute the indicators ``keys`` for every unit and store them; returns rows written.

    Nothing happens (0) when nothing has been built yet. KeyError names an unknown indicator.
    """
    indicators = tuple(get_indicator(key) for key in sorted(set(keys)))
    build = unit_store.read_last_build(store)
    if not indicators or build is None:
        return 0
    units = _units(store)
    ctx = _context(store, settings, reference_year=build["reference_year"])
    stored = unit_store.read_stored_level_years(store)
    year = ctx.years[-1]

    def keep(level: Level, y: int) -> bool:
        return (level.value, y) in stored if stored else y == year

    values = compute_indicators(ctx, units, indicators, keep=keep)
    values = add_estimates(values, units)
    return unit_store.replace_indicator_values(
        store, values, indicators=[indicator.key for indicator in indicators]
    )


def _context(store: Store, settings: Settings, *, reference_year: int) -> Context:
    dwellings = pd.DataFrame(source_store.read_frame(store, "dwellings").drop(columns="geometry"))
    return context_from_store(store, settings, dwellings, reference_year=reference_year)


def _units(store: Store) -> pd.DataFrame:
    frames = [
        unit_store.read_units(store, level.value, with_geometry=False) for level in UNIT_LEVELS
    ]
    return pd.concat([f for f in frames if len(f)], ignore_index=True)
