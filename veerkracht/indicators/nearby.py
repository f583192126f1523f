"""Counting points within walking distance of a unit (straight lines)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from veerkracht.indicators.base import Array


def count_within(points: pd.DataFrame, units: pd.DataFrame, radius_m: float) -> Array:
    """For each unit (x, y), how many ``points`` (x, y) lie within ``radius_m`` metres."""
    counts = np.zeros(len(units), dtype=float)
    if points.empty or units.empty:
        return counts
    tree = shapely.STRtree(shapely.points(points["x"].to_numpy(), points["y"].to_numpy()))
    centres = shapely.points(units["x"].to_numpy(), units["y"].to_numpy())
    unit_idx, _ = tree.query(centres, predicate="dwithin", distance=radius_m)
    np.add.at(counts, unit_idx, 1.0)
    return counts
