"""The stock and its occupancy, loaded from a built veerkracht store.

A dwelling's current occupant channel is the channel of its latest letting; a dwelling with a
move-out after its latest letting is vacant (""); a dwelling without lettings counts as regulier
(the store knows nothing of who lives there, so it adds no load).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from veerkracht.allocation.instance import INSTANCE_LEVELS, VULNERABLE
from veerkracht.domain.channels import Channel
from veerkracht.errors import StoreError
from veerkracht.storage.engine import Store

#: Stock column of each instance level's key in the dwellings table.
STORE_KEYS = {
    "entrance": "entrance_key",
    "building": "building_id",
    "block": "block_key",
    "buurt": "neighbourhood_code",
}
VACANT = ""


@dataclass(frozen=True)
class Stock:
    """Dwellings with their unit keys, size, rent class, assets nearby and occupant channel."""

    dwellings: pd.DataFrame  # dwelling_id, entrance, building, block, buurt, floor_area_m2,
    #                          rent_class, assets_nearby, x, y, channel ("" = vacant)
    lettings: pd.DataFrame  # dwelling_id, date, channel (for recent inflow)

    def unit_sizes(self) -> dict[str, pd.Series]:
        """Dwellings per unit key, for every instance level."""
        return {level: self.dwellings.groupby(level).size() for level in INSTANCE_LEVELS}

    def occupancy(self, *, exclude: set[str] | None = None) -> pd.DataFrame:
        """Occupants per level, key and channel (``exclude``: dwelling ids counted as vacant)."""
        occupied = self.dwellings[self.dwellings["channel"] != VACANT]
        if exclude:
            occupied = occupied[~occupied["dwelling_id"].isin(exclude)]
        return occupancy_of(occupied)


def occupancy_of(dwellings: pd.DataFrame) -> pd.DataFrame:
    """level,key,channel,count of the occupied ``dwellings`` (column ``channel``)."""
    parts = [
        dwellings.groupby([level, "channel"])
        .size()
        .rename("count")
        .reset_index()
        .rename(columns={level: "key"})
        .assign(level=level)
        for level in INSTANCE_LEVELS
    ]
    frame = pd.concat(parts, ignore_index=True)
    return frame[["level", "key", "channel", "count"]]


def load_stock(store: Store, *, support_radius_m: float = 300.0) -> Stock:
    """The stock of a built store with the occupant channel of every dwelling."""
    from veerkracht.storage.sources import read_frame

    dwellings = pd.DataFrame(read_frame(store, "dwellings"))
    if dwellings.empty or dwellings["entrance_key"].isna().all():
        raise StoreError(
            "the store has no built dwellings: run `veerkracht demo` or `veerkracht build` first"
        )
    stock = read_frame(store, "stock")
    lettings = pd.DataFrame(read_frame(store, "lettings"))
    moveouts = pd.DataFrame(read_frame(store, "moveouts"))
    assets = pd.DataFrame(read_frame(store, "assets"))
    frame = dwellings.rename(columns={v: k for k, v in STORE_KEYS.items()})
    frame = frame.merge(stock[["dwelling_id", "rent_class"]], on="dwelling_id", how="left")
    frame["rent_class"] = frame["rent_class"].fillna("").astype(str)
    frame["floor_area_m2"] = frame["floor_area_m2"].astype(float).fillna(0.0)
    for level in INSTANCE_LEVELS:
        frame[level] = frame[level].fillna(frame["dwelling_id"]).astype(str)
    frame["channel"] = occupant_channels(frame["dwelling_id"], lettings, moveouts)
    frame["assets_nearby"] = count_nearby(
        frame[["x", "y"]].to_numpy(), assets[["x", "y"]].to_numpy(), support_radius_m
    )
    columns = [
        "dwelling_id",
        *INSTANCE_LEVELS,
        "floor_area_m2",
        "rent_class",
        "assets_nearby",
        "x",
        "y",
        "channel",
    ]
    return Stock(
        dwellings=frame[columns].reset_index(drop=True),
        lettings=lettings[["dwelling_id", "date", "channel"]],
    )


def occupant_channels(
    dwelling_ids: pd.Series, lettings: pd.DataFrame, moveouts: pd.DataFrame
) -> np.ndarray:
    """Channel of each dwelling's latest letting; "" when a move-out followed it; regulier when
    there is no letting."""
    latest = (
        lettings.assign(date=pd.to_datetime(lettings["date"]))
        .sort_values(["dwelling_id", "date"])
        .groupby("dwelling_id")
        .tail(1)
        .set_index("dwelling_id")
    )
    last_out = (
        moveouts.assign(date=pd.to_datetime(moveouts["date"])).groupby("dwelling_id")["date"].max()
    )
    ids = pd.Index(dwelling_ids.astype(str))
    channel = latest["channel"].astype(str).reindex(ids).fillna(Channel.REGULIER.value)
    let_date = latest["date"].reindex(ids)
    out_date = last_out.reindex(ids)
    vacant = out_date.notna().to_numpy() & (
        let_date.isna().to_numpy() | (out_date.to_numpy() > let_date.to_numpy())
    )
    return np.where(vacant, VACANT, channel.to_numpy(dtype=object))


def count_nearby(points: np.ndarray, others: np.ndarray, radius_m: float) -> np.ndarray:
    """Number of ``others`` within ``radius_m`` of each point."""
    if len(others) == 0 or len(points) == 0:
        return np.zeros(len(points), dtype=np.int64)
    tree = cKDTree(np.asarray(others, dtype=float))
    return np.asarray(
        tree.query_ball_point(np.asarray(points, dtype=float), radius_m, return_length=True),
        dtype=np.int64,
    )


def is_vulnerable(channels: pd.Series | np.ndarray) -> np.ndarray:
    """True for occupants that came in through a vulnerable channel."""
    return np.isin(np.asarray(channels, dtype=object), VULNERABLE)
