"""Signals and worries from residents and professionals per 100 dwellings, by kind."""

from __future__ import annotations

from veerkracht.indicators.base import Context, Disclosure, Family, Indicator, Terms, Unit

GROUP_WORDS = {
    "": ("Meldingen en zorgen", "meldingen van bewoners en professionals"),
    "overlast": ("Meldingen over overlast", "meldingen over overlast"),
    "spanningen": ("Meldingen over spanningen", "meldingen over spanningen tussen buren"),
    "onveilig": ("Meldingen over onveilig voelen", "meldingen dat mensen zich onveilig voelen"),
    "zorg": ("Zorgen om een buur", "zorgen van bewoners om een buur"),
}


def _per_100(event: str):  # type: ignore[no-untyped-def]
    def terms(ctx: Context, year: int) -> Terms | None:
        count = ctx.window(event, year, 1)
        if count is None:
            return None
        return Terms(numerator=count, denominator=ctx.ones)

    return terms


def _indicator(group: str) -> Indicator:
    label, words = GROUP_WORDS[group]
    event = "signals" if not group else f"signals_{group}"
    return Indicator(
        key=f"{event}_per_100",
        label=f"{label} per 100 woningen",
        description=f"Hoeveel {words} er dit jaar binnenkwamen, per 100 woningen.",
        unit=Unit.PER_100,
        family=Family.LOAD,
        disclosure=Disclosure.SENSITIVE,
        source="meldpunt veerkracht",
        per_dwelling=_per_100(event),
    )


INDICATORS: tuple[Indicator, ...] = tuple(_indicator(g) for g in GROUP_WORDS)
