"""How geometry is stored: WKB bytes plus bounding-box columns, chosen here only."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely


def geometry_columns(geoms: Any) -> dict[str, Any]:
    """WKB and bbox columns for an array of shapely geometries (None stays None)."""
    arr = np.asarray(geoms, dtype=object)
    wkb = shapely.to_wkb(arr, hex=False)
    bounds = shapely.bounds(arr)
    return {
        "geometry": wkb,
        "minx": bounds[:, 0],
        "miny": bounds[:, 1],
        "maxx": bounds[:, 2],
        "maxy": bounds[:, 3],
    }


def read_geometry(values: pd.Series | list[bytes | None]) -> np.ndarray:
    """Shapely geometries from stored WKB values."""
    arr = np.asarray([None if v is None else bytes(v) for v in values], dtype=object)
    return shapely.from_wkb(arr)
