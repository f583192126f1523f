"""The before/after page of one log entry: per outcome the verdict in plain Dutch, a chart of
the unit against its comparison group (inline SVG with a table as text alternative) and who is
in the comparison group. Figures of comparison units pass disclosure for the viewer.
"""

from __future__ import annotations

import math
from urllib.parse import quote

import pandas as pd
from pydantic import BaseModel, Field

from veerkracht.assessment.disclosure import Viewer, disclose
from veerkracht.domain.levels import Level
from veerkracht.indicators.registry import BY_KEY
from veerkracht.interventions.effect import (
    COMPARISON_SIZE,
    CONFIDENCE,
    HIGHER,
    LOWER,
    MAX_PRE_YEARS,
    MIN_COMPARISON,
    MIN_EVENTS,
    MIN_YEARS,
    NO_CLEAR,
    BeforeAfter,
    ComparisonUnit,
)
from veerkracht.interventions.effect_report import EntryEffects, read_before_after
from veerkracht.storage.engine import Store
from veerkracht.storage.units import read_unit
from veerkracht.web.i18n import format_number
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_, level_word
from veerkracht.web.pages.figures import format_value, withheld_text
from veerkracht.web.pages.intervention_log import LogEntryOut, build_entry, effect_url
from veerkracht.web.pages.models import UnitRef
from veerkracht.web.pages.units import unit_ref

WIDTH, HEIGHT = 440, 200
LEFT, TOP, RIGHT, BOTTOM = 52.0, 14.0, 14.0, 30.0
VERDICT_WORDS = {
    LOWER: N_("Went down more than elsewhere"),
    HIGHER: N_("Went up more than elsewhere"),
    NO_CLEAR: N_("No clear difference"),
    "too_few_data": N_("Too few data to say anything"),
}


class ChartTick(BaseModel):
    y: float
    text: str


class ChartYear(BaseModel):
    year: int
    x: float
    unit_y: float | None = None
    comparison_y: float | None = None
    unit_text: str
    comparison_text: str
    period: str = Field(description="before | start | after | '' (outside both periods)")


class EffectChart(BaseModel):
    """The unit's yearly figure against the comparison group's average, as SVG data."""

    title: str
    description: str = Field(description="The chart in words (text alternative)")
    width: int = WIDTH
    height: int = HEIGHT
    plot: list[float] = Field(description="left, top, right, bottom of the plot area")
    ticks: list[ChartTick]
    years: list[ChartYear]
    unit_line: str
    comparison_line: str
    start_x: float | None = Field(description="x of the start year (a dashed line)")


class ComparisonOut(BaseModel):
    """A unit in the comparison group, its figures before and after as the viewer may see them."""

    key: str
    name: str
    url: str
    before: str
    after: str


class OutcomeOut(BaseModel):
    """Before/after of one outcome."""

    indicator: str
    label: str
    verdict: str = Field(description="lower | higher | no_clear_difference | too_few_data")
    verdict_label: str
    text: str = Field(description="The verdict in plain Dutch")
    reasons: list[str] = Field(description="Why there are too few data, if so")
    before_years: str
    after_years: str
    before: str
    after: str
    comparison_change: str
    estimate: float | None
    lower: float | None
    upper: float | None
    comparison: list[ComparisonOut]
    chart: EffectChart | None


class EffectPage(BaseModel):
    """Before and after one log entry, against comparable units without an intervention."""

    entry: LogEntryOut
    unit: UnitRef
    outcomes: list[OutcomeOut]
    method: list[str] = Field(description="How it was worked out, in plain Dutch")
    json_url: str


def build_effect_page(store: Store, log_id: str, *, viewer: Viewer) -> EffectPage:
    """The before/after page of ``log_id`` (LogForbidden outside the viewer's area)."""
    found = read_before_after(store, log_id, viewer=viewer)
    entry = build_entry(store, log_id, viewer=viewer)
    level = Level(entry.level)
    return EffectPage(
        entry=entry,
        unit=unit_ref(read_unit(store, level.value, entry.unit_key)),
        outcomes=[_outcome(r, found, viewer) for r in found.results],
        method=_method(level),
        json_url=effect_url(log_id, api=True),
    )


def _outcome(result: BeforeAfter, found: EntryEffects, viewer: Viewer) -> OutcomeOut:
    measure = BY_KEY[result.indicator]
    unit = str(measure.unit)
    comparison = [] if result.too_few_data else result.comparison
    return OutcomeOut(
        indicator=result.indicator,
        label=_(measure.label),
        verdict=result.verdict,
        verdict_label=_(VERDICT_WORDS[result.verdict]),
        text=result.text,
        reasons=list(result.reasons),
        before_years=_years(result.pre_years),
        after_years=_years(result.post_years),
        before=format_value(result.before, unit) if result.before is not None else "—",
        after=format_value(result.after, unit) if result.after is not None else "—",
        comparison_change=_change(result.comparison_change, unit),
        estimate=result.estimate,
        lower=result.lower,
        upper=result.upper,
        comparison=[_comparison(c, result, found, viewer) for c in comparison],
        chart=_chart(result, _(measure.label), unit),
    )


def _comparison(
    unit: ComparisonUnit, result: BeforeAfter, found: EntryEffects, viewer: Viewer
) -> ComparisonOut:
    """Figures of a comparison unit through disclosure (it may lie outside the viewer's area)."""
    rows = pd.DataFrame(
        {
            "indicator": [result.indicator, result.indicator],
            "value": [unit.before, unit.after],
            "numerator": [unit.numerator_before, unit.numerator_after],
            "denominator": [unit.denominator_before, unit.denominator_after],
        }
    )
    shown = disclose(
        rows, level=result.level, viewer=viewer, area_codes=set(found.area_codes.get(unit.key, []))
    )
    kind = str(BY_KEY[result.indicator].unit)
    texts = [
        withheld_text(r.withheld) if r.withheld else format_value(r.value, kind)
        for r in shown.itertuples(index=False)
    ]
    return ComparisonOut(
        key=unit.key,
        name=found.names.get(unit.key, unit.key),
        url=f"/units/{result.level}/{quote(unit.key, safe='')}",
        before=texts[0],
        after=texts[1],
    )


def _chart(result: BeforeAfter, label: str, unit: str) -> EffectChart | None:
    years = sorted(set(result.yearly) | set(result.comparison_yearly))
    if len([y for y in years if y in result.yearly]) < 2:
        return None
    values = [*result.yearly.values(), *result.comparison_yearly.values()]
    top = _nice_top(max(values) if values else 0.0, unit)
    left, right = LEFT, WIDTH - RIGHT
    upper, bottom = TOP, HEIGHT - BOTTOM
    step = (right - left) / max(len(years) - 1, 1)

    def x_of(year: int) -> float:
        return round(left + step * years.index(year), 1) if len(years) > 1 else left

    def y_of(value: float) -> float:
        return round(bottom - (bottom - upper) * value / top, 1)

    rows = []
    for year in years:
        own, other = result.yearly.get(year), result.comparison_yearly.get(year)
        rows.append(
            ChartYear(
                year=year,
                x=x_of(year),
                unit_y=y_of(own) if own is not None else None,
                comparison_y=y_of(other) if other is not None else None,
                unit_text=format_value(own, unit) if own is not None else "—",
                comparison_text=format_value(other, unit) if other is not None else "—",
                period=_period(year, result),
            )
        )
    return EffectChart(
        title=label,
        description=_description(result, label),
        plot=[left, upper, right, bottom],
        ticks=[ChartTick(y=y_of(top * i / 4), text=_tick(top * i / 4, unit)) for i in range(5)],
        years=rows,
        unit_line=" ".join(f"{r.x},{r.unit_y}" for r in rows if r.unit_y is not None),
        comparison_line=" ".join(
            f"{r.x},{r.comparison_y}" for r in rows if r.comparison_y is not None
        ),
        start_x=x_of(result.start_year) if result.start_year in years else None,
    )


def _period(year: int, result: BeforeAfter) -> str:
    if year in result.pre_years:
        return "before"
    if year in result.post_years:
        return "after"
    return "start" if year == result.start_year else ""


def _description(result: BeforeAfter, label: str) -> str:
    words = _("%(label)s per year in this place (solid line)") % {"label": label}
    if result.comparison_yearly:
        words += _(" and the average of the comparison group (dashed line)")
    return words + _(". The vertical line marks the year it started, %(year)s.") % {
        "year": result.start_year
    }


def _nice_top(value: float, unit: str) -> float:
    """The top of the value axis: four equal steps of 1, 2, 2,5 or 5 times a power of ten."""
    floor = 0.05 if unit == "share" else 5.0
    wanted = max(value, floor) / 4
    magnitude = 10 ** math.floor(math.log10(wanted))
    step = next(f * magnitude for f in (1, 2, 2.5, 5, 10) if f * magnitude >= wanted)
    return float(4 * step)


def _tick(value: float, unit: str) -> str:
    if unit == "share":
        percent = value * 100
        return f"{format_number(percent, decimals=0 if percent == int(percent) else 1)}\u00a0%"
    return format_number(value, decimals=0 if value == int(value) else 1)


def _change(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    if unit == "share":
        return f"{sign}{format_number(abs(value) * 100, decimals=1)} " + _("percentage points")
    if unit == "per_100":
        return f"{sign}{format_number(abs(value), decimals=1)} " + _("per 100 dwellings")
    return f"{sign}{format_number(abs(value), decimals=1)}"


def _years(years: tuple[int, ...]) -> str:
    if not years:
        return "—"
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def _method(level: Level) -> list[str]:
    plural = level_word(level, plural=True)
    return [
        _(
            "Before: the last %(max)s years before the year it started. After: the whole years "
            "after it (up to the end, if it ended). The year it started counts for neither."
        )
        % {"max": MAX_PRE_YEARS},
        _(
            "Comparison group: the %(size)s %(plural)s without any logged intervention in or "
            "around them that were most alike before the start, in level and in size."
        )
        % {"size": COMPARISON_SIZE, "plural": plural},
        _(
            "Effect: the change here minus the average change in the comparison group "
            "(difference-in-differences), with the range where it lies %(pct)s percent "
            "certain, given how much the comparison places differ among themselves."
        )
        % {"pct": round(CONFIDENCE * 100)},
        _(
            "Too few data: fewer than %(years)s years before or after, fewer than %(events)s "
            "events before the start, or fewer than %(min)s places to compare with."
        )
        % {"years": MIN_YEARS, "events": MIN_EVENTS, "min": MIN_COMPARISON},
    ]
