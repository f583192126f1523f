"""A unit's figures as the viewer may see them: disclosed, labelled, formatted, strengths first."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from veerkracht.assessment.disclosure import REASONS, Viewer, disclose
from veerkracht.domain.levels import Level
from veerkracht.indicators.registry import INDICATORS
from veerkracht.storage.engine import Store
from veerkracht.storage.units import read_unit_indicators
from veerkracht.web.i18n import format_number, format_share
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import FAMILY_ORDER, FAMILY_TITLES
from veerkracht.web.pages.models import Figure, FigureGroup


def build_figure_groups(
    store: Store,
    *,
    level: Level,
    key: str,
    viewer: Viewer,
    year: int | None,
    area_codes: set[str] | None = None,
) -> tuple[int | None, list[FigureGroup]]:
    """The figures of one unit for one year as ``viewer`` may see them, strengths first.

    ``area_codes`` (buurt, wijk, gemeente of the unit) decide whether the unit lies in the
    viewer's scope; the registry's order is kept within each family.
    """
    rows = read_unit_indicators(store, level.value, key)
    year = _pick_year(rows, year)
    rows = rows[rows["year"] == year] if year is not None else rows.iloc[0:0]
    visible = disclose(rows, level=level.value, viewer=viewer, area_codes=area_codes)
    shown = {row.indicator: row for row in visible.itertuples(index=False)}
    figures = [
        _figure(indicator, shown[indicator.key], year)
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
    return year, [g for g in groups if g.figures]


def format_value(value: float | None, unit: str) -> str:
    """A value in Dutch: counts ``1.234``, shares ``12,5 %``, rates ``3,4 per 100 woningen``."""
    number, suffix = _format_parts(value, unit)
    return f"{number} {suffix}" if suffix else number


def _format_parts(value: float | None, unit: str) -> tuple[str, str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—", ""
    if unit == "share":
        return format_share(value), ""
    if unit == "per_100":
        return format_number(value, decimals=1), _("per 100 dwellings")
    return format_number(value), ""


def _pick_year(rows: pd.DataFrame, year: int | None) -> int | None:
    """The reference year when the unit has figures for it, else its newest year."""
    if rows.empty:
        return None
    years = set(int(y) for y in rows["year"])
    return year if year in years else max(years)


def _figure(indicator: Any, row: Any, year: int | None) -> Figure:
    reason = getattr(row, "withheld", None)
    withheld = bool(reason) or _missing(row.value)
    value = None if withheld else float(row.value)
    number, suffix = ("", "") if withheld else _format_parts(value, str(indicator.unit))
    return Figure(
        indicator=indicator.key,
        label=_(indicator.label),
        description=_(indicator.description),
        family=str(indicator.family),
        unit=str(indicator.unit),
        year=year,
        value=value,
        numerator=None if withheld else _number(getattr(row, "numerator", None)),
        denominator=None if withheld else _number(getattr(row, "denominator", None)),
        text=_withheld_text(reason) if withheld else format_value(value, str(indicator.unit)),
        value_text=number,
        unit_text=suffix,
        withheld=withheld,
        withheld_reason=reason or None,
    )


def _withheld_text(reason: str | None) -> str:
    """Why a figure is not shown, in Dutch (disclosure's own text, or 'no figure')."""
    if reason:
        return REASONS.get(reason, _("not shown"))
    return _("no figure")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(value: Any) -> float | None:
    return None if _missing(value) else float(value)
