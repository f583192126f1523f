"""The vignette as data: its four sections, made for the public, a professional and an analyst.

Every figure is compared with what ``disclosure.disclose`` says for the same rows and viewer;
community items follow ``audience.can_see``; a person appears by first name only.
"""

from __future__ import annotations

import json

import pytest

from veerkracht.assessment.disclosure import PUBLIC, Viewer
from veerkracht.domain.levels import Level
from veerkracht.errors import NotFound, UsageError
from veerkracht.storage.audit import read_audit
from veerkracht.storage.units import read_units
from veerkracht.web.reports.vignette import build_report

from .checks import mismatches, public_problems, trend_mismatches
from .conftest import NOW, Demo

PROFESSIONAL = Viewer(role="professional", name="welzijn")
ANALYST = Viewer(role="analyst", name="analist")


def _vignette(demo: Demo, viewer: Viewer, level: Level = Level.BLOCK, key: str | None = None):
    return build_report(demo.store, level=level, key=key or demo.block, viewer=viewer, now=NOW)


@pytest.mark.slow
def test_public_vignette_shows_only_what_disclose_allows(demo: Demo) -> None:
    report = _vignette(demo, PUBLIC)
    assert report.kind == "vignette" and report.year is not None
    assert mismatches(demo.store, report, PUBLIC) == []
    assert trend_mismatches(demo.store, report, PUBLIC) == []
    assert public_problems(report) == []
    figures = [*report.living.capacity, *report.living.load, *report.living.signals]
    assert any(f.withheld for f in figures), "the warning block has small counts to withhold"
    assert any(not f.withheld for f in report.living.load), "and figures the public may see"
    assert all(f.text for f in figures if f.withheld), "a withheld figure says why"


@pytest.mark.slow
@pytest.mark.parametrize("viewer", [PROFESSIONAL, ANALYST], ids=["professional", "analyst"])
def test_professional_versions_show_exact_figures_as_disclose_says(demo: Demo, viewer) -> None:
    report = _vignette(demo, viewer)
    assert mismatches(demo.store, report, viewer) == []
    assert trend_mismatches(demo.store, report, viewer) == []
    assert not any(f.withheld for f in report.living.load)
    assert any(f.estimate_text for f in report.living.load), "exact figures carry estimates"


@pytest.mark.slow
def test_what_is_here_names_persons_by_first_name_only(demo: Demo) -> None:
    public = _vignette(demo, PUBLIC).here
    offers = {i.name: i for g in public.groups for i in g.items}
    assert offers["Soep koken voor zieke buren"].person == "Fatima"
    assert "Hulp bij de computer" not in offers, "block-only items are not public"
    assert "Samen naar de markt" not in offers, "pending items are in no report"
    assert public.groups[0].kind == "place", "places come first"
    assert [i.owner for i in public.initiatives] == ["Noor"]
    assert public.initiatives[0].supporters == 3
    professional = _vignette(demo, PROFESSIONAL).here
    offers = {i.name: i for g in professional.groups for i in g.items}
    assert offers["Hulp bij de computer"].person == "Willem"
    assert "Samen naar de markt" not in offers
    for here in (public, professional):
        text = json.dumps(here.model_dump(mode="json"), ensure_ascii=False)
        for hidden in ("van den Berg", "Jansen", "Yilmaz", "de Wit", demo.address, demo.postcode):
            assert hidden not in text
        assert not any(g.kind == "active_resident" for g in here.groups), "counted, not listed"
        assert [f.indicator for f in here.active_residents] == [
            "active_residents_per_100",
            "active_residents_nearby",
        ]


@pytest.mark.slow
def test_suggestions_and_log_entries_depend_on_the_viewer(demo: Demo) -> None:
    public = _vignette(demo, PUBLIC)
    assert not public.fits.shown and public.fits.items == []
    assert "geen oordeel" in public.fits.note
    assert not public.done.shown and public.done.items == [] and public.done.count >= 1
    assert "alleen voor professionals" in public.done.note
    dumped = json.dumps(public.model_dump(mode="json"), ensure_ascii=False)
    assert demo.log_title not in dumped

    professional = _vignette(demo, PROFESSIONAL)
    assert professional.fits.shown and professional.fits.items
    assert all(item.reasons for item in professional.fits.items)
    assert "hangt af van de plek" in professional.fits.caveat
    assert professional.done.shown
    entry = next(i for i in professional.done.items if i.title == demo.log_title)
    assert entry.where == "in dit blok" and entry.organisation == "Welzijn Demostad"

    analyst = _vignette(demo, ANALYST)
    assert analyst.fits.shown, "analysts see suggestions"
    assert not analyst.done.shown, "the log's entries are for professionals"


@pytest.mark.slow
def test_a_professional_outside_their_area_gets_the_public_version(demo: Demo) -> None:
    elsewhere = Viewer(role="professional", scope=frozenset({"BU00000000"}), name="elders")
    report = _vignette(demo, elsewhere)
    assert not report.fits.shown and not report.done.shown
    assert public_problems(report) == []
    assert mismatches(demo.store, report, elsewhere) == []


@pytest.mark.slow
def test_street_vignette_and_the_audit_log(demo: Demo) -> None:
    def audited() -> list[tuple[str, str]]:
        rows = read_audit(demo.store, record_type="unit", record_id=f"street/{demo.street}")
        return list(zip(rows["action"], rows["actor"], strict=True))

    before = audited()
    report = _vignette(demo, PROFESSIONAL, Level.STREET, demo.street)
    assert report.kind == "vignette" and report.unit.level == "street"
    assert mismatches(demo.store, report, PROFESSIONAL) == []
    assert audited() == [*before, ("report", "welzijn")]
    _vignette(demo, PUBLIC, Level.STREET, demo.street)
    assert audited() == [*before, ("report", "welzijn")], "a public report needs no audit row"


def test_only_blocks_streets_and_buurten_have_reports(demo: Demo) -> None:
    with pytest.raises(UsageError, match='not for level "district"'):
        build_report(demo.store, level=Level.DISTRICT, key="WK999901", viewer=PUBLIC)
    with pytest.raises(NotFound, match='no block with key "GEEN"'):
        build_report(demo.store, level=Level.BLOCK, key="GEEN", viewer=PUBLIC)


@pytest.mark.slow
def test_public_vignettes_across_demostad_break_no_disclosure_rule(demo: Demo) -> None:
    """A spread sample of blocks and streets (not just the warning block)."""
    checked = 0
    for level, step in ((Level.BLOCK, 8), (Level.STREET, 6)):
        keys = read_units(demo.store, level.value, with_geometry=False)["key"]
        for key in list(keys)[::step]:
            report = _vignette(demo, PUBLIC, level, key)
            assert mismatches(demo.store, report, PUBLIC) == [], key
            assert trend_mismatches(demo.store, report, PUBLIC) == [], key
            assert public_problems(report) == [], key
            assert not report.fits.items and not report.done.items
            checked += 1
    assert checked >= 20
