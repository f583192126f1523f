"""The rising street and the coping block are found again in variants of Demostad.

Nothing is hard-coded: the generator places both story places by seed, and the tests generate
other seeds and sizes and look for them in the warning and positive-deviance lists.
"""

import pytest

from veerkracht.assessment.assess import assess
from veerkracht.demo import generate_demostad
from veerkracht.indicators.compute import compute_indicators
from veerkracht.indicators.context import context_for_source
from veerkracht.spatial.levels import assign_levels

HISTORY = {"block", "street", "neighbourhood", "district", "municipality"}


def _run(seed: int, dwellings: int):
    demo = generate_demostad(seed=seed, dwellings=dwellings)
    source = demo.source
    levels = assign_levels(source.dwellings, source.buildings, source.areas, stock=source.stock)
    ctx = context_for_source(levels.dwellings, source)
    year = ctx.years[-1]
    values = compute_indicators(
        ctx, levels.units, keep=lambda level, y: level.value in HISTORY or y == year
    )
    return demo, levels, assess(values, levels.units, year)


@pytest.mark.parametrize(("seed", "dwellings"), [(1, 6000), (2, 6000), (11, 9000), (23, 5000)])
def test_rising_street_is_warned_and_coping_block_is_a_positive_deviant(seed, dwellings) -> None:
    demo, levels, result = _run(seed, dwellings)
    frame = levels.dwellings
    rising = set(frame.loc[frame["dwelling_id"].isin(demo.story["rising_dwellings"]), "street_key"])
    coping = set(frame.loc[frame["building_id"].isin(demo.story["coping_buildings"]), "block_key"])
    street_warnings = [w for w in result.warnings if w.level == "street"]
    assert rising <= {w.key for w in street_warnings}
    top = max(street_warnings, key=lambda w: w.load_score)
    assert top.key in rising
    assert any("stijgt" in reason for reason in top.reasons)
    assert coping <= {d.key for d in result.deviants}
    deviant = next(d for d in result.deviants if d.key in coping)
    assert deviant.observed < deviant.expected
    assert deviant.has["active_residents_nearby"] >= 5
