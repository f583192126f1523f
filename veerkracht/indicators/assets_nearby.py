"""Places, facilities and residents' offers within walking distance of the unit.

Every approved item counts, whatever its audience (public, the block's residents or
professionals only): counting is not naming. Pending, rejected, withdrawn and retired items never
reach the indicators (``storage.sources.read_frame`` leaves them out).
"""

from __future__ import annotations

import pandas as pd

from veerkracht.domain.assets import MEETING_KINDS, AssetKind
from veerkracht.indicators.base import Array, Context, Disclosure, Family, Indicator, Unit
from veerkracht.indicators.nearby import count_within


def _public_places(ctx: Context) -> pd.DataFrame:
    kinds = {kind.value for kind in MEETING_KINDS}
    return ctx.assets[ctx.assets["kind"].isin(kinds)]


def _offers(ctx: Context, units: pd.DataFrame) -> Array:
    gifts = ctx.assets[ctx.assets["kind"] == AssetKind.GIFT.value]
    return count_within(gifts, units, ctx.assets_radius_m)


def _nearby(ctx: Context, units: pd.DataFrame) -> Array:
    return count_within(_public_places(ctx), units, ctx.assets_radius_m)


def _nearby_500(ctx: Context, units: pd.DataFrame) -> Array:
    return count_within(_public_places(ctx), units, 500.0)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="assets_nearby",
        label="Plekken en voorzieningen dichtbij",
        description=(
            "Hoeveel ontmoetingsplekken, winkels, buurthuizen en andere voorzieningen er op "
            "loopafstand (300 meter) liggen."
        ),
        unit=Unit.COUNT,
        family=Family.CAPACITY,
        disclosure=Disclosure.PUBLIC,
        source="bewoners en professionals: kaart van wat er is",
        per_unit=_nearby,
    ),
    Indicator(
        key="assets_nearby_500m",
        label="Plekken en voorzieningen binnen 500 meter",
        description="Hoeveel ontmoetingsplekken en voorzieningen er binnen 500 meter liggen.",
        unit=Unit.COUNT,
        family=Family.CAPACITY,
        disclosure=Disclosure.PUBLIC,
        source="bewoners en professionals: kaart van wat er is",
        per_unit=_nearby_500,
    ),
    Indicator(
        key="offers_nearby",
        label="Aanbod van bewoners dichtbij",
        description=(
            "Hoeveel bewoners op loopafstand (300 meter) iets aanbieden voor hun buren, zoals "
            "boodschappen doen of een fiets maken. We tellen het aanbod, we noemen geen namen."
        ),
        unit=Unit.COUNT,
        family=Family.CAPACITY,
        disclosure=Disclosure.PUBLIC,
        source="bewoners en professionals: kaart van wat er is",
        per_unit=_offers,
    ),
)
