"""The indicators of veerkracht: an explicit tuple, no discovery."""

from __future__ import annotations

from veerkracht.indicators import (
    active_residents,
    assets_nearby,
    corporation_share,
    dwellings,
    housing,
    inflow,
    inflow_trend,
    liveability,
    long_stay,
    nuisance,
    presence,
    signals,
    spread,
    turnover,
)
from veerkracht.indicators.base import Family, Indicator

INDICATORS: tuple[Indicator, ...] = (
    dwellings.INDICATOR,
    # capacity (draagkracht) first: strengths before load
    *assets_nearby.INDICATORS,
    *active_residents.INDICATORS,
    *presence.INDICATORS,
    long_stay.INDICATOR,
    liveability.INDICATORS[0],
    # load (draaglast)
    *inflow.INDICATORS,
    inflow_trend.INDICATOR,
    *spread.INDICATORS,
    turnover.INDICATOR,
    *nuisance.INDICATORS,
    *signals.INDICATORS,
    *housing.INDICATORS,
    # context
    corporation_share.INDICATOR,
    liveability.INDICATORS[1],
    *liveability.GRID_INDICATORS,
)

BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}


def get_indicator(key: str) -> Indicator:
    """The indicator with ``key``, or KeyError naming the known keys."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f'indicator "{key}" is not one of {", ".join(BY_KEY)}') from None


def of_family(family: Family) -> tuple[Indicator, ...]:
    """The indicators of one family, in registry order."""
    return tuple(indicator for indicator in INDICATORS if indicator.family == family)
