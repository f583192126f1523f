"""Broken files through the real CLI: exit code 1, one clear message, and the store unchanged.

A workspace already holds a built Demostad; each broken file (made from Demostad's own exported
files, so that only the one defect stands between it and a good import) goes through
``veerkracht import <source> PATH --workspace DIR``. The message must name the file, the row or
feature, the field and what was expected, and a digest of every table must be the same after.
Runs on SQLite and PostgreSQL (the ``settings`` fixture; the CLI gets the database URL through
``VEERKRACHT_DATABASE_URL``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from veerkracht import pipeline
from veerkracht.cli import cli
from veerkracht.demo import generate_demostad
from veerkracht.demo.writers import BAG_GPKG, CSV_FILES, write_demostad
from veerkracht.settings import Settings
from veerkracht.storage import open_store
from veerkracht.storage import tables as t

SEED, DWELLINGS = 2, 300


def _store_digest(settings: Settings) -> str:
    """sha256 over the sorted rows of every table of the store."""
    store = open_store(settings.store_url)
    digest = hashlib.sha256()
    try:
        with store.engine.connect() as conn:
            for table in t.metadata.sorted_tables:
                rows = sorted(repr(tuple(row)) for row in conn.execute(select(table)))
                digest.update(f"{table.name}:{len(rows)}".encode())
                for row in rows:
                    digest.update(row.encode())
    finally:
        store.dispose()
    return digest.hexdigest()


# --- broken files: each a function (exported files, tmp folder) → path -------------------------


def _csv_lines(files: Path, kind: str) -> list[str]:
    return (files / CSV_FILES[kind]).read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def wrong_delimiter(files: Path, tmp: Path) -> Path:
    lines = [line.replace(";", "|") for line in _csv_lines(files, "stock")]
    return _write(tmp / "voorraad.csv", lines)


def missing_column(files: Path, tmp: Path) -> Path:
    lines = [line.rsplit(";", 1)[0] for line in _csv_lines(files, "lettings")]  # no kanaal
    return _write(tmp / "verhuringen.csv", lines)


def unknown_channel(files: Path, tmp: Path) -> Path:
    lines = _csv_lines(files, "lettings")
    lines[5] = lines[5].rsplit(";", 1)[0] + ";Wisselwoning"
    return _write(tmp / "verhuringen.csv", lines)


def duplicate_ids(files: Path, tmp: Path) -> Path:
    lines = _csv_lines(files, "stock")
    return _write(tmp / "voorraad.csv", [*lines[:4], lines[3], *lines[4:]])


def empty_file(files: Path, tmp: Path) -> Path:
    path = tmp / "overlast.csv"
    path.write_bytes(b"")
    return path


def not_utf8(files: Path, tmp: Path) -> Path:
    lines = _csv_lines(files, "nuisance")
    lines[3] = (
        lines[3]
        .replace("geluid", "geluidsoverlast café")
        .replace(lines[3].rsplit(";", 1)[1], "geluid (café)")
    )
    return _write(tmp / "overlast.csv", lines, encoding="cp1252")


def _bag_layers(files: Path) -> dict[str, gpd.GeoDataFrame]:
    return {
        layer: pyogrio.read_dataframe(files / BAG_GPKG, layer=layer)
        for layer in ("pand", "verblijfsobject")
    }


def _write_gpkg(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> Path:
    for layer, frame in layers.items():
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG")
    return path


def bad_coordinates(files: Path, tmp: Path) -> Path:
    layers = _bag_layers(files)
    vbo = layers["verblijfsobject"]
    vbo.loc[7, "geometry"] = gpd.points_from_xy([5.12], [52.09])[0]  # degrees, not metres
    return _write_gpkg(tmp / "bag-light.gpkg", layers)


def wrong_crs(files: Path, tmp: Path) -> Path:
    layers = {name: frame.to_crs("EPSG:4326") for name, frame in _bag_layers(files).items()}
    return _write_gpkg(tmp / "bag-light.gpkg", layers)


def truncated_geopackage(files: Path, tmp: Path) -> Path:
    data = (files / BAG_GPKG).read_bytes()
    path = tmp / "bag-light.gpkg"
    path.write_bytes(data[: len(data) // 2])
    return path


#: name → (source, make the file, fragments the message must contain besides the file name).
CASES: dict[str, tuple[str, Callable[[Path, Path], Path], tuple[str, ...]]] = {
    "wrong delimiter": ("stock", wrong_delimiter, ("row 1", "expected", ";")),
    "missing column": ("lettings", missing_column, ("row 1", 'field "kanaal"', "missing column")),
    "unknown channel label": (
        "lettings",
        unknown_channel,
        ("row 6", 'field "kanaal"', "Wisselwoning", "regulier"),
    ),
    "duplicate ids": ("stock", duplicate_ids, ("row 5", 'field "vhe_id"', "VHE")),
    "empty file": ("nuisance", empty_file, ("empty", "expected")),
    "non-UTF-8": ("nuisance", not_utf8, ("row 4", "UTF-8")),
    "bad coordinates": (
        "bag",
        bad_coordinates,
        ("verblijfsobject 9999010000000008", 'field "geometry"', "expected RD New"),
    ),
    "wrong CRS": ("bag", wrong_crs, ('layer "pand"', 'field "crs"', "expected EPSG:28992")),
    "truncated GeoPackage": ("bag", truncated_geopackage, ("truncated", "bytes")),
}


@pytest.fixture
def workspace_with_demostad(settings: Settings, tmp_path: Path) -> tuple[Settings, Path]:
    """A built Demostad in the settings' store, and the same Demostad exported as files."""
    pipeline.run_demo(settings, seed=SEED, dwellings=DWELLINGS)
    files = tmp_path / "files"
    write_demostad(generate_demostad(seed=SEED, dwellings=DWELLINGS), files, formats=("gpkg",))
    return settings, files


def test_broken_files_fail_cleanly_and_leave_the_store_as_it_was(
    workspace_with_demostad: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, files = workspace_with_demostad
    env = {"VEERKRACHT_DATABASE_URL": settings.store_url, "COLUMNS": "400"}
    before = _store_digest(settings)
    failures = []
    for name, (source, make, fragments) in CASES.items():
        folder = tmp_path / name.replace(" ", "-")
        folder.mkdir()
        path = make(files, folder)
        result = CliRunner().invoke(
            cli, ["import", source, str(path), "--workspace", str(settings.workspace)], env=env
        )
        message = " ".join(result.output.split())
        problems = []
        if result.exit_code != 1:
            problems.append(f"exit code {result.exit_code}")
        if result.output.count("Fout:") != 1:
            problems.append("not exactly one message")
        problems += [f"lacks {f!r}" for f in (str(path), *fragments) if f not in message]
        if _store_digest(settings) != before:
            problems.append("the store changed")
        if problems:
            failures.append(f"{name}: {', '.join(problems)}\n    {message}")
    assert not failures, "\n".join(failures)


def test_the_good_files_import(workspace_with_demostad: tuple[Settings, Path]) -> None:
    """The control: the unbroken files import with exit code 0 into the same workspace."""
    settings, files = workspace_with_demostad
    env = {"VEERKRACHT_DATABASE_URL": settings.store_url}
    for source, name in (("bag", BAG_GPKG), ("stock", CSV_FILES["stock"])):
        result = CliRunner().invoke(
            cli,
            ["import", source, str(files / name), "--workspace", str(settings.workspace)],
            env=env,
        )
        assert result.exit_code == 0, result.output
