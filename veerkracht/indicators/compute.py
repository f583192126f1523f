"""Compute every indicator for every unit of every level and year, vectorised.

Per-dwelling terms of all additive indicators of one year form one matrix; one sparse product
per level sums them into units (so every roll-up preserves totals). Spatial indicators are
computed from unit locations for the newest year; derived ones (trends) from yearly values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from veerkracht.domain.levels import KEY_COLUMN, UNIT_LEVELS, Level
from veerkracht.indicators.base import Array, Context, Indicator
from veerkracht.indicators.registry import INDICATORS

COLUMNS = ["level", "key", "year", "indicator", "value", "numerator", "denominator"]
TREND_YEARS = 6


@dataclass(frozen=True)
class LevelIndex:
    """The units of one level and the sparse matrix summing dwellings into them."""

    keys: np.ndarray
    matrix: sparse.csr_matrix


def level_indexes(
    dwellings: pd.DataFrame, levels: tuple[Level, ...] = UNIT_LEVELS
) -> dict[Level, LevelIndex]:
    """One summing matrix per level (units × dwellings)."""
    n = len(dwellings)
    out = {}
    for level in levels:
        codes, keys = pd.factorize(dwellings[KEY_COLUMN[level]].astype(str), sort=True)
        matrix = sparse.csr_matrix(
            (np.ones(n), (codes, np.arange(n))), shape=(len(keys), n), dtype=np.float64
        )
        out[level] = LevelIndex(keys=np.asarray(keys, dtype=object), matrix=matrix)
    return out


def compute_indicators(
    ctx: Context,
    units: pd.DataFrame,
    indicators: tuple[Indicator, ...] = INDICATORS,
    *,
    years: tuple[int, ...] | None = None,
    keep: Callable[[Level, int], bool] | None = None,
    sink: Callable[[pd.DataFrame], None] | None = None,
) -> pd.DataFrame:
    """Long table (level, key, year, indicator, value, numerator, denominator).

    ``keep(level, year)`` decides which (level, year) rows are returned (all by default); the
    computation itself always covers every year so trends can be derived. With ``sink``, each
    part is handed to it instead of being collected (the result is then empty), so a whole
    country's rows never need to sit in memory at once.
    """
    years = years or ctx.years
    keep = keep or (lambda _level, _year: True)
    indexes = level_indexes(ctx.dwellings)
    additive = [i for i in indicators if i.per_dwelling is not None]
    trended = {i.derived_from for i in indicators if i.derived_from is not None}
    parts: list[pd.DataFrame] = []

    def emit(part: pd.DataFrame) -> None:
        if sink is not None:
            sink(part)
        else:
            parts.append(part)

    history: dict[tuple[str, Level], dict[int, tuple[Array, Array]]] = {}
    for year in years:
        terms = _terms_of_year(ctx, additive, year)
        if not terms:
            continue
        matrix = np.column_stack([array for pair in terms.values() for array in pair])
        for level, index in indexes.items():
            sums = index.matrix @ matrix
            for position, indicator in enumerate(terms):
                numerator, denominator = sums[:, 2 * position], sums[:, 2 * position + 1]
                if indicator.key in trended:  # only what trends need is kept for all years
                    history.setdefault((indicator.key, level), {})[year] = (numerator, denominator)
                if keep(level, year):
                    emit(_rows(indicator, level, index.keys, year, numerator, denominator))
    latest = years[-1]
    for indicator in indicators:
        if indicator.per_unit is not None:
            emit(_from_units(ctx, units, indicator, latest, keep))
        if indicator.derived_from is not None:
            for level, index in indexes.items():
                if keep(level, latest):
                    emit(_trend(indicator, level, index.keys, history, years))
        if indicator.spread_of is not None:
            for part in _spread(ctx, indicator, indexes, latest, keep):
                emit(part)
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat([p for p in parts if len(p)], ignore_index=True)[COLUMNS]


def _terms_of_year(
    ctx: Context, additive: list[Indicator], year: int
) -> dict[Indicator, tuple[Array, Array]]:
    out: dict[Indicator, tuple[Array, Array]] = {}
    for indicator in additive:
        assert indicator.per_dwelling is not None
        result = indicator.per_dwelling(ctx, year)
        if result is not None:
            out[indicator] = (result.numerator, result.denominator)
    return out


def _rows(
    indicator: Indicator,
    level: Level,
    keys: np.ndarray,
    year: int,
    numerator: Array,
    denominator: Array,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "level": level.value,
            "key": keys,
            "year": year,
            "indicator": indicator.key,
            "value": indicator.value(numerator, denominator),
            "numerator": numerator,
            "denominator": denominator,
        }
    )


def _from_units(
    ctx: Context,
    units: pd.DataFrame,
    indicator: Indicator,
    year: int,
    keep: Callable[[Level, int], bool],
) -> pd.DataFrame:
    assert indicator.per_unit is not None
    chosen = units[[keep(Level(level), year) for level in units["level"]]]
    chosen = chosen[chosen["level"].isin([level.value for level in indicator.levels])]
    counts = indicator.per_unit(ctx, chosen)
    return pd.DataFrame(
        {
            "level": chosen["level"].to_numpy(),
            "key": chosen["key"].to_numpy(),
            "year": year,
            "indicator": indicator.key,
            "value": counts,
            "numerator": counts,
            "denominator": np.nan,
        }
    )


def _trend(
    indicator: Indicator,
    level: Level,
    keys: np.ndarray,
    history: dict[tuple[str, Level], dict[int, tuple[Array, Array]]],
    years: tuple[int, ...],
) -> pd.DataFrame:
    """Least-squares slope of the yearly share over the last TREND_YEARS years."""
    assert indicator.derived_from is not None
    yearly = history.get((indicator.derived_from, level), {})
    window = [y for y in years if y in yearly][-TREND_YEARS:]
    if len(window) < 3:
        return pd.DataFrame(columns=COLUMNS)
    numerators = np.column_stack([yearly[y][0] for y in window])
    denominators = np.column_stack([yearly[y][1] for y in window])
    slope = slope_per_year(numerators, denominators, np.asarray(window, dtype=float))
    return pd.DataFrame(
        {
            "level": level.value,
            "key": keys,
            "year": window[-1],
            "indicator": indicator.key,
            "value": slope,
            "numerator": numerators.sum(axis=1),
            "denominator": denominators.sum(axis=1),
        }
    )


def _spread(
    ctx: Context,
    indicator: Indicator,
    indexes: dict[Level, LevelIndex],
    year: int,
    keep: Callable[[Level, int], bool],
) -> list[pd.DataFrame]:
    """Dissimilarity or isolation of a source indicator over sub-units, per unit."""
    from veerkracht.indicators.registry import BY_KEY
    from veerkracht.indicators.spread import MEASURES

    assert indicator.spread_of and indicator.spread_level and indicator.spread_measure
    source = BY_KEY[indicator.spread_of]
    assert source.per_dwelling is not None
    terms = source.per_dwelling(ctx, year)
    if terms is None:
        return []
    sub_keys = ctx.dwellings[KEY_COLUMN[indicator.spread_level]].astype(str).to_numpy()
    frames = []
    for level in indicator.levels:
        if not keep(level, year):
            continue
        index = indexes[level]
        unit_keys = ctx.dwellings[KEY_COLUMN[level]].astype(str).to_numpy()
        pair_codes, pairs = pd.factorize(
            pd.MultiIndex.from_arrays([unit_keys, sub_keys]), sort=True
        )
        group = np.bincount(pair_codes, weights=terms.numerator)
        total = np.bincount(pair_codes, weights=terms.denominator)
        unit_of_pair = pd.Index(index.keys).get_indexer(pairs.get_level_values(0))
        value = MEASURES[indicator.spread_measure](group, total, unit_of_pair, len(index.keys))
        numerator = np.bincount(unit_of_pair, weights=group, minlength=len(index.keys))
        denominator = np.bincount(unit_of_pair, weights=total, minlength=len(index.keys))
        frames.append(
            pd.DataFrame(
                {
                    "level": level.value,
                    "key": index.keys,
                    "year": year,
                    "indicator": indicator.key,
                    "value": value,
                    "numerator": numerator,
                    "denominator": denominator,
                }
            )
        )
    return frames


def slope_per_year(numerators: Array, denominators: Array, years: Array) -> Array:
    """Slope of numerator/denominator against the year, per row (NaN without dwellings)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(denominators > 0, numerators / denominators, np.nan)
    t = years - years.mean()
    valid = ~np.isnan(shares).any(axis=1)
    slope = np.full(len(shares), np.nan)
    slope[valid] = (shares[valid] - shares[valid].mean(axis=1, keepdims=True)) @ t / (t @ t)
    return slope
