"""Disclosure control: the public never sees a small count or a sensitive figure below block."""

import math

import pandas as pd

from veerkracht.assessment.disclosure import PUBLIC, Viewer, disclose


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": ["dwellings", "vulnerable_lettings_3y", "nuisance_per_100", "turnover"],
            "value": [8.0, 0.3, 12.0, 0.07],
            "numerator": [8.0, 13.0, 6.0, 23.0],
            "denominator": [8.0, 43.0, 50.0, 331.0],
        }
    )


def test_public_sees_no_sensitive_figure_below_block() -> None:
    out = disclose(_rows(), level="entrance", viewer=PUBLIC)
    sensitive = out[out["indicator"] != "dwellings"]
    assert sensitive["value"].isna().all()
    assert set(sensitive["withheld"]) == {"below_block"}
    assert out.loc[out["indicator"] == "dwellings", "value"].iloc[0] == 8.0  # BAG is public


def test_public_block_figures_are_rounded_and_small_counts_withheld() -> None:
    out = disclose(_rows(), level="block", viewer=PUBLIC).set_index("indicator")
    assert out.loc["vulnerable_lettings_3y", "numerator"] == 15.0
    assert out.loc["vulnerable_lettings_3y", "denominator"] == 45.0
    assert math.isclose(out.loc["vulnerable_lettings_3y", "value"], 15 / 45)
    assert math.isnan(out.loc["nuisance_per_100", "value"])
    assert out.loc["nuisance_per_100", "withheld"] == "small_count"
    assert out.loc["turnover", "numerator"] == 25.0


def test_zero_counts_are_withheld_too() -> None:
    rows = _rows().assign(numerator=[8.0, 0.0, 0.0, 0.0])
    out = disclose(rows, level="neighbourhood", viewer=PUBLIC)
    assert out.loc[out["indicator"] != "dwellings", "value"].isna().all()


def test_professional_in_scope_sees_everything_outside_scope_like_public() -> None:
    professional = Viewer(role="professional", scope=frozenset({"BU1"}))
    inside = disclose(_rows(), level="entrance", viewer=professional, area_codes={"BU1"})
    assert inside["withheld"].isna().all()
    assert inside.loc[inside["indicator"] == "nuisance_per_100", "numerator"].iloc[0] == 6.0
    outside = disclose(_rows(), level="entrance", viewer=professional, area_codes={"BU2"})
    assert set(outside.loc[outside["indicator"] != "dwellings", "withheld"]) == {"below_block"}


def test_trend_and_spread_keep_their_value_and_estimates_are_hidden_from_the_public() -> None:
    rows = pd.DataFrame(
        {
            "indicator": ["vulnerable_inflow_trend", "inflow_dissimilarity_block", "turnover"],
            "value": [0.014, 0.42, 0.09],
            "numerator": [52.0, 85.0, 31.0],
            "denominator": [330.0, 1200.0, 331.0],
            "estimate": [0.014, 0.42, 0.088],
            "lower": [float("nan"), float("nan"), 0.07],
            "upper": [float("nan"), float("nan"), 0.11],
        }
    )
    out = disclose(rows, level="neighbourhood", viewer=PUBLIC).set_index("indicator")
    assert out.loc["vulnerable_inflow_trend", "value"] == 0.014
    assert out.loc["inflow_dissimilarity_block", "value"] == 0.42
    assert out.loc["turnover", "numerator"] == 30.0
    assert out["estimate"].isna().all() and out["lower"].isna().all()


def test_a_sensitive_count_is_shown_rounded_like_its_numerator() -> None:
    rows = pd.DataFrame(
        {
            "indicator": ["active_residents_nearby", "active_residents_nearby"],
            "value": [12.0, 4.0],
            "numerator": [12.0, 4.0],
            "denominator": [math.nan, math.nan],
        }
    )
    out = disclose(rows, level="block", viewer=PUBLIC)
    assert out["value"].iloc[0] == 10.0
    assert out["numerator"].iloc[0] == 10.0
    assert math.isnan(out["value"].iloc[1])
    assert out["withheld"].iloc[1] == "small_count"
