"""Figures with 2019 buurt codes joined to the 2022 buurten through the 2019 buurt map.

The shared data holds the real SES-WOA 2019 file (old codes) and the real 2022 Amsterdam buurt
polygons, but no 2019 polygons. The 2019 map here is therefore hand-made from the 2022 polygons
after the 2019 buurt names (one-to-one where the buurt kept its borders; the 2019
"Spaarndammerbuurt Noordwest" as the union of today's Noordwest and Overbraker Binnenpolder, so
one old code splits), which is how the real 2019 CBS buurtkaart would be used:
``veerkracht import cbs-buurtkaart BUURTKAART_2019 --history``.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from veerkracht import pipeline
from veerkracht.cli import cli
from veerkracht.settings import Settings
from veerkracht.storage import tables as t

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
AMSTERDAM = REAL / "amsterdam-zeeheldenbuurt"

#: 2019 code and name → the 2022 buurten (cbsCode) it covered in this hand-made map.
MAP_2019 = {
    ("BU03630500", "Westerdokseiland"): ["BU0363AA03"],
    ("BU03630503", "Westelijke eilanden"): ["BU0363AA02"],
    ("BU03631200", "Houthavens West"): ["BU0363EC01"],
    ("BU03631201", "Houthavens Oost"): ["BU0363EC02"],
    ("BU03631300", "Zeeheldenbuurt"): ["BU0363EB08"],
    ("BU03631301", "Spaarndammerbuurt Noordoost"): ["BU0363EB07"],
    ("BU03631305", "Spaarndammerbuurt Noordwest"): ["BU0363EB04", "BU0363EB02"],
}


def _real(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not present: {path} (see ../shared/data/real/README.md)")
    return path


@pytest.fixture()
def map_2019(tmp_path: Path) -> Path:
    buurten = gpd.read_file(_real(AMSTERDAM / "buurten-2022.geojson"))
    rows = []
    for (code, name), parts in MAP_2019.items():
        shape = buurten[buurten["cbsCode"].isin(parts)].union_all()
        rows.append(
            {
                "buurtcode": code,
                "buurtnaam": name,
                "gemeentecode": "GM0363",
                "jaar": 2019,
                "geometry": shape,
            }
        )
    frame = gpd.GeoDataFrame(rows, crs=buurten.crs)
    path = tmp_path / "buurtkaart-2019-handmade.geojson"
    path.write_text(frame.to_json(), encoding="utf-8")
    return path


def _run(settings: Settings, *args: str) -> str:
    result = CliRunner().invoke(
        cli,
        [*args, "--workspace", str(settings.workspace)],
        env={"VEERKRACHT_DATABASE_URL": str(settings.database_url)},
    )
    assert result.exit_code == 0, result.output
    return result.output


def _statistics(settings: Settings) -> pd.DataFrame:
    store = pipeline.store_for(settings)
    try:
        with store.engine.connect() as conn:
            return pd.read_sql(select(t.area_statistics), conn)
    finally:
        store.dispose()


def test_ses_woa_2019_is_joined_by_geometry_when_the_2019_map_is_stored(
    settings: Settings, map_2019: Path
) -> None:
    _run(settings, "import", "cbs-buurtkaart", str(_real(AMSTERDAM / "buurten-2022.geojson")))
    out = _run(settings, "import", "cbs-buurtkaart", str(map_2019), "--history")
    assert "buurt map of 2019" in out
    ses = _real(AMSTERDAM / "cbs-85163NED-ses-woa-2019.csv")
    out = _run(settings, "import", "cbs-kerncijfers", str(ses))
    assert "by geometry" in out

    store = pipeline.store_for(settings)
    try:
        report = json.loads(
            pd.read_sql(
                select(t.imports.c.report).order_by(t.imports.c.import_id.desc()), store.engine
            ).iloc[0, 0]
        )
    finally:
        store.dispose()
    how = {e["old"]: e for e in report["counts"]["code matching examples"]}
    assert how["BU03631300"] == {
        "old": "BU03631300",
        "new": "BU0363EB08",
        "method": "geometry",
        "match": "same_geometry",
    }
    assert how["BU03631305"]["match"] == "split"  # one old buurt, two new ones
    by_method = report["counts"]["code matching"]["old codes by method"]
    assert by_method["geometry"] == len(MAP_2019)
    assert by_method["unmatched"] > 400  # the rest of Amsterdam is not on this map

    stats = _statistics(settings).set_index(["code", "variable"])
    # a rate moves with its area: the 2022 Zeeheldenbuurt gets the 2019 Zeeheldenbuurt's score
    assert stats.loc[("BU0363EB08", "ses_woa_score"), "value"] == pytest.approx(-0.047)
    # both parts of the split old buurt get its score; its households are shared by area
    assert stats.loc[("BU0363EB02", "ses_woa_score"), "value"] == pytest.approx(-0.202)
    parts = stats.loc[
        [("BU0363EB04", "private_households"), ("BU0363EB02", "private_households")], "value"
    ]
    assert parts.sum() == pytest.approx(1100, rel=1e-6)
    assert (stats.loc[("BU0363EB08", "ses_woa_score"), "source"]).endswith("(via kaart 2019)")
    # the current buurten are untouched: 18 of them, and the 2019 map is kept beside them
    store = pipeline.store_for(settings)
    try:
        levels = pd.read_sql(select(t.areas.c.level, t.areas.c.code), store.engine)
    finally:
        store.dispose()
    assert (levels["level"] == "neighbourhood").sum() == 18
    assert (levels["level"] == "neighbourhood@2019").sum() == len(MAP_2019)


def test_reimporting_is_idempotent_and_without_a_map_the_report_says_so(
    settings: Settings,
) -> None:
    _run(settings, "import", "cbs-buurtkaart", str(_real(AMSTERDAM / "buurten-2022.geojson")))
    ses = str(_real(AMSTERDAM / "cbs-85163NED-ses-woa-2019.csv"))
    out = _run(settings, "import", "cbs-kerncijfers", ses)
    assert "no buurt map of 2019 stored" in out
    first = _statistics(settings)
    _run(settings, "import", "cbs-kerncijfers", ses)
    second = _statistics(settings)
    assert len(first) == len(second) > 0


def test_history_applies_to_buurtkaarten_only(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "import",
            "cbs-kerncijfers",
            str(path),
            "--history",
            "--workspace",
            str(settings.workspace),
        ],
    )
    assert result.exit_code == 2
    assert "--history only applies to cbs-buurtkaart" in result.output
