"""What the housing stock is like: small dwellings (BAG) and cheap rent (corporation)."""

from __future__ import annotations

import numpy as np

from veerkracht.indicators.base import Context, Disclosure, Family, Indicator, Terms, Unit

SMALL_M2 = 50.0


def _small(ctx: Context, year: int) -> Terms:
    area = ctx.column("floor_area_m2")
    known = ~np.isnan(area)
    return Terms(
        numerator=(known & (area < SMALL_M2)).astype(float), denominator=known.astype(float)
    )


def _cheap(ctx: Context, year: int) -> Terms:
    cheap = (ctx.dwellings["rent_class"].astype("string") == "goedkoop").fillna(False)
    return Terms(numerator=cheap.to_numpy(dtype=float), denominator=ctx.column("owned"))


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="small_dwellings_share",
        label="Kleine woningen",
        description=f"Welk deel van de woningen kleiner is dan {SMALL_M2:.0f} m², volgens de BAG.",
        unit=Unit.SHARE,
        family=Family.LOAD,
        disclosure=Disclosure.PUBLIC,
        source="BAG",
        per_dwelling=_small,
    ),
    Indicator(
        key="cheap_rent_share",
        label="Goedkope huurwoningen",
        description="Welk deel van de corporatiewoningen een goedkope huur heeft.",
        unit=Unit.SHARE,
        family=Family.LOAD,
        disclosure=Disclosure.SENSITIVE,
        source="corporatie: woningbezit",
        per_dwelling=_cheap,
    ),
)
