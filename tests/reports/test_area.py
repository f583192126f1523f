"""The buurt report: its blocks by name with numbers on the map, capacity first, and the same
four sections at buurt level, all under disclosure control."""

from __future__ import annotations

import pytest

from veerkracht.assessment.disclosure import PUBLIC, Viewer
from veerkracht.domain.levels import Level
from veerkracht.storage.units import read_units
from veerkracht.web.pages.units import sort_by_name
from veerkracht.web.reports.area import BLOCK_CAPACITY, BLOCK_LOAD
from veerkracht.web.reports.vignette import build_report

from .checks import mismatches, public_problems
from .conftest import NOW, Demo


@pytest.mark.slow
@pytest.mark.parametrize("role", ["public", "professional"])
def test_buurt_report_lists_blocks_by_name_with_disclosed_figures(demo: Demo, role: str) -> None:
    viewer = PUBLIC if role == "public" else Viewer(role=role, name="gebied")
    report = build_report(
        demo.store, level=Level.NEIGHBOURHOOD, key=demo.buurt, viewer=viewer, now=NOW
    )
    assert report.kind == "neighbourhood" and report.map is not None
    names = [row.unit.name for row in report.blocks]
    assert [row.number for row in report.blocks] == list(range(1, len(names) + 1))
    assert len(names) >= 5  # their order: test_every_block_of_the_buurt_is_listed
    assert demo.block in {row.unit.key for row in report.blocks}
    for row in report.blocks:
        assert [f.indicator for f in row.capacity] == list(BLOCK_CAPACITY)
        assert [f.indicator for f in row.load] == list(BLOCK_LOAD)
    assert len(report.block_columns) == len(BLOCK_CAPACITY) + len(BLOCK_LOAD)
    assert mismatches(demo.store, report, viewer) == []
    if role == "public":
        assert public_problems(report) == []
        assert not report.fits.shown and not report.done.shown
    else:
        assert report.fits.shown and report.done.shown
        assert any(i.title == demo.log_title for i in report.done.items), "logged inside it"


def test_every_block_of_the_buurt_is_listed(demo: Demo) -> None:
    report = build_report(demo.store, level=Level.NEIGHBOURHOOD, key=demo.buurt, viewer=PUBLIC)
    streets = read_units(demo.store, "street", parent_key=demo.buurt, with_geometry=False)
    blocks = set()
    for street in streets["key"]:
        found = read_units(demo.store, "block", parent_key=street, with_geometry=False)
        blocks |= set(found["key"])
    assert {row.unit.key for row in report.blocks} == blocks
    ordered = sort_by_name(
        read_units(demo.store, "block", with_geometry=False).query("key in @blocks")
    )
    assert [row.unit.key for row in report.blocks] == list(ordered["key"])
