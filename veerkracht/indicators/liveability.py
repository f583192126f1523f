"""Leefbaarometer 3.0 dimensions for the buurt the dwellings lie in (where imported)."""

from __future__ import annotations

import numpy as np

from veerkracht.indicators.base import Context, Disclosure, Family, Indicator, Terms, Unit


def _score(column: str):  # type: ignore[no-untyped-def]
    def terms(ctx: Context, year: int) -> Terms | None:
        if column not in ctx.dwellings.columns:
            return None
        score = ctx.column(column)
        known = ~np.isnan(score)
        if not known.any():
            return None
        return Terms(numerator=np.where(known, score, 0.0), denominator=known.astype(float))

    return terms


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="lbm_social_cohesion",
        label="Leefbaarometer: sociale samenhang",
        description=(
            "Hoe de Leefbaarometer de sociale samenhang in de buurt beoordeelt. Boven nul is "
            "beter dan gemiddeld in Nederland."
        ),
        unit=Unit.SCORE,
        family=Family.CAPACITY,
        disclosure=Disclosure.PUBLIC,
        source="Leefbaarometer 3.0",
        per_dwelling=_score("lbm_soc"),
    ),
    Indicator(
        key="lbm_nuisance_safety",
        label="Leefbaarometer: overlast en onveiligheid",
        description=(
            "Hoe de Leefbaarometer overlast en onveiligheid in de buurt beoordeelt. Onder nul "
            "betekent meer overlast dan gemiddeld in Nederland."
        ),
        unit=Unit.SCORE,
        family=Family.CONTEXT,
        disclosure=Disclosure.PUBLIC,
        source="Leefbaarometer 3.0",
        per_dwelling=_score("lbm_onv"),
    ),
)
