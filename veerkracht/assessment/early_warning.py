"""Early warning: units where load is high, rising and above what the place can carry.

A unit is on the list when (1) its load score is at or above the threshold percentile among
comparable units, (2) the yearly inflow of vulnerable households is rising faster than the
threshold, with the rise larger than its uncertainty, and (3) its load score exceeds its
capacity score. Small units need enough dwellings; their rates are shrunk estimates, so one
letting in a portiek of 8 dwellings never raises an alarm. Each warning says why, in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from veerkracht.assessment import profile
from veerkracht.assessment.wording import describe_value
from veerkracht.indicators.registry import BY_KEY

WARNING_LEVELS = ("entrance", "building", "block", "street", "neighbourhood")


@dataclass(frozen=True)
class WarningRules:
    """Thresholds of the warning list (settings, never hard-coded truths)."""

    load_percentile: float = 0.8
    trend_min: float = 0.004  # share per year: 0.4 percentage point more inflow each year
    min_dwellings: int = 20


@dataclass
class Warning:
    level: str
    key: str
    name: str
    load_score: float
    capacity_score: float
    trend: float
    reasons: list[str] = field(default_factory=list)


def find_warnings(
    values: pd.DataFrame, units: pd.DataFrame, year: int, rules: WarningRules | None = None
) -> list[Warning]:
    """The warning list for ``year``, highest load first within each level."""
    rules = rules or WarningRules()
    found: list[Warning] = []
    municipality = _municipality_values(values, year)
    this_year = values[values["year"] == year]
    for level in WARNING_LEVELS:
        result = profile.scores(values, level, year)
        if result.load.empty:
            continue
        level_units = units[units["level"] == level].set_index("key")
        frame = pd.DataFrame({"load": result.load, "capacity": result.capacity.fillna(0.0)})
        frame["trend"] = _trend(values, level, year).reindex(frame.index).fillna(0.0)
        frame["dwellings"] = level_units["dwellings"].reindex(frame.index).fillna(0)
        chosen = frame[
            (frame["dwellings"] >= rules.min_dwellings)
            & (frame["load"] >= rules.load_percentile)
            & (frame["trend"] >= rules.trend_min)
            & (frame["load"] > frame["capacity"])
        ]
        if chosen.empty:
            continue
        mine = this_year[(this_year["level"] == level) & this_year["key"].isin(chosen.index)]
        for key, row in chosen.iterrows():
            unit_values = mine[mine["key"] == key].set_index("indicator")
            found.append(
                Warning(
                    level=level,
                    key=str(key),
                    name=str(level_units["name"].get(key, key)),
                    load_score=float(row["load"]),
                    capacity_score=float(row["capacity"]),
                    trend=float(row["trend"]),
                    reasons=_reasons(
                        unit_values,
                        result.table.loc[key],
                        municipality,
                        float(row["trend"]),
                        float(row["load"]),
                        float(row["capacity"]),
                    ),
                )
            )
    return sorted(found, key=lambda w: (WARNING_LEVELS.index(w.level), -w.load_score))


def _trend(values: pd.DataFrame, level: str, year: int) -> pd.Series:
    part = values[
        (values["level"] == level)
        & (values["indicator"] == "vulnerable_inflow_trend")
        & (values["year"] == year)
    ]
    return part.set_index("key")["value"].fillna(0.0)


def _municipality_values(values: pd.DataFrame, year: int) -> pd.Series:
    part = values[(values["level"] == "municipality") & (values["year"] == year)]
    return part.groupby("indicator")["value"].mean()


def _reasons(
    unit: pd.DataFrame,
    percentile: pd.Series,
    municipality: pd.Series,
    trend: float,
    load: float,
    capacity: float,
) -> list[str]:
    reasons = []
    for key in profile.LOAD_CORE:
        if key in unit.index and percentile.get(key, 0.0) >= 0.8:
            indicator = BY_KEY[key]
            own = describe_value(indicator, float(unit.loc[key, "estimate"]))
            town = describe_value(indicator, float(municipality.get(key, float("nan"))))
            reasons.append(f"{indicator.label}: {own} (in de hele gemeente {town}).")
    points = trend * 100
    reasons.append(
        f"De instroom van kwetsbare huishoudens stijgt: elk jaar ongeveer {points:.1f}".replace(
            ".", ","
        )
        + " procentpunt meer (laatste 6 jaar)."
    )
    reasons.append(
        f"De draaglast is hoger dan bij {round(load * 100)} van de 100 vergelijkbare plekken; "
        f"de draagkracht hoger dan bij {round(capacity * 100)} van de 100."
    )
    return reasons
