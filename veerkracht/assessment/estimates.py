"""Shrunk estimates for every rate indicator of every unit, towards the unit's parent.

Vectorised over all indicators, levels and years at once: one merge brings each unit its
parent's rate, one group-by gives the prior weight per (indicator, level, year).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from veerkracht.assessment.shrinkage import MAX_WEIGHT, MIN_WEIGHT, shrink
from veerkracht.domain.levels import PARENT
from veerkracht.indicators.base import Unit
from veerkracht.indicators.registry import BY_KEY

RATE_UNITS = (Unit.SHARE, Unit.PER_100)
GROUP = ["indicator", "level", "year"]


def add_estimates(values: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """``values`` with columns estimate, lower, upper (in the indicator's own unit).

    Rates of summed indicators are shrunk towards the same indicator of the parent unit in the
    same year (the municipality towards itself); other indicators keep estimate = value.
    """
    out = values.reset_index(drop=True).copy()
    out["estimate"] = out["value"].astype(float)
    out["lower"] = np.nan
    out["upper"] = np.nan
    is_rate = _lookup(out["indicator"], IS_RATE).astype(bool)
    for level in out.loc[is_rate, "level"].unique():
        # one level at a time (with its parent level's rows) keeps memory bounded
        parent = PARENT_LEVEL.get(str(level), str(level))
        mine = is_rate & (out["level"] == level).to_numpy()
        theirs = is_rate & (out["level"] == parent).to_numpy()
        _shrink_level(out, out[mine], out[theirs], units)
    return out


PARENT_LEVEL = {lv.value: (PARENT[lv].value if PARENT[lv] else lv.value) for lv in PARENT}


def _shrink_level(
    out: pd.DataFrame, rates: pd.DataFrame, parents: pd.DataFrame, units: pd.DataFrame
) -> None:
    if rates.empty:
        return
    rates = _with_parent_rate(rates, parents, units)
    rates["binomial"] = _lookup(rates["indicator"], BINOMIAL).astype(bool)
    weights = _prior_weights(rates)
    k = rates[GROUP].merge(weights, on=GROUP, how="left")["weight"].to_numpy()
    result = shrink(
        rates["numerator"].to_numpy(dtype=float),
        rates["denominator"].to_numpy(dtype=float),
        rates["parent_rate"].to_numpy(dtype=float),
        weight=k,
        binomial=rates["binomial"].to_numpy(dtype=bool),
    )
    scale = _lookup(rates["indicator"], SCALE).astype(float)
    out.loc[rates.index, "estimate"] = result.estimate * scale
    out.loc[rates.index, "lower"] = result.lower * scale
    out.loc[rates.index, "upper"] = result.upper * scale


IS_RATE = {
    key: indicator.per_dwelling is not None and indicator.unit in RATE_UNITS
    for key, indicator in BY_KEY.items()
}
BINOMIAL = {key: indicator.unit == Unit.SHARE for key, indicator in BY_KEY.items()}
SCALE = {key: 100.0 if indicator.unit == Unit.PER_100 else 1.0 for key, indicator in BY_KEY.items()}


def _lookup(keys: pd.Series, table: dict[str, float] | dict[str, bool]) -> np.ndarray:
    """Vectorised dict lookup through categorical codes (fast on millions of rows)."""
    codes = pd.Categorical(keys)
    values = np.array([table.get(str(c), 0) for c in codes.categories] + [0])
    return values[codes.codes]


def _with_parent_rate(
    rates: pd.DataFrame, parent_rows: pd.DataFrame, units: pd.DataFrame
) -> pd.DataFrame:
    level = str(rates["level"].iloc[0])
    parents = units.loc[units["level"] == level, ["level", "key", "parent_key"]].copy()
    parents["parent_level"] = PARENT_LEVEL.get(level, level)
    top = parents["parent_key"].isna()
    parents.loc[top, "parent_key"] = parents.loc[top, "key"]
    merged = rates.reset_index().merge(parents, on=["level", "key"], how="left")
    lookup = parent_rows[["level", "key", "indicator", "year", "numerator", "denominator"]].rename(
        columns={
            "level": "parent_level",
            "key": "parent_key",
            "numerator": "parent_num",
            "denominator": "parent_den",
        }
    )
    merged = merged.merge(
        lookup, on=["parent_level", "parent_key", "indicator", "year"], how="left"
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        own = merged["numerator"] / merged["denominator"]
        parent = merged["parent_num"] / merged["parent_den"]
    merged["parent_rate"] = parent.where(parent.notna() & np.isfinite(parent), own).fillna(0.0)
    return merged.set_index("index")


def _prior_weights(rates: pd.DataFrame) -> pd.DataFrame:
    """Method-of-moments prior weight per (indicator, level, year); see shrinkage.prior_weight."""
    frame = rates[rates["denominator"] > 0][GROUP + ["numerator", "denominator", "binomial"]].copy()
    frame["rate"] = frame["numerator"] / frame["denominator"]
    totals = frame.groupby(GROUP)[["numerator", "denominator"]].transform("sum")
    frame["w"] = frame["denominator"] / totals["denominator"]
    frame["mean"] = totals["numerator"] / totals["denominator"]
    frame["observed"] = frame["w"] * (frame["rate"] - frame["mean"]) ** 2
    frame["spread"] = np.where(
        frame["binomial"], frame["mean"] * (1 - frame["mean"]), frame["mean"]
    )
    frame["chance"] = frame["w"] * frame["spread"] / frame["denominator"]
    grouped = frame.groupby(GROUP).agg(
        spread=("spread", "first"),
        binomial=("binomial", "first"),
        observed=("observed", "sum"),
        chance=("chance", "sum"),
        n=("rate", "size"),
    )
    between = grouped["observed"] - grouped["chance"]
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = grouped["spread"] / between - grouped["binomial"].astype(float)
        weight = np.where(
            (between > 0) & (grouped["n"] >= 3) & (grouped["spread"] > 0),
            np.clip(raw, MIN_WEIGHT, MAX_WEIGHT),
            MAX_WEIGHT,
        )
    return pd.DataFrame({"weight": weight}, index=grouped.index).reset_index()
