"""Suitability of a dwelling for a household, and the instance built from the workspace's stock.

score = base + size × fit + preference × (in a preferred area) + support × (assets nearby), with
the weights of the policy; a pair is left out when the household may not get the dwelling
(too small, an accessibility need the dwelling does not meet, a rent class the policy excludes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from veerkracht.allocation.instance import INSTANCE_LEVELS, Instance
from veerkracht.allocation.policy import Policy
from veerkracht.allocation.stock import Stock, is_vulnerable

_CHUNK_CELLS = 4_000_000
NO_PREFERENCE = 0.5


def score_pairs(vacancies: pd.DataFrame, households: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """household_id, vacancy_id, score of every allowed pair (each household's best
    ``policy.candidates_per_household`` when that is set)."""
    if vacancies.empty or households.empty:
        return pd.DataFrame({"household_id": [], "vacancy_id": [], "score": []})
    step = max(1, _CHUNK_CELLS // max(len(vacancies), 1))
    parts = [
        _score_chunk(vacancies, households.iloc[start : start + step], policy)
        for start in range(0, len(households), step)
    ]
    return pd.concat(parts, ignore_index=True)


def build_instance(
    stock: Stock, vacancies: pd.DataFrame, households: pd.DataFrame, policy: Policy
) -> Instance:
    """The instance of ``vacancies`` (rows of :func:`read_vacancies`) and ``households`` on the
    stock: occupancy without the vacant dwellings, caps of the policy per unit."""
    vacant = set(vacancies["dwelling_id"])
    occupancy = stock.occupancy(exclude=vacant)
    sizes = stock.unit_sizes()
    caps = policy.cap_rows(
        {
            level: sizes[level][sizes[level].index.isin(set(vacancies[level]))]
            for level in INSTANCE_LEVELS
        }
    )
    return Instance.from_frames(
        vacancies=vacancies[["vacancy_id", *INSTANCE_LEVELS]],
        households=households[["household_id", "channel"]],
        scores=score_pairs(vacancies, households, policy),
        occupancy=occupancy,
        caps=caps,
    )


def size_fit(floor_area_m2: np.ndarray, persons: np.ndarray, policy: Policy) -> np.ndarray:
    """1 when the area per person is 0.8–1.5 × the ideal, falling to 0 far above or below;
    NaN (not allowed) below the policy's minimum; 0.5 when the area is unknown."""
    area = np.asarray(floor_area_m2, dtype=float)
    ratio = area / (policy.eligibility.ideal_floor_area_m2_per_person * persons)
    fit = np.clip(
        1.0 - np.maximum.reduce([0.8 - ratio, (ratio - 1.5) / 1.5, np.zeros_like(ratio)]) * 2.0,
        0.0,
        1.0,
    )
    fit = np.where(area <= 0, 0.5, fit)
    too_small = (area > 0) & (area < policy.eligibility.min_floor_area_m2_per_person * persons)
    return np.where(too_small, np.nan, fit)


def _score_chunk(vac: pd.DataFrame, hh: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    n_h, n_v = len(hh), len(vac)
    persons = hh["household_size"].to_numpy(dtype=float)[:, None]
    fit = size_fit(vac["floor_area_m2"].to_numpy(dtype=float)[None, :], persons, policy)
    allowed = ~np.isnan(fit)
    allowed &= _accessible_ok(vac, hh, policy)
    allowed &= _rent_ok(vac, hh, policy)
    preference = _preference(vac, hh)
    vulnerable = is_vulnerable(hh["channel"])[:, None]
    support = (
        np.minimum(vac["assets_nearby"].to_numpy(dtype=float) / policy.support.saturation, 1.0)[
            None, :
        ]
        * vulnerable
    )
    w = policy.weights
    score = w.base + w.size * np.nan_to_num(fit) + w.preference * preference + w.support * support
    score = np.where(allowed, np.round(score, 4), -1.0)
    if policy.candidates_per_household and policy.candidates_per_household < n_v:
        k = policy.candidates_per_household
        top = np.argpartition(-score, k - 1, axis=1)[:, :k]
        keep = np.zeros_like(allowed)
        np.put_along_axis(keep, top, True, axis=1)
        allowed &= keep
    h_idx, v_idx = np.nonzero(allowed)
    return (
        pd.DataFrame(
            {
                "household_id": hh["household_id"].to_numpy()[h_idx],
                "vacancy_id": vac["vacancy_id"].to_numpy()[v_idx],
                "score": score[h_idx, v_idx],
            }
        )
        if n_h
        else pd.DataFrame({"household_id": [], "vacancy_id": [], "score": []})
    )


def _words(series: pd.Series) -> list[set[str]]:
    return [set(str(text).split()) for text in series.fillna("")]


def _accessible_ok(vac: pd.DataFrame, hh: pd.DataFrame, policy: Policy) -> np.ndarray:
    needing = set(policy.eligibility.accessible_needs)
    needs = np.array([bool(words & needing) for words in _words(hh["needs"])])[:, None]
    accessible = vac["accessible"].to_numpy(dtype=bool)[None, :]
    return ~needs | accessible


def _rent_ok(vac: pd.DataFrame, hh: pd.DataFrame, policy: Policy) -> np.ndarray:
    rules = policy.eligibility.rent_classes
    ok = np.ones((len(hh), len(vac)), dtype=bool)
    if not rules:
        return ok
    rent = vac["rent_class"].to_numpy(dtype=object)
    for i, channel in enumerate(hh["channel"]):
        allowed = rules.get(channel, rules.get("*"))
        if allowed is not None:
            ok[i] = np.isin(rent, allowed)
    return ok


def _preference(vac: pd.DataFrame, hh: pd.DataFrame) -> np.ndarray:
    wishes = _words(hh["preferred_areas"])
    buurt = vac["buurt"].to_numpy(dtype=object)
    block = vac["block"].to_numpy(dtype=object)
    out = np.full((len(hh), len(vac)), NO_PREFERENCE)
    for i, words in enumerate(wishes):
        if words:
            out[i] = np.isin(buurt, list(words)) | np.isin(block, list(words))
    return out
