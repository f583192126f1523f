"""Positive deviance: places that do better than their load predicts, and what they have.

A Poisson regression with exposure (iteratively reweighted least squares) predicts each block's
nuisance complaints over the last three years from its load: the inflow of vulnerable
households, turnover, small and cheap dwellings. Blocks with clearly fewer complaints than
predicted (observed ÷ expected at most ``max_ratio``, and a Poisson probability of so few below
``max_p``) despite an inflow above the municipal median are listed, with their capacity:
places nearby, active residents, long-staying households.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

PREDICTORS = ("vulnerable_lettings_3y", "turnover", "small_dwellings_share", "cheap_rent_share")
OUTCOME = "nuisance_per_100"
YEARS = 3
CAPACITY_SHOWN = (
    "assets_nearby",
    "active_residents_per_100",
    "active_residents_nearby",
    "long_stay_share",
)


@dataclass(frozen=True)
class DevianceRules:
    level: str = "block"
    min_expected: float = 5.0
    max_ratio: float = 0.6
    max_p: float = 0.05


@dataclass
class Deviant:
    level: str
    key: str
    name: str
    observed: float
    expected: float
    ratio: float
    p_value: float
    has: dict[str, float] = field(default_factory=dict)


def fit_poisson(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    exposure: npt.NDArray[np.float64],
    *,
    iterations: int = 50,
) -> npt.NDArray[np.float64]:
    """Coefficients of log E[y] = log(exposure) + [1, x]·β by IRLS (x without intercept)."""
    design = np.column_stack([np.ones(len(x)), x])
    offset = np.log(exposure)
    beta = np.zeros(design.shape[1])
    beta[0] = np.log(max(y.sum(), 1e-9) / exposure.sum())
    for _ in range(iterations):
        mu = np.exp(design @ beta + offset)
        z = design @ beta + (y - mu) / mu
        weighted = design * mu[:, None]
        step = np.linalg.lstsq(design.T @ weighted, weighted.T @ z, rcond=None)[0]
        if np.allclose(step, beta, atol=1e-8):
            beta = step
            break
        beta = step
    return beta


def find_positive_deviance(
    values: pd.DataFrame, units: pd.DataFrame, year: int, rules: DevianceRules | None = None
) -> list[Deviant]:
    """Units of ``rules.level`` with clearly fewer complaints than their load predicts."""
    rules = rules or DevianceRules()
    frame = _model_frame(values, rules.level, year)
    if len(frame) < len(PREDICTORS) + 5:
        return []
    x = frame[list(PREDICTORS)].to_numpy(dtype=float)
    beta = fit_poisson(x, frame["observed"].to_numpy(), frame["exposure"].to_numpy())
    design = np.column_stack([np.ones(len(x)), x])
    frame["expected"] = np.exp(design @ beta) * frame["exposure"]
    frame["ratio"] = frame["observed"] / frame["expected"]
    frame["p_value"] = stats.poisson.cdf(frame["observed"], frame["expected"])
    median_load = frame["vulnerable_lettings_3y"].median()
    chosen = frame[
        (frame["expected"] >= rules.min_expected)
        & (frame["ratio"] <= rules.max_ratio)
        & (frame["p_value"] <= rules.max_p)
        & (frame["vulnerable_lettings_3y"] > median_load)
    ].sort_values("ratio")
    names = units.set_index(["level", "key"])["name"]
    latest = values[(values["level"] == rules.level) & (values["year"] == year)]
    capacity = latest.pivot_table(index="key", columns="indicator", values="value", aggfunc="first")
    return [
        Deviant(
            level=rules.level,
            key=key,
            name=str(names.get((rules.level, key), key)),
            observed=float(row.observed),
            expected=float(row.expected),
            ratio=float(row.ratio),
            p_value=float(row.p_value),
            has={
                c: float(capacity.loc[key, c])
                for c in CAPACITY_SHOWN
                if c in capacity.columns and key in capacity.index
            },
        )
        for key, row in chosen.iterrows()
    ]


def _model_frame(values: pd.DataFrame, level: str, year: int) -> pd.DataFrame:
    part = values[
        (values["level"] == level) & (values["year"] > year - YEARS) & (values["year"] <= year)
    ]
    outcome = part[part["indicator"] == OUTCOME].groupby("key")[["numerator", "denominator"]].sum()
    outcome = outcome.rename(columns={"numerator": "observed", "denominator": "exposure"})
    latest = part[part["year"] == year]
    x = latest.pivot_table(index="key", columns="indicator", values="value", aggfunc="first")
    frame = outcome.join(x.reindex(columns=list(PREDICTORS)), how="inner")
    frame = frame[frame["exposure"] > 0].dropna()
    return frame
