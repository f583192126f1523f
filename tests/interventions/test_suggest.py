"""Suggestions: ranking on hand-made profiles, and the story on Demostad (seed 1, 6000 dwellings).

The block with high load and little capacity (on the warning list) gets suggestions from at
least three terrains with readable reasons, and they change when capacity is added.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from veerkracht import pipeline
from veerkracht.cli import cli
from veerkracht.interventions.catalogue import Catalogue, Intervention, load_catalogue
from veerkracht.interventions.suggest import CAVEAT, read_unit_profile, suggest
from veerkracht.interventions.unit_profile import UnitProfile
from veerkracht.settings import Settings
from veerkracht.storage import Store
from veerkracht.storage.units import read_findings


def _intervention(id_: str, fits_when: list[dict], **extra) -> Intervention:
    fields = {
        "id": id_,
        "name": id_.title(),
        "terrain": "light_connection",
        "levels": ["block"],
        "target_group": "Iedereen in het blok.",
        "goal": "Een doel.",
        "approach": "Een aanpak.",
        "who": "Iemand.",
        "cost": "laag",
        "evidence": "niet_beoordeeld",
        "sources": [{"title": "Bron", "publisher": "Uitgever"}],
        "fits_when": fits_when,
    } | extra
    return Intervention.model_validate(fields)


HIGH_TURNOVER = {"indicator": "turnover", "percentile_at_least": 0.7}
NO_PLACE = {"assets_of_kind": "place", "within_m": 100, "at_most": 0}
WARNING = {"findings": "warning"}


def test_ranking_by_score_then_evidence_then_cost() -> None:
    profile = UnitProfile(
        level="block",
        key="B",
        percentiles={"turnover": 0.9},
        values={"turnover": 0.2},
        findings=frozenset({"warning"}),
    )
    catalogue = Catalogue(
        interventions=(
            _intervention("twee", [HIGH_TURNOVER, WARNING]),
            _intervention("drie", [{**HIGH_TURNOVER, "weight": 2}, WARNING]),
            _intervention("duur", [HIGH_TURNOVER, WARNING], cost="hoog"),
            _intervention("erkend", [HIGH_TURNOVER, WARNING], evidence="goed_beschreven"),
            _intervention("een", [HIGH_TURNOVER]),
            _intervention("straat", [{**HIGH_TURNOVER, "weight": 3}], levels=["street"]),
            _intervention("eis", [HIGH_TURNOVER, WARNING], requires=[NO_PLACE]),
        )
    )
    ranked = suggest(profile, catalogue)
    assert [s.id for s in ranked] == ["drie", "erkend", "eis", "twee", "duur"]
    assert [s.score for s in ranked] == [3.0, 2.0, 2.0, 2.0, 2.0]
    assert ranked[0].caveat.startswith(CAVEAT)
    assert "niet beoordeeld" in ranked[0].caveat
    assert any("geen ontmoetingsplek" in r for r in ranked[2].reasons)  # from `requires`
    assert [s.id for s in suggest(profile, catalogue, min_score=1, limit=6)][-1] == "een"
    with_place = profile.with_asset("place", distance_m=50)
    assert "eis" not in {s.id for s in suggest(with_place, catalogue)}


def test_as_dict_is_json_ready() -> None:
    profile = UnitProfile(level="block", key="B", findings=frozenset({"warning"}))
    catalogue = Catalogue(interventions=(_intervention("xy", [{**WARNING, "weight": 2}]),))
    (found,) = suggest(profile, catalogue)
    data = found.as_dict()
    assert data["id"] == "xy" and data["terrain"] == "light_connection"
    assert data["sources"] == [{"title": "Bron", "publisher": "Uitgever"}]
    assert data["reasons"] and data["caveat"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    workspace = tmp_path_factory.mktemp("interventions-demo")
    settings = Settings(
        workspace=workspace, database_url=f"sqlite:///{workspace / 'veerkracht.sqlite'}"
    )
    pipeline.run_demo(settings, seed=1, dwellings=6000)
    store = pipeline.store_for(settings)
    yield settings, store
    store.dispose()


@pytest.fixture(scope="module")
def warning_block(demo: tuple[Settings, Store]) -> UnitProfile:
    _, store = demo
    warnings = read_findings(store, "warning", level="block")
    assert not warnings.empty, "Demostad should have a block on the warning list"
    top = warnings.sort_values("score", ascending=False).iloc[0]
    return read_unit_profile(store, "block", top["key"])


@pytest.mark.slow
def test_profile_of_the_warning_block(warning_block: UnitProfile) -> None:
    profile = warning_block
    assert profile.findings == frozenset({"warning"})
    assert profile.percentile("vulnerable_lettings_3y") >= 0.8
    assert profile.dwellings >= 20 and profile.year is not None
    assert all(a.distance_m <= 500 for a in profile.assets)
    assert profile.count_assets("place", 300) >= 1  # Demostad has places nearby


@pytest.mark.slow
def test_warning_block_gets_suggestions_from_three_terrains(warning_block: UnitProfile) -> None:
    found = suggest(warning_block, load_catalogue())
    terrains = {s.terrain for s in found}
    assert len(terrains) >= 3, terrains
    for item in found:
        assert item.reasons, item.id
        assert all(r.endswith(".") and len(r) > 20 for r in item.reasons), item.reasons
        assert "hangt af van de plek" in item.caveat
    text = " ".join(r for s in found for r in s.reasons)
    assert "vergelijkbare bouwblokken" in text
    assert "vroeg signaleren" in text


@pytest.mark.slow
def test_suggestions_change_when_capacity_is_added(warning_block: UnitProfile) -> None:
    catalogue = load_catalogue()
    before = suggest(warning_block, catalogue)
    stronger = warning_block.with_asset("place", distance_m=0).with_asset("active_resident")
    after = suggest(stronger, catalogue)
    assert [s.id for s in before] != [s.id for s in after]
    gone = {s.id for s in before} - {s.id for s in after}
    assert gone, "a meeting place and an active resident in the block should change the set"
    assert "ontmoetingsruimte_complex" in gone  # needs a block without a meeting place


@pytest.mark.slow
def test_a_calm_block_gets_fewer_suggestions(demo, warning_block: UnitProfile) -> None:
    _, store = demo
    calm_key = read_findings(store, "positive_deviance", level="block")["key"].iloc[0]
    calm = suggest(read_unit_profile(store, "block", calm_key), load_catalogue())
    assert len(calm) < len(suggest(warning_block, load_catalogue()))


@pytest.mark.slow
def test_cli_suggest(demo, warning_block: UnitProfile) -> None:
    settings, _ = demo
    runner = CliRunner(env={"VEERKRACHT_DATABASE_URL": settings.database_url})
    args = ["interventions", "suggest", "block", warning_block.key, "--limit", "3"]
    result = runner.invoke(cli, [*args, "--workspace", str(settings.workspace)])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "3 suggesties" in flat and "1. " in flat and "bewijs:" in flat
    assert "geen oordeel over de straat" in flat
    unknown = runner.invoke(
        cli, ["interventions", "suggest", "block", "GEEN", "--workspace", str(settings.workspace)]
    )
    assert unknown.exit_code == 1 and 'no block with key "GEEN"' in unknown.output
    bad_level = runner.invoke(cli, ["interventions", "suggest", "blok", "X"])
    assert bad_level.exit_code == 2


def test_docs_page_is_up_to_date() -> None:
    from veerkracht.interventions.reference import render_interventions_doc

    page = Path(__file__).resolve().parents[2] / "docs" / "interventions.md"
    assert page.read_text(encoding="utf-8") == render_interventions_doc(), (
        "docs/interventions.md is out of date: run "
        "python -c 'from pathlib import Path; from veerkracht.interventions.reference import "
        'write_interventions_doc; write_interventions_doc(Path("docs/interventions.md"))\''
    )
