"""Disclosure control, decided once and enforced here (DESIGN: privacy classes).

Public viewers see sensitive aggregates only at block level and above, never of a group under
10 dwellings, never a count of 1–9 (zeros in sensitive categories count as disclosive too), and
counts rounded to multiples of 5; a rate is shown only when its numerator and denominator pass,
and is computed from the rounded figures. Professionals and analysts see unrounded figures
within their scope; outside it they are treated as the public. Public reference data (BAG) is
shown to everyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from veerkracht.domain.levels import PUBLIC_MIN_LEVEL, Level, rank
from veerkracht.indicators.base import Disclosure, Unit
from veerkracht.indicators.registry import BY_KEY

MIN_CELL = 10
ROUND_TO = 5
ROLES = ("public", "professional", "analyst", "admin")

#: Reasons a figure was withheld, with the Dutch text the UI shows.
REASONS = {
    "below_block": "Niet openbaar onder blokniveau",
    "small_group": "Te weinig woningen om te tonen",
    "small_count": "Te klein aantal om te tonen",
}


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a role and a scope (area codes; empty = everywhere for analysts/admins)."""

    role: str = "public"
    scope: frozenset[str] = field(default_factory=frozenset)
    name: str | None = None

    def sees_sensitive_in(self, area_codes: set[str]) -> bool:
        """True when this viewer may see unrounded sensitive figures of a unit in these areas."""
        if self.role == "admin":
            return True
        if self.role in ("professional", "analyst"):
            return not self.scope or bool(self.scope & area_codes)
        return False


PUBLIC = Viewer()


def disclose(
    frame: pd.DataFrame,
    *,
    level: str,
    viewer: Viewer,
    area_codes: set[str] | None = None,
) -> pd.DataFrame:
    """Indicator rows as ``viewer`` may see them; withheld figures carry a ``withheld`` reason.

    ``frame`` has columns indicator, value, numerator, denominator (one unit or many of one level).
    """
    out = frame.copy()
    out["withheld"] = None
    if viewer.sees_sensitive_in(area_codes or set()):
        return out
    sensitive = out["indicator"].map(lambda k: BY_KEY[k].disclosure == Disclosure.SENSITIVE)
    sensitive = sensitive.to_numpy(dtype=bool)
    if rank(Level(level)) < rank(PUBLIC_MIN_LEVEL):
        _withhold(out, sensitive, "below_block")
        return out
    numerator = out["numerator"].to_numpy(dtype=float)
    denominator = out["denominator"].to_numpy(dtype=float)
    small_group = sensitive & ~(np.nan_to_num(denominator, nan=MIN_CELL) >= MIN_CELL)
    small_count = sensitive & ~small_group & ~(numerator >= MIN_CELL)
    _withhold(out, small_group, "small_group")
    _withhold(out, small_count, "small_count")
    passing = sensitive & ~small_group & ~small_count
    rounded_num = _round(numerator)
    rounded_den = np.where(np.isnan(denominator), np.nan, _round(denominator))
    out.loc[passing, "numerator"] = rounded_num[passing]
    out.loc[passing, "denominator"] = rounded_den[passing]
    for indicator_key in out.loc[passing, "indicator"].unique():
        rows = passing & (out["indicator"] == indicator_key).to_numpy()
        if _is_ratio(indicator_key):
            value = BY_KEY[indicator_key].value(rounded_num[rows], rounded_den[rows])
            out.loc[rows, "value"] = value
        elif BY_KEY[indicator_key].unit is Unit.COUNT:
            out.loc[rows, "value"] = rounded_num[rows]  # a count is its numerator: rounded too
        # trends and spread indices are not numerator ÷ denominator: shown as computed
    # shrunk estimates are computed from exact counts: not for the public
    for column in ("estimate", "lower", "upper"):
        if column in out.columns:
            out.loc[sensitive, column] = np.nan
    return out


def disclose_count(
    count: int, *, level: str, viewer: Viewer, area_codes: set[str] | None = None
) -> tuple[int | None, str | None]:
    """A sensitive count (e.g. active residents in a unit) as ``viewer`` may see it.

    Returns (count, None) when it may be shown, else (None, reason): ``below_block`` or
    ``small_count`` (under MIN_CELL, zero included); a shown count is rounded to ROUND_TO.
    """
    if viewer.sees_sensitive_in(area_codes or set()):
        return count, None
    if rank(Level(level)) < rank(PUBLIC_MIN_LEVEL):
        return None, "below_block"
    if count < MIN_CELL:
        return None, "small_count"
    return int(_round(np.array([float(count)]))[0]), None


def _is_ratio(key: str) -> bool:
    indicator = BY_KEY[key]
    return indicator.per_dwelling is not None


def _withhold(out: pd.DataFrame, mask: np.ndarray, reason: str) -> None:
    columns = [
        c
        for c in ("value", "numerator", "denominator", "estimate", "lower", "upper")
        if c in out.columns
    ]
    out.loc[mask, columns] = np.nan
    out.loc[mask, "withheld"] = reason


def _round(values: np.ndarray) -> np.ndarray:
    return np.round(values / ROUND_TO) * ROUND_TO
