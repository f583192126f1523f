"""Share of dwellings owned by a housing corporation."""

from __future__ import annotations

from veerkracht.indicators.base import Context, Disclosure, Family, Indicator, Terms, Unit


def _terms(ctx: Context, year: int) -> Terms:
    return Terms(numerator=ctx.column("owned"), denominator=ctx.ones)


INDICATOR = Indicator(
    key="corporation_share",
    label="Woningen van een corporatie",
    description="Welk deel van de woningen van een woningcorporatie is.",
    unit=Unit.SHARE,
    family=Family.CONTEXT,
    disclosure=Disclosure.SENSITIVE,
    source="corporatie: woningbezit",
    per_dwelling=_terms,
)
