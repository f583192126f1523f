"""Address normalisation and matching to BAG dwellings: variants, swaps, ambiguity, scale."""

from __future__ import annotations

import numpy as np
import pandas as pd

from veerkracht.importers.addresses import (
    AMBIGUOUS,
    BAD_POSTCODE,
    INCOMPLETE,
    NOT_IN_BAG,
    match_addresses,
    match_with_swaps,
    normalise_address,
    split_designation,
)


def dwellings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dwelling_id": ["D1", "D2", "D3", "D4", "D5", "D6", "D7"],
            "postcode": ["3000AA", "3000AA", "3000AA", "3000AA", "3000AA", "3000AA", "3010AB"],
            "house_number": pd.array([2, 4, 6, 6, 8, 8, 10], dtype="Int64"),
            "house_letter": pd.array([None, "A", None, None, None, None, "B"], dtype="string"),
            "house_suffix": pd.array([None, None, "1", "2", None, None, None], dtype="string"),
        }
    )


def test_normalise_address_cleans_every_part() -> None:
    keys = normalise_address(
        pd.Series([" 3000 aa", "3000AA", "3000AA", "30AA", ""]),
        pd.Series(["2", "12.0", "12a-1", "4", "4"]),
        pd.Series(["", None, None, "b", None]),
        pd.Series([None, "", None, " -ii ", None]),
    )
    assert keys["postcode"].tolist()[:3] == ["3000AA", "3000AA", "3000AA"]
    assert keys["postcode"].isna().tolist()[3:] == [True, True]
    assert keys["house_number"].tolist() == [2, 12, 12, 4, 4]
    assert keys["house_letter"].fillna("").tolist() == ["", "", "A", "B", ""]
    assert keys["house_suffix"].fillna("").tolist() == ["", "", "1", "II", ""]


def test_split_designation_accepts_the_usual_variants() -> None:
    text = pd.Series(["12", "12A", "12-1", "12 1", "12/1", "12A-1", "12bis", "Lindenstraat 12 A 1"])
    parts = split_designation(text)
    assert parts["house_number"].tolist() == [12] * 8
    assert parts["house_letter"].fillna("").tolist() == ["", "A", "", "", "", "A", "", "A"]
    assert parts["house_suffix"].fillna("").tolist() == ["", "", "1", "1", "1", "1", "BIS", "1"]
    assert split_designation(pd.Series(["geen nummer"]))["house_number"].isna().all()
    whole = split_designation(pd.Series(["Lindenstraat 12"]), street_first=False)
    assert whole["house_number"].isna().all()


def test_match_addresses_golden() -> None:
    rows = pd.DataFrame(
        {
            "postcode": ["3000 aa", "3000AA", "3000AA", "3000AA", "3000AA", "", "3000A", "3010AB"],
            "house_number": ["2", "4", "6", "8", "99", "2", "2", "10"],
            "house_letter": ["", "a", "", "", "", "", "", ""],
            "house_suffix": [None, "", "1", "", "", "", "", "B"],
        },
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )
    ids, reasons = match_addresses(rows, dwellings())
    assert ids.index.tolist() == rows.index.tolist()
    assert ids.fillna("-").tolist() == ["D1", "D2", "D3", "-", "-", "-", "-", "D7"]
    assert reasons.fillna("").tolist() == [
        "",
        "",
        "",
        AMBIGUOUS,
        NOT_IN_BAG,
        INCOMPLETE,
        BAD_POSTCODE,
        "",
    ]


def test_letter_and_suffix_are_swapped_only_when_the_exact_key_fails() -> None:
    rows = pd.DataFrame(
        {
            "postcode": ["3000AA", "3010AB", "3000AA"],
            "house_number": ["4-A", "10", "6 1"],
            "house_letter": [None, None, None],
            "house_suffix": [None, "b", None],
        }
    )
    ids, reasons, swapped = match_with_swaps(rows, dwellings())
    assert ids.tolist() == ["D2", "D7", "D3"]
    assert reasons.isna().all()
    assert swapped.tolist() == [True, True, False]


def test_matching_a_city_is_vectorised() -> None:
    n = 200_000
    numbers = np.arange(n) % 200 + 1
    codes = [f"{1000 + i // 200}AA" for i in range(n)]
    city = pd.DataFrame(
        {
            "dwelling_id": [f"{i:016d}" for i in range(n)],
            "postcode": codes,
            "house_number": pd.array(numbers, dtype="Int64"),
            "house_letter": pd.array([None] * n, dtype="string"),
            "house_suffix": pd.array([None] * n, dtype="string"),
        }
    )
    sample = city.sample(5_000, random_state=1)
    rows = pd.DataFrame(
        {"postcode": sample["postcode"], "house_number": sample["house_number"].astype(str)}
    )
    ids, reasons = match_addresses(rows, city)
    assert reasons.isna().all()
    assert ids.tolist() == sample["dwelling_id"].tolist()
