"""Professional presence (interventions_active): a golden example checked by hand.

Four dwellings; block B1 spans streets S1 and S2 (blocks and streets do not nest):

    dwelling  entrance  building  block  street  buurt  wijk  gemeente
    d1        E1        P1        B1     S1      N1     W1    G
    d2        E2        P2        B1     S2      N1     W1    G
    d3        E3        P3        B2     S2      N1     W1    G
    d4        E4        P4        B3     S3      N2     W1    G

Log, and whether it runs in 2024: L1 block B1 since 2020 (yes); L2 street S2 since June 2024
(yes); L3 buurt N2 2019 to 2023 (no: ended); L4 entrance E4 from 31 December 2024 (yes);
L5 gemeente G from 2025 (no: not yet).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from veerkracht.indicators.base import Context
from veerkracht.indicators.compute import compute_indicators
from veerkracht.indicators.presence import (
    INDICATORS,
    count_running,
    running_in,
    touched_units,
    with_log,
)
from veerkracht.indicators.registry import BY_KEY

DWELLINGS = pd.DataFrame(
    {
        "dwelling_id": ["d1", "d2", "d3", "d4"],
        "entrance_key": ["E1", "E2", "E3", "E4"],
        "building_id": ["P1", "P2", "P3", "P4"],
        "block_key": ["B1", "B1", "B2", "B3"],
        "street_key": ["S1", "S2", "S2", "S3"],
        "neighbourhood_code": ["N1", "N1", "N1", "N2"],
        "district_code": ["W1"] * 4,
        "municipality_code": ["G"] * 4,
    }
)
LOG = pd.DataFrame(
    {
        "log_id": ["L1", "L2", "L3", "L4", "L5"],
        "level": ["block", "street", "neighbourhood", "entrance", "municipality"],
        "unit_key": ["B1", "S2", "N2", "E4", "G"],
        "started_on": [
            date(2020, 1, 1),
            date(2024, 6, 1),
            date(2019, 1, 1),
            date(2024, 12, 31),
            date(2025, 1, 1),
        ],
        "ended_on": [None, None, date(2023, 12, 31), None, None],
    }
)
EXPECTED_2024 = {
    ("entrance", "E1"): 1,
    ("entrance", "E2"): 2,
    ("entrance", "E3"): 1,
    ("entrance", "E4"): 1,
    ("building", "P1"): 1,
    ("building", "P2"): 2,
    ("building", "P3"): 1,
    ("building", "P4"): 1,
    ("block", "B1"): 2,
    ("block", "B2"): 1,
    ("block", "B3"): 1,
    ("street", "S1"): 1,
    ("street", "S2"): 2,
    ("street", "S3"): 1,
    ("neighbourhood", "N1"): 2,
    ("neighbourhood", "N2"): 1,
    ("district", "W1"): 3,
    ("municipality", "G"): 3,
}
UNITS = pd.DataFrame(
    {
        "level": [level for level, _ in EXPECTED_2024],
        "key": [key for _, key in EXPECTED_2024],
        "x": 0.0,
        "y": 0.0,
    }
)


def test_running_in_a_year() -> None:
    assert running_in(LOG, 2024)["log_id"].tolist() == ["L1", "L2", "L4"]
    assert running_in(LOG, 2023)["log_id"].tolist() == ["L1", "L3"]
    assert running_in(LOG, 2025)["log_id"].tolist() == ["L1", "L2", "L4", "L5"]


def test_an_entry_touches_the_units_sharing_a_dwelling() -> None:
    assert touched_units(DWELLINGS, level="block", key="B1", at="street") == {"S1", "S2"}
    assert touched_units(DWELLINGS, level="street", key="S2", at="block") == {"B1", "B2"}
    assert touched_units(DWELLINGS, level="municipality", key="G", at="block") == {"B1", "B2", "B3"}
    assert touched_units(DWELLINGS, level="block", key="nope", at="street") == set()


def test_golden_counts_per_unit() -> None:
    counts = count_running(DWELLINGS, LOG, UNITS, 2024)
    assert dict(zip(EXPECTED_2024, counts.tolist(), strict=True)) == {
        k: float(v) for k, v in EXPECTED_2024.items()
    }
    # in 2025 the gemeente-wide entry L5 counts everywhere
    later = count_running(DWELLINGS, LOG, UNITS, 2025)
    assert later[UNITS.index[(UNITS["level"] == "block") & (UNITS["key"] == "B2")][0]] == 2.0
    assert (count_running(DWELLINGS, LOG.iloc[0:0], UNITS, 2024) == 0).all()


def test_the_registered_indicator_reads_the_log_from_the_context() -> None:
    indicator = BY_KEY["interventions_active"]
    assert indicator in INDICATORS and indicator.family == "capacity"
    assert "logboek" in indicator.description
    ctx = Context(
        dwellings=DWELLINGS,
        years=(2023, 2024),
        counts={},
        assets=pd.DataFrame(columns=["asset_id", "kind", "visibility", "x", "y"]),
    )
    without = compute_indicators(ctx, UNITS, (indicator,))
    assert (without["value"] == 0).all() and len(without) == len(UNITS)
    rows = compute_indicators(with_log(ctx, LOG), UNITS, (indicator,))
    assert set(rows["year"]) == {2024}  # the newest year of the context
    got = {(r.level, r.key): r.value for r in rows.itertuples(index=False)}
    assert got == {k: float(v) for k, v in EXPECTED_2024.items()}
    assert np.isnan(rows["denominator"]).all()
