"""Leefbaarometer 3.0 scores around the dwellings: of their buurt, and of their 100 m grid cell.

The buurt scores (``lbm_social_cohesion``, ``lbm_nuisance_safety``) come from the buurt file.
The grid scores are attached per dwelling by one point-in-cell join (``attach_grid_scores``); a
unit's grid indicator is the mean over its dwellings that lie in a scored cell, so entrances,
buildings, blocks and streets get a Leefbaarometer context of their own. A dwelling on the line
between two cells belongs to the cell east or north of it (cells are half-open, as grids are).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import shapely

from veerkracht.indicators.base import Array, Context, Disclosure, Family, Indicator, Terms, Unit

#: The key of the attached grid scores in ``Context.extra``.
GRID = "lbm_grid"
#: The Leefbaarometer scores, in the order the pages show them.
GRID_SCORES = ("lbm", "afw", "fys", "onv", "soc", "vrz", "won")
OUTSIDE = "outside every grid cell"


@dataclass(frozen=True)
class GridScores:
    """Grid cell scores attached to dwellings.

    ``cell[i]`` is the row of dwelling ``i``'s cell in ``codes`` (-1: outside every cell);
    ``values[c, y, s]`` the score ``GRID_SCORES[s]`` of cell ``c`` in ``grid_years[y]``;
    ``year_for`` maps each context year to the grid year that describes it.
    """

    cell: np.ndarray
    codes: np.ndarray
    grid_years: tuple[int, ...]
    values: np.ndarray
    year_for: dict[int, int]
    notes: list[str] = field(default_factory=list)

    def scores(self, score: str, year: int) -> Array | None:
        """Per dwelling the cell's ``score`` for ``year`` (NaN: no cell or no score); None when
        no grid year describes ``year``."""
        grid_year = self.year_for.get(year)
        if grid_year is None:
            return None
        column = self.values[:, self.grid_years.index(grid_year), GRID_SCORES.index(score)]
        out = np.full(len(self.cell), np.nan)
        inside = self.cell >= 0
        out[inside] = column[self.cell[inside]]
        return out

    def missing_reasons(self, year: int) -> pd.Series:
        """Why a dwelling has no grid score for ``year`` (NA where it has one)."""
        reasons = pd.Series(pd.NA, index=range(len(self.cell)), dtype="string")
        reasons[self.cell < 0] = OUTSIDE
        lbm = self.scores("lbm", year)
        grid_year = self.year_for.get(year)
        unscored = (self.cell >= 0) & (np.isnan(lbm) if lbm is not None else True)
        reasons[unscored] = f"no score for the cell in {grid_year or year}"
        return reasons


def attach_grid_scores(
    dwellings: pd.DataFrame,
    cells: pd.DataFrame | None,
    scores: pd.DataFrame | None,
    *,
    years: tuple[int, ...],
) -> GridScores | None:
    """Each dwelling (x, y in RD New) with the cell it lies in and that cell's scores.

    ``cells``: code, geometry; ``scores``: code, year and the seven scores. ``years`` are the
    context's years, the last the reference year: each gets the newest grid year up to it (the
    reference year, failing that, the oldest grid year). None when no grid was imported.
    """
    if cells is None or len(cells) == 0:
        return None
    scores = scores if scores is not None else pd.DataFrame(columns=["code", "year"])
    located = _cell_of(dwellings, cells)
    used, cell = np.unique(located[located >= 0], return_inverse=True)
    index = np.full(len(located), -1, dtype=np.int64)
    index[located >= 0] = cell
    codes = cells["code"].astype(str).to_numpy()[used]
    grid_years = tuple(sorted(int(y) for y in pd.unique(scores["year"].dropna())))
    values = _score_cube(codes, grid_years, scores)
    year_for, notes = _year_mapping(years, grid_years)
    grid = GridScores(
        cell=index, codes=codes, grid_years=grid_years, values=values, year_for=year_for
    )
    return replace(grid, notes=notes + _missing_notes(grid, years[-1]))


def grid_notes(ctx: Context) -> list[str]:
    """What the build should say about the grid scores (dwellings without one, and why)."""
    grid = ctx.extra.get(GRID)
    return list(grid.notes) if isinstance(grid, GridScores) else []


def grid_year_for(year: int, grid_years: list[int], *, reference_year: int | None) -> int | None:
    """The grid year that describes ``year``: the newest up to it (see ``attach_grid_scores``)."""
    earlier = [g for g in grid_years if g <= year]
    if earlier:
        return max(earlier)
    return min(grid_years) if grid_years and year == reference_year else None


def _cell_of(dwellings: pd.DataFrame, cells: pd.DataFrame) -> np.ndarray:
    """Row in ``cells`` of each dwelling's cell; -1 outside every cell. Ties (a point on an
    edge or corner) go to the cell whose lower-left corner is largest: the half-open rule.

    The Leefbaarometer grid is regular (100 m squares on multiples of 100 m): then a cell is
    found by arithmetic, floor(x / size), floor(y / size); points that find no cell that way
    (and every point of an irregular grid) go through a spatial index.
    """
    x, y = dwellings["x"].to_numpy(float), dwellings["y"].to_numpy(float)
    geoms = np.asarray(cells["geometry"], dtype=object)
    size = _regular_size(geoms)
    if size is None:
        return _cell_by_index(x, y, geoms)
    bounds = shapely.bounds(geoms)
    cell_keys = pd.Index(_grid_key(bounds[:, 0], bounds[:, 1], size))
    if not cell_keys.is_unique:  # the same square twice: let the index apply the tie rule
        return _cell_by_index(x, y, geoms)
    out = cell_keys.get_indexer(_grid_key(x, y, size)).astype(np.int64)
    missing = np.flatnonzero(out < 0)
    if len(missing):
        out[missing] = _cell_by_index(x[missing], y[missing], geoms)
    return out


def _regular_size(geoms: np.ndarray) -> float | None:
    """The side of the cells when all are axis-aligned squares of one size on its multiples."""
    if not len(geoms):
        return None
    bounds = shapely.bounds(geoms)
    width, height = bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]
    size = float(width[0])
    if size <= 0 or not (np.allclose(width, size) and np.allclose(height, size)):
        return None
    if not np.allclose(shapely.area(geoms), size * size):
        return None  # not rectangles
    corners = bounds[:, :2] / size
    if not np.allclose(corners, np.round(corners)):
        return None
    return size


def _grid_key(x: np.ndarray, y: np.ndarray, size: float) -> np.ndarray:
    column = np.floor(np.round(x / size, 9)).astype(np.int64)
    row = np.floor(np.round(y / size, 9)).astype(np.int64)
    return column * 100_000_000 + row


def _cell_by_index(x: np.ndarray, y: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    points = shapely.points(x, y)
    point, cell = shapely.STRtree(geoms).query(points, predicate="intersects")
    out = np.full(len(points), -1, dtype=np.int64)
    if len(point) == 0:
        return out
    bounds = shapely.bounds(geoms)
    order = np.lexsort((bounds[cell, 0], bounds[cell, 1], point))  # last per point wins
    point, cell = point[order], cell[order]
    last = np.r_[point[1:] != point[:-1], True]
    out[point[last]] = cell[last]
    return out


def _score_cube(codes: np.ndarray, grid_years: tuple[int, ...], scores: pd.DataFrame) -> np.ndarray:
    values = np.full((len(codes), len(grid_years), len(GRID_SCORES)), np.nan)
    if not len(codes) or not grid_years:
        return values
    rows = pd.Index(codes).get_indexer(scores["code"].astype(str))
    keep = rows >= 0
    years = pd.Index(grid_years).get_indexer(scores["year"].astype(int))[keep]
    for s, score in enumerate(GRID_SCORES):
        if score in scores.columns:
            values[rows[keep], years, s] = scores[score].to_numpy(dtype=float)[keep]
    return values


def _year_mapping(
    years: tuple[int, ...], grid_years: tuple[int, ...]
) -> tuple[dict[int, int], list[str]]:
    mapping: dict[int, int] = {}
    for year in years:
        grid_year = grid_year_for(year, list(grid_years), reference_year=years[-1])
        if grid_year is not None:
            mapping[year] = grid_year
    notes = []
    reference = years[-1]
    if not grid_years:
        notes.append("Leefbaarometer grid: cells are imported but no scores")
    elif mapping.get(reference, reference) > reference:
        notes.append(
            f"Leefbaarometer grid: no scores up to {reference}; the scores of "
            f"{mapping[reference]} are used"
        )
    return mapping, notes


def _missing_notes(grid: GridScores, reference: int) -> list[str]:
    reasons = grid.missing_reasons(reference).value_counts()
    return [
        f"Leefbaarometer grid: {int(n):,} dwelling(s) without a grid score ({reason})"
        for reason, n in reasons.items()
    ]


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


def _grid(score: str):  # type: ignore[no-untyped-def]
    def terms(ctx: Context, year: int) -> Terms | None:
        grid = ctx.extra.get(GRID)
        values = grid.scores(score, year) if isinstance(grid, GridScores) else None
        if values is None:
            return None
        known = ~np.isnan(values)
        if not known.any():
            return None
        return Terms(numerator=np.where(known, values, 0.0), denominator=known.astype(float))

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

GRID_SOURCE = "Leefbaarometer 3.0, 100 m-vakken (open data, ministerie van BZK)"
_AROUND = (
    "Gemiddelde over de woningen van de score van het vak van 100 bij 100 meter waarin elke "
    "woning ligt."
)
_GRID_TEXT: dict[str, tuple[str, str, str]] = {
    # score: (key, label, what it says)
    "lbm": ("lbm_grid_score", "leefbaarheid", "Hoger is leefbaarder."),
    "afw": (
        "lbm_grid_deviation",
        "afwijking van het landelijk gemiddelde",
        "De som van de vijf onderdelen; boven nul is beter dan gemiddeld in Nederland.",
    ),
    "fys": ("lbm_grid_physical", "fysieke omgeving", "Boven nul is beter dan gemiddeld."),
    "onv": (
        "lbm_grid_nuisance_safety",
        "overlast en onveiligheid",
        "Onder nul betekent meer overlast en onveiligheid dan gemiddeld.",
    ),
    "soc": ("lbm_grid_social_cohesion", "sociale samenhang", "Boven nul is beter dan gemiddeld."),
    "vrz": ("lbm_grid_amenities", "voorzieningen", "Boven nul is beter dan gemiddeld."),
    "won": ("lbm_grid_housing", "woningvoorraad", "Boven nul is beter dan gemiddeld."),
}

#: Grid key per score (lbm → lbm_grid_score, …).
GRID_KEYS: dict[str, str] = {score: text[0] for score, text in _GRID_TEXT.items()}

GRID_INDICATORS: tuple[Indicator, ...] = tuple(
    Indicator(
        key=key,
        label=f"Leefbaarometer (100 m): {label}",
        description=f"{_AROUND} {says}",
        unit=Unit.SCORE,
        family=Family.CONTEXT,
        disclosure=Disclosure.PUBLIC,
        source=GRID_SOURCE,
        per_dwelling=_grid(score),
    )
    for score, (key, label, says) in _GRID_TEXT.items()
)
