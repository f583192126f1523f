"""`veerkracht report LEVEL KEY --format pdf|html --out FILE [--as-role ROLE]`: exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from veerkracht.cli import cli

from .conftest import Demo


def _run(demo: Demo, *args: str):  # type: ignore[no-untyped-def]
    runner = CliRunner(env={"VEERKRACHT_DATABASE_URL": demo.settings.database_url})
    return runner.invoke(cli, ["report", *args, "--workspace", str(demo.settings.workspace)])


@pytest.mark.slow
def test_pdf_and_html_are_written(demo: Demo, tmp_path: Path) -> None:
    pdf = tmp_path / "out" / "blok.pdf"
    done = _run(demo, "block", demo.block, "--out", str(pdf))
    assert done.exit_code == 0, done.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "vignette" in done.output and "public" in done.output
    html = tmp_path / "straat.html"
    done = _run(
        demo, "street", demo.street, "--format", "html", "--out", str(html), "--as-role", "analyst"
    )
    assert done.exit_code == 0, done.output
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "Wat past hier" in text
    assert "voor analisten" in text


@pytest.mark.slow
def test_buurt_report(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "buurt.html"
    done = _run(demo, "neighbourhood", demo.buurt, "--format", "html", "--out", str(out))
    assert done.exit_code == 0, done.output
    assert "buurt report" in done.output and "Blokken in deze buurt" in out.read_text()


def test_exit_codes(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    unknown = _run(demo, "block", "GEEN", "--out", str(out))
    assert unknown.exit_code == 1
    assert 'no block with key "GEEN"' in " ".join(unknown.output.split())
    assert not out.exists()
    assert _run(demo, "blok", "X", "--out", str(out)).exit_code == 2  # not a level
    district = _run(demo, "district", "WK999901", "--out", str(out))
    assert district.exit_code == 2 and "district" in district.output
    assert _run(demo, "block", demo.block, "--out", str(out), "--as-role", "admin").exit_code == 2
    assert _run(demo, "block", demo.block, "--format", "docx", "--out", str(out)).exit_code == 2
