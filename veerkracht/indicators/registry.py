"""The indicators of veerkracht: an explicit tuple, no discovery."""

from __future__ import annotations

from veerkracht.indicators import (
    assets_nearby,
    corporation_share,
    dwellings,
    nuisance,
    turnover,
    vulnerable_lettings,
)
from veerkracht.indicators.base import Indicator

INDICATORS: tuple[Indicator, ...] = (
    dwellings.INDICATOR,
    assets_nearby.INDICATOR,
    corporation_share.INDICATOR,
    vulnerable_lettings.INDICATOR,
    turnover.INDICATOR,
    nuisance.INDICATOR,
)

BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}


def get_indicator(key: str) -> Indicator:
    """The indicator with ``key``, or KeyError naming the known keys."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f'indicator "{key}" is not one of {", ".join(BY_KEY)}') from None
