"""Entrance inference rules on hand-made examples, and its quality on Demostad."""

import pandas as pd
import pytest

from veerkracht.demo import generate_demostad
from veerkracht.spatial.entrances import infer_entrances, score_entrances
from veerkracht.spatial.levels import assign_levels


def _frame(rows: list[tuple]) -> pd.DataFrame:
    columns = [
        "dwelling_id",
        "building_id",
        "street_name",
        "house_number",
        "house_letter",
        "house_suffix",
        "x",
        "y",
    ]
    return pd.DataFrame(rows, columns=columns)


def test_same_number_with_suffixes_is_one_entrance() -> None:
    frame = _frame(
        [
            ("d1", "p1", "Kade", 12, None, "1", 0.0, 0.0),
            ("d2", "p1", "Kade", 12, None, "2", 0.0, 0.3),
            ("d3", "p1", "Kade", 12, None, "3", 10.0, 0.0),
            ("d4", "p1", "Kade", 14, None, None, 40.0, 0.0),
        ]
    )
    result = infer_entrances(frame)
    assert list(result.keys) == ["INd1", "INd1", "INd1", "INd4"]
    assert list(result.rules) == ["number", "number", "number", "alone"]


def test_two_stacks_are_paired_across_the_stairwell_not_across_the_party_wall() -> None:
    # entrance A: stacks at x=0 and x=10 (stairwell between); entrance B: x=17 and x=27
    rows = []
    number = 2
    for x in (0.0, 10.0, 17.0, 27.0):
        for floor in range(3):
            rows.append((f"d{number:03d}", "p1", "Laan", number, None, None, x, 0.1 * floor))
            number += 2
    result = infer_entrances(_frame(rows))
    keys = list(result.keys)
    assert len(set(keys[:6])) == 1 and len(set(keys[6:])) == 1
    assert keys[0] != keys[6]
    assert set(result.rules) == {"paired"}


def test_gallery_of_evenly_spaced_stacks_is_one_entrance() -> None:
    rows = []
    number = 1
    for unit in range(8):
        for _floor in range(4):
            rows.append((f"g{number:03d}", "p9", "Dreef", number, None, None, unit * 7.5, 0.0))
            number += 1
    result = infer_entrances(_frame(rows))
    assert len(set(result.keys)) == 1
    assert set(result.rules) == {"gallery"}


def test_two_numbered_portieken_on_one_point_stay_apart() -> None:
    # as in the Amsterdam extract: many addresses on one point, but two house numbers
    rows = [(f"a{i}", "p1", "Straat", 12, None, str(i), 5.0, 5.0) for i in range(1, 5)]
    rows += [(f"b{i}", "p1", "Straat", 14, None, str(i), 5.0, 5.0) for i in range(1, 5)]
    result = infer_entrances(_frame(rows))
    assert len(set(result.keys)) == 2


def test_corporation_entrance_id_wins() -> None:
    frame = _frame(
        [
            ("d1", "p1", "Kade", 12, None, None, 0.0, 0.0),
            ("d2", "p1", "Kade", 14, None, None, 30.0, 0.0),
        ]
    )
    frame["entrance_hint"] = ["TH1", "TH1"]
    result = infer_entrances(frame)
    assert list(result.keys) == ["INd1", "INd1"]
    assert list(result.rules) == ["stock", "stock"]


def test_score_entrances_counts_pairs() -> None:
    scores = score_entrances(
        inferred=pd.Series(["a", "a", "a", "b"]).to_numpy(),
        truth=pd.Series(["x", "x", "y", "y"]).to_numpy(),
    )
    assert scores["pairs_inferred"] == 3 and scores["pairs_true"] == 2
    assert scores["precision"] == pytest.approx(1 / 3)
    assert scores["recall"] == pytest.approx(1 / 2)


@pytest.mark.parametrize("seed", [1, 7, 23])
def test_entrances_on_demostad_reach_target_precision_and_recall(seed: int) -> None:
    demo = generate_demostad(seed=seed, dwellings=3000)
    source = demo.source
    levels = assign_levels(source.dwellings, source.buildings, source.areas)
    joined = levels.dwellings.merge(demo.truth, on="dwelling_id")
    scores = score_entrances(joined["entrance_key"].to_numpy(), joined["true_entrance"].to_numpy())
    assert scores["precision"] >= 0.9
    assert scores["recall"] >= 0.9
