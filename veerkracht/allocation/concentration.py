"""Concentration of vulnerable households per level: over the cap, dissimilarity, isolation.

- dissimilarity D = ½ Σ_i |g_i/G − o_i/O|: the share of the group that would have to move for an
  even spread over the units (g: group, o: others, over occupied dwellings);
- isolation xPx = Σ_i (g_i/G)(g_i/t_i): the share of the group among the neighbours (within the
  unit) of an average group member (t: occupied dwellings of the unit).

The definitions follow PySAL's ``segregation`` package (Dissim, Isolation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from veerkracht.allocation.instance import ALL_VULNERABLE


def segregation_measures(
    units: np.ndarray, group: np.ndarray, occupied: np.ndarray
) -> tuple[float, float]:
    """(dissimilarity, isolation) of ``group`` over the ``units`` of the occupied dwellings."""
    keys = np.asarray(units)[occupied]
    g = np.asarray(group)[occupied].astype(float)
    codes, inverse = np.unique(keys, return_inverse=True)
    g_i = np.bincount(inverse, weights=g, minlength=len(codes))
    t_i = np.bincount(inverse, minlength=len(codes)).astype(float)
    o_i = t_i - g_i
    total_g, total_o = g_i.sum(), o_i.sum()
    if total_g == 0 or total_o == 0:
        return float("nan"), float("nan")
    dissimilarity = 0.5 * np.abs(g_i / total_g - o_i / total_o).sum()
    isolation = float(np.sum((g_i / total_g) * (g_i / t_i)))
    return float(dissimilarity), isolation


def over_cap_share(units: np.ndarray, group: np.ndarray, caps: pd.DataFrame, level: str) -> float:
    """Share of the capped units of ``level`` (caps on all vulnerable channels together) whose
    vulnerable occupants exceed the cap; NaN when the level has no such cap."""
    rows = caps[(caps["level"] == level) & (caps["channel"] == ALL_VULNERABLE)]
    if rows.empty:
        return float("nan")
    limit = rows.groupby("key")["max_count"].min()
    counts = pd.Series(np.asarray(group, dtype=float)).groupby(np.asarray(units)).sum()
    load = counts.reindex(limit.index).fillna(0.0)
    return float((load.to_numpy() > limit.to_numpy()).mean())
