"""Inflow trend: how fast the yearly inflow of vulnerable households changes."""

from __future__ import annotations

from veerkracht.indicators.base import Disclosure, Family, Indicator, Unit

YEARS = 5

INDICATOR = Indicator(
    key="vulnerable_inflow_trend",
    label="Trend instroom kwetsbare huishoudens",
    description=(
        "Hoe snel de instroom van kwetsbare huishoudens per jaar verandert, over de laatste "
        "6 jaar: een plus betekent dat er elk jaar meer bijkomen (in procentpunten per jaar)."
    ),
    unit=Unit.CHANGE,
    family=Family.LOAD,
    disclosure=Disclosure.SENSITIVE,
    source="corporatie: verhuringen",
    derived_from="vulnerable_lettings_1y",
)
