"""What an indicator is: a pure function plus metadata, and the context it reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd

from veerkracht.domain.levels import UNIT_LEVELS, Level


class Family(StrEnum):
    LOAD = "load"  # draaglast
    CAPACITY = "capacity"  # draagkracht
    CONTEXT = "context"


class Unit(StrEnum):
    COUNT = "count"
    SHARE = "share"  # 0–1
    PER_100 = "per_100"  # per 100 dwellings


class Disclosure(StrEnum):
    PUBLIC = "public"  # public reference data: shown to everyone
    SENSITIVE = "sensitive"  # aggregated sensitive figure: disclosure control for the public


@dataclass(frozen=True)
class Context:
    """Everything indicators read, for one reference year. Dwellings carry their level keys."""

    dwellings: pd.DataFrame  # dwelling_id, keys per level, x, y, owned (bool)
    lettings: pd.DataFrame  # dwelling_id, date, channel
    moveouts: pd.DataFrame  # dwelling_id, date
    nuisance: pd.DataFrame  # dwelling_id, date, category
    assets: pd.DataFrame  # asset_id, kind, visibility, x, y
    year: int
    assets_radius_m: float = 300.0


@dataclass(frozen=True)
class Terms:
    """Numerator and denominator per dwelling; a unit's value is the ratio of their sums."""

    numerator: npt.NDArray[np.float64]
    denominator: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Indicator:
    """An indicator: key, Dutch label and explanation (B1), unit, family, levels, source."""

    key: str
    label: str
    description: str
    unit: Unit
    family: Family
    disclosure: Disclosure
    source: str
    per_dwelling: Callable[[Context], Terms] | None = None
    per_unit: Callable[[Context, pd.DataFrame], npt.NDArray[np.float64]] | None = None
    levels: tuple[Level, ...] = UNIT_LEVELS

    def value(self, numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """The shown value from summed terms (NaN where the denominator is zero)."""
        num = np.asarray(numerator, dtype=float)
        den = np.asarray(denominator, dtype=float)
        if self.unit == Unit.COUNT:
            return num
        scale = 100.0 if self.unit == Unit.PER_100 else 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den > 0, scale * num / den, np.nan)


def count_per_dwelling(ctx: Context, events: pd.DataFrame) -> npt.NDArray[np.float64]:
    """How many of ``events`` (rows with dwelling_id) fall on each dwelling of the context."""
    counts = events.groupby("dwelling_id").size()
    return ctx.dwellings["dwelling_id"].map(counts).fillna(0).to_numpy(dtype=float)


def in_years(frame: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Rows whose ``date`` lies in the years first..last (inclusive)."""
    years = pd.to_datetime(frame["date"]).dt.year
    return frame[(years >= first) & (years <= last)]
