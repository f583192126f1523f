"""Suggestions per unit: interventions whose conditions match the unit's profile, ranked.

An intervention is suggested when the unit's level is one of its levels, every ``requires``
condition holds and its fit score reaches ``MIN_SCORE``. The fit score is the sum of the weights
of the ``fits_when`` conditions that hold (weight 1 unless the catalogue says otherwise), so a
suggestion needs two signs, or one sign that counts double. Ties go to the stronger evidence,
then the lower cost, then the name. Suggestions are for professionals: never a public judgement of a
street. Each carries its reasons in plain Dutch and the caveat that local fit matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from veerkracht.interventions.catalogue import COST_RANK, EVIDENCE_RANK, Catalogue, Intervention
from veerkracht.interventions.conditions import check_condition
from veerkracht.interventions.unit_profile import MAX_ASSET_DISTANCE_M, NearbyAsset, UnitProfile
from veerkracht.storage import Store
from veerkracht.storage import sources as source_store
from veerkracht.storage import units as unit_store

CAVEAT = (
    "Dit is een suggestie, geen oordeel over de straat. Of het hier past, hangt af van de plek: "
    "praat eerst met bewoners en professionals die de straat kennen. Wat elders werkte, werkt "
    "niet vanzelf ook hier."
)
#: The lowest fit score that is suggested (two signs, or one that counts double).
MIN_SCORE = 2.0
EVIDENCE_CAVEAT = "Bewijs volgens het erkenningsstelsel: {label}."


@dataclass(frozen=True)
class Suggestion:
    """An intervention that fits, with its score, its reasons (Dutch, B1) and the caveat."""

    intervention: Intervention
    score: float
    reasons: tuple[str, ...]
    caveat: str

    @property
    def id(self) -> str:
        return self.intervention.id

    @property
    def terrain(self) -> str:
        return self.intervention.terrain.value

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: id, name, terrain, score, reasons, caveat, evidence, cost, sources."""
        i = self.intervention
        return {
            "id": i.id,
            "name": i.name,
            "terrain": i.terrain.value,
            "terrain_label": i.terrain_label,
            "score": self.score,
            "reasons": list(self.reasons),
            "caveat": self.caveat,
            "goal": i.goal,
            "who": i.who,
            "cost": i.cost.value,
            "evidence": i.evidence.value,
            "evidence_label": i.evidence_label,
            "sources": [s.model_dump(exclude_none=True) for s in i.sources],
        }


def suggest(
    profile: UnitProfile,
    catalogue: Catalogue,
    *,
    limit: int | None = None,
    min_score: float = MIN_SCORE,
) -> list[Suggestion]:
    """The interventions that fit ``profile`` with at least ``min_score``, best fit first (at
    most ``limit``)."""
    found = [
        s for s in (_fit(i, profile) for i in catalogue) if s is not None and s.score >= min_score
    ]
    found.sort(key=_rank_key)
    return found[:limit] if limit is not None else found


def read_unit_profile(
    store: Store, level: str, key: str, *, year: int | None = None
) -> UnitProfile:
    """Build a unit's profile from a built store: its figures and their percentiles among the
    units of its level (reference year unless ``year``), assets within 500 m of its outline
    (kinds only) and its findings. NotFound when the unit does not exist."""
    build = unit_store.require_build(store)
    year = int(build["reference_year"]) if year is None else year
    unit = unit_store.read_unit(store, level, key)
    table = _estimates(unit_store.read_indicator_table(store, level, year))
    own = table.loc[key] if key in table.index else pd.Series(dtype=float)
    return UnitProfile(
        level=level,
        key=key,
        name=str(unit.get("name") or key),
        year=year,
        dwellings=int(unit.get("dwellings") or 0),
        values=_finite(own),
        percentiles=_finite(_row(table.rank(pct=True, method="average"), key)),
        share_lower=_finite(_row(_share_lower(table), key)),
        share_higher=_finite(_row(_share_higher(table), key)),
        assets=_nearby_assets(store, unit["geometry"]),
        findings=_findings(store, level, key),
    )


def _fit(intervention: Intervention, profile: UnitProfile) -> Suggestion | None:
    if profile.level not in intervention.levels:
        return None
    required = [check_condition(c, profile) for c in intervention.requires]
    if not all(check.holds for check in required):
        return None
    matched = [
        (condition, check)
        for condition in intervention.fits_when
        if (check := check_condition(condition, profile)).holds
    ]
    if not matched:
        return None
    reasons = [check.reason for _, check in matched if check.reason]
    reasons += [
        check.reason
        for condition, check in zip(intervention.requires, required, strict=True)
        if check.reason and condition.level_in is None
    ]
    caveat = f"{CAVEAT} {EVIDENCE_CAVEAT.format(label=intervention.evidence_label)}"
    if intervention.evidence_note:
        caveat += f" {intervention.evidence_note}"
    return Suggestion(
        intervention=intervention,
        score=float(sum(condition.weight for condition, _ in matched)),
        reasons=tuple(dict.fromkeys(reasons)),
        caveat=caveat,
    )


def _rank_key(suggestion: Suggestion) -> tuple[float, int, int, str]:
    i = suggestion.intervention
    return (-suggestion.score, -EVIDENCE_RANK[i.evidence], COST_RANK[i.cost], i.name)


def _estimates(rows: pd.DataFrame) -> pd.DataFrame:
    """Wide key × indicator table of estimates (the value where no estimate was made)."""
    if rows.empty:
        return pd.DataFrame()
    figures = rows["estimate"].where(rows["estimate"].notna(), rows["value"])
    return rows.assign(figure=figures).pivot_table(
        index="key", columns="indicator", values="figure", aggfunc="first"
    )


def _share_lower(table: pd.DataFrame) -> pd.DataFrame:
    counts = table.notna().sum()
    return (table.rank(method="min") - 1) / counts


def _share_higher(table: pd.DataFrame) -> pd.DataFrame:
    counts = table.notna().sum()
    return (counts - table.rank(method="max")) / counts


def _row(table: pd.DataFrame, key: str) -> pd.Series:
    return table.loc[key] if key in table.index else pd.Series(dtype=float)


def _finite(row: pd.Series) -> dict[str, float]:
    return {str(k): float(v) for k, v in row.items() if pd.notna(v) and np.isfinite(v)}


def _nearby_assets(store: Store, geometry: Any) -> tuple[NearbyAsset, ...]:
    assets = pd.DataFrame(source_store.read_frame(store, "assets"))
    if assets.empty or geometry is None:
        return ()
    points = shapely.points(assets["x"].to_numpy(float), assets["y"].to_numpy(float))
    distances = shapely.distance(geometry, points)
    near = distances <= MAX_ASSET_DISTANCE_M
    return tuple(
        NearbyAsset(kind=str(kind), distance_m=round(float(d), 1))
        for kind, d in zip(assets["kind"][near], distances[near], strict=True)
    )


def _findings(store: Store, level: str, key: str) -> frozenset[str]:
    kinds = set()
    for kind in ("warning", "positive_deviance"):
        frame = unit_store.read_findings(store, kind, level=level)
        if (frame["key"] == key).any():
            kinds.add(kind)
    return frozenset(kinds)
