"""Inflow of vulnerable households: lettings through vulnerable channels as a share of dwellings.

One indicator per window (1, 3 and 5 years) for all vulnerable channels together, and one per
channel over 3 years. The share is lettings ÷ dwellings, so 0,30 means: in those years, 30 of
every 100 dwellings received a household through such a channel.
"""

from __future__ import annotations

from veerkracht.domain.channels import VULNERABLE_CHANNELS, Channel
from veerkracht.indicators.base import Context, Disclosure, Family, Indicator, Terms, Unit

CHANNEL_WORDS = {
    Channel.URGENTIE: "met urgentie",
    Channel.STATUSHOUDER: "als statushouder",
    Channel.UITSTROOM: "uit beschermd wonen of opvang",
    Channel.HOUSING_FIRST: "via Housing First",
}


def _window(event: str, years: int):  # type: ignore[no-untyped-def]
    def terms(ctx: Context, year: int) -> Terms | None:
        counts = ctx.window(event, year, years)
        if counts is None:
            return None
        return Terms(numerator=counts, denominator=ctx.ones)

    return terms


def _all_channels(years: int) -> Indicator:
    period = "het laatste jaar" if years == 1 else f"de laatste {years} jaar"
    return Indicator(
        key=f"vulnerable_lettings_{years}y",
        label=f"Instroom kwetsbare huishoudens ({years} jaar)",
        description=(
            f"Hoeveel woningen in {period} zijn verhuurd aan huishoudens die extra steun nodig "
            "hebben (urgentie, statushouder, uitstroom beschermd wonen of opvang, Housing First), "
            "als deel van alle woningen."
        ),
        unit=Unit.SHARE,
        family=Family.LOAD,
        disclosure=Disclosure.SENSITIVE,
        source="corporatie: verhuringen",
        per_dwelling=_window("lettings_vulnerable", years),
    )


def _per_channel(channel: Channel) -> Indicator:
    return Indicator(
        key=f"lettings_{channel.value}_3y",
        label=f"Instroom {CHANNEL_WORDS[channel]} (3 jaar)",
        description=(
            f"Hoeveel woningen in de laatste 3 jaar zijn verhuurd aan huishoudens die "
            f"{CHANNEL_WORDS[channel]} kwamen, als deel van alle woningen."
        ),
        unit=Unit.SHARE,
        family=Family.LOAD,
        disclosure=Disclosure.SENSITIVE,
        source="corporatie: verhuringen",
        per_dwelling=_window(f"lettings_{channel.value}", 3),
    )


INDICATORS: tuple[Indicator, ...] = (
    _all_channels(1),
    _all_channels(3),
    _all_channels(5),
    *(_per_channel(c) for c in sorted(VULNERABLE_CHANNELS)),
)
