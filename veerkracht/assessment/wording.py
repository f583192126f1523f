"""Figures in plain Dutch words (B1), as the CLI, reports and reasons use them."""

from __future__ import annotations

import math

from veerkracht.indicators.base import Indicator, Unit


def dutch_number(value: float, decimals: int = 0) -> str:
    """1234.5 → '1.234,5' (Dutch separators)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def describe_value(indicator: Indicator, value: float) -> str:
    """A value with its unit in Dutch: '12 %', '3,4 per 100 woningen', '17'."""
    if value is None or math.isnan(value):
        return "onbekend"
    if indicator.unit == Unit.SHARE:
        return f"{dutch_number(value * 100, 0 if value * 100 >= 10 else 1)} %"
    if indicator.unit == Unit.PER_100:
        return f"{dutch_number(value, 1)} per 100 woningen"
    if indicator.unit == Unit.CHANGE:
        sign = "+" if value > 0 else ""
        return f"{sign}{dutch_number(value * 100, 1)} procentpunt per jaar"
    if indicator.unit == Unit.SCORE:
        return dutch_number(value, 2)
    return dutch_number(value)
