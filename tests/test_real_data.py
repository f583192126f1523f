"""End to end on the real extracts in ../shared/data/real (skipped, with the reason, when absent).

Each dataset goes through the same import (and build) a user runs, into a store on SQLite and on
PostgreSQL (the ``settings`` fixture). Weesp's extract is parsed once per module (the importer is
pure) and stored per backend, to keep the file fast.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from veerkracht import pipeline
from veerkracht.cli import cli
from veerkracht.importers.base import file_sha256
from veerkracht.settings import Settings
from veerkracht.spatial.crosswalk import crosswalk_by_name, summarise_crosswalk
from veerkracht.storage import sources as source_store
from veerkracht.storage import tables as t

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real"
WEESP = REAL / "weesp" / "BAGGEM0457L-15102021.zip"
AMSTERDAM = REAL / "amsterdam-zeeheldenbuurt"
BAARN = REAL / "baarn" / "cbs-wijkbuurtkaart-2024-v1-buurten.geojson"
AMSTELVEEN = REAL / "amstelveen" / "leefbaarometer3-wijken-2014-2022.csv"


def real(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not present: {path} (see ../shared/data/real/README.md)")
    return path


def _table(settings: Settings, table: t.Table) -> pd.DataFrame:  # type: ignore[name-defined]
    store = pipeline.store_for(settings)
    try:
        with store.engine.connect() as conn:
            return pd.read_sql(select(table), conn)
    finally:
        store.dispose()


def _import(settings: Settings, kind: str, path: Path) -> dict:  # type: ignore[type-arg]
    store = pipeline.store_for(settings)
    try:
        return pipeline.import_source(store, kind, path)
    finally:
        store.dispose()


def _build(settings: Settings) -> pipeline.BuildSummary:
    store = pipeline.store_for(settings)
    try:
        return pipeline.build(store, settings)
    finally:
        store.dispose()


@pytest.fixture(scope="module")
def weesp():  # type: ignore[no-untyped-def]
    from veerkracht.importers.bag import read_bag

    return read_bag(real(WEESP))


def test_weesp_lvbag_builds_dwellings_with_pand_block_entrance_and_street(
    weesp,  # type: ignore[no-untyped-def]
    settings: Settings,
) -> None:
    store = pipeline.store_for(settings)
    report = weesp.report.as_dict()
    try:  # what pipeline.import_source does, with the parse shared between backends
        source_store.write_source(
            store,
            weesp.data,
            path=str(WEESP),
            sha256=file_sha256(WEESP),
            report=report,
            licence=weesp.licence,
        )
    finally:
        store.dispose()
    summary = _build(settings)

    counts = report["counts"]
    assert counts["building_status"]["Pand in gebruik"] == 10_803
    assert counts["building_status"]["Pand gesloopt"] == 458
    assert counts["vbo_status"]["Verblijfsobject in gebruik"] == 10_906
    dwellings = _table(settings, t.dwellings)
    assert len(dwellings) == summary.counts["dwelling"] == 9_517
    for column in ("building_id", "entrance_key", "block_key", "street_key"):
        assert dwellings[column].notna().all(), column
    units = _table(settings, t.units)
    buildings = _table(settings, t.buildings).set_index("building_id")
    in_blocks = units[(units["level"] == "building") & units["parent_key"].notna()]
    not_in_use = ~buildings.loc[in_blocks["key"], "in_use"].astype(bool)
    # a dwelling whose only pand is not in use keeps its building; that building forms no block
    # with others: its block holds no other pand
    lonely = in_blocks[not_in_use.to_numpy()]
    shared = units[units["level"] == "building"].groupby("parent_key").size()
    assert (shared.reindex(lonely["parent_key"]).fillna(1) == 1).all()
    assert any("not in use" in note for note in summary.notes)


def test_amsterdam_geopackage_and_buurten_give_1836_dwellings_in_four_buurten(
    settings: Settings,
) -> None:
    bag = _import(settings, "bag", real(AMSTERDAM / "bag-verblijfsobjecten.gpkg"))
    areas = _import(settings, "cbs-buurtkaart", real(AMSTERDAM / "buurten-2022.geojson"))
    assert bag["used"] == 1_836 and areas["used"] == 18
    assert any("no footprints" in note for note in bag["notes"])
    _build(settings)
    dwellings = _table(settings, t.dwellings)
    assert len(dwellings) == 1_836
    assert dwellings["neighbourhood_code"].nunique() == 4
    assert "BU0363EB08" in set(dwellings["neighbourhood_code"])  # Zeeheldenbuurt
    entrances = _table(settings, t.units).query("level == 'entrance'")
    shared = entrances[entrances["dwellings"] > 1]
    assert len(shared) > 100  # addresses stacked on one point form entrances
    assert set(shared["rule"]) - {"alone"}
    assert len(entrances) <= 1_276  # at most one entrance per distinct point (1,836 addresses)

    result = CliRunner().invoke(
        cli,
        ["sources", "--workspace", str(settings.workspace)],
        env={"VEERKRACHT_DATABASE_URL": settings.store_url, "COLUMNS": "300"},
    )
    assert result.exit_code == 0, result.output
    for fragment in ("bag", "cbs-buurtkaart", "CC0", "CC BY 4.0", "bag-verblijfsobjecten.gpkg"):
        assert fragment in result.output, fragment


def test_baarn_buurtkaart_sentinels_are_missing_values_with_reasons(settings: Settings) -> None:
    report = _import(settings, "cbs-buurtkaart", real(BAARN))
    assert report["used"] == 21
    statistics = _table(settings, t.area_statistics)
    assert not ((statistics["value"] <= -99990) & (statistics["value"] >= -99999)).any()
    reasons = statistics["missing_reason"].value_counts()
    assert reasons["not_yet_published"] > 0 and reasons["secret"] > 0
    assert statistics.loc[statistics["missing_reason"].notna(), "value"].isna().all()
    assert set(report["counts"]["missing"]) >= {"not_yet_published", "secret"}


def test_amstelveen_leefbaarometer_dimensions_add_up_to_afw(settings: Settings) -> None:
    report = _import(settings, "leefbaarometer", real(AMSTELVEEN))
    assert report["used"] == 56  # 14 wijken × 4 years
    scores = _table(settings, t.liveability_scores)
    assert len(scores) == 56 and scores["code"].nunique() == 14
    total = scores[["fys", "onv", "soc", "vrz", "won"]].sum(axis=1)
    assert (total - scores["afw"]).abs().max() < 0.01


def test_ses_woa_2019_joins_the_2022_buurten_and_says_how(settings: Settings) -> None:
    _import(settings, "cbs-buurtkaart", real(AMSTERDAM / "buurten-2022.geojson"))
    report = _import(settings, "cbs-kerncijfers", real(AMSTERDAM / "cbs-85163NED-ses-woa-2019.csv"))
    assert report["used"] > 0
    areas = _table(settings, t.areas).query("level == 'neighbourhood'")
    old = pd.DataFrame(
        {
            "code": ["BU03631300", "BU03630502", "BU03630000"],
            "name": ["Zeeheldenbuurt", "Haarlemmerbuurt West", "Kop Zeedijk"],
        }
    )
    crosswalk = crosswalk_by_name(old, areas).set_index("old_code")
    assert crosswalk.loc["BU03631300", "new_code"] == "BU0363EB08"
    assert crosswalk.loc["BU03631300", "method"] == "name"
    assert crosswalk.loc["BU03630000", "method"] == "unmatched"  # not in these 18 buurten
    summary = summarise_crosswalk(crosswalk.reset_index())
    assert summary["old codes by method"] == {"name": 2, "unmatched": 1}
