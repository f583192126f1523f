"""Codes over time: crosswalks by geometry and by name, and carrying figures across."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from veerkracht.spatial.crosswalk import (
    build_crosswalk,
    carry_statistics,
    crosswalk_by_name,
    join_by_geometry,
    normalise_name,
    summarise_crosswalk,
)

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"


def real(relative: str) -> Path:
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"real data not present: {path}")
    return path


def squares(codes: list[str], boxes: list[tuple[float, float, float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code": codes}, geometry=[box(*b) for b in boxes], crs="EPSG:28992")


#   old:  A [0,100]  B [100,200]         C [200,300]  D [300,400]   E far away
#   new:  A [0,100]  X1 [100,150] X2 [150,200]  Y [200,400]         Z above A (touches only)
OLD = squares(
    ["A", "B", "C", "D", "E"],
    [
        (0, 0, 100, 100),
        (100, 0, 200, 100),
        (200, 0, 300, 100),
        (300, 0, 400, 100),
        (1000, 1000, 1100, 1100),
    ],
)
NEW = squares(
    ["A", "X1", "X2", "Y", "Z"],
    [
        (0, 0, 100, 100),
        (100, 0, 150, 100),
        (150, 0, 200, 100),
        (200, 0, 400, 100),
        (0, 100, 100, 200),
    ],
)


def statistics() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "level": "neighbourhood",
            "code": ["A", "B", "C", "D"] * 2,
            "year": 2019,
            "variable": ["households"] * 4 + ["rate_pct"] * 4,
            "value": pd.array([10, 20, 30, None, 1, 2, 3, 4], dtype="Float64"),
            "missing_reason": [None, None, None, "secret", None, None, None, None],
            "source": "test",
        }
    )


def test_crosswalk_golden() -> None:
    crosswalk = build_crosswalk(OLD, NEW)
    rows = {
        (r.old_code, r.new_code if pd.notna(r.new_code) else None): r
        for r in crosswalk.itertuples(index=False)
    }
    assert set(rows) == {("A", "A"), ("B", "X1"), ("B", "X2"), ("C", "Y"), ("D", "Y"), ("E", None)}
    assert rows[("A", "A")].match == "same_code"
    assert rows[("B", "X1")].match == "split"
    assert rows[("B", "X1")].share_of_old == pytest.approx(0.5)
    assert rows[("B", "X1")].share_of_new == pytest.approx(1.0)
    assert rows[("C", "Y")].match == "merged"
    assert rows[("C", "Y")].share_of_new == pytest.approx(0.5)
    assert rows[("C", "Y")].overlap_m2 == pytest.approx(10_000)
    assert rows[("E", None)].match == "unmatched" and rows[("E", None)].method == "unmatched"
    assert summarise_crosswalk(crosswalk)["old codes by method"] == {"geometry": 4, "unmatched": 1}


def test_same_geometry_under_a_new_code_and_partial_overlap() -> None:
    old = squares(["P", "Q"], [(0, 0, 100, 100), (100, 0, 200, 100)])
    new = squares(["P2", "R"], [(0, 0, 100, 99), (100, 0, 200, 50)])  # almost P; half of Q
    new = pd.concat([new, squares(["S"], [(150, 50, 250, 100)])], ignore_index=True)
    crosswalk = build_crosswalk(old, new).set_index(["old_code", "new_code"])
    assert crosswalk.loc[("P", "P2"), "match"] == "same_geometry"
    assert crosswalk.loc[("Q", "R"), "match"] == "split"
    assert crosswalk.loc[("Q", "S"), "match"] == "partial"  # 1/4 of Q, 1/2 of S


def test_slivers_are_ignored() -> None:
    old = squares(["A"], [(0, 0, 100, 100)])
    new = squares(["A", "B"], [(0, 0, 100.5, 100), (100.5, 0, 200, 100)])
    crosswalk = build_crosswalk(old, new)
    assert crosswalk["new_code"].tolist() == ["A"]


def test_geographic_crs_is_refused() -> None:
    with pytest.raises(ValueError, match="projected CRS"):
        build_crosswalk(OLD.to_crs("EPSG:4326"), NEW)


def test_carry_statistics_golden() -> None:
    carried = join_by_geometry(statistics(), OLD, NEW, counts=["households"])
    by_key = carried.set_index(["code", "variable"])
    # counts: area-weighted
    assert by_key.loc[("A", "households"), "value"] == 10
    assert by_key.loc[("A", "households"), "carried_by"] == "same_area"
    assert not by_key.loc[("A", "households"), "approximate"]
    assert by_key.loc[("X1", "households"), "value"] == 10  # half of B's 20
    assert by_key.loc[("X1", "households"), "carried_by"] == "area_weighted"
    y = by_key.loc[("Y", "households")]  # C (30) + D (secret): missing, with D's reason
    assert pd.isna(y["value"]) and y["missing_reason"] == "secret"
    assert y["from_codes"] == "C,D"
    # rates: the dominant old unit's value
    assert by_key.loc[("X2", "rate_pct"), "value"] == 2
    assert by_key.loc[("X2", "rate_pct"), "carried_by"] == "within_old_unit"
    assert by_key.loc[("Y", "rate_pct"), "value"] == 3  # C and D tie: first code
    assert by_key.loc[("Y", "rate_pct"), "carried_by"] == "dominant_unit"
    assert by_key.loc[("Y", "rate_pct"), "approximate"]
    assert "Z" not in carried["code"].tolist()


def test_totals_preserved_when_every_old_area_is_covered() -> None:
    stats = statistics()
    stats = stats[stats["code"].isin(["A", "B", "C"]) & (stats["variable"] == "households")]
    old, new = OLD[OLD["code"].isin(["A", "B", "C"])], NEW[NEW["code"] != "Y"]
    new = pd.concat([new, squares(["Y"], [(200, 0, 300, 100)])], ignore_index=True)
    carried = join_by_geometry(stats, old, new, counts=["households"])
    assert carried["value"].sum() == stats["value"].sum()


def test_normalise_name() -> None:
    assert normalise_name("Haarlemmerbuurt West") == normalise_name("Haarlemmerbuurt-West")
    assert normalise_name("Oude Kerk e.o.") == "oudekerk"
    assert normalise_name("Café  De Pijp") == "cafedepijp"
    assert normalise_name(None) == ""


def test_crosswalk_by_name_golden() -> None:
    old = pd.DataFrame(
        {
            "code": ["BU03630001", "BU03630002", "GM0363", "BU05990001"],
            "name": ["Planciusbuurt Noord", "Nergens", "Amsterdam", "Planciusbuurt Noord"],
        }
    )
    new = squares(["BU0363AA01", "GM0363"], [(0, 0, 100, 100), (0, 0, 1000, 1000)])
    new["name"] = ["Planciusbuurt-Noord", "Amsterdam"]
    crosswalk = crosswalk_by_name(old, new).set_index("old_code")
    assert crosswalk.loc["BU03630001", "new_code"] == "BU0363AA01"
    assert crosswalk.loc["BU03630001", "method"] == "name"
    assert crosswalk.loc["GM0363", "method"] == "code"
    assert crosswalk.loc["BU03630002", "method"] == "unmatched"
    assert crosswalk.loc["BU05990001", "method"] == "unmatched"  # other municipality (Rotterdam)


def test_amsterdam_2019_figures_onto_2022_buurten() -> None:
    from veerkracht.importers.cbs import read_cbs_buurtkaart, read_cbs_kerncijfers

    new = read_cbs_buurtkaart(real("amsterdam-zeeheldenbuurt/buurten-2022.geojson")).data.areas
    new = new[new["level"] == "neighbourhood"]
    ses = read_cbs_kerncijfers(real("amsterdam-zeeheldenbuurt/cbs-85163NED-ses-woa-2019.csv"))
    names = ses.data.extra["area_names"]
    old = names[names["level"] == "neighbourhood"]

    crosswalk = crosswalk_by_name(old, new)
    assert crosswalk["old_code"].is_unique  # every old code has exactly one answer
    assert len(crosswalk) == 479
    assert summarise_crosswalk(crosswalk)["old codes by method"] == {"name": 16, "unmatched": 463}
    matched = crosswalk[crosswalk["method"] == "name"].set_index("old_code")
    assert matched.loc["BU03631300", "new_code"] == "BU0363EB08"  # Zeeheldenbuurt
    assert matched.loc["BU03630502", "new_code"] == "BU0363AA05"  # Haarlemmerbuurt West
    assert set(matched["check"]) == {"contiguous"}
    # the two 2022 buurten without a 2019 namesake stay without 2019 figures
    assert set(new["code"]) - set(matched["new_code"]) == {"BU0363EB01", "BU0363EB03"}

    carried = carry_statistics(
        ses.data.area_statistics, crosswalk, counts=["private_households"]
    ).set_index(["code", "variable"])
    assert carried.loc[("BU0363EB08", "ses_woa_score"), "value"] == pytest.approx(-0.047)
    assert carried.loc[("BU0363EB08", "private_households"), "value"] == 1100
    assert carried.loc[("BU0363EB08", "ses_woa_score"), "carried_by"] == "name"
    assert carried.loc[("BU0363EB08", "ses_woa_score"), "approximate"]
    westergas = carried.loc[("BU0363EB09", "ses_woa_score")]  # "." in 2019
    assert pd.isna(westergas["value"]) and westergas["missing_reason"] == "secret"


def test_baarn_real_geometry_with_a_split_and_a_merge() -> None:
    """Real polygons: an 'old' map where two buurten were one, a 'new' one where two merged."""
    from veerkracht.importers.cbs import read_cbs_buurtkaart

    areas = read_cbs_buurtkaart(real("baarn/cbs-wijkbuurtkaart-2024-v1-buurten.geojson")).data.areas
    buurten = areas[areas["level"] == "neighbourhood"][["code", "geometry"]]
    old = buurten.assign(
        code=buurten["code"].replace({"BU03080000": "BU03089901", "BU03080001": "BU03089901"})
    ).dissolve(by="code", as_index=False)
    new = buurten.assign(
        code=buurten["code"].replace({"BU03080100": "BU03089902", "BU03080101": "BU03089902"})
    ).dissolve(by="code", as_index=False)

    crosswalk = build_crosswalk(old, new)
    main = crosswalk[crosswalk["share_of_old"] > 0.05].set_index(["old_code", "new_code"])
    assert main.loc[("BU03089901", "BU03080000"), "match"] == "split"
    assert main.loc[("BU03089901", "BU03080001"), "match"] == "split"
    assert main.loc[("BU03080100", "BU03089902"), "match"] == "merged"
    assert main.loc[("BU03080101", "BU03089902"), "match"] == "merged"
    assert main.loc[("BU03080500", "BU03080500"), "match"] == "same_code"
    assert (crosswalk["match"] == "same_code").sum() == 17
    assert (crosswalk["method"] != "unmatched").all()
    shares = crosswalk.groupby("old_code")["share_of_old"].sum()
    assert shares.min() > 0.999 and shares.max() < 1.001  # a full tiling: nothing lost
