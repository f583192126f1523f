"""Golden values: each indicator on a tiny hand-made district whose answers are checked by hand."""

import numpy as np
import pandas as pd
import pytest

from veerkracht.indicators.base import Context
from veerkracht.indicators.compute import compute_indicators
from veerkracht.indicators.registry import INDICATORS, get_indicator

# Four dwellings: d1, d2 in entrance E1; d3, d4 in entrance E2; all in block B, buurt BU1.
DWELLINGS = pd.DataFrame(
    {
        "dwelling_id": ["d1", "d2", "d3", "d4"],
        "entrance_key": ["E1", "E1", "E2", "E2"],
        "building_id": ["P1", "P1", "P2", "P2"],
        "block_key": ["B"] * 4,
        "street_key": ["BU1-kade"] * 4,
        "neighbourhood_code": ["BU1"] * 4,
        "district_code": ["WK1"] * 4,
        "municipality_code": ["GM1"] * 4,
        "x": [0.0, 0.0, 100.0, 100.0],
        "y": [0.0, 0.0, 0.0, 0.0],
        "owned": [True, True, True, False],
    }
)


def _date(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


@pytest.fixture()
def table() -> pd.DataFrame:
    ctx = Context(
        dwellings=DWELLINGS,
        lettings=pd.DataFrame(
            {
                "dwelling_id": ["d1", "d2", "d3", "d1"],
                "date": [_date("2025-03-01"), _date("2023-05-01"), _date("2022-12-31"),
                         _date("2024-01-01")],
                "channel": ["urgentie", "statushouder", "uitstroom", "regulier"],
            }
        ),
        moveouts=pd.DataFrame(
            {"dwelling_id": ["d1", "d3"], "date": [_date("2025-02-01"), _date("2024-06-01")]}
        ),
        nuisance=pd.DataFrame(
            {
                "dwelling_id": ["d1", "d1", "d3"],
                "date": [_date("2025-01-05"), _date("2025-07-05"), _date("2025-08-01")],
                "category": ["geluid", "afval", "geluid"],
            }
        ),
        assets=pd.DataFrame(
            {
                "kind": ["place", "place", "active_resident"],
                "visibility": ["public", "public", "professional"],
                "x": [10.0, 500.0, 0.0],
                "y": [0.0, 0.0, 0.0],
            }
        ),
        year=2025,
        assets_radius_m=300.0,
    )
    units = pd.DataFrame(
        {
            "level": ["entrance", "entrance", "block"],
            "key": ["E1", "E2", "B"],
            "x": [0.0, 100.0, 50.0],
            "y": [0.0, 0.0, 0.0],
        }
    )
    return compute_indicators(ctx, units)


def _value(table: pd.DataFrame, indicator: str, level: str, key: str) -> float:
    row = table[(table["indicator"] == indicator) & (table["level"] == level) & (table["key"] == key)]
    assert len(row) == 1
    return float(row["value"].iloc[0])


def test_dwellings(table) -> None:
    assert _value(table, "dwellings", "entrance", "E1") == 2
    assert _value(table, "dwellings", "municipality", "GM1") == 4


def test_corporation_share(table) -> None:
    assert _value(table, "corporation_share", "entrance", "E2") == 0.5
    assert _value(table, "corporation_share", "block", "B") == 0.75


def test_vulnerable_lettings_last_three_years(table) -> None:
    # 2023–2025: d1 urgentie (2025), d2 statushouder (2023); d3's 2022 letting is too old
    assert _value(table, "vulnerable_lettings_3y", "entrance", "E1") == 1.0
    assert _value(table, "vulnerable_lettings_3y", "entrance", "E2") == 0.0
    assert _value(table, "vulnerable_lettings_3y", "block", "B") == 0.5


def test_turnover_counts_only_the_year_per_corporation_dwelling(table) -> None:
    assert _value(table, "turnover", "entrance", "E1") == 0.5
    assert _value(table, "turnover", "block", "B") == pytest.approx(1 / 3)


def test_nuisance_per_100_corporation_dwellings(table) -> None:
    assert _value(table, "nuisance_per_100", "entrance", "E1") == 100.0
    assert _value(table, "nuisance_per_100", "entrance", "E2") == 100.0  # 1 complaint, 1 owned
    assert _value(table, "nuisance_per_100", "block", "B") == 100.0


def test_assets_nearby_counts_public_places_within_radius(table) -> None:
    assert _value(table, "assets_nearby", "entrance", "E1") == 1  # 10 m; 500 m is too far
    assert _value(table, "assets_nearby", "entrance", "E2") == 1  # 90 m
    assert _value(table, "assets_nearby", "block", "B") == 1


def test_roll_ups_preserve_totals(table) -> None:
    for indicator in ("dwellings", "vulnerable_lettings_3y", "turnover", "nuisance_per_100"):
        part = table[table["indicator"] == indicator]
        totals = part.groupby("level")[["numerator", "denominator"]].sum()
        assert np.allclose(totals["numerator"], totals["numerator"].iloc[0]), indicator
        assert np.allclose(totals["denominator"], totals["denominator"].iloc[0]), indicator


def test_registry_metadata_is_complete() -> None:
    keys = [indicator.key for indicator in INDICATORS]
    assert len(keys) == len(set(keys))
    for indicator in INDICATORS:
        assert indicator.label and indicator.description and indicator.source
        assert (indicator.per_dwelling is None) != (indicator.per_unit is None)
    with pytest.raises(KeyError, match="is not one of"):
        get_indicator("nope")
