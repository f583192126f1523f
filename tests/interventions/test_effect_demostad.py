"""Before/after on Demostad (seed 1): the generator planted an effect for the portiekgesprekken
(two in three nuisance complaints gone after the start) and nothing for the other entries.

The estimate finds the planted drop; where nothing was planted it finds no clear difference, or
says there are too few data (a start too recent, too few comparable buurten, the signals that
only have one year). The CLI prints the same verdicts.
"""

# ruff: noqa: F811  (the session fixture imported from tests.web.conftest is a parameter)
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.web.conftest import web_settings  # noqa: F401
from veerkracht.assessment.disclosure import Viewer
from veerkracht.cli import cli
from veerkracht.demo.interventions import PLANTED_KEEP_SHARE
from veerkracht.errors import NotFound
from veerkracht.indicators.presence import touched_units
from veerkracht.interventions.effect import HIGHER, LOWER, NO_CLEAR, TOO_FEW
from veerkracht.interventions.effect_report import read_before_after
from veerkracht.interventions.log import LogForbidden
from veerkracht.settings import Settings
from veerkracht.storage import open_store
from veerkracht.storage.intervention_log import read_dwelling_keys, read_log

ANALYST = Viewer(role="analyst")


@pytest.fixture(scope="module")
def effects(web_settings: Settings):  # type: ignore[no-untyped-def]
    store = open_store(web_settings.store_url)
    try:
        log = read_log(store)
        found = {
            log_id: read_before_after(store, log_id, viewer=ANALYST) for log_id in log["log_id"]
        }
        keys = read_dwelling_keys(store)
        yield found, log, keys
    finally:
        store.dispose()


def _verdicts(found) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {r.indicator: r.verdict for r in found.results}


def test_the_demo_log_has_the_four_entries(effects) -> None:  # type: ignore[no-untyped-def]
    _found, log, _keys = effects
    assert set(log["log_id"]) == {
        "demo-portiekgesprekken",
        "demo-buurtbemiddeling",
        "demo-portiekbeheerders",
        "demo-buurtconcierge",
    }
    assert set(log["origin"]) == {"demo"}
    assert log.set_index("log_id").loc["demo-buurtconcierge", "level"] == "neighbourhood"


def test_the_planted_effect_is_found(effects) -> None:  # type: ignore[no-untyped-def]
    found, _log, _keys = effects
    nuisance = next(
        r for r in found["demo-portiekgesprekken"].results if r.indicator == "nuisance_per_100"
    )
    assert nuisance.verdict == LOWER
    assert nuisance.upper is not None and nuisance.upper < 0
    # about two in three complaints were taken out after the start
    planted = nuisance.before * (1 - PLANTED_KEEP_SHARE)
    assert nuisance.estimate == pytest.approx(-planted, abs=0.5 * planted)
    assert nuisance.lower < -planted < nuisance.upper
    assert len(nuisance.comparison) == 10
    assert "omlaag" in nuisance.text


def test_where_nothing_was_planted_there_is_no_effect_or_too_few_data(effects) -> None:  # type: ignore[no-untyped-def]
    found, _log, _keys = effects
    assert _verdicts(found["demo-buurtbemiddeling"])["nuisance_per_100"] == NO_CLEAR
    recent = next(r for r in found["demo-portiekbeheerders"].results)
    assert recent.verdict == TOO_FEW and "na het startjaar" in " ".join(recent.reasons)
    buurt = found["demo-buurtconcierge"]
    assert set(_verdicts(buurt).values()) == {TOO_FEW}
    assert any("vergelijkbare buurten" in r for r in buurt.results[0].reasons)
    for entry in found.values():  # the signals have one year of data only
        assert _verdicts(entry)["signals_per_100"] == TOO_FEW
        assert HIGHER not in _verdicts(entry).values()


def test_comparison_units_have_no_intervention_in_or_around_them(effects) -> None:  # type: ignore[no-untyped-def]
    found, log, keys = effects
    touched = set()
    for level, key in zip(log["level"], log["unit_key"], strict=True):
        touched |= touched_units(keys, level=level, key=key, at="block")
    assert len(touched) > 4  # the conciërge's buurt holds several blocks
    for entry in found.values():
        for result in entry.results:
            assert not touched & {c.key for c in result.comparison}


def test_only_readers_within_scope(web_settings: Settings) -> None:
    store = open_store(web_settings.store_url)
    try:
        entry = read_log(store).set_index("log_id").loc["demo-portiekgesprekken"]
        codes = read_before_after(store, "demo-portiekgesprekken", viewer=ANALYST).area_codes
        buurt = next(c for c in codes[entry["unit_key"]] if c.startswith("BU"))
        inside = Viewer(role="professional", scope=frozenset({buurt}))
        assert read_before_after(store, "demo-portiekgesprekken", viewer=inside).results
        for viewer in (Viewer(), Viewer(role="analyst", scope=frozenset({"BU00000000"}))):
            with pytest.raises(LogForbidden):
                read_before_after(store, "demo-portiekgesprekken", viewer=viewer)
        with pytest.raises(NotFound):
            read_before_after(store, "nope", viewer=ANALYST)
    finally:
        store.dispose()


@pytest.fixture(scope="module")
def workspace_copy(web_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the Demostad workspace the CLI may change."""
    target = tmp_path_factory.mktemp("log-cli") / "ws"
    shutil.copytree(web_settings.workspace, target)
    return target


def test_cli_effect_log_add_list_end(workspace_copy: Path) -> None:
    runner = CliRunner()
    ws = ["--workspace", str(workspace_copy)]
    shown = runner.invoke(cli, ["interventions", "effect", "demo-portiekgesprekken", *ws])
    assert shown.exit_code == 0, shown.output
    assert "meer" in shown.output and "omlaag" in shown.output
    assert "vergelijkingsgroep (10)" in shown.output and "Te weinig gegevens" in shown.output
    listed = runner.invoke(cli, ["interventions", "log", "list", "--level", "block", *ws])
    assert listed.exit_code == 0 and "3 entries" in listed.output
    block = read_log_unit(workspace_copy, "demo-buurtbemiddeling")
    added = runner.invoke(
        cli,
        ["interventions", "log", "add", "block", block, "--title", "Buurtkamer open",
         "--organisation", "Welzijn Demostad", "--aim", "Een plek om binnen te lopen",
         "--start", "2025-02-01", "--intervention", "buurtkamer", *ws],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    log_id = added.output.split()[1]
    wrong = runner.invoke(cli, ["interventions", "log", "end", log_id, "--on", "2024-01-01", *ws])
    assert wrong.exit_code == 1 and 'field "ended_on"' in wrong.output
    ended = runner.invoke(cli, ["interventions", "log", "end", log_id, "--on", "2025-06-30", *ws])
    assert ended.exit_code == 0 and "2025-06-30" in ended.output
    refused = runner.invoke(
        cli,
        ["interventions", "log", "add", "block", block, "--title", "x", "--organisation", "y",
         "--aim", "z", "--start", "2025-02-01", "--user", "analist", *ws],
    )  # fmt: skip
    assert refused.exit_code == 1 and "may not change" in refused.output


def read_log_unit(workspace: Path, log_id: str) -> str:
    store = open_store(Settings(workspace=workspace).store_url)
    try:
        return str(read_log(store).set_index("log_id").loc[log_id, "unit_key"])
    finally:
        store.dispose()
