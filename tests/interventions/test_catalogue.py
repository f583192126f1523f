"""The catalogue: the shipped one loads and is sourced; bad entries name file, id and field."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from veerkracht.cli import cli
from veerkracht.interventions.catalogue import (
    SHIPPED_FOLDER,
    CatalogueError,
    Terrain,
    load_catalogue,
    load_catalogue_file,
)

GOOD = """
[[intervention]]
id = "proef"
name = "Proef"
terrain = "shared_spaces"
levels = ["entrance", "block"]
target_group = "Bewoners van een portiek."
goal = "Buren leren elkaar kennen."
approach = "Een gesprek in het trappenhuis."
who = "Corporatie."
cost = "laag"
evidence = "goed_beschreven"
sources = [{title = "Een bron", publisher = "Een uitgever"}]
fits_when = [{indicator = "turnover", percentile_at_least = 0.7}]
"""


def _write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _flat(text: str) -> str:
    """CLI output with rich's line wrapping undone."""
    return " ".join(text.split())


def _problems(path: Path) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue_file(path)
    return caught.value.problems


def test_shipped_catalogue_loads_and_covers_every_terrain() -> None:
    catalogue = load_catalogue()
    assert len(catalogue) >= 25
    assert set(catalogue.terrains()) == set(Terrain)
    assert len({i.id for i in catalogue}) == len(catalogue)
    assert {p.parent for p in catalogue.paths} == {SHIPPED_FOLDER}


def test_every_shipped_intervention_has_a_source_and_texts() -> None:
    for item in load_catalogue():
        assert item.sources, item.id
        for source in item.sources:
            assert source.title and source.publisher, item.id
            assert source.url is None or source.url.startswith("http"), item.id
        assert item.fits_when, item.id
        assert all(len(text) > 10 for text in (item.target_group, item.goal, item.approach))


def test_a_good_file_loads(tmp_path: Path) -> None:
    catalogue = load_catalogue_file(_write(tmp_path, GOOD, "good.toml"))
    assert [i.id for i in catalogue] == ["proef"]
    assert catalogue.get("proef").terrain == Terrain.SHARED_SPACES


def test_missing_field_names_file_id_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('goal = "Buren leren elkaar kennen."\n', ""))
    (problem,) = _problems(path)
    assert str(path) in problem
    assert 'intervention "proef"' in problem
    assert 'field "goal"' in problem and "required" in problem


def test_unknown_terrain_names_the_allowed_values(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, GOOD.replace('"shared_spaces"', '"tuinen"')))
    assert 'intervention "proef"' in problem and 'field "terrain"' in problem
    assert "informal_networks" in problem and "'tuinen'" in problem


def test_unknown_indicator_in_a_condition(tmp_path: Path) -> None:
    text = GOOD.replace('indicator = "turnover"', 'indicator = "verhuizingen"')
    (problem,) = _problems(_write(tmp_path, text))
    assert 'field "fits_when[0].indicator"' in problem
    assert 'indicator "verhuizingen" is not one of' in problem and "turnover" in problem


def test_wrong_type_and_bad_condition_shape(tmp_path: Path) -> None:
    text = GOOD.replace('levels = ["entrance", "block"]', 'levels = "block"').replace(
        "percentile_at_least = 0.7", 'percentile_at_least = "hoog"'
    )
    problems = _problems(_write(tmp_path, text))
    assert any('field "levels"' in p and "list" in p for p in problems)
    assert any('field "fits_when[0].percentile_at_least"' in p for p in problems)
    shape = GOOD.replace(
        '{indicator = "turnover", percentile_at_least = 0.7}',
        '{indicator = "turnover", at_most = 0}',
    )
    (problem,) = _problems(_write(tmp_path, shape, "shape.toml"))
    assert 'field "fits_when[0]"' in problem and "at_most does not go with indicator" in problem


def test_unknown_field_duplicate_id_and_bad_toml(tmp_path: Path) -> None:
    extra = _problems(_write(tmp_path, GOOD.replace('cost = "laag"', 'cost = "laag"\nprijs = 3')))
    assert any('field "prijs"' in p and "not a known field" in p for p in extra)
    twice = _problems(_write(tmp_path, GOOD + GOOD, "twice.toml"))
    assert any('intervention "proef", field "id"' in p and "more than once" in p for p in twice)
    broken = _problems(_write(tmp_path, "[[intervention]\nid = ", "broken.toml"))
    assert "not valid TOML" in broken[0]


def test_entry_without_id_is_named_by_its_number(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path, GOOD.replace('id = "proef"\n', "")))
    assert any("intervention #1 (without id)" in p and 'field "id"' in p for p in problems)


def test_cli_check_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["interventions", "check"])
    assert ok.exit_code == 0, ok.output
    assert "interventions in 6 file(s)" in _flat(ok.output)
    bad = _write(tmp_path, GOOD.replace('"shared_spaces"', '"tuinen"'))
    failed = runner.invoke(cli, ["interventions", "check", str(bad)])
    assert failed.exit_code == 1
    assert 'intervention "proef", field "terrain"' in _flat(failed.output)
    missing = runner.invoke(cli, ["interventions", "check", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 1 and "no such file or folder" in _flat(missing.output)


def test_cli_list_filters_by_terrain() -> None:
    result = CliRunner().invoke(
        cli, ["interventions", "list", "--terrain", "scale_and_mix"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "magic_mix" in result.output and "buurtcirkel" not in result.output
