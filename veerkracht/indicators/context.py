"""Assemble what indicators read from the stored frames: dwelling attributes and event counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from veerkracht.domain.assets import AssetKind
from veerkracht.domain.frames import SourceData
from veerkracht.indicators.base import Context
from veerkracht.indicators.events import event_counts, snap_to_dwellings
from veerkracht.indicators.liveability import GRID, attach_grid_scores

MAX_YEARS = 10


def build_context(
    dwellings: pd.DataFrame,
    *,
    stock: pd.DataFrame,
    lettings: pd.DataFrame,
    moveouts: pd.DataFrame,
    nuisance: pd.DataFrame,
    signals: pd.DataFrame,
    assets: pd.DataFrame,
    liveability: pd.DataFrame | None = None,
    grid_cells: pd.DataFrame | None = None,
    grid_scores: pd.DataFrame | None = None,
    reference_year: int | None = None,
    assets_radius_m: float = 300.0,
) -> Context:
    """A Context for the years with data up to ``reference_year`` (newest data year by default).

    ``dwellings`` carries the level keys and x, y. Nothing here names a person: lettings bring
    only a channel, assets of kind active_resident are counted per nearest dwelling. With the
    Leefbaarometer grid (``grid_cells``: code, geometry; ``grid_scores``: code, year, scores),
    each dwelling gets its cell's scores (``extra[GRID]``, indicators/liveability.py).
    """
    years = _years(lettings, moveouts, nuisance, signals, reference_year)
    frame = dwellings.reset_index(drop=True).copy()
    owned = stock.set_index("dwelling_id")
    frame["owned"] = frame["dwelling_id"].isin(owned.index)
    frame["rent_class"] = frame["dwelling_id"].map(owned["rent_class"]) if len(owned) else None
    frame["active_residents"] = _active_residents(frame, assets)
    frame = _attach_liveability(frame, liveability, years[-1])
    counts = event_counts(
        frame, years, lettings=lettings, moveouts=moveouts, nuisance=nuisance, signals=signals
    )
    return Context(
        dwellings=frame,
        years=years,
        counts=counts,
        assets=assets,
        assets_radius_m=assets_radius_m,
        extra={GRID: attach_grid_scores(frame, grid_cells, grid_scores, years=years)},
    )


def _years(
    lettings: pd.DataFrame,
    moveouts: pd.DataFrame,
    nuisance: pd.DataFrame,
    signals: pd.DataFrame,
    reference_year: int | None,
) -> tuple[int, ...]:
    found = [
        pd.to_datetime(frame[column]).dt.year
        for frame, column in (
            (lettings, "date"),
            (moveouts, "date"),
            (nuisance, "date"),
            (signals, "created_at"),
        )
        if len(frame)
    ]
    if found:
        all_years = pd.concat(found)
        first, last = int(all_years.min()), int(lettings_year(lettings) or all_years.max())
    else:
        first = last = pd.Timestamp.now().year - 1
    last = reference_year or last
    first = max(first, last - MAX_YEARS + 1)
    return tuple(range(min(first, last), last + 1))


def lettings_year(lettings: pd.DataFrame) -> int | None:
    """The newest year with lettings (the default reference year)."""
    if lettings.empty:
        return None
    return int(pd.to_datetime(lettings["date"]).dt.year.max())


def _active_residents(frame: pd.DataFrame, assets: pd.DataFrame) -> np.ndarray:
    active = assets[assets["kind"] == AssetKind.ACTIVE_RESIDENT.value]
    located = snap_to_dwellings(active[["x", "y"]], frame)
    counts = located.groupby("dwelling_id").size()
    return frame["dwelling_id"].astype(str).map(counts).fillna(0).to_numpy(dtype=float)


def _attach_liveability(
    frame: pd.DataFrame, scores: pd.DataFrame | None, year: int
) -> pd.DataFrame:
    """Each dwelling gets its buurt's newest Leefbaarometer soc and onv up to ``year``."""
    frame["lbm_soc"] = np.nan
    frame["lbm_onv"] = np.nan
    if scores is None or scores.empty:
        return frame
    buurt = scores[(scores["level"] == "neighbourhood") & (scores["year"] <= year)]
    if buurt.empty:
        return frame
    newest = buurt.sort_values("year").drop_duplicates("code", keep="last").set_index("code")
    codes = frame["neighbourhood_code"].astype(str)
    frame["lbm_soc"] = codes.map(newest["soc"]).astype(float)
    frame["lbm_onv"] = codes.map(newest["onv"]).astype(float)
    return frame


def context_for_source(dwellings: pd.DataFrame, source: SourceData) -> Context:
    """A Context straight from canonical frames (Demostad or an importer), without a store.

    ``dwellings`` carries the level keys (from ``spatial.levels.assign_levels``).
    """

    def xy(frame: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(frame.drop(columns="geometry"))
        out["x"], out["y"] = frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()
        return out

    return build_context(
        dwellings,
        stock=source.stock,
        lettings=source.lettings,
        moveouts=source.moveouts,
        nuisance=source.nuisance,
        signals=xy(source.signals),
        assets=xy(source.assets),
        liveability=source.liveability_scores,
    )
