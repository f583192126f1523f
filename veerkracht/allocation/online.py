"""Online allocation: vacancies arrive one by one and each is decided at once.

- ``first-come``: the vacancy goes to the longest-waiting household that may get it (caps are
  not looked at — the baseline);
- ``cap-rule``: the longest-waiting household whose placement keeps every cap;
- ``dual-price``: the household with the highest score minus its price minus the prices of the
  caps it would use, among those that keep every cap; the vacancy is passed on when that value
  is negative. Prices are the LP duals of a *forecast* of the stream (never the stream itself),
  solved again a few times along the way for the part still to come.

:func:`compare_online` measures each against the hindsight optimum of the same stream.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from veerkracht.allocation.constraints import build_model
from veerkracht.allocation.instance import Instance
from veerkracht.allocation.optimise import allocate_exact, check_plan

METHODS: tuple[str, ...] = ("first-come", "cap-rule", "dual-price")


def allocate_online(
    instance: Instance,
    method: str,
    *,
    order: Sequence[str] | None = None,
    forecast: Instance | None = None,
    resolves: int = 20,
    slack: float = 0.05,
) -> pd.DataFrame:
    """The plan (household_id, vacancy_id, score) that ``method`` makes when the vacancies arrive
    in ``order`` (default: as listed) and households wait in the order listed.

    ``dual-price`` takes its prices from the LP of ``forecast`` (same households, expected
    vacancies of the whole stream), solved again ``resolves`` times along the stream for the part
    still to come, with the households still waiting and the room left in each cap. A pair is
    taken when its score is at least its price less ``slack`` × score: the LP of a forecast
    over-values what a household can expect (the best of noisy options), so a little slack
    places more households.
    """
    if method not in METHODS:
        raise ValueError(f'method "{method}" is not one of {", ".join(METHODS)}')
    model = build_model(instance)
    n_h, n_v = model.n_households, model.n_vacancies
    cap_matrix = model.matrix[n_h + n_v :].tocsc()
    room = model.rhs[n_h + n_v :].copy()
    pricer = _Pricer(instance, model, forecast) if method == "dual-price" else None
    by_vacancy = np.argsort(model.vacancy, kind="stable")
    starts = np.searchsorted(model.vacancy[by_vacancy], np.arange(n_v + 1))
    taken = np.zeros(n_h, dtype=bool)
    index = pd.Index(instance.vacancies["vacancy_id"])
    sequence = np.arange(n_v) if order is None else index.get_indexer(list(order))
    every = max(1, int(np.ceil(len(sequence) / max(resolves, 1))))
    chosen: list[int] = []
    pair_cost = np.zeros(len(model.score))
    for step, v in enumerate(sequence):
        if pricer is not None and step % every == 0:
            pair_cost = pricer.costs(1 - step / len(sequence), taken, room, cap_matrix)
        pairs = by_vacancy[starts[v] : starts[v + 1]]
        pairs = pairs[~taken[model.household[pairs]]]
        if pairs.size == 0:
            continue
        if method != "first-come":
            full = (room < 1).astype(float)
            blocked = np.asarray(cap_matrix[:, pairs].T @ full).ravel() > 0
            pairs = pairs[~blocked]
            if pairs.size == 0:
                continue
        if pricer is None:
            pick = pairs[np.argmin(model.household[pairs])]
        else:
            value = model.score[pairs] - pair_cost[pairs]
            best = int(np.argmax(value))
            if value[best] < -slack * model.score[pairs[best]] - 1e-9:
                continue
            pick = pairs[best]
        taken[model.household[pick]] = True
        rows = cap_matrix.indices[cap_matrix.indptr[pick] : cap_matrix.indptr[pick + 1]]
        room[rows] -= 1
        chosen.append(int(pick))
    picked = np.asarray(chosen, dtype=np.int64)
    return pd.DataFrame(
        {
            "household_id": instance.households["household_id"].to_numpy()[model.household[picked]],
            "vacancy_id": instance.vacancies["vacancy_id"].to_numpy()[model.vacancy[picked]],
            "score": model.score[picked],
        }
    )


class _Pricer:
    """Dual prices of households and caps from the forecast LP of the rest of the stream."""

    def __init__(self, instance: Instance, model: Any, forecast: Instance | None) -> None:
        self.model = model
        self.forecast = build_model(forecast) if forecast is not None else None
        if self.forecast is None:
            return
        f = self.forecast
        f_ids = forecast.households["household_id"] if forecast is not None else None
        self.household_map = pd.Index(instance.households["household_id"]).get_indexer(f_ids)
        keys = ["level", "key", "channel"]
        self.cap_map = (
            pd.MultiIndex.from_frame(model.caps[keys]).get_indexer(
                pd.MultiIndex.from_frame(f.caps[keys])
            )
            if len(f.caps) and len(model.caps)
            else (np.full(len(f.caps), -1))
        )
        self.f_rank = np.arange(f.n_vacancies)

    def costs(
        self, remaining: float, taken: np.ndarray, room: np.ndarray, cap_matrix: Any
    ) -> np.ndarray:
        """u_h + Σ p_c for every pair of the stream, priced on the remaining forecast."""
        f = self.forecast
        if f is None:
            return np.zeros(len(self.model.score))
        n_h, n_v = f.n_households, f.n_vacancies
        waiting = ~taken[self.household_map] if len(self.household_map) else np.ones(0, bool)
        keep = (f.vacancy >= (1 - remaining) * n_v - 1e-9) & waiting[f.household]
        columns = np.flatnonzero(keep)
        rhs = f.rhs.copy()
        mapped = self.cap_map >= 0
        rhs[n_h + n_v :][mapped] = np.maximum(room[self.cap_map[mapped]], 0)
        duals = np.zeros(len(rhs))
        if columns.size:
            result = linprog(
                -f.score[columns],
                A_ub=f.matrix[:, columns],
                b_ub=rhs,
                bounds=(0, None),
                method="highs",
            )
            if result.status == 0:
                duals = -np.asarray(result.ineqlin.marginals)
        u = np.zeros(self.model.n_households)
        u[self.household_map[self.household_map >= 0]] = duals[:n_h][self.household_map >= 0]
        p = np.zeros(len(self.model.caps))
        p[self.cap_map[mapped]] = duals[n_h + n_v :][mapped]
        return u[self.model.household] + np.asarray(cap_matrix.T @ p).ravel()


def compare_online(
    instance: Instance,
    *,
    forecast: Instance | None = None,
    order: Sequence[str] | None = None,
    methods: Sequence[str] = METHODS,
) -> pd.DataFrame:
    """Each method's objective, share of the hindsight optimum, cap breaches and time."""
    start = time.perf_counter()
    hindsight = allocate_exact(instance, compare_uncapped=False)
    rows: list[dict[str, Any]] = [
        {
            "method": "hindsight",
            "objective": hindsight.objective,
            "share_of_hindsight": 1.0,
            "assigned": len(hindsight.assignments),
            "breaches": 0,
            "seconds": time.perf_counter() - start,
        }
    ]
    for method in methods:
        start = time.perf_counter()
        plan = allocate_online(instance, method, order=order, forecast=forecast)
        report = check_plan(instance, plan)
        rows.append(
            {
                "method": method,
                "objective": report["objective"],
                "share_of_hindsight": report["objective"] / max(hindsight.objective, 1e-9),
                "assigned": len(plan),
                "breaches": len(report["breaches"]),
                "seconds": time.perf_counter() - start,
            }
        )
    return pd.DataFrame(rows)
