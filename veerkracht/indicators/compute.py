"""Compute every indicator for every unit of every level, vectorised."""

from __future__ import annotations

import numpy as np
import pandas as pd

from veerkracht.domain.levels import KEY_COLUMN
from veerkracht.indicators.base import Context, Indicator
from veerkracht.indicators.registry import INDICATORS

COLUMNS = ["level", "key", "year", "indicator", "value", "numerator", "denominator"]


def compute_indicators(
    ctx: Context, units: pd.DataFrame, indicators: tuple[Indicator, ...] = INDICATORS
) -> pd.DataFrame:
    """Long table (level, key, year, indicator, value, numerator, denominator).

    Per-dwelling terms are summed per unit, so every roll-up preserves totals.
    """
    parts = []
    for indicator in indicators:
        if indicator.per_dwelling is not None:
            parts.append(_from_dwellings(ctx, indicator))
        if indicator.per_unit is not None:
            parts.append(_from_units(ctx, units, indicator))
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def _from_dwellings(ctx: Context, indicator: Indicator) -> pd.DataFrame:
    assert indicator.per_dwelling is not None
    terms = indicator.per_dwelling(ctx)
    frames = []
    for level in indicator.levels:
        keys = ctx.dwellings[KEY_COLUMN[level]].to_numpy()
        sums = (
            pd.DataFrame({"key": keys, "numerator": terms.numerator, "denominator": terms.denominator})
            .groupby("key", sort=True)
            .sum()
            .reset_index()
        )
        sums["level"] = level.value
        frames.append(sums)
    frame = pd.concat(frames, ignore_index=True)
    frame["indicator"] = indicator.key
    frame["year"] = ctx.year
    frame["value"] = indicator.value(frame["numerator"], frame["denominator"])
    return frame


def _from_units(ctx: Context, units: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    assert indicator.per_unit is not None
    chosen = units[units["level"].isin([level.value for level in indicator.levels])]
    counts = indicator.per_unit(ctx, chosen)
    return pd.DataFrame(
        {
            "level": chosen["level"].to_numpy(),
            "key": chosen["key"].to_numpy(),
            "year": ctx.year,
            "indicator": indicator.key,
            "value": counts,
            "numerator": counts,
            "denominator": np.nan,
        }
    )
