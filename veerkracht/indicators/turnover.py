"""Turnover (mutatiegraad): move-outs in the year per corporation dwelling."""

from __future__ import annotations

from veerkracht.indicators.base import Context, Disclosure, Family, Indicator, Terms, Unit


def _terms(ctx: Context, year: int) -> Terms | None:
    moves = ctx.window("moveouts", year, 1)
    if moves is None:
        return None
    return Terms(numerator=moves, denominator=ctx.column("owned"))


INDICATOR = Indicator(
    key="turnover",
    label="Verhuizingen (mutatiegraad)",
    description="Welk deel van de corporatiewoningen dit jaar een nieuwe huurder kreeg.",
    unit=Unit.SHARE,
    family=Family.LOAD,
    disclosure=Disclosure.SENSITIVE,
    source="corporatie: verhuizingen",
    per_dwelling=_terms,
)
