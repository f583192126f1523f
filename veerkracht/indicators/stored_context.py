"""The computing context from what a workspace holds: one recipe for the build and refreshes.

``pipeline.build`` passes the dwellings it has just given their level keys;
``indicators.refresh`` passes the stored ones (which carry the keys of the last build).
"""

from __future__ import annotations

import pandas as pd

from veerkracht.importers.leefbaarometer_grid import CELL_LEVEL as GRID_CELL_LEVEL
from veerkracht.importers.leefbaarometer_grid import SCORE_LEVEL as GRID_SCORE_LEVEL
from veerkracht.indicators.base import Context
from veerkracht.indicators.context import build_context
from veerkracht.indicators.presence import with_log
from veerkracht.settings import Settings
from veerkracht.storage import liveability as liveability_store
from veerkracht.storage import sources as source_store
from veerkracht.storage.engine import Store
from veerkracht.storage.intervention_log import read_log


def context_from_store(
    store: Store,
    settings: Settings,
    dwellings: pd.DataFrame,
    *,
    stock: pd.DataFrame | None = None,
    reference_year: int | None = None,
) -> Context:
    """Dwellings (with level keys) plus every stored source the indicators read.

    That is the corporation's records, signals, approved assets, Leefbaarometer area scores, the
    100 m grid cells around the dwellings with their scores, and the intervention log.
    """
    grid_cells, grid_scores = _grid_near(store, dwellings)
    ctx = build_context(
        dwellings,
        stock=source_store.read_frame(store, "stock") if stock is None else stock,
        lettings=source_store.read_frame(store, "lettings"),
        moveouts=source_store.read_frame(store, "moveouts"),
        nuisance=source_store.read_frame(store, "nuisance"),
        signals=_without_geometry(source_store.read_frame(store, "signals")),
        assets=_without_geometry(source_store.read_frame(store, "assets")),
        liveability=liveability_store.read_scores_except(store, GRID_SCORE_LEVEL),
        grid_cells=grid_cells,
        grid_scores=grid_scores,
        reference_year=reference_year or settings.reference_year,
        assets_radius_m=settings.assets_radius_m,
    )
    return with_log(ctx, read_log(store))  # professional presence (indicators/presence.py)


def _without_geometry(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))


def _grid_near(store: Store, dwellings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Leefbaarometer grid cells around the dwellings, and their scores."""
    x, y = dwellings["x"], dwellings["y"]
    return liveability_store.read_grid(  # type: ignore[no-any-return]
        store,
        cell_level=GRID_CELL_LEVEL,
        score_level=GRID_SCORE_LEVEL,
        bounds=(float(x.min()), float(y.min()), float(x.max()), float(y.max())),
    )
