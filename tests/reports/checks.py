"""What a public report may not contain: checked against ``disclosure.disclose`` itself."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pandas as pd

from veerkracht.assessment.disclosure import MIN_CELL, ROUND_TO, Viewer, disclose
from veerkracht.domain.levels import PUBLIC_MIN_LEVEL, Level, rank
from veerkracht.indicators.base import Disclosure
from veerkracht.indicators.registry import BY_KEY
from veerkracht.storage import Store
from veerkracht.storage.units import read_unit_indicators
from veerkracht.web.reports.models import Report

SENSITIVE = {k for k, i in BY_KEY.items() if i.disclosure == Disclosure.SENSITIVE}
AREA_LEVELS = ("neighbourhood", "district", "municipality")


def figures_of(report: Report) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(level, unit key, figure) for every figure in the report's data."""
    own = (report.unit.level, report.unit.key)
    for figure in [
        *report.here.active_residents,
        *report.living.capacity,
        *report.living.load,
        *report.living.signals,
    ]:
        yield *own, figure.model_dump()
    for row in report.blocks:
        for figure in [*row.capacity, *row.load]:
            yield row.unit.level, row.unit.key, figure.model_dump()


def disclosed(store: Store, level: str, key: str, year: int, viewer: Viewer, codes: set[str]):
    """What ``disclose`` lets ``viewer`` see of one unit's figures of ``year``, by indicator."""
    rows = read_unit_indicators(store, level, key)
    rows = rows[rows["year"] == year]
    shown = disclose(rows, level=level, viewer=viewer, area_codes=codes)
    return {row["indicator"]: row for row in shown.to_dict("records")}


def area_codes(report: Report) -> set[str]:
    return {ref.key for ref in report.breadcrumb if ref.level in AREA_LEVELS}


def mismatches(store: Store, report: Report, viewer: Viewer) -> list[str]:
    """Figures of the report that differ from what disclose says for the same rows."""
    assert report.year is not None
    found, cache = [], {}
    codes = area_codes(report)
    for level, key, figure in figures_of(report):
        if (level, key) not in cache:
            cache[(level, key)] = disclosed(store, level, key, report.year, viewer, codes)
        row = cache[(level, key)][figure["indicator"]]
        name = f"{level} {key} {figure['indicator']}"
        if row["withheld"] is not None or _missing(row["value"]):
            if not figure["withheld"] or figure["value"] is not None:
                found.append(f"{name}: shown as {figure['value']}, disclose withholds it")
            if row["withheld"] and figure["withheld_reason"] != row["withheld"]:
                found.append(f"{name}: reason {figure['withheld_reason']} != {row['withheld']}")
            continue
        if figure["value"] is None or not math.isclose(figure["value"], row["value"]):
            found.append(f"{name}: {figure['value']} != disclosed {row['value']}")
        if not _same(figure["numerator"], row["numerator"]):
            found.append(f"{name}: numerator {figure['numerator']} != {row['numerator']}")
    return found


def public_problems(report: Report) -> list[str]:
    """Sensitive figures a public report shows against the rules (like the web's walk)."""
    found = []
    for level, _key, figure in figures_of(report):
        key = figure["indicator"]
        if key not in SENSITIVE:
            continue
        below = rank(Level(level)) < rank(PUBLIC_MIN_LEVEL)
        if below and figure["value"] is not None:
            found.append(f"{key} shown below block level ({level})")
        for name in ("numerator", "denominator"):
            number = figure[name]
            if number is not None and (number < MIN_CELL or number % ROUND_TO):
                found.append(f"{key} {name}={number} (under {MIN_CELL} or not rounded)")
        for name in ("estimate", "lower", "upper"):
            if figure[name] is not None:
                found.append(f"{key} {name} shown to the public")
        if figure["estimate_text"]:
            found.append(f"{key} estimate text shown to the public")
    for chart in report.living.trends:
        if chart.indicator in SENSITIVE and any(p.lower is not None for p in chart.points):
            found.append(f"{chart.indicator}: trend band (made from exact counts) shown")
    return found


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _same(a: Any, b: Any) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    return math.isclose(float(a), float(b))


def trend_mismatches(store: Store, report: Report, viewer: Viewer) -> list[str]:
    """Trend points that differ from what disclose says for the unit's row of that year."""
    rows = read_unit_indicators(store, report.unit.level, report.unit.key)
    shown = disclose(rows, level=report.unit.level, viewer=viewer, area_codes=area_codes(report))
    found = []
    for chart in report.living.trends:
        part = shown[shown["indicator"] == chart.indicator].set_index("year")
        for point in chart.points:
            value = part.loc[point.year, "value"] if point.year in part.index else None
            expected = None if _missing(value) else float(value)
            if not _same(point.value, expected):
                found.append(f"{chart.indicator} {point.year}: {point.value} != {expected}")
    return found
