"""Golden values for the server-rendered trend charts and the wording of estimates and gaps."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from veerkracht.domain.levels import Level
from veerkracht.web.i18n import load_translations
from veerkracht.web.pages.figures import estimate_text, gap_text, is_notable_gap
from veerkracht.web.pages.trend import HEIGHT, LEFT, TOP, WIDTH, axis_scale, trend_chart
from veerkracht.web.pages.unit import spread_sentence

TEMPLATES = Path(__file__).resolve().parents[2] / "veerkracht" / "web" / "templates"
NB = "\u00a0"


def test_points_scale_from_zero_to_the_axis_top() -> None:
    chart = trend_chart("turnover", years=[2020, 2021, 2022], values=[0.0, 0.1, 0.2])
    # plot area: x 48..348, y 12 (top) .. 152 (zero); 0,2 is the axis top.
    assert chart.plot == [LEFT, TOP, WIDTH - 12, HEIGHT - 28] == [48, 12, 348, 152]
    assert [(p.x, p.y) for p in chart.points] == [(48, 152), (198, 82), (348, 12)]
    assert chart.lines == ["48,152 198,82 348,12"]
    assert [t.text for t in chart.ticks] == [f"{n}{NB}%" for n in (0, 5, 10, 15, 20)]
    assert [t.value for t in chart.ticks] == pytest.approx([0, 0.05, 0.1, 0.15, 0.2])
    assert [t.y for t in chart.ticks] == [152, 117, 82, 47, 12]


def test_per_100_axis_and_a_missing_year_breaks_the_line() -> None:
    chart = trend_chart(
        "nuisance_per_100", years=[2021, 2022, 2023, 2024, 2025], values=[8, None, 4, 6, 10]
    )
    assert axis_scale(10, minimum=5) == (2.5, 10)
    xs = [p.x for p in chart.points]
    assert xs == [48, 123, 198, 273, 348]
    assert [p.y for p in chart.points] == [40, None, 96, 68, 12]
    assert chart.lines == ["198,96 273,68 348,12"]  # 2021 stands alone: a dot, no line
    assert [t.text for t in chart.ticks] == ["0,0", "2,5", "5,0", "7,5", "10,0"]
    assert chart.points[1].text == "niet getoond"
    assert chart.description == (
        "Van 2021 tot 2025: van 8,0 per 100 woningen naar 10,0 per 100 woningen. "
        "Hoogste: 10,0 per 100 woningen in 2025. 1 jaar niet getoond."
    )


def test_band_polygon_runs_along_the_upper_then_back_along_the_lower_edge() -> None:
    chart = trend_chart(
        "turnover",
        years=[2024, 2025],
        values=[0.1, 0.1],
        lower=[0.05, 0.0],
        upper=[0.15, 0.2],
    )
    assert chart.band == "48,47 348,12 348,152 48,117"
    assert chart.points[0].band_text == f"5,0{NB}% – 15{NB}%"


def test_axis_scale_uses_round_steps() -> None:
    assert axis_scale(0.167, minimum=0.05) == (0.05, 0.2)
    assert axis_scale(0.0, minimum=0.05) == pytest.approx((0.02, 0.06))
    assert axis_scale(37, minimum=5) == (10, 40)
    assert axis_scale(19.4, minimum=5) == (5, 20)


def test_chart_renders_as_accessible_svg_with_a_table() -> None:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.i18n"]
    )
    env.install_gettext_translations(load_translations("nl"), newstyle=True)  # type: ignore[attr-defined]
    chart = trend_chart("turnover", years=[2020, 2021, 2022], values=[0.0, 0.1, 0.2])
    html = env.get_template("_trend.html").render(chart=chart)
    assert '<svg class="trend__chart" role="img"' in html
    title = "Verhuizingen (mutatiegraad) door de jaren heen"
    assert f'<title id="trend-turnover-svg-title">{title}</title>' in html
    assert '<desc id="trend-turnover-desc">Van 2020 tot 2022: van 0,0' in html
    assert '<polyline class="trend__line" points="48,152 198,82 348,12"/>' in html
    assert html.count('<circle class="trend__point"') == 3
    assert html.count('<tr><th scope="row">') == 3 and "De cijfers als tabel" in html


def test_gap_wording() -> None:
    assert (
        gap_text(
            level=Level.BLOCK,
            value=0.31,
            parent_level=Level.STREET,
            parent_value=0.11,
            unit="share",
        )
        == f"het blok: 31{NB}%, de straat: 11{NB}%"
    )
    assert (
        gap_text(
            level="street",
            value=14.94,
            parent_level="neighbourhood",
            parent_value=9.8,
            unit="per_100",
        )
        == "de straat: 14,9, de buurt: 9,8"
    )
    assert (
        gap_text(level="block", value=0.3, parent_level="street", parent_value=None, unit="share")
        == ""
    )
    assert is_notable_gap(0.31, 0.11, "share")
    assert not is_notable_gap(0.12, 0.11, "share")
    assert not is_notable_gap(31, 11, "count")


@pytest.mark.parametrize(
    ("values", "unit", "text"),
    [
        ((0.13, 0.10, 0.17), "share", f"geschat 13{NB}% (10–17{NB}%)"),
        ((0.042, 0.031, 0.055), "share", f"geschat 4,2{NB}% (3,1–5,5{NB}%)"),
        ((14.92, 11.4, 18.84), "per_100", "geschat 14,9 (11,4–18,8) per 100 woningen"),
        ((0.0, 0.0, 0.0), "share", ""),  # no band worth a second number
    ],
)
def test_estimate_wording(values: tuple[float, float, float], unit: str, text: str) -> None:
    assert estimate_text(*values, unit) == text


def test_spread_in_words() -> None:
    assert spread_sentence("inflow_dissimilarity_block", 0.30) == (
        "De instroom van kwetsbare huishoudens (5 jaar) is wat ongelijk verdeeld over de blokken "
        "(0,30 op een schaal van 0, gelijk, tot 1, alles op één plek)."
    )
    assert "sterk ongelijk verdeeld over de portieken" in spread_sentence(
        "inflow_dissimilarity_entrance", 0.61
    )
    assert spread_sentence("inflow_isolation_entrance", 0.48, 0.17) == (
        f"Een nieuw kwetsbaar huishouden woont gemiddeld in een portiek waar in 5 jaar 48{NB}% "
        f"van de woningen naar een kwetsbaar huishouden ging. Bij een gelijke verdeling zou dat "
        f"17{NB}% zijn."
    )
