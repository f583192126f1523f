"""Assess a built district: estimates, the warning list and positive deviance in one call."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import pandas as pd

from veerkracht.assessment.deviance import DevianceRules, Deviant, find_positive_deviance
from veerkracht.assessment.early_warning import Warning, WarningRules, find_warnings
from veerkracht.assessment.estimates import add_estimates


@dataclass
class Assessment:
    values: pd.DataFrame  # indicator values with estimate, lower, upper
    warnings: list[Warning]
    deviants: list[Deviant]


def assess(
    values: pd.DataFrame,
    units: pd.DataFrame,
    year: int,
    *,
    warning_rules: WarningRules | None = None,
    deviance_rules: DevianceRules | None = None,
) -> Assessment:
    """Shrink small numbers, then find warnings and positive deviance for ``year``."""
    estimated = add_estimates(values, units)
    return Assessment(
        values=estimated,
        warnings=find_warnings(estimated, units, year, warning_rules),
        deviants=find_positive_deviance(estimated, units, year, deviance_rules),
    )


def findings_frame(result: Assessment, year: int) -> pd.DataFrame:
    """Warnings and positive deviance as rows of the findings table."""
    rows = [
        {
            "kind": "warning",
            "level": w.level,
            "key": w.key,
            "year": year,
            "name": w.name,
            "score": w.load_score,
            "details": json.dumps(asdict(w), ensure_ascii=False),
        }
        for w in result.warnings
    ] + [
        {
            "kind": "positive_deviance",
            "level": d.level,
            "key": d.key,
            "year": year,
            "name": d.name,
            "score": 1 - d.ratio,
            "details": json.dumps(asdict(d), ensure_ascii=False),
        }
        for d in result.deviants
    ]
    return pd.DataFrame(rows, columns=["kind", "level", "key", "year", "name", "score", "details"])
