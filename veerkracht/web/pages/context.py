"""Public reference data about an area, as context on its page: CBS kerncijfers and the
Leefbaarometer scores (an area's own; below the buurt, or where the area has none, the mean of
the 100 m grid cells its dwellings lie in, computed by the build).

Both are open data about whole areas (no disclosure control). A figure CBS does not give (its
sentinel values -99995, -99997, …, turned into a reason by the importer) is shown as that reason
in Dutch words, never as a number.
"""

from __future__ import annotations

import math

import pandas as pd

from veerkracht.domain.levels import Level
from veerkracht.indicators.liveability import GRID_KEYS, grid_year_for
from veerkracht.storage.engine import Store
from veerkracht.storage.liveability import read_score_years
from veerkracht.storage.statistics import LIVEABILITY_SCORES, read_area_statistics, read_liveability
from veerkracht.storage.units import read_last_build, read_unit_indicators
from veerkracht.web.i18n import format_number
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_
from veerkracht.web.pages.models import (
    AreaStatistic,
    AreaStatistics,
    Liveability,
    LiveabilityRow,
    LiveabilityScore,
)

#: Levels whose pages show CBS and Leefbaarometer figures (their unit key is the CBS code).
CONTEXT_LEVELS = (Level.NEIGHBOURHOOD, Level.DISTRICT, Level.MUNICIPALITY)

#: The key figures shown first, in this order, with their labels (msgids).
MAIN_VARIABLES: dict[str, str] = {
    "inhabitants": N_("Inhabitants"),
    "households": N_("Households"),
    "dwelling_stock": N_("Dwelling stock"),
    "rented_pct": N_("Rented dwellings"),
    "housing_corporation_owned_pct": N_("Rented dwellings owned by housing corporations"),
    "owner_occupied_pct": N_("Owner-occupied dwellings"),
    "one_person_households_pct": N_("One-person households"),
    "average_household_size": N_("Average household size"),
    "average_dwelling_value_keur": N_("Average dwelling value (WOZ)"),
    "low_income_households_pct": N_("Households with a low income"),
}

#: Labels of the other variables the importer gives an English name.
OTHER_LABELS: dict[str, str] = {
    "private_households": N_("Private households"),
    "inhabitants_per_km2": N_("Population density (inhabitants per km²)"),
    "other_landlord_owned_pct": N_("Rented dwellings owned by other landlords"),
    "single_family_dwellings_pct": N_("Single-family dwellings"),
    "multi_family_dwellings_pct": N_("Multi-family dwellings"),
    "vacant_dwellings_pct": N_("Vacant dwellings"),
    "average_income_per_inhabitant_keur": N_("Average income per inhabitant"),
    "households_at_social_minimum_pct": N_("Households at or around the social minimum"),
    "social_assistance_recipients": N_("People on social assistance"),
    "wmo_clients": N_("Wmo clients"),
    "wmo_clients_per_1000": N_("Wmo clients per 1,000 inhabitants"),
    "youth_care_clients": N_("Young people in youth care"),
    "youth_care_pct": N_("Share of young people in youth care"),
    "area_total_ha": N_("Area, total (ha)"),
    "area_land_ha": N_("Area, land (ha)"),
    "area_water_ha": N_("Area, water (ha)"),
    "address_density_per_km2": N_("Address density (per km²)"),
    "urbanity_class": N_("Urbanity (1 = very strongly urban, 5 = not urban)"),
    "education_low_pct": N_("Education level low"),
    "education_medium_pct": N_("Education level medium"),
    "education_high_pct": N_("Education level high"),
    "ses_woa_score": N_("SES-WOA score"),
    "ses_woa_spread": N_("SES-WOA spread"),
}

#: Why CBS gives no figure, in words (msgids); the reasons the CBS importers store.
MISSING_WORDS: dict[str, str] = {
    "secret": N_("kept secret"),
    "not_yet_published": N_("not yet published"),
    "no_longer_published": N_("no longer published"),
    "empty": N_("empty"),
    "unknown_sentinel": N_("unknown (unexplained CBS code)"),
}
NO_FIGURE = N_("no figure")

CBS_SOURCE = N_("Source: CBS, CC BY 4.0")
LIVEABILITY_SOURCE = N_("Source: Leefbaarometer 3.0 (BZK)")
LIVEABILITY_GRID_SOURCE = N_(
    "Source: Leefbaarometer 3.0 (BZK), 100 m grid: for each dwelling the score of the square "
    "of 100 by 100 metres it lies in, averaged over the dwellings here"
)
#: The level of the 100 m grid scores in liveability_scores (importers/leefbaarometer_grid.py).
GRID_LEVEL = "grid"

#: Leefbaarometer scores in the order shown, with their Dutch names (msgids).
LIVEABILITY_LABELS: dict[str, str] = {
    "lbm": N_("Liveability (overall score)"),
    "afw": N_("Deviation from the national average"),
    "fys": N_("Physical environment"),
    "onv": N_("Nuisance and insecurity"),
    "soc": N_("Social cohesion"),
    "vrz": N_("Amenities"),
    "won": N_("Housing stock"),
}
LIVEABILITY_DESCRIPTIONS: dict[str, str] = {
    "lbm": N_("Higher is more liveable."),
    "afw": N_("The sum of the five dimensions below; above 0 is better than average."),
}


def build_area_statistics(store: Store, level: Level, code: str) -> AreaStatistics | None:
    """The CBS figures of the area for its newest year, key figures first; None without any."""
    if level not in CONTEXT_LEVELS:
        return None
    rows = read_area_statistics(store, level.value, code)
    if rows.empty:
        return None
    year = int(rows["year"].max())
    rows = rows[rows["year"] == year].drop_duplicates("variable", keep="last")
    return area_statistics_from_rows(rows, year)


def area_statistics_from_rows(rows: pd.DataFrame, year: int) -> AreaStatistics:
    """Figures of one year (columns variable, value, missing_reason) as page data."""
    by_variable = {str(r["variable"]): r for r in rows.to_dict("records")}
    main = [_statistic(by_variable[v]) for v in MAIN_VARIABLES if v in by_variable]
    others = [_statistic(r) for v, r in by_variable.items() if v not in MAIN_VARIABLES]
    # figures first, then what CBS does not give; each part alphabetically
    others.sort(key=lambda s: (s.value is None, s.label.casefold()))
    return AreaStatistics(year=year, main=main, more=others, source=_(CBS_SOURCE))


def build_liveability(store: Store, level: Level, code: str) -> Liveability | None:
    """The Leefbaarometer scores of the unit per year; None when there are none.

    An area's own scores (buurt, wijk, gemeente file) come first; otherwise, and for every
    level below the buurt, the mean of its dwellings' 100 m grid cells (from the build).
    """
    if level in CONTEXT_LEVELS:
        frame = read_liveability(store, level.value, code)
        if not frame.empty:
            return liveability_from_frame(frame)
    frame = grid_liveability_frame(store, level, code)
    if frame.empty:
        return None
    return liveability_from_frame(frame).model_copy(update={"source": _(LIVEABILITY_GRID_SOURCE)})


def grid_liveability_frame(store: Store, level: Level, code: str) -> pd.DataFrame:
    """The unit's grid-based scores, one row per Leefbaarometer year (columns year, lbm, …).

    The build gives every year of its window the newest grid year up to it; here each grid
    year is shown once, under its own year.
    """
    rows = read_unit_indicators(store, level.value, code)
    score_of = {key: score for score, key in GRID_KEYS.items()}
    rows = rows[rows["indicator"].isin(list(score_of))]
    if rows.empty:
        return pd.DataFrame()
    build = read_last_build(store)
    reference = int(build["reference_year"]) if build else None
    grid_years = read_score_years(store, GRID_LEVEL)
    wide = rows.pivot(index="year", columns="indicator", values="value").astype(float)
    wide = wide.rename(columns=score_of).reindex(columns=list(LIVEABILITY_SCORES))
    if wide.isna().all(axis=None):
        return pd.DataFrame()  # none of its dwellings lies in a scored cell
    wide["grid_year"] = [
        grid_year_for(int(y), grid_years, reference_year=reference) for y in wide.index
    ]
    wide = wide.dropna(subset=["grid_year"]).sort_index().drop_duplicates("grid_year", keep="last")
    return wide.reset_index(drop=True).rename(columns={"grid_year": "year"})


def liveability_from_frame(frame: pd.DataFrame) -> Liveability:
    """Scores (columns year, lbm, afw, fys, …) as one row per score, one column per year."""
    frame = frame.sort_values("year")
    years = [int(y) for y in frame["year"]]
    rows = []
    for score in LIVEABILITY_SCORES:
        values = [
            LiveabilityScore(
                year=year, value=_number(value), text=liveability_text(score, _number(value))
            )
            for year, value in zip(years, frame[score], strict=True)
        ]
        description = LIVEABILITY_DESCRIPTIONS.get(score)
        rows.append(
            LiveabilityRow(
                score=score,
                label=_(LIVEABILITY_LABELS[score]),
                description=_(description) if description else "",
                values=values,
            )
        )
    return Liveability(years=years, rows=rows, source=_(LIVEABILITY_SOURCE))


def liveability_text(score: str, value: float | None) -> str:
    """``4,27`` for the overall score; ``+0,168`` / ``-0,004`` for deviations."""
    if value is None:
        return _(NO_FIGURE)
    if score == "lbm":
        return format_number(value, decimals=2)
    text, zero = format_number(value, decimals=3), format_number(0, decimals=3)
    if text.lstrip("-") == zero:
        return zero  # a tiny deviation either way is shown as 0,000, never as -0,000
    return f"+{text}" if value > 0 else text


def statistic_label(variable: str) -> str:
    """The Dutch label of a CBS variable; an unnamed one from its CBS name."""
    msgid = MAIN_VARIABLES.get(variable) or OTHER_LABELS.get(variable)
    if msgid:
        return _(msgid)
    words = variable.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def statistic_text(variable: str, value: float | None, reason: str | None) -> str:
    """A CBS value in Dutch (``58 %``, ``€ 345.000``, ``1.825``), or why it is missing."""
    if value is None:
        return missing_text(reason)
    if _is_share(variable):
        return f"{format_number(value, decimals=_decimals(value))}\u00a0%"
    if variable.endswith("_keur"):
        return f"€\u00a0{format_number(value * 1000)}"
    return format_number(value, decimals=_decimals(value))


def missing_text(reason: str | None) -> str:
    """Why CBS gives no figure, in Dutch words."""
    msgid = MISSING_WORDS.get(reason or "")
    return _(msgid) if msgid else _(NO_FIGURE)


def _statistic(row: dict[str, object]) -> AreaStatistic:
    variable = str(row["variable"])
    value = _number(row.get("value"))
    raw_reason = row.get("missing_reason")
    reason = None if raw_reason is None or pd.isna(raw_reason) else str(raw_reason)
    if value is None and reason is None:
        reason = "empty"
    return AreaStatistic(
        variable=variable,
        label=statistic_label(variable),
        value=value,
        text=statistic_text(variable, value, reason),
        missing_reason=reason if value is None else None,
    )


def _is_share(variable: str) -> bool:
    return variable.endswith("_pct") or variable.startswith(("percentage_", "perc_"))


def _decimals(value: float) -> int:
    return 0 if float(value).is_integer() else 1


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
