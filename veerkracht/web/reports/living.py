"""2 — How living together is going: capacity against load, the trend, signals by category.

Every figure comes from the unit page's builders, so it has passed disclosure control for the
report's viewer; a withheld figure carries the reason in words instead of a number.
"""

from __future__ import annotations

from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_
from veerkracht.web.pages.models import Figure, UnitPage
from veerkracht.web.reports.charts import trend_picture
from veerkracht.web.reports.models import LivingSection

#: What a place has (draagkracht), in the order a report shows it (active residents are in
#: section 1).
CAPACITY_FIGURES = (
    "assets_nearby",
    "offers_nearby",
    "long_stay_share",
    "lbm_social_cohesion",
)
#: What asks something of a place (draaglast).
LOAD_FIGURES = (
    "vulnerable_lettings_3y",
    "vulnerable_inflow_trend",
    "turnover",
    "nuisance_per_100",
    "signals_per_100",
)
#: Signals and worries by category (per 100 dwellings; the count is the numerator).
SIGNAL_FIGURES = (
    "signals_overlast_per_100",
    "signals_spanningen_per_100",
    "signals_onveilig_per_100",
    "signals_zorg_per_100",
)

WITHHELD_NOTE = N_(
    "Some figures are not shown: for small numbers or below block level they could point to "
    "people. The reason is given beside each figure."
)
NO_TREND_NOTE = N_("There are too few figures over the years to show a trend for this viewer.")


def figures_by_key(page: UnitPage) -> dict[str, Figure]:
    """The unit page's figures (already disclosed) by indicator key."""
    return {figure.indicator: figure for group in page.groups for figure in group.figures}


def build_living(page: UnitPage, *, chart: bool = True) -> LivingSection:
    """Section 2 from the unit page data (figures and trends disclosed for the viewer)."""
    figures = figures_by_key(page)
    capacity = _pick(figures, CAPACITY_FIGURES)
    load = _pick(figures, LOAD_FIGURES)
    signals = _pick(figures, SIGNAL_FIGURES)
    notes = []
    if any(f.withheld for f in [*capacity, *load, *signals]):
        notes.append(_(WITHHELD_NOTE))
    if not page.trends:
        notes.append(_(NO_TREND_NOTE))
    return LivingSection(
        title=_("How living together is going"),
        intro=_(
            "What the place has beside what is asked of it: a high load asks for more capacity."
        ),
        year=page.year,
        capacity=capacity,
        load=load,
        signals=signals,
        trends=page.trends,
        chart=trend_picture(page.trends) if chart and page.trends else None,
        notes=notes,
    )


def _pick(figures: dict[str, Figure], keys: tuple[str, ...]) -> list[Figure]:
    return [figures[key] for key in keys if key in figures]
