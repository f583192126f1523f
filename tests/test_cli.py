"""The command line, as a user calls it (click's CliRunner, a real SQLite workspace)."""

import hashlib
import json
import sqlite3

import pytest
import shapely.geometry
from click.testing import CliRunner

from veerkracht.cli import cli

TABLES = (
    "buildings",
    "dwellings",
    "lettings",
    "moveouts",
    "nuisance",
    "assets",
    "units",
    "indicator_values",
)


def _content_digest(path) -> str:
    digest = hashlib.sha256()
    with sqlite3.connect(path) as conn:
        for table in TABLES:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(
        cli, ["demo", "--no-serve", "--workspace", str(folder), "--dwellings", "1000"]
    )
    assert result.exit_code == 0, result.output
    return folder, result.output


def test_demo_prints_counts_per_level(demo_workspace) -> None:
    _folder, output = demo_workspace
    for level in ("entrance", "building", "block", "street", "neighbourhood", "municipality"):
        assert level in output


def test_demo_twice_with_same_seed_gives_identical_store(demo_workspace, tmp_path) -> None:
    folder, _ = demo_workspace
    result = CliRunner().invoke(
        cli, ["demo", "--no-serve", "--workspace", str(tmp_path), "--dwellings", "1000"]
    )
    assert result.exit_code == 0, result.output
    assert _content_digest(folder / "veerkracht.sqlite") == _content_digest(
        tmp_path / "veerkracht.sqlite"
    )


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
def test_export_units(demo_workspace, tmp_path, fmt) -> None:
    folder, _ = demo_workspace
    out = tmp_path / f"blocks.{fmt}"
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "units",
            "--level",
            "block",
            "--format",
            fmt,
            "--out",
            str(out),
            "--workspace",
            str(folder),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    if fmt == "geojson":
        data = json.loads(out.read_text())
        assert data["features"]
        lon, lat = (
            shapely.geometry.shape(data["features"][0]["geometry"]).representative_point().coords[0]
        )
        assert 3 < lon < 8 and 50 < lat < 54


def test_export_unknown_level_is_usage_error(demo_workspace, tmp_path) -> None:
    folder, _ = demo_workspace
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "units",
            "--level",
            "wijkje",
            "--out",
            str(tmp_path / "x.csv"),
            "--workspace",
            str(folder),
        ],
    )
    assert result.exit_code == 2
    assert "is not one of" in result.output


def test_build_without_data_exits_1_with_hint(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["build", "--workspace", str(tmp_path)])
    assert result.exit_code == 1
    assert "veerkracht demo" in result.output


def test_quality_reports_precision_and_recall(demo_workspace) -> None:
    folder, _ = demo_workspace
    result = CliRunner().invoke(cli, ["quality", "--workspace", str(folder)])
    assert result.exit_code == 0, result.output
    assert "precision 1.000" in result.output or "precision 0.9" in result.output


def test_sources_lists_the_demo_import(demo_workspace) -> None:
    folder, _ = demo_workspace
    result = CliRunner().invoke(cli, ["sources", "--workspace", str(folder)])
    assert result.exit_code == 0
    assert "demostad" in result.output


def test_analysis_commands(demo_workspace, tmp_path) -> None:
    folder, _ = demo_workspace
    runner = CliRunner()
    warned = runner.invoke(cli, ["warnings", "--workspace", str(folder)])
    assert warned.exit_code == 0, warned.output
    assert "waarschuwingen" in warned.output.lower()
    deviance = runner.invoke(cli, ["positive-deviance", "--workspace", str(folder)])
    assert deviance.exit_code == 0, deviance.output
    with sqlite3.connect(folder / "veerkracht.sqlite") as conn:
        street = conn.execute("SELECT key FROM units WHERE level = 'street' LIMIT 1").fetchone()[0]
    shown = runner.invoke(cli, ["profile", "street", street, "--workspace", str(folder)])
    assert shown.exit_code == 0, shown.output
    assert shown.output.index("draagkracht") < shown.output.index("draaglast")  # strengths first
    out = tmp_path / "indicators.csv"
    exported = runner.invoke(
        cli,
        ["export", "indicators", "--level", "block", "--out", str(out), "--workspace", str(folder)],
    )
    assert exported.exit_code == 0, exported.output
    header = out.read_text().splitlines()[0].split(",")
    assert {"level", "key", "year", "indicator", "value", "estimate", "lower", "upper"} <= set(
        header
    )
    wrong = runner.invoke(cli, ["profile", "wijkje", "x", "--workspace", str(folder)])
    assert wrong.exit_code == 2
