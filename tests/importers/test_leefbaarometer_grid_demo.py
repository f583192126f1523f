"""Demostad's Leefbaarometer grid: written in the real formats, imported, attached, shown.

`veerkracht demo` stores the grid that `export-demostad` writes (pipeline._with_demo_grid reads
those files with the grid importers); tests/demo/test_writers.py checks that importing the files
gives the same store. Here the grid of a built Demostad is checked on the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from veerkracht import pipeline
from veerkracht.cli import cli
from veerkracht.demo import generate_demostad
from veerkracht.demo.names import STORY_STREET
from veerkracht.demo.writers_lbm import (
    GRID_GPKG,
    GRID_SCORES_CSV,
    LBM_REFERENCE,
    YEARS,
    demostad_grid,
    write_liveability_grid,
)
from veerkracht.indicators.liveability import GRID_KEYS
from veerkracht.settings import Settings
from veerkracht.storage import units as unit_store
from veerkracht.web import create_app
from veerkracht.web.pages.models import UnitPage

SEED, DWELLINGS = 1, 1200
GRID_SOURCE_NL = "Bron: Leefbaarometer 3.0 (BZK), vakken van 100 bij 100 meter"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Demostad built with its grid, as `veerkracht demo` builds it (SQLite)."""
    settings = Settings(workspace=tmp_path_factory.mktemp("lbm-demo"))
    pipeline.run_demo(settings, seed=SEED, dwellings=DWELLINGS)
    return settings


@pytest.fixture(scope="module")
def client(workspace: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(workspace)) as test_client:
        yield test_client


def test_grid_files_are_deterministic_per_seed(tmp_path: Path) -> None:
    demo = generate_demostad(seed=SEED, dwellings=400)
    one, two, other = tmp_path / "one", tmp_path / "two", tmp_path / "other"
    for folder in (one, two, other):
        folder.mkdir()
    write_liveability_grid(demo, one)
    write_liveability_grid(generate_demostad(seed=SEED, dwellings=400), two)
    write_liveability_grid(generate_demostad(seed=SEED + 1, dwellings=400), other)
    text = (one / GRID_SCORES_CSV).read_text(encoding="utf-8")
    assert text == (two / GRID_SCORES_CSV).read_text(encoding="utf-8")
    assert text != (other / GRID_SCORES_CSV).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "grid_id,jaar,lbm,afw,fys,onv,soc,vrz,won"
    cells, scores = demostad_grid(demo)
    assert len(scores) == len(cells) * len(YEARS)
    dims = scores[["fys", "onv", "soc", "vrz", "won"]].sum(axis=1)
    assert (dims - scores["afw"]).abs().max() < 5e-6
    assert (scores["lbm"] - scores["afw"] - LBM_REFERENCE).abs().max() < 2e-6
    # every dwelling lies in a cell
    inside = demo.source.dwellings.sjoin(cells, predicate="within", how="left")
    assert inside["grid_id"].notna().all()


def test_the_kersenboomstraat_scores_lowest_and_falls(workspace: Settings) -> None:
    store = pipeline.store_for(workspace)
    try:
        streets = unit_store.read_indicator_table(store, "street")
        units = unit_store.read_units(store, "street", with_geometry=False)
    finally:
        store.dispose()
    named = streets.merge(units[["key", "name"]], on="key")
    scores = named[named["indicator"] == GRID_KEYS["lbm"]]
    newest = scores[scores["year"] == scores["year"].max()].set_index("name")["value"]
    assert newest.idxmin() == STORY_STREET
    story = scores[scores["name"] == STORY_STREET].set_index("year")["value"]
    assert story[2024] < story[2016] - 0.1  # it worsened over the years
    nuisance = named[(named["indicator"] == GRID_KEYS["onv"]) & (named["year"] == 2024)]
    assert nuisance.set_index("name")["value"][STORY_STREET] < nuisance["value"].median()


def test_block_page_shows_its_grid_scores_with_the_area_words(client: TestClient) -> None:
    key = client.get("/api/units?level=block").json()["units"][0]["key"]
    page = UnitPage.model_validate(client.get(f"/api/units/block/{key}").json())
    assert page.liveability is not None
    assert page.liveability.years == list(YEARS)  # each Leefbaarometer year once
    assert [row.score for row in page.liveability.rows] == list(GRID_KEYS)
    assert page.liveability.source.startswith(GRID_SOURCE_NL)
    html = client.get(f"/units/block/{key}").text
    for words in ("Scores Leefbaarometer", "Fysieke omgeving", "Sociale samenhang"):
        assert words in html, words
    assert GRID_SOURCE_NL in html


def test_entrance_and_buurt_pages_use_the_grid_where_nothing_else_is(client: TestClient) -> None:
    key = client.get("/api/units?level=entrance").json()["units"][0]["key"]
    entrance = client.get(f"/api/units/entrance/{key}").json()
    assert entrance["liveability"]["years"] == [2024]  # the reference year 2025 uses 2024
    code = client.get("/api/units?level=neighbourhood").json()["units"][0]["key"]
    buurt = client.get(f"/api/units/neighbourhood/{code}").json()
    assert buurt["liveability"]["source"].startswith(GRID_SOURCE_NL)  # no buurt file imported


def test_export_demostad_writes_the_grid_and_says_the_import_order(tmp_path: Path) -> None:
    out = tmp_path / "files"
    result = CliRunner().invoke(
        cli,
        ["export-demostad", "--out", str(out), "--dwellings", "300", "--format", "gpkg"],
        env={"COLUMNS": "300"},
    )
    assert result.exit_code == 0, result.output
    assert (out / GRID_GPKG).exists() and (out / GRID_SCORES_CSV).exists()
    output = result.output
    assert output.index("import leefbaarometer-grid-cells") < output.index(
        f"import leefbaarometer {out / GRID_SCORES_CSV}"
    )
