"""What the buurt average hides: how unevenly the inflow is spread over blocks and portieken.

Dissimilarity (D): the share of vulnerable lettings that would have to move to other sub-units
for an even spread over the dwellings, 0 (even) to 1 (all in one place); isolation: the chance
that the neighbour in the same sub-unit of a vulnerable letting is one too. As in PySAL's
segregation measures, computed per unit over its sub-units (blocks or portieken).
"""

from __future__ import annotations

import numpy as np

from veerkracht.domain.levels import Level
from veerkracht.indicators.base import Array, Disclosure, Family, Indicator, Unit

UPPER = (Level.NEIGHBOURHOOD, Level.DISTRICT, Level.MUNICIPALITY)


def dissimilarity(group: Array, total: Array, unit_codes: np.ndarray, n_units: int) -> Array:
    """D per unit: ½ Σ |gᵢ/G − (tᵢ−gᵢ)/(T−G)| over the sub-units i of each unit."""
    G = np.bincount(unit_codes, weights=group, minlength=n_units)
    rest = total - group
    R = np.bincount(unit_codes, weights=rest, minlength=n_units)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.abs(group / G[unit_codes] - rest / R[unit_codes])
    d = 0.5 * np.bincount(unit_codes, weights=np.nan_to_num(term), minlength=n_units)
    return np.where((G > 0) & (R > 0), d, np.nan)


def isolation(group: Array, total: Array, unit_codes: np.ndarray, n_units: int) -> Array:
    """xPx per unit: Σ (gᵢ/G)(gᵢ/tᵢ) over the sub-units i of each unit."""
    G = np.bincount(unit_codes, weights=group, minlength=n_units)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = (group / G[unit_codes]) * np.where(total > 0, group / total, 0.0)
    value = np.bincount(unit_codes, weights=np.nan_to_num(term), minlength=n_units)
    return np.where(G > 0, value, np.nan)


MEASURES = {"dissimilarity": dissimilarity, "isolation": isolation}


def _indicator(measure: str, level: Level, label: str, description: str) -> Indicator:
    return Indicator(
        key=f"inflow_{measure}_{level.value}",
        label=label,
        description=description,
        unit=Unit.SHARE,
        family=Family.LOAD,
        disclosure=Disclosure.SENSITIVE,
        source="corporatie: verhuringen",
        spread_of="vulnerable_lettings_5y",
        spread_level=level,
        spread_measure=measure,
        levels=UPPER,
    )


INDICATORS: tuple[Indicator, ...] = (
    _indicator(
        "dissimilarity",
        Level.BLOCK,
        "Ongelijke spreiding over blokken",
        "Hoe ongelijk de instroom van kwetsbare huishoudens (5 jaar) over de blokken verdeeld "
        "is. 0 betekent: overal even veel. 1 betekent: alles in één blok.",
    ),
    _indicator(
        "dissimilarity",
        Level.ENTRANCE,
        "Ongelijke spreiding over portieken",
        "Hoe ongelijk de instroom van kwetsbare huishoudens (5 jaar) over de portieken verdeeld "
        "is. 0 betekent: overal even veel. 1 betekent: alles in één portiek.",
    ),
    _indicator(
        "isolation",
        Level.ENTRANCE,
        "Samen in één portiek",
        "De kans dat een nieuw kwetsbaar huishouden in een portiek woont waar meer kwetsbare "
        "huishoudens zijn ingestroomd (5 jaar).",
    ),
)
