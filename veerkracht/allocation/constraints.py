"""Caps of an instance expanded to one row per capped unit, and the sparse model built on them.

The model: one variable per allowed pair (household, vacancy), maximise the sum of scores subject
to each household at most once, each vacancy at most once, and per capped unit and channel group
``assigned <= max_count - occupied`` (never below zero).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from veerkracht.allocation.instance import ALL_VULNERABLE, EVERY_UNIT, INSTANCE_LEVELS, Instance
from veerkracht.domain.channels import Channel

REGULIER = Channel.REGULIER.value


@dataclass(frozen=True)
class Model:
    """The assignment model in arrays (rows: households, vacancies, caps; columns: pairs)."""

    household: np.ndarray  # row index of the pair's household
    vacancy: np.ndarray  # row index of the pair's vacancy
    score: np.ndarray
    matrix: sp.csr_matrix  # (households + vacancies + caps) x pairs
    rhs: np.ndarray
    caps: pd.DataFrame  # expanded caps, one per cap row of the matrix
    n_households: int
    n_vacancies: int

    @property
    def n_caps(self) -> int:
        return len(self.caps)


def matches(channels: pd.Series | np.ndarray, spec: str) -> np.ndarray:
    """Which households of ``channels`` a cap with channel ``spec`` counts."""
    values = np.asarray(channels, dtype=object)
    if spec == ALL_VULNERABLE:
        return values != REGULIER
    return values == spec


def expand_caps(instance: Instance) -> pd.DataFrame:
    """One row per (level, key, channel) that has a vacancy: the tightest max_count, the current
    occupancy it counts, the room left, and whether the unit is over its cap already."""
    pieces = []
    for level in INSTANCE_LEVELS:
        rows = instance.caps[instance.caps["level"] == level]
        if rows.empty:
            continue
        units = pd.Series(instance.vacancies[level].unique(), name="key")
        every = rows[rows["key"] == EVERY_UNIT].drop(columns="key").merge(units, how="cross")
        named = rows[(rows["key"] != EVERY_UNIT) & rows["key"].isin(set(units))]
        pieces.append(pd.concat([every, named], ignore_index=True))
    columns = ["level", "key", "channel", "max_count"]
    if not pieces:
        caps = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    else:
        caps = pd.concat(pieces, ignore_index=True)[columns]
    caps = caps.groupby(["level", "key", "channel"], as_index=False, sort=True)["max_count"].min()
    caps["occupied"] = _occupied(instance.occupancy, caps)
    caps["room"] = (caps["max_count"] - caps["occupied"]).clip(lower=0).astype(np.int64)
    caps["over_before"] = caps["occupied"] > caps["max_count"]
    return caps


def build_model(instance: Instance, *, with_caps: bool = True) -> Model:
    """The sparse assignment model of ``instance`` (caps left out when ``with_caps`` is false)."""
    hh_index = pd.Index(instance.households["household_id"])
    vac_index = pd.Index(instance.vacancies["vacancy_id"])
    household = hh_index.get_indexer(instance.scores["household_id"]).astype(np.int64)
    vacancy = vac_index.get_indexer(instance.scores["vacancy_id"]).astype(np.int64)
    n_h, n_v, n_p = len(hh_index), len(vac_index), len(household)
    caps = expand_caps(instance) if with_caps else expand_caps(_without_caps(instance))
    cap_rows, cap_cols = _cap_entries(instance, caps, household, vacancy)
    rows = np.concatenate([household, n_h + vacancy, n_h + n_v + cap_rows])
    cols = np.concatenate([np.arange(n_p), np.arange(n_p), cap_cols])
    shape = (n_h + n_v + len(caps), n_p)
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    rhs = np.concatenate([np.ones(n_h + n_v), caps["room"].to_numpy(dtype=float)])
    return Model(
        household=household,
        vacancy=vacancy,
        score=instance.scores["score"].to_numpy(dtype=float),
        matrix=matrix,
        rhs=rhs,
        caps=caps,
        n_households=n_h,
        n_vacancies=n_v,
    )


def describe_structure(instance: Instance, caps: pd.DataFrame) -> str:
    """The structure of the caps: "no caps", "one capped group, nested caps", "one capped group"
    or "several capped groups"."""
    if caps.empty:
        return "no caps"
    present = set(instance.households["channel"]) - {REGULIER}
    groups = {frozenset(c for c in present if matches([c], spec)[0]) for spec in caps["channel"]}
    groups.discard(frozenset())
    if len(groups) > 1:
        return "several capped groups"
    return "one capped group, nested caps" if is_nested(instance) else "one capped group"


def is_nested(instance: Instance) -> bool:
    """True when every entrance lies in one building, every building in one block, every block in
    one buurt (the caps then form a laminar family)."""
    vac = instance.vacancies
    for small, large in zip(INSTANCE_LEVELS, INSTANCE_LEVELS[1:], strict=False):
        if (vac.groupby(small)[large].nunique() > 1).any():
            return False
    return True


def _without_caps(instance: Instance) -> Instance:
    return Instance(
        vacancies=instance.vacancies,
        households=instance.households,
        scores=instance.scores,
        occupancy=instance.occupancy,
        caps=instance.caps.iloc[0:0],
    )


def _occupied(occupancy: pd.DataFrame, caps: pd.DataFrame) -> np.ndarray:
    if caps.empty:
        return np.zeros(0, dtype=np.int64)
    occ = occupancy.assign(count=occupancy["count"].astype(np.int64))
    specific = occ.rename(columns={"count": "occupied"})[["level", "key", "channel", "occupied"]]
    grouped = (
        occ[occ["channel"] != REGULIER]
        .groupby(["level", "key"], as_index=False)["count"]
        .sum()
        .rename(columns={"count": "occupied"})
        .assign(channel=ALL_VULNERABLE)
    )
    table = pd.concat([specific, grouped], ignore_index=True)
    merged = caps[["level", "key", "channel"]].merge(
        table, how="left", on=["level", "key", "channel"]
    )
    return merged["occupied"].fillna(0).to_numpy(dtype=np.int64)


def _cap_entries(
    instance: Instance, caps: pd.DataFrame, household: np.ndarray, vacancy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(cap row, pair column) of every pair a cap counts."""
    if caps.empty or len(household) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    pair_channel = instance.households["channel"].to_numpy(dtype=object)[household]
    rows, cols = [], []
    caps = caps.reset_index(drop=True)
    for (level, spec), group in caps.groupby(["level", "channel"], sort=False):
        counted = np.flatnonzero(matches(pair_channel, str(spec)))
        if counted.size == 0:
            continue
        unit_of_pair = instance.vacancies[str(level)].to_numpy(dtype=object)[vacancy[counted]]
        lookup = pd.Index(group["key"].to_numpy(dtype=object))
        position = lookup.get_indexer(unit_of_pair)
        hit = position >= 0
        rows.append(group.index.to_numpy()[position[hit]])
        cols.append(counted[hit])
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)
