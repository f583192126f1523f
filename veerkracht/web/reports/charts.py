"""Small charts for print, drawn with matplotlib (no pyplot state, no network) as PNG data URIs.

The data are the unit page's trend charts (``veerkracht.web.pages.trend``), already disclosed for
the viewer: a withheld year is a gap in the line, never a number. The value axis starts at zero,
so a chart never exaggerates a change.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

from matplotlib.figure import Figure as MplFigure

from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.models import TrendChart
from veerkracht.web.reports.models import Picture

#: Print resolution of embedded images (dots per inch).
DPI = 200
MM = 1 / 25.4
LOAD_COLOUR = "#8a4b00"
BAND_COLOUR = "#f3dcb8"
INK = "#1c2426"
GRID = "#d9d6cc"
FONT_SIZE = 6.5


def trend_picture(charts: Sequence[TrendChart], *, width_mm: float = 91.0) -> Picture:
    """The trend charts side by side in one image, with their descriptions as the alt text."""
    if not charts:
        raise ValueError("trend_picture needs at least one chart")
    figure = MplFigure(figsize=(width_mm * MM, 33 * MM), dpi=DPI, layout="constrained")
    axes = figure.subplots(1, len(charts), squeeze=False)[0]
    for ax, chart in zip(axes, charts, strict=True):
        _draw_trend(ax, chart)
    alt = " ".join(f"{chart.title}: {chart.description}" for chart in charts)
    return to_picture(figure, alt=alt)


def to_picture(figure: MplFigure, *, alt: str) -> Picture:
    """A matplotlib figure as an embedded PNG with its text alternative."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    width, height = (int(round(v)) for v in figure.get_size_inches() * DPI)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Picture(
        alt=alt,
        data_uri=f"data:image/png;base64,{encoded}",
        width_px=width,
        height_px=height,
    )


def _draw_trend(ax, chart: TrendChart) -> None:  # type: ignore[no-untyped-def]
    years = [p.year for p in chart.points]
    values = [p.value for p in chart.points]
    if chart.band:  # the builder gives a band only when every shown year has one
        banded = [p for p in chart.points if p.lower is not None and p.upper is not None]
        ax.fill_between(
            [p.year for p in banded],
            [p.lower for p in banded],
            [p.upper for p in banded],
            color=BAND_COLOUR,
            linewidth=0,
        )
    ys = [float("nan") if v is None else v for v in values]
    ax.plot(years, ys, color=LOAD_COLOUR, linewidth=1.2, marker="o", markersize=2)
    top = chart.ticks[-1].value if chart.ticks else max((v for v in values if v), default=1.0)
    ax.set_ylim(0, top)
    ax.set_yticks([t.value for t in chart.ticks], [t.text for t in chart.ticks])
    shown_years = [years[0], years[-1]] if len(years) > 1 else years
    ax.set_xticks(shown_years, [str(y) for y in shown_years])
    ax.set_xlim(years[0] - 0.3, years[-1] + 0.3)
    ax.set_title(_wrap(chart.label), fontsize=FONT_SIZE, color=INK, loc="left")
    ax.tick_params(labelsize=FONT_SIZE - 0.5, colors=INK, length=2)
    ax.grid(axis="y", color=GRID, linewidth=0.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(GRID)
    if any(v is None for v in values):
        ax.text(
            0.98,
            0.95,
            _("gaps: not shown"),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=FONT_SIZE - 1,
            color=INK,
        )


def _wrap(text: str, width: int = 22) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:2])
