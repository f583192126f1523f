"""Count events (lettings, move-outs, complaints, signals) per dwelling and year, once."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from veerkracht.domain.channels import VULNERABLE_CHANNELS, Channel

#: Signal categories that count as load, grouped as the indicators show them.
SIGNAL_GROUPS: dict[str, tuple[str, ...]] = {
    "overlast": ("overlast_geluid", "overlast_afval", "overlast"),
    "spanningen": ("spanningen",),
    "onveilig": ("onveilig",),
    "zorg": ("zorg_om_buur",),
}
NUISANCE_CATEGORIES = ("geluid", "afval", "burenruzie", "vervuiling", "intimidatie", "overig")
SIGNAL_SNAP_M = 30.0


def count_cube(
    dwelling_index: pd.Index, years: tuple[int, ...], dwelling_ids: pd.Series, dates: pd.Series
) -> npt.NDArray[np.float64]:
    """Array (dwellings × years) with the number of events per dwelling and year."""
    cube = np.zeros((len(dwelling_index), len(years)), dtype=float)
    if len(dwelling_ids) == 0:
        return cube
    rows = dwelling_index.get_indexer(dwelling_ids.astype(str))
    year = pd.to_datetime(dates).dt.year.to_numpy()
    cols = year - years[0]
    keep = (rows >= 0) & (cols >= 0) & (cols < len(years))
    np.add.at(cube, (rows[keep], cols[keep]), 1.0)
    return cube


def event_counts(
    dwellings: pd.DataFrame,
    years: tuple[int, ...],
    *,
    lettings: pd.DataFrame,
    moveouts: pd.DataFrame,
    nuisance: pd.DataFrame,
    signals: pd.DataFrame,
) -> dict[str, npt.NDArray[np.float64]]:
    """All count cubes the indicators read, keyed by event kind."""
    index = pd.Index(dwellings["dwelling_id"].astype(str))
    counts: dict[str, npt.NDArray[np.float64]] = {}

    def add(name: str, frame: pd.DataFrame, date_column: str = "date") -> None:
        counts[name] = count_cube(index, years, frame["dwelling_id"], frame[date_column])

    add("lettings", lettings)
    vulnerable = lettings["channel"].isin([c.value for c in VULNERABLE_CHANNELS])
    add("lettings_vulnerable", lettings[vulnerable])
    for channel in VULNERABLE_CHANNELS:
        add(f"lettings_{channel.value}", lettings[lettings["channel"] == channel.value])
    add("lettings_regulier", lettings[lettings["channel"] == Channel.REGULIER.value])
    add("moveouts", moveouts)
    add("nuisance", nuisance)
    for category in NUISANCE_CATEGORIES:
        add(f"nuisance_{category}", nuisance[nuisance["category"] == category])
    located = snap_to_dwellings(signals, dwellings)
    all_load = located[located["category"].isin([c for g in SIGNAL_GROUPS.values() for c in g])]
    add("signals", all_load, "created_at")
    for group, categories in SIGNAL_GROUPS.items():
        add(f"signals_{group}", located[located["category"].isin(categories)], "created_at")
    return counts


def snap_to_dwellings(points: pd.DataFrame, dwellings: pd.DataFrame) -> pd.DataFrame:
    """Give each point (x, y) the id of the nearest dwelling within SIGNAL_SNAP_M metres."""
    out = points.copy()
    out["dwelling_id"] = pd.Series(pd.NA, index=out.index, dtype="object")
    if points.empty or dwellings.empty:
        return out.iloc[0:0]
    tree = shapely.STRtree(shapely.points(dwellings["x"].to_numpy(), dwellings["y"].to_numpy()))
    where = shapely.points(points["x"].to_numpy(), points["y"].to_numpy())
    source, target = tree.query_nearest(where, max_distance=SIGNAL_SNAP_M, all_matches=False)
    ids = dwellings["dwelling_id"].astype(str).to_numpy()
    out.iloc[source, out.columns.get_loc("dwelling_id")] = ids[target]
    return out.dropna(subset=["dwelling_id"])
