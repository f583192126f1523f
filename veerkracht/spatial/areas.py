"""Official areas of each dwelling: buurt by point in polygon, wijk and gemeente from the buurt."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

UNKNOWN_NEIGHBOURHOOD = "BU-onbekend"
UNKNOWN_DISTRICT = "WK-onbekend"
UNKNOWN_MUNICIPALITY = "GM-onbekend"


def assign_neighbourhoods(
    points: npt.NDArray[np.object_],
    polygons: npt.NDArray[np.object_],
    codes: npt.NDArray[np.object_],
) -> npt.NDArray[np.object_]:
    """The code of the polygon each point lies in (the first by code order where polygons overlap).

    Points outside every polygon get ``UNKNOWN_NEIGHBOURHOOD``; callers report how many.
    """
    out = np.full(len(points), UNKNOWN_NEIGHBOURHOOD, dtype=object)
    if len(polygons) == 0 or len(points) == 0:
        return out
    order = np.argsort(np.asarray(codes, dtype=str), kind="stable")
    tree = shapely.STRtree(polygons)
    point_idx, polygon_idx = tree.query(points, predicate="intersects")
    rank = np.empty(len(order), dtype=int)
    rank[order] = np.arange(len(order))
    # keep, per point, the polygon with the lowest code rank
    sort = np.lexsort((rank[polygon_idx], point_idx))
    point_idx, polygon_idx = point_idx[sort], polygon_idx[sort]
    first = np.ones(len(point_idx), dtype=bool)
    first[1:] = point_idx[1:] != point_idx[:-1]
    out[point_idx[first]] = np.asarray(codes, dtype=object)[polygon_idx[first]]
    return out


def parent_codes(
    codes: npt.NDArray[np.object_], parents: dict[str, str], unknown: str
) -> npt.NDArray[np.object_]:
    """Map each code to its parent (buurt → wijk, wijk → gemeente); ``unknown`` where absent."""
    return np.array([parents.get(str(c), unknown) for c in codes], dtype=object)
