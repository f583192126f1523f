"""Entrances (portieken): BAG has none, so they are inferred, in order of certainty.

1. ``stock``: the corporation's own entrance (trappenhuis) id from its stock file;
2. ``number``: one building + street + house number, with differing letters or suffixes
   (12-1, 12-2 … or 12A, 12B …);
3. ``stack``: address points within a few metres of each other in one building (dwellings above
   each other, or all addresses of a portiek on one point), and ``paired``: two such stacks on
   either side of one stairwell — the gap across a stairwell is wider than across a party wall;
   ``gallery``: many evenly spaced stacks in one building share the gallery's entrance;
4. ``alone``: otherwise the dwelling is its own entrance (a single-family house).

The rule that formed each entrance is kept, so its certainty can be shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

RULES: tuple[str, ...] = ("stock", "number", "paired", "gallery", "stack", "alone")
GALLERY_MIN_STACKS = 5
GALLERY_MAX_GAP_M = 9.5
GALLERY_MAX_GAP_CV = 0.1


@dataclass(frozen=True)
class EntranceResult:
    """Entrance key and forming rule per dwelling (same order as the input)."""

    keys: npt.NDArray[np.object_]
    rules: npt.NDArray[np.object_]


def infer_entrances(
    dwellings: pd.DataFrame,
    *,
    stack_radius_m: float = 2.5,
    pair_max_m: float = 14.0,
) -> EntranceResult:
    """Infer the entrance of every dwelling.

    ``dwellings`` needs dwelling_id, building_id, street_name, house_number, x, y and may have
    entrance_hint (the corporation's id). Keys are ``IN`` + the smallest dwelling id inside.
    """
    _check_columns(dwellings)
    n = len(dwellings)
    group = np.full(n, -1, dtype=np.int64)
    rule = np.full(n, "", dtype=object)
    _apply_stock_hints(dwellings, group, rule)
    rest = np.flatnonzero(group < 0)
    if len(rest):
        _apply_geometry_rules(
            dwellings.iloc[rest],
            rest,
            group,
            rule,
            stack_radius_m=stack_radius_m,
            pair_max_m=pair_max_m,
        )
    return EntranceResult(keys=_keys(dwellings["dwelling_id"].to_numpy(), group), rules=rule)


def _check_columns(dwellings: pd.DataFrame) -> None:
    required = ("dwelling_id", "building_id", "street_name", "house_number", "x", "y")
    missing = [c for c in required if c not in dwellings.columns]
    if missing:
        raise ValueError(f"dwellings lack column(s) {', '.join(missing)} needed for entrances")
    if dwellings["building_id"].isna().any():
        raise ValueError("every dwelling needs a building id (or a pseudo building) first")


def _apply_stock_hints(dwellings: pd.DataFrame, group: np.ndarray, rule: np.ndarray) -> None:
    if "entrance_hint" not in dwellings.columns:
        return
    hints = dwellings["entrance_hint"]
    has = hints.notna().to_numpy()
    if not has.any():
        return
    codes, _ = pd.factorize(hints[has].astype(str), sort=True)
    group[has] = codes
    rule[has] = "stock"


def _apply_geometry_rules(
    part: pd.DataFrame,
    index: np.ndarray,
    group: np.ndarray,
    rule: np.ndarray,
    *,
    stack_radius_m: float,
    pair_max_m: float,
) -> None:
    """Number groups and point stacks as one graph; then pair stacks around stairwells."""
    m = len(part)
    building = pd.factorize(part["building_id"].astype(str))[0]
    number_key = pd.factorize(
        pd.MultiIndex.from_arrays(
            [building, part["street_name"].fillna("").astype(str), part["house_number"].fillna(-1)]
        )
    )[0]
    number_size = np.bincount(number_key)[number_key]
    xs = part["x"].to_numpy(dtype=float)
    ys = part["y"].to_numpy(dtype=float)
    left, right = _near_pairs(xs, ys, stack_radius_m)
    same_building = building[left] == building[right]
    # two complete number groups (12-1.. and 14-1..) on one point stay two entrances
    both_numbered = (number_size[left] > 1) & (number_size[right] > 1)
    keep = same_building & ~(both_numbered & (number_key[left] != number_key[right]))
    left, right = left[keep], right[keep]
    first_of_number = _first_index(number_key)
    rows = np.concatenate([left, np.arange(m)])
    cols = np.concatenate([right, first_of_number[number_key]])
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(m, m))
    _count, component = connected_components(graph, directed=False)
    size = np.bincount(component)[component]
    numbers_in = pd.Series(number_key).groupby(component).nunique().to_numpy()[component]
    local_rule = np.where(size == 1, "alone", np.where(numbers_in == 1, "number", "stack")).astype(
        object
    )
    component = _pair_stacks(
        component,
        building,
        xs,
        ys,
        candidate=(size > 1) & (numbers_in > 1),
        pair_max_m=pair_max_m,
        rule=local_rule,
    )
    offset = int(group.max()) + 1 if (group >= 0).any() else 0
    group[index] = offset + component
    rule[index] = local_rule


def _near_pairs(xs: np.ndarray, ys: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    points = shapely.points(xs, ys)
    tree = shapely.STRtree(points)
    left, right = tree.query(points, predicate="dwithin", distance=radius)
    keep = left < right
    return left[keep], right[keep]


def _first_index(labels: np.ndarray) -> np.ndarray:
    first = np.full(int(labels.max()) + 1 if len(labels) else 0, -1, dtype=np.int64)
    order = np.arange(len(labels))[::-1]
    first[labels[order]] = order
    return first


def _pair_stacks(
    component: np.ndarray,
    building: np.ndarray,
    xs: np.ndarray,
    ys: np.ndarray,
    *,
    candidate: np.ndarray,
    pair_max_m: float,
    rule: np.ndarray,
) -> np.ndarray:
    """Join candidate stacks of one building: galleries whole, portieken in stairwell pairs."""
    stacks = pd.DataFrame(
        {"component": component, "building": building, "x": xs, "y": ys, "candidate": candidate}
    )
    stacks = stacks[stacks["candidate"]]
    if stacks.empty:
        return component
    centres = stacks.groupby("component").agg(
        building=("building", "first"), x=("x", "mean"), y=("y", "mean")
    )
    centres = centres.sort_values(["building"], kind="stable")
    buildings = centres["building"].to_numpy()
    starts = np.flatnonzero(np.r_[True, buildings[1:] != buildings[:-1]])
    ends = np.r_[starts[1:], len(buildings)]
    ids_all = centres.index.to_numpy()
    cx, cy = centres["x"].to_numpy(), centres["y"].to_numpy()
    target = np.arange(int(component.max()) + 1)
    new_rule: dict[int, str] = {}
    for start, end in zip(starts, ends, strict=True):
        if end - start < 2:
            continue
        order, gaps = _along_axis(cx[start:end], cy[start:end])
        ids = ids_all[start:end][order]
        if _is_gallery(gaps):
            target[ids] = ids[0]
            new_rule.update({int(c): "gallery" for c in ids})
            continue
        for a, c in _stairwell_pairs(gaps, pair_max_m):
            target[ids[c]] = ids[a]
            new_rule[int(ids[a])] = new_rule[int(ids[c])] = "paired"
    if new_rule:
        changed = np.fromiter(new_rule.keys(), dtype=np.int64)
        labels = np.array(list(new_rule.values()), dtype=object)
        lookup = pd.Series(labels, index=changed)
        hit = np.isin(component, changed)
        rule[hit] = lookup.reindex(component[hit]).to_numpy()
    return target[component]


def _along_axis(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order of points along their principal axis, and the gaps between neighbours."""
    coords = np.column_stack([xs - xs.mean(), ys - ys.mean()])
    _u, _s, vt = np.linalg.svd(coords, full_matrices=False)
    position = coords @ vt[0]
    order = np.argsort(position, kind="stable")
    return order, np.diff(position[order])


def _is_gallery(gaps: np.ndarray) -> bool:
    if len(gaps) + 1 < GALLERY_MIN_STACKS:
        return False
    mean = float(gaps.mean())
    return mean <= GALLERY_MAX_GAP_M and float(gaps.std()) / mean < GALLERY_MAX_GAP_CV


def _stairwell_pairs(gaps: np.ndarray, pair_max_m: float) -> list[tuple[int, int]]:
    """Pairs (i, i+1) across the wider gaps: a stairwell lies between the two dwellings."""
    if len(gaps) == 0:
        return []
    if len(gaps) == 1:
        return [(0, 1)] if gaps[0] <= pair_max_m else []
    parity = int(np.argmax([gaps[p::2].mean() if len(gaps[p::2]) else -1 for p in (0, 1)]))
    pairs = []
    for i in range(parity, len(gaps), 2):
        wider_than_neighbours = all(
            gaps[i] >= gaps[j] for j in (i - 1, i + 1) if 0 <= j < len(gaps)
        )
        if gaps[i] <= pair_max_m and wider_than_neighbours:
            pairs.append((i, i + 1))
    return pairs


def _keys(dwelling_ids: np.ndarray, group: np.ndarray) -> npt.NDArray[np.object_]:
    frame = pd.DataFrame({"id": dwelling_ids.astype(str), "group": group})
    smallest = frame.groupby("group")["id"].transform("min")
    return ("IN" + smallest).to_numpy(dtype=object)


def score_entrances(inferred: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """Pairwise precision and recall of inferred entrances against true ones.

    Over all pairs of dwellings: precision is the share of pairs put together that truly share an
    entrance; recall the share of truly sharing pairs that were put together.
    """
    frame = pd.DataFrame({"inferred": inferred, "truth": truth})

    def pairs(counts: pd.Series) -> float:
        c = counts.to_numpy(dtype=float)
        return float((c * (c - 1) / 2).sum())

    together = pairs(frame.groupby("inferred").size())
    true_pairs = pairs(frame.groupby("truth").size())
    both = pairs(frame.groupby(["inferred", "truth"]).size())
    precision = both / together if together else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "pairs_inferred": together,
        "pairs_true": true_pairs,
    }
