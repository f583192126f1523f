"""allocate, simulate and advice on a small Demostad workspace, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from veerkracht import pipeline
from veerkracht.allocation.advice import advise
from veerkracht.allocation.policy import default_policy
from veerkracht.allocation.stock import load_stock
from veerkracht.cli import cli
from veerkracht.settings import Settings

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples" / "allocation"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    pipeline.run_demo(Settings(workspace=folder), seed=1, dwellings=6000)
    return folder


def test_allocate_instance_writes_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    result = CliRunner().invoke(
        cli, ["allocate", "--instance", str(EXAMPLES / "instance"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "LP integraal" in result.output and "prijs van spreiding" in result.output
    plan = pd.read_csv(out, dtype=str)
    assert list(plan.columns) == ["household_id", "vacancy_id"]
    assert len(plan) == 3


def test_allocate_on_the_workspace_stock(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    result = CliRunner().invoke(
        cli,
        [
            "allocate",
            "--vacancies",
            str(EXAMPLES / "vacancies.csv"),
            "--households",
            str(EXAMPLES / "households.csv"),
            "--policy",
            str(EXAMPLES / "policy.toml"),
            "--out",
            str(out),
            "--workspace",
            str(workspace),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "normoverschrijdingen │ 0 " in result.output
    plan = pd.read_csv(out, dtype=str)
    assert {"household_id", "vacancy_id", "dwelling_id", "score"} <= set(plan.columns)
    assert plan["vacancy_id"].is_unique and plan["household_id"].is_unique


def test_allocate_usage_and_input_errors(workspace: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["allocate", "--out", str(tmp_path / "p.csv")])
    assert result.exit_code == 2
    bad = tmp_path / "households.csv"
    bad.write_text("household_id,channel,household_size\nX1,regulier,twee\n", encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "allocate",
            "--vacancies",
            str(EXAMPLES / "vacancies.csv"),
            "--households",
            str(bad),
            "--out",
            str(tmp_path / "p.csv"),
            "--workspace",
            str(workspace),
        ],
    )
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert 'field "household_size"' in output and "expected a number" in output


def test_simulate_writes_csv_and_charts(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "sim"
    result = CliRunner().invoke(
        cli,
        [
            "simulate",
            "--policy",
            str(EXAMPLES / "policy.toml"),
            "--years",
            "2",
            "--runs",
            "2",
            "--jobs",
            "1",
            "--out",
            str(out),
            "--workspace",
            str(workspace),
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out / "simulation.csv")
    assert set(frame["method"]) == {"first-come", "cap-rule", "dual-price"}
    assert set(frame["year"]) == {0, 1, 2}
    assert (out / "entrance_over_cap.png").stat().st_size > 0
    assert (out / "entrance_over_cap.svg").exists()
    last = frame[frame["year"] == 2].groupby("method")["entrance_over_cap"].mean()
    assert last["cap-rule"] <= last["first-come"]


def test_advice_on_the_stock(workspace: Path) -> None:
    store = pipeline.store_for(Settings(workspace=workspace))
    try:
        stock = load_stock(store)
    finally:
        store.dispose()
    verdicts = set()
    for dwelling_id in stock.dwellings["dwelling_id"].iloc[::150]:
        advice = advise(stock, dwelling_id, default_policy())
        verdicts.add(advice.verdict)
        assert advice.reasons
        assert [lv["level"] for lv in advice.levels] == ["entrance", "building", "block", "buurt"]
        for level in advice.levels:
            assert level["projected"] == level["current"] + 1
    assert verdicts <= {"past", "past met steun", "beter elders"}
    result = CliRunner().invoke(cli, ["advice", "does-not-exist", "--workspace", str(workspace)])
    assert result.exit_code == 1 and "does-not-exist" in result.output
