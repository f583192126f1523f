"""What an indicator is: a pure function plus metadata, and the context it reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd

from veerkracht.domain.levels import UNIT_LEVELS, Level

Array = npt.NDArray[np.float64]


class Family(StrEnum):
    LOAD = "load"  # draaglast
    CAPACITY = "capacity"  # draagkracht
    CONTEXT = "context"


class Unit(StrEnum):
    COUNT = "count"
    SHARE = "share"  # 0–1
    PER_100 = "per_100"  # per 100 dwellings
    SCORE = "score"  # an average score (e.g. Leefbaarometer)
    CHANGE = "change"  # change per year of a share, in share points


class Disclosure(StrEnum):
    PUBLIC = "public"  # public reference data: shown to everyone
    SENSITIVE = "sensitive"  # aggregated sensitive figure: disclosure control for the public


@dataclass(frozen=True)
class Context:
    """Everything indicators read. Events are counted per dwelling and year beforehand.

    ``counts[name]`` is an array (dwellings × years) of how many events of that kind fell on
    each dwelling in each year of ``years``; ``dwellings`` carries the level keys and the
    dwelling's own attributes (owned, floor_area_m2, rent_class, lbm_soc, …).
    """

    dwellings: pd.DataFrame
    years: tuple[int, ...]
    counts: dict[str, npt.NDArray[np.float64]]
    assets: pd.DataFrame  # asset_id, kind, visibility, x, y
    assets_radius_m: float = 300.0
    extra: dict[str, object] = field(default_factory=dict)

    def year_index(self, year: int) -> int:
        return self.years.index(year)

    def window(self, name: str, year: int, length: int) -> Array | None:
        """Events of kind ``name`` per dwelling in the ``length`` years up to ``year``.

        None when the data do not reach back far enough (the window would be incomplete).
        """
        end = self.year_index(year) + 1
        start = end - length
        if start < 0:
            return None
        cube = self.counts.get(name)
        if cube is None:
            return np.zeros(len(self.dwellings), dtype=float)
        return cube[:, start:end].sum(axis=1)

    def column(self, name: str) -> Array:
        return self.dwellings[name].to_numpy(dtype=float)

    @property
    def ones(self) -> Array:
        return np.ones(len(self.dwellings), dtype=float)


@dataclass(frozen=True)
class Terms:
    """Numerator and denominator per dwelling; a unit's value is the ratio of their sums."""

    numerator: Array
    denominator: Array


@dataclass(frozen=True)
class Indicator:
    """An indicator: key, Dutch label and explanation (B1), unit, family, levels, source.

    Exactly one of ``per_dwelling`` (additive: summed per unit, so roll-ups keep totals),
    ``per_unit`` (spatial: computed from a unit's location) or ``derived_from`` (computed from
    another indicator's yearly values) is set. A per_dwelling function returns None for a year
    whose data are incomplete.
    """

    key: str
    label: str
    description: str
    unit: Unit
    family: Family
    disclosure: Disclosure
    source: str
    per_dwelling: Callable[[Context, int], Terms | None] | None = None
    per_unit: Callable[[Context, pd.DataFrame], Array] | None = None
    derived_from: str | None = None
    #: Spread measures: how unevenly ``spread_of``'s numerator lies over the sub-units of
    #: ``spread_level`` inside each unit ("dissimilarity" or "isolation").
    spread_of: str | None = None
    spread_level: Level | None = None
    spread_measure: str | None = None
    levels: tuple[Level, ...] = UNIT_LEVELS
    #: For load indicators: is a high value a concern (True) — for capacity a strength.
    higher_is_more: bool = True

    def value(self, numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> Array:
        """The shown value from summed terms (NaN where the denominator is zero)."""
        num = np.asarray(numerator, dtype=float)
        den = np.asarray(denominator, dtype=float)
        if self.unit in (Unit.COUNT, Unit.CHANGE):
            return num
        scale = 100.0 if self.unit == Unit.PER_100 else 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den > 0, scale * num / den, np.nan)


def count_per_dwelling(dwelling_ids: pd.Series, events: pd.DataFrame) -> Array:
    """How many of ``events`` (rows with dwelling_id) fall on each dwelling."""
    counts = events.groupby("dwelling_id").size()
    return dwelling_ids.map(counts).fillna(0).to_numpy(dtype=float)
