"""CBS kerncijfers and Leefbaarometer scores as context on buurt, wijk and gemeente pages.

A figure CBS does not give (sentinels -99995, -99997, …) is shown by its reason in Dutch words,
never as the sentinel number; the JSON twin carries the same reasons.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from veerkracht import pipeline
from veerkracht.demo.writers_lbm import YEARS as GRID_YEARS
from veerkracht.domain.frames import SourceData
from veerkracht.domain.levels import Level
from veerkracht.settings import Settings
from veerkracht.storage.sources import read_frame, write_source
from veerkracht.storage.statistics import read_area_statistics, read_liveability
from veerkracht.storage.units import read_units
from veerkracht.web import create_app
from veerkracht.web.app import _templates
from veerkracht.web.pages.context import (
    area_statistics_from_rows,
    build_area_statistics,
    build_liveability,
    liveability_from_frame,
    statistic_text,
)
from veerkracht.web.pages.models import UnitPage

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
BAARN = REAL / "baarn" / "cbs-wijkbuurtkaart-2024-v1-buurten.geojson"
AMSTELVEEN = REAL / "amstelveen" / "leefbaarometer3-wijken-2014-2022.csv"
SENTINELS = ("-99995", "-99997", "-99991")
GRID_SOURCE_NL = "Bron: Leefbaarometer 3.0 (BZK), vakken van 100 bij 100 meter"


def real(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not present: {path} (see ../shared/data/real/README.md)")
    return path


def render(settings: Settings, template: str, page: object) -> str:
    env = _templates(settings).env  # the app's own Jinja environment, without a store
    return env.get_template(template).render(page=page)


def assert_no_sentinel(text: str) -> None:
    for sentinel in SENTINELS:
        assert sentinel not in text.replace(".", "")  # also not written the Dutch way (-99.995)


# ---- the page data, from rows --------------------------------------------------------------


def test_values_are_dutch_and_missing_values_are_words() -> None:
    assert statistic_text("inhabitants", 1825.0, None) == "1.825"
    assert statistic_text("rented_pct", 42.0, None) == "42\u00a0%"
    assert statistic_text("average_household_size", 1.7, None) == "1,7"
    assert statistic_text("average_dwelling_value_keur", 345.0, None) == "€\u00a0345.000"
    assert statistic_text("inhabitants", None, "secret") == "geheim"
    assert statistic_text("inhabitants", None, "not_yet_published") == "nog niet gepubliceerd"
    assert statistic_text("inhabitants", None, "no_longer_published") == "niet meer gepubliceerd"
    assert statistic_text("inhabitants", None, "empty") == "leeg"
    assert "99" not in statistic_text("inhabitants", None, "unknown_sentinel")


def test_key_figures_come_first_in_a_fixed_order_the_rest_after() -> None:
    rows = pd.DataFrame(
        {
            "variable": ["afstand_tot_bos", "households", "inhabitants", "dwelling_stock"],
            "value": [1.2, None, 100.0, None],
            "missing_reason": [None, "secret", None, "not_yet_published"],
        }
    )
    stats = area_statistics_from_rows(rows, 2024)
    assert [s.variable for s in stats.main] == ["inhabitants", "households", "dwelling_stock"]
    assert [s.label for s in stats.main] == ["Inwoners", "Huishoudens", "Woningvoorraad"]
    assert [s.text for s in stats.main] == ["100", "geheim", "nog niet gepubliceerd"]
    assert stats.main[1].missing_reason == "secret" and stats.main[1].value is None
    assert [(s.label, s.text) for s in stats.more] == [("Afstand tot bos", "1,2")]
    assert stats.source == "Bron: CBS, CC BY 4.0"


def test_liveability_rows_have_dutch_names_and_signed_deviations() -> None:
    frame = pd.DataFrame(
        {
            "year": [2022, 2020],
            "lbm": [4.33, 4.31],
            "afw": [0.226, 0.208],
            "fys": [-0.007, 0.001],
            "onv": [0.054, 0.054],
            "soc": [-0.004, 0.0],
            "vrz": [0.189, 0.188],
            "won": [-0.006, -0.035],
        }
    )
    scores = liveability_from_frame(frame)
    assert scores.years == [2020, 2022]
    labels = {row.score: row.label for row in scores.rows}
    assert [labels[k] for k in ("fys", "onv", "soc", "vrz", "won")] == [
        "Fysieke omgeving",
        "Overlast en onveiligheid",
        "Sociale samenhang",
        "Voorzieningen",
        "Woningvoorraad",
    ]
    rows = {row.score: [v.text for v in row.values] for row in scores.rows}
    assert rows["lbm"] == ["4,31", "4,33"]
    assert rows["afw"] == ["+0,208", "+0,226"]
    assert rows["won"] == ["-0,035", "-0,006"]
    assert scores.source == "Bron: Leefbaarometer 3.0 (BZK)"


# ---- the real files ------------------------------------------------------------------------


@pytest.fixture
def real_settings(tmp_path: Path) -> Settings:
    return Settings(workspace=tmp_path / "real")


def test_baarn_buurtkaart_shows_its_sentinels_as_words(real_settings: Settings) -> None:
    path = real(BAARN)
    store = pipeline.store_for(real_settings)
    try:
        pipeline.import_source(store, "cbs-buurtkaart", path)
        stats = read_frame(store, "area_statistics")
        secret = stats[stats["missing_reason"] == "secret"]
        assert len(secret) and (stats["missing_reason"] == "not_yet_published").any()
        code = str(secret["code"].iloc[0])
        assert len(read_area_statistics(store, "neighbourhood", code))
        page = build_area_statistics(store, Level.NEIGHBOURHOOD, code)
    finally:
        store.dispose()
    assert page is not None and page.year == 2024
    assert [s.variable for s in page.main][:2] == ["inhabitants", "households"]
    texts = [s.text for s in page.main + page.more]
    assert "geheim" in texts and "nog niet gepubliceerd" in texts
    assert all(s.value is None for s in page.main + page.more if s.missing_reason)
    html = render(real_settings, "_area_statistics.html", _page(area_statistics=page))
    assert "geheim" in html and "nog niet gepubliceerd" in html
    assert "Meer cijfers" in html and "Bron: CBS, CC BY 4.0" in html
    assert_no_sentinel(html)


def test_amstelveen_leefbaarometer_scores_as_context(real_settings: Settings) -> None:
    path = real(AMSTELVEEN)
    store = pipeline.store_for(real_settings)
    try:
        pipeline.import_source(store, "leefbaarometer", path)
        code = str(read_frame(store, "liveability_scores")["code"].iloc[0])
        frame = read_liveability(store, "district", code)
        scores = build_liveability(store, Level.DISTRICT, code)
    finally:
        store.dispose()
    assert scores is not None and scores.years == sorted(frame["year"].astype(int))
    by_score = {row.score: row.values for row in scores.rows}
    for i in range(len(scores.years)):
        dims = [by_score[k][i].value for k in ("fys", "onv", "soc", "vrz", "won")]
        assert sum(dims) == pytest.approx(by_score["afw"][i].value, abs=1e-6)  # type: ignore[arg-type]
    html = render(real_settings, "_liveability.html", _page(liveability=scores))
    assert "Fysieke omgeving" in html and "Bron: Leefbaarometer 3.0 (BZK)" in html


def _page(**fields: object) -> dict[str, object]:
    return {"area_statistics": None, "liveability": None, **fields}


# ---- Demostad, through the web app ---------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A small Demostad (with its 100 m grid scores) plus CBS figures (two of them withheld by
    CBS) and Leefbaarometer scores for one buurt; yields a client and the codes used."""
    settings = Settings(workspace=tmp_path_factory.mktemp("area-context"))
    pipeline.run_demo(settings, seed=1, dwellings=800)
    store = pipeline.store_for(settings)
    try:
        codes = {
            level: str(read_units(store, level, with_geometry=False)["key"].iloc[0])
            for level in ("neighbourhood", "district", "municipality")
        }
        rows: list[tuple[str, str, int, str, float | None, str | None]] = []
        for level, code in codes.items():
            for variable, value, reason in (
                ("inhabitants", 1825.0, None),
                ("households", None, "not_yet_published"),  # was -99995 in the file
                ("housing_corporation_owned_pct", None, "secret"),  # was -99997
                ("rented_pct", 42.0, None),
                ("afstand_tot_bos", 1.2, None),
            ):
                rows.append((level, code, 2023, variable, 1.0, None))  # an older year
                rows.append((level, code, 2024, variable, value, reason))
        statistics = pd.DataFrame(
            rows, columns=["level", "code", "year", "variable", "value", "missing_reason"]
        )
        statistics["source"] = "cbs-buurtkaart"
        write_source(
            store,
            SourceData(name="cbs-buurtkaart", area_statistics=statistics),
            path="test",
            sha256="0" * 64,
            report={},
        )
        scores = pd.DataFrame(
            {
                "level": ["neighbourhood", "neighbourhood"],
                "code": [codes["neighbourhood"]] * 2,
                "year": [2020, 2022],
                "name": ["Bloemenbuurt"] * 2,
                "lbm": [4.1, 4.2],
                "afw": [0.05, 0.1],
                "fys": [0.01, 0.02],
                "onv": [0.01, 0.02],
                "soc": [0.01, 0.02],
                "vrz": [0.01, 0.02],
                "won": [0.01, 0.02],
            }
        )
        write_source(
            store,
            SourceData(name="leefbaarometer", liveability_scores=scores),
            path="test",
            sha256="1" * 64,
            report={},
        )
    finally:
        store.dispose()
    with TestClient(create_app(settings)) as client:
        yield client, codes


def test_buurt_page_shows_cbs_figures_with_reasons_never_sentinels(
    demo: tuple[TestClient, dict[str, str]],
) -> None:
    client, codes = demo
    html = client.get(f"/units/neighbourhood/{codes['neighbourhood']}").text
    assert "Over deze buurt (CBS, Leefbaarometer)" in html
    assert "Kerncijfers CBS 2024" in html
    assert "nog niet gepubliceerd" in html and "geheim" in html
    assert "Bron: CBS, CC BY 4.0" in html
    assert "Meer cijfers" in html and "Afstand tot bos" in html
    assert_no_sentinel(html)
    assert "Scores Leefbaarometer" in html and "Sociale samenhang" in html
    assert "Bron: Leefbaarometer 3.0 (BZK)" in html


def test_json_twin_carries_the_same_figures_and_reasons(
    demo: tuple[TestClient, dict[str, str]],
) -> None:
    client, codes = demo
    data = client.get(f"/api/units/neighbourhood/{codes['neighbourhood']}").json()
    page = UnitPage.model_validate(data)
    assert page.area_statistics is not None and page.area_statistics.year == 2024
    reasons = {s.variable: s.missing_reason for s in page.area_statistics.main}
    assert reasons == {
        "inhabitants": None,
        "households": "not_yet_published",
        "rented_pct": None,
        "housing_corporation_owned_pct": "secret",
    }
    withheld = [s for s in page.area_statistics.main if s.missing_reason]
    assert all(s.value is None for s in withheld)
    assert page.liveability is not None and page.liveability.years == [2020, 2022]
    assert page.liveability.source == "Bron: Leefbaarometer 3.0 (BZK)"  # its own, not the grid
    assert_no_sentinel(str(data))


@pytest.mark.parametrize(
    ("level", "title"),
    [("district", "Over deze wijk"), ("municipality", "Over deze gemeente")],
)
def test_wijk_and_gemeente_pages_show_their_own_figures(
    demo: tuple[TestClient, dict[str, str]], level: str, title: str
) -> None:
    client, codes = demo
    html = client.get(f"/units/{level}/{codes[level]}").text
    assert f"{title} (CBS, Leefbaarometer)" in html and "geheim" in html
    # no scores of its own were given for this level: the mean of Demostad's 100 m grid
    assert "Scores Leefbaarometer" in html and GRID_SOURCE_NL in html
    data = client.get(f"/api/units/{level}/{codes[level]}").json()
    assert data["area_statistics"]["year"] == 2024
    assert data["liveability"]["years"] == list(GRID_YEARS)
    assert data["liveability"]["source"].startswith(GRID_SOURCE_NL)


def test_pages_below_the_buurt_show_grid_scores_but_no_cbs_figures(
    demo: tuple[TestClient, dict[str, str]],
) -> None:
    client, _codes = demo
    key = client.get("/api/units?level=block").json()["units"][0]["key"]
    data = client.get(f"/api/units/block/{key}").json()
    assert data["area_statistics"] is None  # CBS gives figures for areas, not for blocks
    assert data["liveability"]["years"] == list(GRID_YEARS)
    assert data["liveability"]["source"].startswith(GRID_SOURCE_NL)
    html = client.get(f"/units/block/{key}").text
    assert "CBS, Leefbaarometer" not in html and "Kerncijfers CBS" not in html
    assert "Leefbaarheid in de buurt van deze plek (Leefbaarometer)" in html
    assert "Scores Leefbaarometer" in html and "Sociale samenhang" in html
    assert GRID_SOURCE_NL in html
