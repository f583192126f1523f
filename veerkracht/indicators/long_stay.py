"""Long-staying households: corporation dwellings without a new tenant in five years."""

from __future__ import annotations

from veerkracht.indicators.base import Context, Disclosure, Family, Indicator, Terms, Unit

YEARS = 5


def _terms(ctx: Context, year: int) -> Terms | None:
    recent = ctx.window("lettings", year, YEARS)
    if recent is None:
        return None
    owned = ctx.column("owned")
    return Terms(numerator=owned * (recent == 0), denominator=owned)


INDICATOR = Indicator(
    key="long_stay_share",
    label="Huishoudens die er lang wonen",
    description=(
        "Welk deel van de corporatiewoningen al minstens 5 jaar dezelfde huurder heeft. "
        "Mensen die lang blijven, kennen de buurt en hun buren."
    ),
    unit=Unit.SHARE,
    family=Family.CAPACITY,
    disclosure=Disclosure.SENSITIVE,
    source="corporatie: verhuringen",
    per_dwelling=_terms,
)
