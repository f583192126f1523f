"""Small numbers: shrinkage pulls small units more than large ones; bands cover the truth."""

import numpy as np
import pandas as pd
import pytest

from veerkracht.assessment.estimates import add_estimates
from veerkracht.assessment.shrinkage import prior_weight, shrink


def test_small_units_are_pulled_more_than_large_ones() -> None:
    # same raw rate 0.5, parent rate 0.1; exposure 8 vs 400
    result = shrink(
        np.array([4.0, 200.0]),
        np.array([8.0, 400.0]),
        np.array([0.1, 0.1]),
        weight=20.0,
        binomial=True,
    )
    small, large = result.estimate
    assert 0.1 < small < large < 0.5
    assert (0.5 - small) > 5 * (0.5 - large)
    assert result.lower[0] < small < result.upper[0]
    assert (result.upper[0] - result.lower[0]) > (result.upper[1] - result.lower[1])


def test_golden_posterior_mean() -> None:
    # (events + k·parent) / (exposure + k) = (1 + 10·0.2) / (8 + 10) = 3/18
    result = shrink(np.array([1.0]), np.array([8.0]), np.array([0.2]), weight=10.0)
    assert result.estimate[0] == pytest.approx(3 / 18)


def test_prior_weight_is_large_when_units_differ_only_by_chance() -> None:
    rng = np.random.default_rng(3)
    exposure = rng.integers(5, 200, size=400).astype(float)
    events = rng.poisson(0.2 * exposure).astype(float)
    assert prior_weight(events, exposure) > 100
    varied = rng.poisson(rng.choice([0.05, 0.6], size=400) * exposure).astype(float)
    assert prior_weight(varied, exposure) < 20


def test_one_letting_in_a_small_portiek_does_not_look_extreme() -> None:
    units = pd.DataFrame(
        {
            "level": ["entrance"] * 50 + ["building"],
            "key": [f"E{i}" for i in range(50)] + ["B"],
            "parent_key": ["B"] * 50 + [None],
        }
    )
    values = pd.DataFrame(
        {
            "level": ["entrance"] * 50 + ["building"],
            "key": [f"E{i}" for i in range(50)] + ["B"],
            "year": 2025,
            "indicator": "vulnerable_lettings_1y",
            "numerator": [1.0] + [0.0] * 49 + [1.0],
            "denominator": [8.0] * 50 + [400.0],
        }
    )
    values["value"] = values["numerator"] / values["denominator"]
    out = add_estimates(values, units).set_index("key")
    assert out.loc["E0", "value"] == 0.125
    assert out.loc["E0", "estimate"] < 0.05
    assert out.loc["E0", "lower"] < 0.0025 < out.loc["E0", "upper"]
