"""Optimal spreading: the assignment that maximises total suitability under the caps.

Method (HiGHS through scipy):

1. Solve the LP relaxation of the assignment model (households ≤ 1, vacancies ≤ 1, room per
   capped unit). HiGHS returns primal and dual solutions; the certificate is that the dual
   objective equals the primal objective (strong duality).
2. When the LP optimum is integral it is optimal for the integer problem too: the plan is exact
   and the certificate proves it. With one capped group whose vacancies are offered to that group
   only, the matrix is a network matrix and this always happens; when regulier and capped
   households compete for the same vacancies, or several groups are capped, the LP can be
   fractional (rarely, in practice), so integrality is *checked*, never assumed.
3. Otherwise round the LP greedily to a feasible plan (the incumbent), drop every pair whose
   LP reduced cost proves it cannot be in a better plan (reduced-cost fixing: LP bound + reduced
   cost < incumbent), and solve the remaining MILP with HiGHS' branch and bound; report the gap
   against the best proven bound (LP bound or MILP dual bound).

The price of spreading is the uncapped optimum (a bipartite assignment, always integral) minus
the capped optimum.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from veerkracht.allocation.constraints import (
    Model,
    build_model,
    describe_structure,
    expand_caps,
    matches,
)
from veerkracht.allocation.instance import INSTANCE_LEVELS, Instance
from veerkracht.errors import InputError

INTEGRALITY_TOLERANCE = 1e-6


@dataclass
class Plan:
    """An assignment with its objective, proven bound, certificate and prices."""

    assignments: pd.DataFrame  # household_id, vacancy_id, score
    objective: float
    bound: float  # proven upper bound on the optimum
    method: str  # "lp-integral", "milp" or "lp-repair"
    structure: str
    certificate: dict[str, Any]
    caps: pd.DataFrame  # expanded caps with occupied, room, assigned and dual price
    household_prices: pd.Series
    vacancy_prices: pd.Series
    uncapped_objective: float | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float:
        """Relative gap (bound − objective) / objective; 0 when proven optimal."""
        return max(0.0, self.bound - self.objective) / max(abs(self.objective), 1e-9)

    @property
    def exact(self) -> bool:
        return self.gap <= 1e-7

    @property
    def price_of_spreading(self) -> float | None:
        """Suitability lost against the uncapped optimum (absolute)."""
        if self.uncapped_objective is None:
            return None
        return self.uncapped_objective - self.objective

    def summary(self) -> dict[str, Any]:
        """The figures a person wants to see, as plain numbers."""
        return {
            "households": int(len(self.household_prices)),
            "vacancies": int(len(self.vacancy_prices)),
            "assigned": int(len(self.assignments)),
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "method": self.method,
            "structure": self.structure,
            "certificate": self.certificate,
            "uncapped_objective": self.uncapped_objective,
            "price_of_spreading": self.price_of_spreading,
            "binding_caps": int(
                ((self.caps["assigned"] >= self.caps["room"]) & (self.caps["assigned"] > 0)).sum()
            )
            if len(self.caps)
            else 0,
            "units_over_cap_before": int(self.caps["over_before"].sum()) if len(self.caps) else 0,
            "seconds": self.seconds,
        }


def allocate_exact(
    instance: Instance,
    *,
    time_limit_s: float | None = None,
    mip_rel_gap: float = 0.0,
    compare_uncapped: bool = True,
) -> Plan:
    """The optimal plan of ``instance`` (see the module docstring for method and guarantees)."""
    start = time.perf_counter()
    model = build_model(instance)
    lp = _solve_lp(model)
    x, method, bound, extra = _integral_plan(model, lp, time_limit_s, mip_rel_gap)
    plan = _plan(instance, model, x, lp, method=method, bound=bound, extra=extra)
    if compare_uncapped:
        uncapped = model if model.n_caps == 0 else build_model(instance, with_caps=False)
        plan.uncapped_objective = (
            plan.objective if uncapped is model else -_solve_lp(uncapped)["fun"]
        )
    plan.seconds = time.perf_counter() - start
    return plan


def check_plan(instance: Instance, plan: pd.DataFrame) -> dict[str, Any]:
    """Independent check of a plan (household_id, vacancy_id) against the instance: allowed pairs,
    each household and vacancy once, and every cap row of caps.csv counting occupancy.

    Returns ``{"objective", "problems": [..], "breaches": frame}``. A breach is a unit and channel
    group whose occupancy plus assignments exceeds a cap row while the plan assigns someone there.
    """
    problems: list[str] = []
    pairs = plan[["household_id", "vacancy_id"]].astype(str)
    scored = pairs.merge(instance.scores, on=["household_id", "vacancy_id"], how="left")
    unknown = scored["score"].isna()
    if unknown.any():
        problems.append(f"{int(unknown.sum())} pair(s) not listed in scores")
    for column in ("household_id", "vacancy_id"):
        if pairs[column].duplicated().any():
            problems.append(f"{column} used more than once")
    breaches = cap_breaches(instance, pairs)
    return {"objective": float(scored["score"].sum()), "problems": problems, "breaches": breaches}


def cap_breaches(instance: Instance, pairs: pd.DataFrame) -> pd.DataFrame:
    """Every (cap row, unit) where occupancy plus the plan's assignments exceed ``max_count`` and
    the plan assigned at least one counted household there (computed straight from the tables)."""
    placed = pairs.merge(instance.households, on="household_id").merge(
        instance.vacancies, on="vacancy_id"
    )
    found = []
    occ = instance.occupancy
    for cap in instance.caps.itertuples(index=False):
        counted = placed[matches(placed["channel"], cap.channel)]
        assigned = counted.groupby(cap.level).size()
        if cap.key != "*":
            assigned = assigned[assigned.index == cap.key]
        if assigned.empty:
            continue
        here = occ[(occ["level"] == cap.level) & matches(occ["channel"], cap.channel)]
        occupied = here.groupby("key")["count"].sum().reindex(assigned.index).fillna(0)
        total = occupied.to_numpy() + assigned.to_numpy()
        for key, n, o in zip(
            assigned.index[total > cap.max_count],
            assigned.to_numpy()[total > cap.max_count],
            occupied.to_numpy()[total > cap.max_count],
            strict=True,
        ):
            found.append((cap.level, key, cap.channel, cap.max_count, int(o), int(n)))
    return pd.DataFrame(
        found, columns=["level", "key", "channel", "max_count", "occupied", "assigned"]
    )


def require_levels(instance: Instance) -> None:
    """InputError unless the vacancies carry every instance level."""
    for level in INSTANCE_LEVELS:
        if level not in instance.vacancies:
            raise InputError(f"vacancies lack the {level} key", field=level)


def _solve_lp(model: Model) -> dict[str, Any]:
    if len(model.score) == 0:
        return {"x": np.zeros(0), "fun": 0.0, "duals": np.zeros(len(model.rhs)), "dual_obj": 0.0}
    result = linprog(
        -model.score,
        A_ub=model.matrix,
        b_ub=model.rhs,
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"HiGHS could not solve the LP: {result.message}")
    duals = -np.asarray(result.ineqlin.marginals)
    return {
        "x": np.asarray(result.x),
        "fun": float(result.fun),
        "duals": duals,
        "dual_obj": float(model.rhs @ duals),
    }


def _integral_plan(
    model: Model, lp: dict[str, Any], time_limit_s: float | None, mip_rel_gap: float
) -> tuple[np.ndarray, str, float, dict[str, Any]]:
    x = lp["x"]
    lp_bound = lp["dual_obj"]
    fraction = float(np.max(np.abs(x - np.round(x)))) if len(x) else 0.0
    extra: dict[str, Any] = {"max_fraction": fraction}
    if fraction <= INTEGRALITY_TOLERANCE:
        return np.round(x), "lp-integral", lp_bound, extra
    reduced = model.score - model.matrix.T @ lp["duals"]
    incumbent = _repair(model, x, reduced)
    floor = float(model.score @ incumbent)
    # reduced-cost fixing: a pair whose reduced cost takes the LP bound below the incumbent is in
    # no better plan, so branch and bound only needs the others (exact, usually a small MILP)
    keep = np.flatnonzero(lp_bound + reduced >= floor - 1e-9)
    extra |= {"incumbent": floor, "milp_pairs": int(keep.size)}
    options: dict[str, Any] = {"mip_rel_gap": mip_rel_gap, "disp": False}
    if time_limit_s is not None:
        options["time_limit"] = time_limit_s
    result = milp(
        -model.score[keep],
        constraints=LinearConstraint(model.matrix[:, keep], -np.inf, model.rhs),
        integrality=np.ones(keep.size),
        bounds=Bounds(0, 1),
        options=options,
    )
    mip_bound = getattr(result, "mip_dual_bound", None)
    bound = lp_bound if mip_bound is None else min(lp_bound, max(-float(mip_bound), floor))
    extra |= {
        "milp_status": str(result.message),
        "milp_nodes": getattr(result, "mip_node_count", None),
    }
    if result.x is None or float(model.score[keep] @ np.round(result.x)) < floor:
        return incumbent, "lp-repair", bound, extra
    chosen = np.zeros(len(x))
    chosen[keep] = np.round(result.x)
    return chosen, "milp", max(bound, float(model.score @ chosen)), extra


def _repair(model: Model, x: np.ndarray, reduced: np.ndarray) -> np.ndarray:
    """A feasible integral plan near a fractional LP optimum: pairs by LP value, then reduced
    cost, then score, each taken when its household, vacancy and caps still have room."""
    order = np.lexsort((-model.score, -np.round(reduced, 9), -np.round(x, 9)))
    left = model.rhs.copy()
    chosen = np.zeros(len(x))
    csc = model.matrix.tocsc()
    indptr, indices = csc.indptr, csc.indices
    for j in order:
        rows = indices[indptr[j] : indptr[j + 1]]
        if np.all(left[rows] >= 1):
            left[rows] -= 1
            chosen[j] = 1
    return chosen


def _plan(
    instance: Instance,
    model: Model,
    x: np.ndarray,
    lp: dict[str, Any],
    *,
    method: str,
    bound: float,
    extra: dict[str, Any],
) -> Plan:
    chosen = np.flatnonzero(x > 0.5)
    assignments = pd.DataFrame(
        {
            "household_id": instance.households["household_id"].to_numpy()[model.household[chosen]],
            "vacancy_id": instance.vacancies["vacancy_id"].to_numpy()[model.vacancy[chosen]],
            "score": model.score[chosen],
        }
    )
    objective = float(model.score[chosen].sum())
    duals = lp["duals"]
    n_h, n_v = model.n_households, model.n_vacancies
    caps = model.caps.copy()
    usage = model.matrix[n_h + n_v :] @ (x > 0.5).astype(float)
    caps["assigned"] = np.asarray(usage).astype(np.int64)
    caps["price"] = duals[n_h + n_v :]
    certificate = {
        "lp_primal": -lp["fun"],
        "lp_dual": lp["dual_obj"],
        "lp_integral": method == "lp-integral",
        **extra,
    }
    return Plan(
        assignments=assignments,
        objective=objective,
        bound=max(bound, objective),
        method=method,
        structure=describe_structure(instance, model.caps),
        certificate=certificate,
        caps=caps,
        household_prices=pd.Series(duals[:n_h], index=instance.households["household_id"]),
        vacancy_prices=pd.Series(duals[n_h : n_h + n_v], index=instance.vacancies["vacancy_id"]),
    )


__all__ = ["Plan", "allocate_exact", "cap_breaches", "check_plan", "expand_caps"]
