"""Conditions as data: when an intervention fits a place. One function checks them all.

A condition names exactly one subject and a threshold:

- ``{indicator = "vulnerable_lettings_3y", percentile_at_least = 0.7}`` (also
  ``percentile_at_most``, ``value_at_least``, ``value_at_most``; percentiles are among the units
  of the same level);
- ``{assets_of_kind = "place", within_m = 150, at_most = 0}`` (also ``at_least``; ``within_m``
  defaults to 300, 0 means inside the unit);
- ``{findings = "warning"}`` (the unit is on the early-warning list; or "positive_deviance");
- ``{level_in = ["entrance", "block"]}``;
- ``{any_of = [ {…}, {…} ]}`` (at least one of the nested conditions holds).

Every condition may carry ``weight`` (how much a match counts in the ranking, default 1) and
``reason`` (own wording in plain Dutch instead of the generated sentence).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from veerkracht.assessment.wording import describe_value, dutch_number
from veerkracht.domain.assets import AssetKind
from veerkracht.domain.levels import UNIT_LEVELS
from veerkracht.indicators.registry import BY_KEY
from veerkracht.interventions.unit_profile import UnitProfile, asset_word, level_word

DEFAULT_WITHIN_M = 300.0
SUBJECTS = ("indicator", "assets_of_kind", "findings", "level_in", "any_of")
INDICATOR_THRESHOLDS = (
    "percentile_at_least",
    "percentile_at_most",
    "value_at_least",
    "value_at_most",
)
COUNT_THRESHOLDS = ("at_least", "at_most")
FINDING_KINDS = ("warning", "positive_deviance")
LEVEL_NAMES = tuple(level.value for level in UNIT_LEVELS)
ASSET_KINDS = tuple(kind.value for kind in AssetKind)


class Condition(BaseModel):
    """One condition; exactly one subject (indicator, assets_of_kind, findings, level_in,
    any_of) with the thresholds that belong to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    indicator: str | None = Field(None, description="indicator key from the registry")
    percentile_at_least: float | None = Field(None, ge=0.0, le=1.0)
    percentile_at_most: float | None = Field(None, ge=0.0, le=1.0)
    value_at_least: float | None = None
    value_at_most: float | None = None
    assets_of_kind: str | None = Field(None, description="asset kind (ABCD)")
    within_m: float | None = Field(None, ge=0.0, le=500.0)
    at_least: int | None = Field(None, ge=0)
    at_most: int | None = Field(None, ge=0)
    findings: Literal["warning", "positive_deviance"] | None = None
    level_in: list[str] | None = Field(None, min_length=1)
    any_of: list[Condition] | None = Field(None, min_length=1)
    weight: float = Field(1.0, gt=0.0, le=10.0)
    reason: str | None = Field(None, min_length=1)

    @field_validator("indicator")
    @classmethod
    def _known_indicator(cls, key: str | None) -> str | None:
        if key is not None and key not in BY_KEY:
            raise _unknown("indicator", key, BY_KEY)
        return key

    @field_validator("assets_of_kind")
    @classmethod
    def _known_kind(cls, kind: str | None) -> str | None:
        if kind is not None and kind not in ASSET_KINDS:
            raise _unknown("asset kind", kind, ASSET_KINDS)
        return kind

    @field_validator("level_in")
    @classmethod
    def _known_levels(cls, levels: list[str] | None) -> list[str] | None:
        for level in levels or []:
            if level not in LEVEL_NAMES:
                raise _unknown("level", level, LEVEL_NAMES)
        return levels

    @model_validator(mode="after")
    def _one_subject_with_its_thresholds(self) -> Condition:
        subjects = [name for name in SUBJECTS if getattr(self, name) is not None]
        if len(subjects) != 1:
            raise PydanticCustomError(
                "condition_subjects",
                "a condition names exactly one of {subjects} (found: {found})",
                {"subjects": ", ".join(SUBJECTS), "found": ", ".join(subjects) or "none"},
            )
        subject = subjects[0]
        allowed = {
            "indicator": INDICATOR_THRESHOLDS,
            "assets_of_kind": (*COUNT_THRESHOLDS, "within_m"),
        }.get(subject, ())
        stray = [
            name
            for name in (*INDICATOR_THRESHOLDS, *COUNT_THRESHOLDS, "within_m")
            if getattr(self, name) is not None and name not in allowed
        ]
        if stray:
            raise PydanticCustomError(
                "condition_stray",
                "{stray} does not go with {subject}",
                {"stray": ", ".join(stray), "subject": subject},
            )
        needed = {"indicator": INDICATOR_THRESHOLDS, "assets_of_kind": COUNT_THRESHOLDS}.get(
            subject
        )
        if needed and all(getattr(self, name) is None for name in needed):
            raise PydanticCustomError(
                "condition_needs",
                "{subject} needs one of {needed}",
                {"subject": subject, "needed": ", ".join(needed)},
            )
        return self


def _unknown(what: str, value: str, expected: Iterable[str]) -> Exception:
    """``indicator "x" is not one of …`` as an error of kind ``unknown_indicator`` (the web
    words it in Dutch from the kind and the values)."""
    return PydanticCustomError(
        f"unknown_{what.replace(' ', '_')}",
        '{what} "{value}" is not one of {expected}',
        {"what": what, "value": value, "expected": ", ".join(expected)},
    )


@dataclass(frozen=True)
class Check:
    """Whether a condition holds for a unit, and why in plain Dutch (None when it does not)."""

    holds: bool
    reason: str | None = None


def check_condition(condition: Condition, profile: UnitProfile) -> Check:
    """Check one condition against a unit's profile; unknown figures never match."""
    if condition.indicator is not None:
        check = _check_indicator(condition, condition.indicator, profile)
    elif condition.assets_of_kind is not None:
        check = _check_assets(condition, condition.assets_of_kind, profile)
    elif condition.findings is not None:
        check = _check_findings(condition.findings, profile)
    elif condition.level_in is not None:
        holds = profile.level in condition.level_in
        check = Check(holds, f"Dit werkt op het niveau van een {level_word(profile.level)}.")
    else:
        parts = [check_condition(c, profile) for c in condition.any_of or []]
        reasons = [p.reason for p in parts if p.holds and p.reason]
        check = Check(any(p.holds for p in parts), " ".join(reasons) or None)
    if check.holds and condition.reason:
        return Check(True, condition.reason)
    return check if check.holds else Check(False)


def _check_indicator(condition: Condition, key: str, profile: UnitProfile) -> Check:
    value, percentile = profile.value(key), profile.percentile(key)
    tests = []
    if condition.percentile_at_least is not None:
        tests.append(_ge(percentile, condition.percentile_at_least))
    if condition.percentile_at_most is not None:
        tests.append(_le(percentile, condition.percentile_at_most))
    if condition.value_at_least is not None:
        tests.append(_ge(value, condition.value_at_least))
    if condition.value_at_most is not None:
        tests.append(_le(value, condition.value_at_most))
    if not all(tests):
        return Check(False)
    indicator = BY_KEY[key]
    shown = describe_value(indicator, value)
    places = level_word(profile.level, plural=True)
    if condition.percentile_at_least is not None:
        share = round(100 * float(profile.share_lower.get(key, percentile)))
        return Check(
            True,
            f"{indicator.label}: {shown}; hoger dan bij {share} van de 100 vergelijkbare {places}.",
        )
    if condition.percentile_at_most is not None:
        share = round(100 * float(profile.share_higher.get(key, 1 - percentile)))
        return Check(
            True,
            f"{indicator.label}: {shown}; lager dan bij {share} van de 100 vergelijkbare {places}.",
        )
    if condition.value_at_least is not None:
        floor = describe_value(indicator, condition.value_at_least)
        return Check(True, f"{indicator.label}: {shown} (dat is {floor} of meer).")
    ceiling = describe_value(indicator, float(condition.value_at_most or 0.0))
    return Check(True, f"{indicator.label}: {shown} (dat is {ceiling} of minder).")


def _check_assets(condition: Condition, kind: str, profile: UnitProfile) -> Check:
    within = DEFAULT_WITHIN_M if condition.within_m is None else condition.within_m
    count = profile.count_assets(kind, within)
    if condition.at_least is not None and count < condition.at_least:
        return Check(False)
    if condition.at_most is not None and count > condition.at_most:
        return Check(False)
    where = (
        f"in dit {level_word(profile.level)}"
        if within == 0
        else f"binnen {dutch_number(within)} meter"
    )
    if count == 0:
        return Check(True, f"Er is {where} geen {asset_word(kind)} bekend.")
    if condition.at_least is not None:
        return Check(
            True,
            f"Er zijn {where} {count} {asset_word(kind, plural=True)} bekend "
            "om op voort te bouwen.",
        )
    return Check(True, f"Er zijn {where} maar {count} {asset_word(kind, plural=True)} bekend.")


def _check_findings(kind: str, profile: UnitProfile) -> Check:
    if kind not in profile.findings:
        return Check(False)
    if kind == "warning":
        return Check(
            True,
            "Deze plek staat op de lijst voor vroeg signaleren: de draaglast is "
            "hoog, stijgt en is groter dan de draagkracht.",
        )
    return Check(
        True,
        "Het samenleven gaat hier beter dan je op grond van de cijfers zou "
        "verwachten: een plek om op voort te bouwen en van te leren.",
    )


def _ge(value: float, threshold: float) -> bool:
    return not math.isnan(value) and value >= threshold


def _le(value: float, threshold: float) -> bool:
    return not math.isnan(value) and value <= threshold
