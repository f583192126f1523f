"""Profiles: each unit's figures against comparable units, its parent, and what it has.

Comparable units are the units of the same level in the municipality. For every indicator a
unit gets its (shrunk) estimate, its percentile among comparable units (0 = lowest, 1 =
highest) and the gap to its parent unit ("what the buurt hides"). Load and capacity scores are
mean percentiles of a few core indicators; a profile always lists capacity first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from veerkracht.domain.levels import PARENT, Level

#: Core indicators of the load and capacity scores (shrunk estimates where rates).
LOAD_CORE = ("vulnerable_lettings_3y", "turnover", "nuisance_per_100", "signals_per_100")
CAPACITY_CORE = ("assets_nearby", "active_residents_per_100", "long_stay_share")


@dataclass(frozen=True)
class Scores:
    """Per unit of one level: load and capacity scores (0–1) and the percentile table."""

    table: pd.DataFrame  # key × indicator percentiles
    load: pd.Series
    capacity: pd.Series


def percentiles(values: pd.DataFrame, level: str, year: int) -> pd.DataFrame:
    """Wide table key × indicator with the percentile rank of each unit's estimate."""
    part = values[(values["level"] == level) & (values["year"] == year)]
    wide = part.pivot_table(index="key", columns="indicator", values="estimate", aggfunc="first")
    return wide.rank(pct=True, method="average")


def scores(values: pd.DataFrame, level: str, year: int) -> Scores:
    """Load and capacity scores of every unit of ``level`` in ``year``."""
    table = percentiles(values, level, year)
    load = _mean_of(table, LOAD_CORE)
    capacity = _mean_of(table, CAPACITY_CORE)
    return Scores(table=table, load=load, capacity=capacity)


def scale_gaps(values: pd.DataFrame, units: pd.DataFrame, year: int) -> pd.DataFrame:
    """For every unit and indicator: the parent's value and the gap (unit − parent)."""
    part = values[values["year"] == year][["level", "key", "indicator", "value"]]
    parents = units[["level", "key", "parent_key"]].copy()
    parents["parent_level"] = [
        (PARENT[Level(level)].value if PARENT[Level(level)] else None) for level in parents["level"]
    ]
    merged = part.merge(parents, on=["level", "key"], how="left")
    lookup = part.rename(
        columns={"level": "parent_level", "key": "parent_key", "value": "parent_value"}
    )
    merged = merged.merge(lookup, on=["parent_level", "parent_key", "indicator"], how="left")
    merged["gap"] = merged["value"] - merged["parent_value"]
    return merged


def _mean_of(table: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    present = [c for c in columns if c in table.columns]
    if not present:
        return pd.Series(np.nan, index=table.index)
    return table[present].mean(axis=1)
