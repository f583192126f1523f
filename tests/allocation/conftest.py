"""Helpers shared by the allocation tests: random instances and an independent MILP reference."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from veerkracht.allocation.instance import CHANNELS, INSTANCE_LEVELS, VULNERABLE, Instance


@st.composite
def instances(draw: st.DrawFn, *, max_households: int = 6, max_vacancies: int = 6) -> Instance:
    """Small random instances: nested units, any channels, random pairs, occupancy and caps."""
    n_v = draw(st.integers(1, max_vacancies))
    n_h = draw(st.integers(1, max_households))
    vacancies = []
    for v in range(n_v):
        e = draw(st.integers(0, 3))
        vacancies.append((f"V{v}", f"E{e}", f"B{e // 2}", f"K{e // 3}", "BU1"))
    vac = pd.DataFrame(vacancies, columns=["vacancy_id", *INSTANCE_LEVELS])
    channels = draw(st.lists(st.sampled_from(CHANNELS), min_size=n_h, max_size=n_h))
    hh = pd.DataFrame({"household_id": [f"H{h}" for h in range(n_h)], "channel": channels})
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_h - 1), st.integers(0, n_v - 1), st.integers(0, 10)),
            max_size=n_h * n_v,
            unique_by=lambda t: t[:2],
        )
    )
    scores = pd.DataFrame(
        [(f"H{h}", f"V{v}", float(s)) for h, v, s in pairs],
        columns=["household_id", "vacancy_id", "score"],
    )
    keys = {
        "entrance": ["E0", "E1", "E2", "E3"],
        "building": ["B0", "B1"],
        "block": ["K0", "K1"],
        "buurt": ["BU1"],
    }
    occ_rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(INSTANCE_LEVELS),
                st.integers(0, 3),
                st.sampled_from(CHANNELS),
                st.integers(0, 3),
            ),
            max_size=6,
        )
    )
    occupancy = pd.DataFrame(
        [(lv, keys[lv][k % len(keys[lv])], ch, n) for lv, k, ch, n in occ_rows],
        columns=["level", "key", "channel", "count"],
    ).drop_duplicates(["level", "key", "channel"])
    cap_rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(INSTANCE_LEVELS),
                st.integers(-1, 3),
                st.sampled_from(("*", *VULNERABLE)),
                st.integers(0, 4),
            ),
            max_size=5,
        )
    )
    caps = pd.DataFrame(
        [(lv, "*" if k < 0 else keys[lv][k % len(keys[lv])], ch, n) for lv, k, ch, n in cap_rows],
        columns=["level", "key", "channel", "max_count"],
    )
    return Instance.from_frames(
        vacancies=vac, households=hh, scores=scores, occupancy=occupancy, caps=caps
    )


def reference_optimum(instance: Instance) -> float:
    """The optimum by scipy.optimize.milp on the full assignment formulation, built here from the
    raw tables with plain loops (independent of veerkracht.allocation.constraints)."""
    pairs = list(instance.scores.itertuples(index=False))
    if not pairs:
        return 0.0
    channel = dict(
        zip(instance.households["household_id"], instance.households["channel"], strict=True)
    )
    unit = {row.vacancy_id: row for row in instance.vacancies.itertuples(index=False)}
    rows, rhs = [], []
    for hid in instance.households["household_id"]:
        rows.append([1.0 if p.household_id == hid else 0.0 for p in pairs])
        rhs.append(1.0)
    for vid in instance.vacancies["vacancy_id"]:
        rows.append([1.0 if p.vacancy_id == vid else 0.0 for p in pairs])
        rhs.append(1.0)
    for cap in instance.caps.itertuples(index=False):
        keys = set(instance.vacancies[cap.level]) if cap.key == "*" else {cap.key}
        for key in keys:

            def counted(ch: str, spec: str = cap.channel) -> bool:
                return ch != "regulier" if spec == "*" else ch == spec

            occupied = sum(
                o.count
                for o in instance.occupancy.itertuples(index=False)
                if o.level == cap.level and o.key == key and counted(o.channel)
            )
            rows.append(
                [
                    1.0
                    if getattr(unit[p.vacancy_id], cap.level) == key
                    and counted(channel[p.household_id])
                    else 0.0
                    for p in pairs
                ]
            )
            rhs.append(max(0, cap.max_count - occupied))
    scores = np.array([p.score for p in pairs])
    result = milp(
        -scores,
        constraints=LinearConstraint(np.array(rows), -np.inf, np.array(rhs)),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
    )
    assert result.status == 0
    return float(-result.fun)


def brute_force_optimum(instance: Instance) -> float:
    """Enumerate every set of pairs (tiny instances only) and keep the best feasible one."""
    from veerkracht.allocation.optimise import check_plan

    pairs = instance.scores[["household_id", "vacancy_id"]]
    best = 0.0
    for size in range(1, min(len(instance.households), len(instance.vacancies)) + 1):
        for chosen in itertools.combinations(range(len(pairs)), size):
            plan = pairs.iloc[list(chosen)]
            report = check_plan(instance, plan)
            if not report["problems"] and report["breaches"].empty:
                best = max(best, report["objective"])
    return best
