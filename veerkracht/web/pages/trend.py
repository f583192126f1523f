"""Trend charts drawn on the server: a few key figures of a unit over the years, as SVG.

The chart is data (points in chart pixels, axis ticks, polylines); ``_trend.html`` turns it into
an accessible ``<svg role="img">`` with a title, a description in words and a table of the same
numbers. The value axis always starts at zero, so a chart never exaggerates a change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from veerkracht.domain.levels import Level, rank
from veerkracht.indicators.base import Unit
from veerkracht.indicators.registry import BY_KEY
from veerkracht.web.i18n import format_number
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.figures import format_value, short_value
from veerkracht.web.pages.models import TrendChart, TrendPoint, TrendTick

#: The key figures shown over time (load: inflow, nuisance, turnover).
TREND_INDICATORS = ("vulnerable_lettings_1y", "nuisance_per_100", "turnover")
#: Trend charts from this level up (smaller units are too small for a yearly series).
TREND_MIN_LEVEL = Level.BLOCK
MIN_POINTS = 2

WIDTH, HEIGHT = 360, 180
LEFT, TOP, RIGHT, BOTTOM = 48.0, 12.0, 12.0, 28.0

#: The smallest top of the value axis per unit (a flat line at zero still gets an axis).
MIN_TOP = {Unit.SHARE: 0.05, Unit.PER_100: 5.0}


def build_trends(rows: pd.DataFrame, *, level: Level) -> list[TrendChart]:
    """Charts of the key figures over all years of ``rows`` (already disclosed for the viewer).

    A chart is left out when the viewer may see fewer than two of its years.
    """
    if rank(level) < rank(TREND_MIN_LEVEL) or rows.empty:
        return []
    years = sorted(int(y) for y in rows["year"].unique())
    charts = []
    for key in TREND_INDICATORS:
        part = rows[rows["indicator"] == key].set_index("year")
        values = [_visible(part, year, "value") for year in years]
        if sum(v is not None for v in values) < MIN_POINTS:
            continue
        charts.append(
            trend_chart(
                key,
                years=years,
                values=values,
                lower=[_visible(part, year, "lower") for year in years],
                upper=[_visible(part, year, "upper") for year in years],
            )
        )
    return charts


def trend_chart(
    indicator_key: str,
    *,
    years: Sequence[int],
    values: Sequence[float | None],
    lower: Sequence[float | None] | None = None,
    upper: Sequence[float | None] | None = None,
) -> TrendChart:
    """One chart: years spread evenly from left to right, values from zero (bottom) up."""
    indicator = BY_KEY[indicator_key]
    unit = str(indicator.unit)
    lower = list(lower) if lower is not None else [None] * len(values)
    upper = list(upper) if upper is not None else [None] * len(values)
    present = [v for v in [*values, *upper] if v is not None]
    step, top_value = axis_scale(
        max(present, default=0.0), minimum=MIN_TOP.get(indicator.unit, 1.0)
    )
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x_of(i: int) -> float:
        if len(years) == 1:
            return round((LEFT + right) / 2, 1)
        return round(LEFT + (right - LEFT) * i / (len(years) - 1), 1)

    def y_of(value: float | None) -> float | None:
        if value is None:
            return None
        return round(bottom - (bottom - TOP) * value / top_value, 1)

    points = [
        TrendPoint(
            year=year,
            value=value,
            text=format_value(value, unit) if value is not None else _("not shown"),
            lower=lo,
            upper=hi,
            band_text=_band_text(lo, hi, unit),
            x=x_of(i),
            y=y_of(value),
            y_lower=y_of(lo),
            y_upper=y_of(hi),
        )
        for i, (year, value, lo, hi) in enumerate(zip(years, values, lower, upper, strict=True))
    ]
    ticks = [
        TrendTick(value=v, text=tick_text(v, step, unit), y=y_of(v) or 0.0)
        for v in (step * n for n in range(round(top_value / step) + 1))
    ]
    label = _(indicator.label)
    return TrendChart(
        indicator=indicator_key,
        label=label,
        unit=unit,
        title=_("%(label)s over the years") % {"label": label},
        description=describe_trend(points, unit),
        width=WIDTH,
        height=HEIGHT,
        plot=[LEFT, TOP, right, bottom],
        points=points,
        ticks=ticks,
        lines=_segments(points),
        band=_band(points),
    )


def axis_scale(maximum: float, *, minimum: float = 1.0) -> tuple[float, float]:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) and the axis top: at most 4 steps above zero."""
    target = max(maximum, minimum) / 4
    power = 10 ** math.floor(math.log10(target))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= target * (1 - 1e-9))
    return step, step * math.ceil(max(maximum, minimum) / step - 1e-9)


def tick_text(value: float, step: float, unit: str) -> str:
    """An axis label with as many decimals as the step needs: ``0 %``, ``2,5 %``, ``10``."""
    scale = 100 if unit == Unit.SHARE else 1
    whole = abs(step * scale - round(step * scale)) < 1e-9
    number = format_number(value * scale, decimals=0 if whole else 1)
    return f"{number}\u00a0%" if unit == Unit.SHARE else number


def describe_trend(points: Sequence[TrendPoint], unit: str) -> str:
    """The chart in words: first and last shown year, the highest value, missing years."""
    shown = [p for p in points if p.value is not None]
    if not shown:
        return _("No figures to show.")
    first, last = shown[0], shown[-1]
    highest = max(shown, key=lambda p: p.value or 0.0)
    text = _(
        "From %(first_year)s to %(last_year)s: from %(first)s to %(last)s. "
        "Highest: %(highest)s in %(highest_year)s."
    ) % {
        "first_year": first.year,
        "last_year": last.year,
        "first": format_value(first.value, unit),
        "last": format_value(last.value, unit),
        "highest": format_value(highest.value, unit),
        "highest_year": highest.year,
    }
    missing = len(points) - len(shown)
    if missing:
        text += " " + _("%(count)s years not shown.") % {"count": missing}
    return text


def _segments(points: Sequence[TrendPoint]) -> list[str]:
    """Polylines through consecutive shown years; a missing year breaks the line."""
    lines: list[list[str]] = [[]]
    for point in points:
        if point.y is None:
            if lines[-1]:
                lines.append([])
            continue
        lines[-1].append(f"{point.x:g},{point.y:g}")
    return [" ".join(line) for line in lines if len(line) >= 2]


def _band(points: Sequence[TrendPoint]) -> str | None:
    """The 90 % band as one polygon, when every shown year has one."""
    banded = [p for p in points if p.y_lower is not None and p.y_upper is not None]
    if len(banded) < MIN_POINTS or len(banded) != sum(p.y is not None for p in points):
        return None
    upper = [f"{p.x:g},{p.y_upper:g}" for p in banded]
    lower = [f"{p.x:g},{p.y_lower:g}" for p in reversed(banded)]
    return " ".join(upper + lower)


def _band_text(lower: float | None, upper: float | None, unit: str) -> str:
    if lower is None or upper is None:
        return ""
    return f"{short_value(lower, unit)} – {short_value(upper, unit)}"


def _visible(part: pd.DataFrame, year: int, column: str) -> float | None:
    if year not in part.index or column not in part.columns:
        return None
    value = part.loc[year, column]
    if isinstance(value, pd.Series):
        value = value.iloc[0]
    if value is None or pd.isna(value):
        return None
    return float(value)
