"""Demostad: deterministic, believable, in the canonical shapes."""

import pandas as pd
import pytest

from veerkracht.demo import generate_demostad
from veerkracht.domain.channels import Channel
from veerkracht.domain.frames import BUILDING_COLUMNS, DWELLING_COLUMNS, missing_columns


def _digest(frame: pd.DataFrame) -> int:
    plain = pd.DataFrame(frame).copy()
    if "geometry" in plain:
        plain["geometry"] = plain["geometry"].map(lambda g: g.wkb_hex)
    return int(pd.util.hash_pandas_object(plain.astype(str), index=False).sum())


def test_same_seed_gives_same_data_and_other_seed_other_data() -> None:
    a = generate_demostad(seed=5, dwellings=1500).source
    b = generate_demostad(seed=5, dwellings=1500).source
    c = generate_demostad(seed=6, dwellings=1500).source
    for name in ("buildings", "dwellings", "areas", "lettings", "nuisance", "assets", "signals"):
        assert _digest(getattr(a, name)) == _digest(getattr(b, name)), name
    assert _digest(a.lettings) != _digest(c.lettings)


@pytest.mark.parametrize("target", [300, 6000, 20000])
def test_size_is_close_to_the_request(target: int) -> None:
    n = len(generate_demostad(seed=1, dwellings=target).source.dwellings)
    assert target <= n <= target * 1.1 + 400


def test_frames_have_the_canonical_columns_and_string_ids() -> None:
    source = generate_demostad(seed=2, dwellings=1200).source
    assert missing_columns(source.buildings.columns, BUILDING_COLUMNS) == []
    assert missing_columns(source.dwellings.columns, DWELLING_COLUMNS) == []
    assert source.dwellings["dwelling_id"].str.len().eq(16).all()
    assert source.buildings.crs.to_epsg() == 28992
    assert source.dwellings["dwelling_id"].is_unique
    assert source.dwellings["building_id"].isin(source.buildings["building_id"]).all()


def test_addresses_are_dutch_style() -> None:
    dwellings = generate_demostad(seed=4, dwellings=6000).source.dwellings
    assert dwellings["postcode"].str.fullmatch(r"[1-9]\d{3}[A-Z]{2}").all()
    letters = dwellings["house_letter"].dropna()
    suffixes = dwellings["house_suffix"].dropna()
    assert len(letters) > 0 or len(suffixes) > 0
    # no two dwellings share a full address
    address = dwellings[["street_name", "house_number", "house_letter", "house_suffix"]].astype(str)
    assert not address.duplicated().any()


def test_rising_street_receives_more_vulnerable_households_over_time() -> None:
    demo = generate_demostad(seed=8, dwellings=6000)
    lettings = demo.source.lettings.copy()
    lettings["year"] = lettings["date"].dt.year
    lettings["vulnerable"] = lettings["channel"] != Channel.REGULIER.value
    rising = lettings[lettings["dwelling_id"].isin(demo.story["rising_dwellings"])]
    early = rising[rising["year"] <= 2018]["vulnerable"].mean()
    late = rising[rising["year"] >= 2023]["vulnerable"].mean()
    assert late > early + 0.2
    named = demo.source.dwellings[demo.source.dwellings["street_name"] == "Kersenboomstraat"]
    assert set(named["dwelling_id"]) == set(demo.story["rising_dwellings"])


def test_coping_block_has_assets_and_active_residents() -> None:
    demo = generate_demostad(seed=8, dwellings=6000)
    assets = demo.source.assets
    assert (assets["name"] == "Gedeelde binnentuin").sum() == 1
    assert (assets["kind"] == "active_resident").sum() >= 5
    assert len(demo.story["coping_buildings"]) >= 4


def test_too_small_a_district_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 200"):
        generate_demostad(seed=1, dwellings=50)
