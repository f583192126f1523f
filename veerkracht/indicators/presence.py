"""Professional presence: logged interventions running in a unit in the year (capacity).

An entry of the intervention log counts for every unit that shares at least one dwelling with
the entry's unit. So an entry for a whole buurt counts for each block and street in it, and an
entry for one portiek or block counts for its street, buurt, wijk and gemeente too. Streets and
blocks do not nest, so "shares a dwelling" is the one rule that works for every pair of levels.

An entry runs in a year when it started on or before 31 December and had not ended before
1 January of that year. The log reaches the indicator through ``Context.extra[LOG]``
(``with_log``); without a log every unit counts 0.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from veerkracht.domain.levels import KEY_COLUMN, Level
from veerkracht.indicators.base import Array, Context, Disclosure, Family, Indicator, Unit

#: The key of the intervention log in ``Context.extra``.
LOG = "intervention_log"


def with_log(ctx: Context, log: pd.DataFrame) -> Context:
    """A copy of ``ctx`` that carries the intervention log (level, unit_key, started_on,
    ended_on per entry)."""
    return replace(ctx, extra={**ctx.extra, LOG: log})


def running_in(log: pd.DataFrame, year: int) -> pd.DataFrame:
    """The entries that ran at some moment in ``year``."""
    if log.empty:
        return log
    started = pd.to_datetime(log["started_on"])
    ended = pd.to_datetime(log["ended_on"])
    first, last = pd.Timestamp(date(year, 1, 1)), pd.Timestamp(date(year, 12, 31))
    return log[(started <= last) & (ended.isna() | (ended >= first))]


def touched_units(dwellings: pd.DataFrame, *, level: str, key: str, at: str) -> set[str]:
    """Keys of the units of level ``at`` sharing a dwelling with unit (``level``, ``key``)."""
    inside = (dwellings[KEY_COLUMN[Level(level)]] == str(key)).to_numpy(dtype=bool)
    values = dwellings.loc[inside, KEY_COLUMN[Level(at)]].dropna()
    return {str(v) for v in values.unique()}


def count_running(
    dwellings: pd.DataFrame, log: pd.DataFrame, units: pd.DataFrame, year: int
) -> Array:
    """For each unit (rows with level and key), how many log entries ran in it in ``year``."""
    counts = np.zeros(len(units), dtype=float)
    running = running_in(log, year)
    if running.empty or units.empty:
        return counts
    position = {
        (str(level), str(key)): i
        for i, (level, key) in enumerate(zip(units["level"], units["key"], strict=True))
    }
    known = {level.value: level for level in KEY_COLUMN}
    wanted = sorted({str(level) for level in units["level"]} & set(known))
    needed = wanted + sorted(set(running["level"].astype(str)) & set(known))
    keys = {lv: dwellings[KEY_COLUMN[known[lv]]].astype(str).to_numpy() for lv in set(needed)}
    for level, key in zip(running["level"].astype(str), running["unit_key"], strict=True):
        if level not in known:
            continue
        inside = keys[level] == str(key)
        for at in wanted:
            for touched in np.unique(keys[at][inside]):
                where = position.get((at, str(touched)))
                if where is not None:
                    counts[where] += 1.0
    return counts


def _running(ctx: Context, units: pd.DataFrame) -> Array:
    log = ctx.extra.get(LOG)
    if not isinstance(log, pd.DataFrame):
        return np.zeros(len(units), dtype=float)
    return count_running(ctx.dwellings, log, units, ctx.years[-1])


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="interventions_active",
        label="Lopende interventies van professionals",
        description=(
            "Hoeveel activiteiten van professionals uit het logboek dit jaar liepen op deze "
            "plek, zoals portiekgesprekken of een buurtconciërge. Een activiteit voor een "
            "grotere plek (bijvoorbeeld de hele buurt) telt mee voor elk blok en elke straat "
            "daarin. Een activiteit in één portiek of blok telt ook mee voor de straat en de "
            "buurt eromheen. We tellen alleen wat professionals in het logboek zetten."
        ),
        unit=Unit.COUNT,
        family=Family.CAPACITY,
        disclosure=Disclosure.SENSITIVE,
        source="professionals: logboek van interventies",
        per_unit=_running,
    ),
)
