"""Lettings through vulnerable channels in the last three years, as a share of dwellings."""

from __future__ import annotations

import numpy as np

from veerkracht.domain.channels import VULNERABLE_CHANNELS
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

YEARS = 3


def _terms(ctx: Context) -> Terms:
    recent = in_years(ctx.lettings, ctx.year - YEARS + 1, ctx.year)
    vulnerable = recent[recent["channel"].isin([c.value for c in VULNERABLE_CHANNELS])]
    return Terms(
        numerator=count_per_dwelling(ctx, vulnerable),
        denominator=np.ones(len(ctx.dwellings), dtype=float),
    )


INDICATOR = Indicator(
    key="vulnerable_lettings_3y",
    label="Instroom kwetsbare huishoudens (3 jaar)",
    description=(
        "Hoeveel woningen in de laatste drie jaar zijn verhuurd aan huishoudens die extra steun "
        "nodig hebben (urgentie, statushouder, uitstroom beschermd wonen of opvang, Housing First), "
        "als deel van alle woningen."
    ),
    unit=Unit.SHARE,
    family=Family.LOAD,
    disclosure=Disclosure.SENSITIVE,
    source="corporatie: verhuringen",
    per_dwelling=_terms,
)
