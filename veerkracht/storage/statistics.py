"""Read public reference figures of one area: CBS kerncijfers and Leefbaarometer scores."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from veerkracht.storage import tables as t
from veerkracht.storage.engine import Store

#: The Leefbaarometer score columns: overall score, deviation, then the five dimensions.
LIVEABILITY_SCORES = ("lbm", "afw", "fys", "onv", "soc", "vrz", "won")


def read_area_statistics(store: Store, level: str, code: str) -> pd.DataFrame:
    """CBS figures of one area (all years): year, variable, value, missing_reason, source.

    A missing value keeps ``value`` empty and says why in ``missing_reason``.
    """
    table = t.area_statistics
    query = (
        select(
            table.c.year, table.c.variable, table.c.value, table.c.missing_reason, table.c.source
        )
        .where(table.c.level == level, table.c.code == code)
        .order_by(table.c.year, table.c.variable)
    )
    with store.engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    frame["year"] = pd.to_numeric(frame["year"]).astype("Int64")
    frame["value"] = pd.to_numeric(frame["value"]).astype("float64")
    return frame


def read_liveability(store: Store, level: str, code: str) -> pd.DataFrame:
    """Leefbaarometer scores of one area, one row per year (oldest first)."""
    table = t.liveability_scores
    query = (
        select(table.c.year, table.c.name, *(table.c[c] for c in LIVEABILITY_SCORES))
        .where(table.c.level == level, table.c.code == code)
        .order_by(table.c.year)
    )
    with store.engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    frame["year"] = pd.to_numeric(frame["year"]).astype("Int64")
    for column in LIVEABILITY_SCORES:
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame
