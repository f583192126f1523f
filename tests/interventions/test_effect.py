"""Before/after on a made-up history whose answer is known: a drop is found, no change is not
called an effect, and short periods, small counts or a small comparison group say "too few"."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from veerkracht.interventions.effect import (
    COMPARISON_SIZE,
    HIGHER,
    LOWER,
    NO_CLEAR,
    TOO_FEW,
    TOO_FEW_TEXT,
    compare_before_after,
)

YEARS = range(2016, 2026)
DWELLINGS = 50


def _history(treated: dict[str, tuple[float, float]], start: int = 2021) -> pd.DataFrame:
    """40 ordinary units C00…C39 with a steady rate per 100 dwellings (4 to 12), with a small
    wobble of ±1 complaint, and ``treated`` units with (rate before, rate from ``start``)."""
    rows = []
    for i in range(40):
        rate = 4 + 8 * i / 39
        for year in YEARS:
            wobble = ((i + year) % 3) - 1
            rows.append((f"C{i:02d}", year, rate * DWELLINGS / 100 + wobble, DWELLINGS))
    for key, (before, after) in treated.items():
        for year in YEARS:
            rate = before if year < start else after
            rows.append((key, year, rate * DWELLINGS / 100, DWELLINGS))
    return pd.DataFrame(rows, columns=["key", "year", "numerator", "denominator"])


def _compare(history: pd.DataFrame, key: str = "T", **options: object):  # type: ignore[no-untyped-def]
    defaults = {"started_on": date(2021, 4, 1), "excluded": {"T", "U"}}
    return compare_before_after(
        history,
        indicator="nuisance_per_100",
        level="block",
        key=key,
        **{**defaults, **options},  # type: ignore[arg-type]
    )


def test_a_drop_is_found_with_its_size_and_the_comparison_group() -> None:
    result = _compare(_history({"T": (10.0, 3.0), "U": (10.0, 10.0)}))
    assert result.verdict == LOWER
    assert result.pre_years == (2016, 2017, 2018, 2019, 2020)
    assert result.post_years == (2022, 2023, 2024, 2025)
    assert result.before == pytest.approx(10.0) and result.after == pytest.approx(3.0)
    group = {c.key: c for c in result.comparison}
    assert len(group) == COMPARISON_SIZE and not {"T", "U"} & set(group)
    # the closest units before the start: rates around 10 per 100 (C28…C37)
    assert all(8.5 <= c.before <= 11.5 for c in group.values())
    # the estimate is the unit's change minus the group's average change, worked out here
    mean_change = np.mean([c.after - c.before for c in group.values()])
    assert result.estimate == pytest.approx((3.0 - 10.0) - mean_change)
    assert result.estimate == pytest.approx(-7.0, abs=0.5)
    assert result.lower < result.estimate < result.upper < 0
    assert "omlaag" in result.text and "7,0 per 100 woningen minder" in result.text
    assert "bewijst het niet" in result.text
    assert sorted(result.yearly) == list(YEARS) and len(result.comparison_yearly) == 10


def test_no_change_is_no_clear_difference_and_a_rise_is_higher() -> None:
    history = _history({"T": (10.0, 10.0), "U": (6.0, 12.0)})
    same = _compare(history)
    assert same.verdict == NO_CLEAR and same.lower < 0 < same.upper
    assert same.text.startswith("Geen duidelijk verschil met vergelijkbare bouwblokken")
    risen = _compare(history, key="U")
    assert risen.verdict == HIGHER and risen.estimate == pytest.approx(6.0, abs=0.5)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"started_on": date(2024, 9, 1)}, "1 jaar na het startjaar"),
        ({"started_on": date(2025, 2, 1)}, "nog geen cijfers van een heel jaar"),
        ({"started_on": date(2017, 2, 1)}, "maar 1 jaar vóór het startjaar"),
        ({"started_on": date(2016, 2, 1)}, "Van vóór het startjaar zijn er geen cijfers"),
        (
            {"started_on": date(2019, 1, 1), "ended_on": date(2020, 6, 30)},
            "1 jaar na het startjaar",
        ),
        ({"excluded": {f"C{i:02d}" for i in range(33)} | {"T", "U"}}, "maar 7 vergelijkbare"),
    ],
)
def test_too_few_data_says_why(options: dict[str, object], words: str) -> None:
    result = _compare(_history({"T": (10.0, 3.0), "U": (10.0, 10.0)}), **options)
    assert result.verdict == TOO_FEW and result.too_few_data
    assert result.text == TOO_FEW_TEXT == "Te weinig gegevens om iets te zeggen."
    assert any(words in reason for reason in result.reasons), result.reasons
    assert result.estimate is None


def test_small_counts_and_small_places_are_too_few() -> None:
    history = _history({"T": (1.0, 0.0), "U": (10.0, 10.0)})
    result = _compare(history)
    assert result.verdict == TOO_FEW
    assert any("minstens 10 nodig" in r and "overlastmeldingen" in r for r in result.reasons)
    tiny = history[history["key"] != "T"]
    tiny = pd.concat(
        [tiny, pd.DataFrame({"key": "T", "year": list(YEARS), "numerator": 5.0, "denominator": 6})]
    )
    assert any("maar 6 woningen" in r for r in _compare(tiny).reasons)
    assert "geen cijfers per jaar" in _compare(history, key="nope").reasons[0]


def test_years_without_any_data_do_not_count() -> None:
    """A source that started in 2025 (like the signals) has no history: zeros before it are
    missing data, not quiet years."""
    history = _history({"T": (10.0, 3.0), "U": (10.0, 10.0)})
    history.loc[history["year"] < 2025, "numerator"] = 0.0
    result = _compare(history, started_on=date(2021, 4, 1))
    assert result.verdict == TOO_FEW and result.pre_years == ()
    assert sorted(result.yearly) == [2025]
