"""Nuisance complaints (overlast) in the year per 100 corporation dwellings."""

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
    complaints = in_years(ctx.nuisance, ctx.year, ctx.year)
    return Terms(
        numerator=count_per_dwelling(ctx, complaints),
        denominator=ctx.dwellings["owned"].to_numpy(dtype=float),
    )


INDICATOR = Indicator(
    key="nuisance_per_100",
    label="Overlastmeldingen per 100 woningen",
    description="Hoeveel klachten over overlast de corporatie dit jaar kreeg, per 100 woningen.",
    unit=Unit.PER_100,
    family=Family.LOAD,
    disclosure=Disclosure.SENSITIVE,
    source="corporatie: overlastmeldingen",
    per_dwelling=_terms,
)
