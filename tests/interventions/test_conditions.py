"""Golden tests for the condition language: one function, worked examples by hand."""

import pytest
from pydantic import ValidationError

from veerkracht.interventions.conditions import Condition, check_condition
from veerkracht.interventions.unit_profile import NearbyAsset, UnitProfile

PROFILE = UnitProfile(
    level="block",
    key="B1",
    values={"vulnerable_lettings_3y": 0.34, "active_residents_per_100": 0.0, "turnover": 0.05},
    percentiles={"vulnerable_lettings_3y": 0.92, "active_residents_per_100": 0.2, "turnover": 0.5},
    share_lower={"vulnerable_lettings_3y": 0.9},
    share_higher={"active_residents_per_100": 0.6},
    assets=(
        NearbyAsset("place", 120.0),
        NearbyAsset("place", 420.0),
        NearbyAsset("active_resident", 0.0),
    ),
    findings=frozenset({"warning"}),
)


def _check(**fields):
    return check_condition(Condition(**fields), PROFILE)


def test_percentile_thresholds_and_their_wording() -> None:
    high = _check(indicator="vulnerable_lettings_3y", percentile_at_least=0.9)
    assert high.holds
    assert high.reason == (
        "Instroom kwetsbare huishoudens (3 jaar): 34 %; hoger dan bij 90 van de 100 "
        "vergelijkbare bouwblokken."
    )
    assert not _check(indicator="vulnerable_lettings_3y", percentile_at_least=0.95).holds
    low = _check(indicator="active_residents_per_100", percentile_at_most=0.3)
    assert low.holds and "lager dan bij 60 van de 100 vergelijkbare bouwblokken" in low.reason
    assert not _check(indicator="turnover", percentile_at_most=0.3).holds


def test_value_thresholds() -> None:
    assert _check(indicator="turnover", value_at_most=0.05).holds
    assert not _check(indicator="turnover", value_at_least=0.06).holds
    assert "5,0 % of minder" in _check(indicator="turnover", value_at_most=0.05).reason


def test_unknown_figures_never_match() -> None:
    assert not _check(indicator="nuisance_per_100", percentile_at_least=0.0).holds
    assert not _check(indicator="nuisance_per_100", percentile_at_most=1.0).holds


def test_assets_within_a_distance() -> None:
    assert _check(assets_of_kind="place", within_m=100, at_most=0).holds
    assert not _check(assets_of_kind="place", at_most=0).holds  # default 300 m: one place
    assert _check(assets_of_kind="place", within_m=500, at_least=2).holds
    inside = _check(assets_of_kind="active_resident", within_m=0, at_least=1)
    assert inside.holds and "in dit bouwblok 1 actieve bewoners" in inside.reason
    none = _check(assets_of_kind="economy", at_most=0)
    assert none.reason == "Er is binnen 300 meter geen winkel, markt of café bekend."


def test_findings_level_and_any_of() -> None:
    assert _check(findings="warning").holds
    assert not _check(findings="positive_deviance").holds
    assert _check(level_in=["entrance", "block"]).holds
    assert not _check(level_in=["street"]).holds
    either = _check(
        any_of=[
            {"indicator": "turnover", "percentile_at_least": 0.9},
            {"findings": "warning"},
        ]
    )
    assert either.holds and "vroeg signaleren" in either.reason
    assert not _check(any_of=[{"findings": "positive_deviance"}]).holds


def test_own_reason_replaces_the_generated_sentence() -> None:
    own = _check(findings="warning", reason="Eigen woorden.")
    assert own.reason == "Eigen woorden."
    assert _check(findings="positive_deviance", reason="Eigen woorden.").reason is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "exactly one of"),
        ({"indicator": "turnover", "findings": "warning"}, "exactly one of"),
        ({"indicator": "turnover"}, "needs one of percentile_at_least"),
        ({"assets_of_kind": "place"}, "needs one of at_least, at_most"),
        ({"findings": "warning", "at_most": 1}, "at_most does not go with findings"),
        ({"indicator": "onbekend", "percentile_at_least": 0.5}, 'indicator "onbekend"'),
        ({"assets_of_kind": "bank", "at_most": 0}, 'asset kind "bank"'),
        ({"level_in": ["wijkje"]}, 'level "wijkje"'),
        ({"indicator": "turnover", "percentile_at_least": 1.5}, "less than or equal to 1"),
        ({"findings": "alarm"}, "'warning' or 'positive_deviance'"),
    ],
)
def test_bad_conditions_are_refused(fields, message) -> None:
    with pytest.raises(ValidationError) as caught:
        Condition(**fields)
    assert message in str(caught.value)
