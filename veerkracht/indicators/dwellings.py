"""Number of dwellings (woningen) in the unit, from BAG."""

from __future__ import annotations

from veerkracht.indicators.base import Context, Disclosure, Family, Indicator, Terms, Unit


def _terms(ctx: Context, year: int) -> Terms:
    return Terms(numerator=ctx.ones, denominator=ctx.ones)


INDICATOR = Indicator(
    key="dwellings",
    label="Woningen",
    description="Het aantal woningen in dit gebied, volgens de BAG.",
    unit=Unit.COUNT,
    family=Family.CONTEXT,
    disclosure=Disclosure.PUBLIC,
    source="BAG",
    per_dwelling=_terms,
)
