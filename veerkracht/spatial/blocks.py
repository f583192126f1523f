"""Blocks (bouwblokken): connected groups of touching building footprints."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def build_blocks(
    building_ids: npt.NDArray[np.object_],
    footprints: npt.NDArray[np.object_],
    *,
    max_gap_m: float = 1.0,
) -> npt.NDArray[np.object_]:
    """Block key of every building: footprints within ``max_gap_m`` of each other are joined.

    Vectorised: one STRtree query for all pairs, then connected components of the pair graph.
    The key of a block is ``BL`` + the smallest building id in it, so it is stable across builds.
    """
    _check_input(building_ids, footprints)
    labels = _touching_components(footprints, max_gap_m)
    return _label_keys(building_ids, labels)


def _check_input(
    building_ids: npt.NDArray[np.object_], footprints: npt.NDArray[np.object_]
) -> None:
    if len(building_ids) != len(footprints):
        raise ValueError(
            f"{len(building_ids)} building ids but {len(footprints)} footprints; expected equal"
        )
    if len(footprints) and shapely.is_missing(footprints).any():
        raise ValueError("a building without a footprint cannot form a block; filter it first")


def _touching_components(
    footprints: npt.NDArray[np.object_], max_gap_m: float
) -> npt.NDArray[np.int_]:
    n = len(footprints)
    if n == 0:
        return np.zeros(0, dtype=int)
    tree = shapely.STRtree(footprints)
    left, right = tree.query(footprints, predicate="dwithin", distance=max_gap_m)
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    _count, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=int)


def _label_keys(
    building_ids: npt.NDArray[np.object_], labels: npt.NDArray[np.int_]
) -> npt.NDArray[np.object_]:
    ids = np.asarray(building_ids, dtype=object)
    order = np.lexsort((ids.astype(str), labels))
    first = np.ones(len(order), dtype=bool)
    first[1:] = labels[order][1:] != labels[order][:-1]
    smallest = {int(labels[i]): str(ids[i]) for i in order[first]}
    return np.array([f"BL{smallest[int(label)]}" for label in labels], dtype=object)
