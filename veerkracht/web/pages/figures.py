"""A unit's figures as the viewer may see them: disclosed, labelled, formatted, strengths first.

Each figure carries its shrunk estimate with a 90 % band (where the viewer sees the figure
unrounded) and the same figure of the next level up with the gap between them: what the larger
area's average does not show.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from veerkracht.assessment.disclosure import REASONS, Viewer, disclose
from veerkracht.domain.levels import Level
from veerkracht.indicators.base import Indicator, Unit
from veerkracht.indicators.registry import INDICATORS
from veerkracht.web.i18n import format_number, format_share
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import FAMILY_ORDER, FAMILY_TITLES, N_
from veerkracht.web.pages.models import Figure, FigureGroup, ParentValue, UnitRef

ESTIMATE_COLUMNS = ("estimate", "lower", "upper")

#: "the block", "the street" … as the gap wording names them (Dutch needs de/het).
THE_LEVEL: dict[Level, str] = {
    Level.ENTRANCE: N_("the entrance"),
    Level.BUILDING: N_("the building"),
    Level.BLOCK: N_("the block"),
    Level.STREET: N_("the street"),
    Level.NEIGHBOURHOOD: N_("the neighbourhood"),
    Level.DISTRICT: N_("the district"),
    Level.MUNICIPALITY: N_("the municipality"),
}

#: Narrower bands than this are not worth a second number (0,5 percentage point; 0,05 per 100).
MIN_BAND = {Unit.SHARE: 0.005, Unit.PER_100: 0.05}

#: A gap is worth pointing out when the unit is this many times its parent's value (or less
#: than its inverse) and the difference is more than chance-sized.
NOTABLE_RATIO = 1.5


def disclosed_rows(
    rows: pd.DataFrame, *, level: Level, viewer: Viewer, area_codes: set[str] | None
) -> pd.DataFrame:
    """Indicator rows of one level after ``disclose`` (which also hides estimates where the
    viewer may not see exact figures), with the estimate columns always present."""
    rows = rows.copy()
    for column in ESTIMATE_COLUMNS:
        if column not in rows:
            rows[column] = np.nan
    return disclose(rows, level=level.value, viewer=viewer, area_codes=area_codes)


def build_figure_groups(
    rows: pd.DataFrame,
    *,
    level: Level,
    year: int | None,
    parent: UnitRef | None = None,
    parent_rows: pd.DataFrame | None = None,
) -> list[FigureGroup]:
    """Figures of one year (rows already disclosed), grouped capacity, load, context.

    ``parent_rows`` are the parent unit's disclosed rows of the same year; the registry's order is
    kept within each family.
    """
    shown = {row.indicator: row for row in rows.itertuples(index=False)}
    above = (
        {row.indicator: row for row in parent_rows.itertuples(index=False)}
        if parent_rows is not None
        else {}
    )
    figures = [
        _figure(indicator, shown[indicator.key], year, level, parent, above.get(indicator.key))
        for indicator in INDICATORS
        if indicator.key in shown
    ]
    groups = [
        FigureGroup(
            family=family,
            title=_(FAMILY_TITLES[family]),
            figures=[f for f in figures if f.family == family],
        )
        for family in FAMILY_ORDER
    ]
    return [g for g in groups if g.figures]


def pick_year(rows: pd.DataFrame, year: int | None) -> int | None:
    """The reference year when the unit has figures for it, else its newest year."""
    if rows.empty:
        return None
    years = set(int(y) for y in rows["year"])
    return year if year in years else max(years)


def format_value(value: float | None, unit: str) -> str:
    """A value in Dutch: counts ``1.234``, shares ``12,5 %``, rates ``3,4 per 100 woningen``."""
    number, suffix = _format_parts(value, unit)
    return f"{number} {suffix}" if suffix else number


def short_value(value: float | None, unit: str) -> str:
    """A value in few digits for running text: ``13 %``, ``4,2 %``, ``14,9``, ``+1,1``."""
    if _missing(value):
        return "—"
    assert value is not None
    if unit == Unit.SHARE:
        percent = value * 100
        return f"{format_number(percent, decimals=0 if abs(percent) >= 10 else 1)}\u00a0%"
    if unit == Unit.PER_100:
        return format_number(value, decimals=1)
    if unit == Unit.SCORE:
        return format_number(value, decimals=2)
    if unit == Unit.CHANGE:
        sign = "+" if value > 0 else ""
        return f"{sign}{format_number(value * 100, decimals=1)}"
    return format_number(value)


def estimate_text(
    estimate: float | None, lower: float | None, upper: float | None, unit: str
) -> str:
    """``geschat 13 % (10–17 %)``; ``geschat 14,9 (11,4–18,8) per 100 woningen``."""
    if _missing(estimate) or _missing(lower) or _missing(upper):
        return ""
    assert estimate is not None and lower is not None and upper is not None
    if upper - lower < MIN_BAND.get(Unit(unit), 0.0):
        return ""  # a band of (almost) nothing: the figure itself says it all
    if unit == Unit.SHARE:
        decimals = 0 if estimate * 100 >= 10 else 1
        est, lo, hi = (format_number(v * 100, decimals=decimals) for v in (estimate, lower, upper))
        text = f"{est}\u00a0% ({lo}–{hi}\u00a0%)"
    else:
        est, lo, hi = (short_value(v, unit) for v in (estimate, lower, upper))
        _number, suffix = _format_parts(estimate, unit)
        text = f"{est} ({lo}–{hi})" + (f" {suffix}" if suffix else "")
    return _("estimated %(value)s") % {"value": text}


def gap_text(
    *,
    level: Level | str,
    value: float | None,
    parent_level: Level | str,
    parent_value: float | None,
    unit: str,
) -> str:
    """``het blok: 31 %, de straat: 11 %`` — the unit's value beside its parent's."""
    if _missing(value) or _missing(parent_value):
        return ""
    return _("%(unit)s: %(value)s, %(parent)s: %(parent_value)s") % {
        "unit": _(THE_LEVEL[Level(level)]),
        "value": short_value(value, unit),
        "parent": _(THE_LEVEL[Level(parent_level)]),
        "parent_value": short_value(parent_value, unit),
    }


def is_notable_gap(value: float | None, parent_value: float | None, unit: str) -> bool:
    """True when a unit differs clearly from its parent (a hot spot the average hides)."""
    if _missing(value) or _missing(parent_value) or unit not in (Unit.SHARE, Unit.PER_100):
        return False
    assert value is not None and parent_value is not None
    floor = 0.02 if unit == Unit.SHARE else 2.0
    if abs(value - parent_value) < floor:
        return False
    low, high = sorted((value, parent_value))
    return low <= 0 or high / low >= NOTABLE_RATIO


def withheld_text(reason: str | None) -> str:
    """Why a figure is not shown, in Dutch (disclosure's own text, or 'no figure')."""
    if reason:
        return REASONS.get(reason, _("not shown"))
    return _("no figure")


def _format_parts(value: float | None, unit: str) -> tuple[str, str]:
    if _missing(value):
        return "—", ""
    assert value is not None
    if unit == "share":
        return format_share(value), ""
    if unit == "per_100":
        return format_number(value, decimals=1), _("per 100 dwellings")
    if unit == "change":
        return short_value(value, unit), _("percentage points per year")
    if unit == "score":
        return format_number(value, decimals=2), ""
    return format_number(value), ""


def _figure(
    indicator: Indicator,
    row: Any,
    year: int | None,
    level: Level,
    parent: UnitRef | None,
    parent_row: Any | None,
) -> Figure:
    reason = getattr(row, "withheld", None)
    withheld = bool(reason) or _missing(row.value)
    value = None if withheld else float(row.value)
    unit = str(indicator.unit)
    number, suffix = ("", "") if withheld else _format_parts(value, unit)
    estimate, lower, upper = (
        (None, None, None)
        if withheld
        else (_number(getattr(row, c, None)) for c in ESTIMATE_COLUMNS)
    )
    return Figure(
        indicator=indicator.key,
        label=_(indicator.label),
        description=_(indicator.description),
        family=str(indicator.family),
        unit=unit,
        year=year,
        value=value,
        numerator=None if withheld else _number(getattr(row, "numerator", None)),
        denominator=None if withheld else _number(getattr(row, "denominator", None)),
        text=withheld_text(reason) if withheld else format_value(value, unit),
        value_text=number,
        unit_text=suffix,
        withheld=withheld,
        withheld_reason=reason or None,
        estimate=estimate,
        lower=lower,
        upper=upper,
        estimate_text=estimate_text(estimate, lower, upper, unit) if lower is not None else "",
        parent=_parent_value(indicator, value, level, parent, parent_row),
    )


def _parent_value(
    indicator: Indicator, value: float | None, level: Level, parent: UnitRef | None, row: Any | None
) -> ParentValue | None:
    if parent is None or row is None or _scales_with_size(indicator):
        return None
    unit = str(indicator.unit)
    reason = getattr(row, "withheld", None)
    shown = None if reason or _missing(row.value) else float(row.value)
    gap = None if shown is None or value is None else value - shown
    notable = is_notable_gap(value, shown, unit)
    return ParentValue(
        level=parent.level,
        level_label=parent.level_label,
        name=parent.name,
        value=shown,
        text=withheld_text(reason) if shown is None else format_value(shown, unit),
        gap=gap,
        gap_text=gap_text(
            level=level, value=value, parent_level=parent.level, parent_value=shown, unit=unit
        ),
        notable=notable,
        notable_text=_("What %(parent)s does not show")
        % {"parent": _(THE_LEVEL[Level(parent.level)])}
        if notable
        else "",
    )


def _scales_with_size(indicator: Indicator) -> bool:
    """Counts summed over dwellings (e.g. the number of dwellings) grow with the unit's size:
    comparing them with the parent's says nothing."""
    return indicator.unit == Unit.COUNT and indicator.per_dwelling is not None


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(value: Any) -> float | None:
    return None if _missing(value) else float(value)
