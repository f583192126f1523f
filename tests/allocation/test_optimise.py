"""The exact optimiser: caps never broken, objective equal to independent references."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from tests.allocation.conftest import brute_force_optimum, instances, reference_optimum
from veerkracht.allocation import Instance, allocate_exact, check_plan, read_instance

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "allocation" / "instance"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_plan_respects_every_cap_and_matches_the_milp_reference(instance: Instance) -> None:
    plan = allocate_exact(instance)
    report = check_plan(instance, plan.assignments)
    assert report["problems"] == []
    assert report["breaches"].empty, report["breaches"]
    assert plan.objective == pytest.approx(reference_optimum(instance), abs=1e-6)
    assert plan.objective == pytest.approx(report["objective"])
    assert plan.exact
    assert plan.bound >= plan.objective - 1e-6
    assert plan.uncapped_objective is not None
    assert plan.uncapped_objective >= plan.objective - 1e-6


@settings(max_examples=40, deadline=None)
@given(instances(max_households=3, max_vacancies=3))
def test_objective_equals_brute_force_on_tiny_instances(instance: Instance) -> None:
    assert allocate_exact(instance).objective == pytest.approx(brute_force_optimum(instance))


def test_golden_example_instance() -> None:
    instance = read_instance(EXAMPLE)
    plan = allocate_exact(instance)
    # worked by hand in docs/allocation.md: E1 is full, B1 has room for one more vulnerable
    assert sorted(map(tuple, plan.assignments[["household_id", "vacancy_id"]].to_numpy())) == [
        ("H1", "V3"),
        ("H3", "V1"),
        ("H4", "V4"),
    ]
    assert plan.objective == 16
    assert plan.uncapped_objective == 25
    assert plan.price_of_spreading == 9
    assert plan.method == "lp-integral"
    assert plan.structure == "one capped group, nested caps"
    assert plan.certificate["lp_dual"] == pytest.approx(plan.certificate["lp_primal"])


def test_fractional_lp_is_finished_by_branch_and_bound() -> None:
    # regulier and capped households compete for the vacancies of one capped unit: the LP
    # relaxation has a fractional vertex here (found by random search), so integrality is checked
    pairs = [
        (0, 1, 7),
        (0, 2, 6),
        (0, 4, 3),
        (1, 0, 9),
        (1, 1, 4),
        (1, 4, 5),
        (2, 0, 9),
        (2, 1, 5),
        (2, 4, 4),
        (3, 1, 6),
        (4, 0, 1),
        (4, 1, 9),
        (4, 2, 2),
    ]
    capped = [True, False, False, True, True]
    unit = [0, 0, 0, 0, 1]
    instance = Instance.from_frames(
        vacancies=pd.DataFrame(
            {
                "vacancy_id": [f"V{v}" for v in range(5)],
                "entrance": [f"E{u}" for u in unit],
                "building": [f"B{u}" for u in unit],
                "block": "K",
                "buurt": "BU",
            }
        ),
        households=pd.DataFrame(
            {
                "household_id": [f"H{h}" for h in range(5)],
                "channel": ["urgentie" if c else "regulier" for c in capped],
            }
        ),
        scores=pd.DataFrame(
            [(f"H{h}", f"V{v}", float(s)) for h, v, s in pairs],
            columns=["household_id", "vacancy_id", "score"],
        ),
        caps=pd.DataFrame(
            {
                "level": ["entrance", "entrance"],
                "key": ["E0", "E1"],
                "channel": ["*", "*"],
                "max_count": [1, 1],
            }
        ),
    )
    plan = allocate_exact(instance)
    assert plan.method == "milp"
    assert plan.certificate["max_fraction"] == pytest.approx(0.5)
    assert plan.objective == pytest.approx(reference_optimum(instance))
    assert check_plan(instance, plan.assignments)["breaches"].empty
    assert plan.exact


def test_unit_over_its_cap_already_gets_no_more() -> None:
    instance = Instance.from_frames(
        vacancies=pd.DataFrame(
            [("V1", "E1", "B1", "K1", "BU1")],
            columns=["vacancy_id", "entrance", "building", "block", "buurt"],
        ),
        households=pd.DataFrame(
            {"household_id": ["H1", "H2"], "channel": ["statushouder", "regulier"]}
        ),
        scores=pd.DataFrame(
            {"household_id": ["H1", "H2"], "vacancy_id": ["V1", "V1"], "score": [9.0, 1.0]}
        ),
        occupancy=pd.DataFrame(
            {"level": ["entrance"], "key": ["E1"], "channel": ["urgentie"], "count": [3]}
        ),
        caps=pd.DataFrame(
            {"level": ["entrance"], "key": ["*"], "channel": ["*"], "max_count": [2]}
        ),
    )
    plan = allocate_exact(instance)
    assert plan.assignments["household_id"].tolist() == ["H2"]
    assert plan.summary()["units_over_cap_before"] == 1
