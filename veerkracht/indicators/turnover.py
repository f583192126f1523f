"""Turnover (mutatiegraad): move-outs in the year per corporation dwelling."""

from __future__ import annotations

from veerkracht.indicators.base import (
    Context,
    Disclosure,
    Family,
    Indicator,
    Terms,
    Unit,
    count_per_dwelling,
    in_years,
)


def _terms(ctx: Context) -> Terms:
    moves = in_years(ctx.moveouts, ctx.year, ctx.year)
    return Terms(
        numerator=count_per_dwelling(ctx, moves),
        denominator=ctx.dwellings["owned"].to_numpy(dtype=float),
    )


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
