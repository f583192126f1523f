"""Nuisance complaints (overlast) in the year per 100 corporation dwellings, and per category."""

from __future__ import annotations

from veerkracht.indicators.base import Context, Disclosure, Family, Indicator, Terms, Unit
from veerkracht.indicators.events import NUISANCE_CATEGORIES

CATEGORY_WORDS = {
    "geluid": "geluid",
    "afval": "afval",
    "burenruzie": "ruzie tussen buren",
    "vervuiling": "vervuiling",
    "intimidatie": "intimidatie",
    "overig": "iets anders",
}


def _per_100(event: str):  # type: ignore[no-untyped-def]
    def terms(ctx: Context, year: int) -> Terms | None:
        complaints = ctx.window(event, year, 1)
        if complaints is None:
            return None
        return Terms(numerator=complaints, denominator=ctx.column("owned"))

    return terms


TOTAL = Indicator(
    key="nuisance_per_100",
    label="Overlastmeldingen per 100 woningen",
    description="Hoeveel klachten over overlast de corporatie dit jaar kreeg, per 100 woningen.",
    unit=Unit.PER_100,
    family=Family.LOAD,
    disclosure=Disclosure.SENSITIVE,
    source="corporatie: overlastmeldingen",
    per_dwelling=_per_100("nuisance"),
)

INDICATORS: tuple[Indicator, ...] = (
    TOTAL,
    *(
        Indicator(
            key=f"nuisance_{category}_per_100",
            label=f"Overlast door {CATEGORY_WORDS[category]} per 100 woningen",
            description=(
                f"Hoeveel klachten over {CATEGORY_WORDS[category]} de corporatie dit jaar kreeg, "
                "per 100 woningen."
            ),
            unit=Unit.PER_100,
            family=Family.LOAD,
            disclosure=Disclosure.SENSITIVE,
            source="corporatie: overlastmeldingen",
            per_dwelling=_per_100(f"nuisance_{category}"),
        )
        for category in NUISANCE_CATEGORIES
    ),
)
