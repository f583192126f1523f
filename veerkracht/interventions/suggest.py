"""Suggestions per unit: interventions whose conditions match the unit's profile, ranked.

``read_unit_profile`` (from ``profile_reader``) and ``LogNote`` are re-exported here.

An intervention is suggested when the unit's level is one of its levels, every ``requires``
condition holds and its fit score reaches ``MIN_SCORE``. The fit score is the sum of the weights
of the ``fits_when`` conditions that hold (weight 1 unless the catalogue says otherwise), so a
suggestion needs two signs, or one sign that counts double. Ties go to the stronger evidence,
then the lower cost, then the name. Suggestions are for professionals: never a public judgement of a
street. Each carries its reasons in plain Dutch and the caveat that local fit matters.

``build_suggestions`` is the one store-level entry point (web pages, reports): it checks that the
viewer is a professional with the unit in scope, reads the effective catalogue (shipped entries
overlaid with the app's edits, retired ones left out), the unit's profile (approved assets only)
and the intervention log (``log_notes``). Interventions that already run here (or in a unit
around it) are marked "loopt hier al sinds …" and ranked after the new ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from veerkracht.assessment.disclosure import Viewer
from veerkracht.domain.levels import Level
from veerkracht.errors import Forbidden
from veerkracht.interventions.catalogue import COST_RANK, EVIDENCE_RANK, Catalogue, Intervention
from veerkracht.interventions.catalogue_edit import effective_catalogue
from veerkracht.interventions.conditions import check_condition
from veerkracht.interventions.log_notes import LogNote, read_log_notes, unit_chain
from veerkracht.interventions.profile_reader import read_unit_profile
from veerkracht.interventions.unit_profile import UnitProfile
from veerkracht.storage import Store

CAVEAT = (
    "Dit is een suggestie, geen oordeel over de straat. Of het hier past, hangt af van de plek: "
    "praat eerst met bewoners en professionals die de straat kennen. Wat elders werkte, werkt "
    "niet vanzelf ook hier."
)
#: The lowest fit score that is suggested (two signs, or one that counts double).
MIN_SCORE = 2.0
EVIDENCE_CAVEAT = "Bewijs volgens het erkenningsstelsel: {label}."
#: Roles that may see suggestions (within their scope); never the public.
SUGGESTION_ROLES = ("professional", "analyst", "admin")
AREA_LEVELS = (Level.NEIGHBOURHOOD, Level.DISTRICT, Level.MUNICIPALITY)


__all__ = [
    "CAVEAT",
    "MIN_SCORE",
    "LogNote",
    "Suggestion",
    "SuggestionsForbidden",
    "UnitSuggestions",
    "build_suggestions",
    "read_unit_profile",
    "suggest",
]


class SuggestionsForbidden(Forbidden):
    """Suggestions are for professionals within their scope; ``reason`` is "public" or "scope"."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class Suggestion:
    """An intervention that fits, with its score, its reasons (Dutch, B1) and the caveat."""

    intervention: Intervention
    score: float
    reasons: tuple[str, ...]
    caveat: str
    log: LogNote | None = None

    @property
    def id(self) -> str:
        return self.intervention.id

    @property
    def terrain(self) -> str:
        return self.intervention.terrain.value

    @property
    def already_here(self) -> bool:
        """The log says it runs (or is planned) here or in a unit around it."""
        return self.log is not None and self.log.active

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: id, name, terrain, score, reasons, caveat, evidence, cost, sources, and
        what the log says (``already_here``, ``log``)."""
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
            "already_here": self.already_here,
            "log": self.log.as_dict() if self.log else None,
        }


@dataclass(frozen=True)
class UnitSuggestions:
    """The suggestions for one unit, best first, those already running here last."""

    level: str
    key: str
    name: str
    year: int | None
    suggestions: tuple[Suggestion, ...]
    caveat: str = CAVEAT

    def by_terrain(self) -> list[tuple[str, list[Suggestion]]]:
        """(terrain, its suggestions) in the order of each terrain's best suggestion."""
        groups: dict[str, list[Suggestion]] = {}
        for item in self.suggestions:
            groups.setdefault(item.terrain, []).append(item)
        return list(groups.items())

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "key": self.key,
            "name": self.name,
            "year": self.year,
            "caveat": self.caveat,
            "count": len(self.suggestions),
            "already_here": sum(1 for s in self.suggestions if s.already_here),
            "terrains": [
                {
                    "terrain": terrain,
                    "terrain_label": items[0].intervention.terrain_label,
                    "suggestions": [s.as_dict() for s in items],
                }
                for terrain, items in self.by_terrain()
            ],
        }


def build_suggestions(
    store: Store,
    *,
    level: str,
    key: str,
    viewer: Viewer,
    today: date | None = None,
    limit: int | None = None,
) -> UnitSuggestions:
    """The suggestions for unit ``level``/``key`` as ``viewer`` may see them.

    SuggestionsForbidden for the public (never a list) and for professionals outside their
    scope; NotFound when the unit does not exist.
    """
    if viewer.role not in SUGGESTION_ROLES:
        raise SuggestionsForbidden("public", "suggestions per place are only for professionals")
    chain = unit_chain(store, level, key)
    areas = {k for lv, k, _ in chain if Level(lv) in AREA_LEVELS}
    if not viewer.sees_sensitive_in(areas):
        raise SuggestionsForbidden(
            "scope", f'{level} "{key}" lies outside your area ({", ".join(sorted(viewer.scope))})'
        )
    catalogue = effective_catalogue(store)
    profile = read_unit_profile(store, level, key)
    notes = read_log_notes(store, chain, known={i.id for i in catalogue}, today=today)
    found = suggest(profile, catalogue, limit=limit, log=notes)
    return UnitSuggestions(
        level=level, key=key, name=profile.name, year=profile.year, suggestions=tuple(found)
    )


def suggest(
    profile: UnitProfile,
    catalogue: Catalogue,
    *,
    limit: int | None = None,
    min_score: float = MIN_SCORE,
    log: Mapping[str, LogNote] | None = None,
) -> list[Suggestion]:
    """The interventions that fit ``profile`` with at least ``min_score``, best fit first (at
    most ``limit``); those that ``log`` says already run here come after the new ones."""
    log = log or {}
    found = [s for s in (_fit(i, profile, log.get(i.id)) for i in catalogue) if s is not None]
    found = [s for s in found if s.score >= min_score]
    found.sort(key=_rank_key)
    return found[:limit] if limit is not None else found


def _fit(
    intervention: Intervention, profile: UnitProfile, note: LogNote | None = None
) -> Suggestion | None:
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
        log=note,
    )


def _rank_key(suggestion: Suggestion) -> tuple[bool, float, int, int, str]:
    i = suggestion.intervention
    return (
        suggestion.already_here,
        -suggestion.score,
        -EVIDENCE_RANK[i.evidence],
        COST_RANK[i.cost],
        i.name,
    )
