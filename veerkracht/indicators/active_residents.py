"""Active residents (buurtdragers): counted per 100 dwellings and nearby; never named."""

from __future__ import annotations

import numpy as np
import pandas as pd

from veerkracht.domain.assets import AssetKind
from veerkracht.indicators.base import Array, Context, Disclosure, Family, Indicator, Terms, Unit
from veerkracht.indicators.nearby import count_within


def _per_100(ctx: Context, year: int) -> Terms:
    return Terms(numerator=ctx.column("active_residents"), denominator=ctx.ones)


def _nearby(ctx: Context, units: pd.DataFrame) -> Array:
    active = ctx.assets[ctx.assets["kind"] == AssetKind.ACTIVE_RESIDENT.value]
    return count_within(active, units, ctx.assets_radius_m)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="active_residents_per_100",
        label="Actieve bewoners per 100 woningen",
        description=(
            "Hoeveel bewoners zich inzetten voor hun buren en buurt (buurtdragers), per 100 "
            "woningen. We tellen ze alleen, we noemen geen namen."
        ),
        unit=Unit.PER_100,
        family=Family.CAPACITY,
        disclosure=Disclosure.SENSITIVE,
        source="bewoners en professionals: kaart van wat er is",
        per_dwelling=_per_100,
    ),
    Indicator(
        key="active_residents_nearby",
        label="Actieve bewoners dichtbij",
        description="Hoeveel actieve bewoners er op loopafstand (300 meter) wonen.",
        unit=Unit.COUNT,
        family=Family.CAPACITY,
        disclosure=Disclosure.SENSITIVE,
        source="bewoners en professionals: kaart van wat er is",
        per_unit=_nearby,
    ),
)

__all__ = ["INDICATORS", "np"]
