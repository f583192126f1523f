"""Public places and facilities within walking distance of the unit."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from veerkracht.domain.assets import AssetKind
from veerkracht.indicators.base import Context, Disclosure, Family, Indicator, Unit


def _per_unit(ctx: Context, units: pd.DataFrame) -> npt.NDArray[np.float64]:
    assets = ctx.assets[
        (ctx.assets["kind"] != AssetKind.ACTIVE_RESIDENT.value)
        & (ctx.assets["visibility"] == "public")
    ]
    counts = np.zeros(len(units), dtype=float)
    if assets.empty or units.empty:
        return counts
    tree = shapely.STRtree(shapely.points(assets["x"].to_numpy(), assets["y"].to_numpy()))
    centres = shapely.points(units["x"].to_numpy(), units["y"].to_numpy())
    unit_idx, _asset_idx = tree.query(centres, predicate="dwithin", distance=ctx.assets_radius_m)
    np.add.at(counts, unit_idx, 1.0)
    return counts


INDICATOR = Indicator(
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
    per_unit=_per_unit,
)
