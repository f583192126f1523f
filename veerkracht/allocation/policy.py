"""Allocation policies as data: a TOML file with caps, eligibility, weights and advice thresholds.

The schema is documented in docs/allocation.md; :func:`read_policy` turns every problem into an
InputError that names the file, the field (``caps[2].max_share``) and what was expected.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from veerkracht.allocation.instance import ALL_VULNERABLE, INSTANCE_LEVELS, VULNERABLE
from veerkracht.errors import InputError

LEVEL_WORDS = {
    "entrance": "entrance",
    "portiek": "entrance",
    "building": "building",
    "pand": "building",
    "complex": "building",
    "block": "block",
    "bouwblok": "block",
    "blok": "block",
    "buurt": "buurt",
    "neighbourhood": "buurt",
}
DUTCH_LEVEL = {"entrance": "portiek", "building": "pand", "block": "blok", "buurt": "buurt"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CapRule(_Strict):
    """At most ``max_share`` (0–1) or ``max_count`` of the dwellings of every unit of ``level``
    occupied through ``channel`` ("*" = all vulnerable channels together)."""

    level: str = Field(description="entrance, building, block or buurt (portiek, pand, blok too)")
    channel: str = Field(default=ALL_VULNERABLE, description='"*" or one vulnerable channel')
    max_share: float | None = Field(default=None, gt=0, le=1)
    max_count: int | None = Field(default=None, ge=0)
    at_least: int = Field(default=1, ge=0, description="a share never allows fewer than this")
    min_dwellings: int = Field(default=0, ge=0, description="only units with this many dwellings")

    @field_validator("level")
    @classmethod
    def _level(cls, value: str) -> str:
        word = LEVEL_WORDS.get(value.strip().lower())
        if word is None:
            raise ValueError(
                f'"{value}" is not a level; expected one of ' + ", ".join(INSTANCE_LEVELS)
            )
        return word

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        value = value.strip().lower()
        if value != ALL_VULNERABLE and value not in VULNERABLE:
            raise ValueError(
                f'"{value}" is not a capped channel; expected "*" or one of '
                + ", ".join(VULNERABLE)
            )
        return value

    @model_validator(mode="after")
    def _one_limit(self) -> CapRule:
        if (self.max_share is None) == (self.max_count is None):
            raise ValueError("expected exactly one of max_share (0–1) or max_count (whole number)")
        return self

    def limit(self, dwellings: np.ndarray) -> np.ndarray:
        """The max_count per unit with ``dwellings`` dwellings (-1: the rule does not apply)."""
        dwellings = np.asarray(dwellings, dtype=np.int64)
        if self.max_count is not None:
            limit = np.full(len(dwellings), self.max_count, dtype=np.int64)
        else:
            share = float(self.max_share or 0.0)
            limit = np.maximum(np.floor(share * dwellings + 1e-9).astype(np.int64), self.at_least)
        return np.where(dwellings >= self.min_dwellings, limit, -1)

    def describe(self) -> str:
        what = f"{self.max_share:.0%}" if self.max_share is not None else f"{self.max_count}"
        channel = "kwetsbare kanalen samen" if self.channel == ALL_VULNERABLE else self.channel
        return f"per {DUTCH_LEVEL[self.level]} hoogstens {what} ({channel})"


class Eligibility(_Strict):
    """Which households may get which dwellings."""

    min_floor_area_m2_per_person: float = Field(default=10.0, ge=0)
    ideal_floor_area_m2_per_person: float = Field(default=22.0, gt=0)
    rent_classes: dict[str, list[str]] = Field(
        default_factory=dict, description='channel (or "*") → allowed rent classes'
    )
    accessible_needs: list[str] = Field(
        default_factory=lambda: ["rolstoel", "gelijkvloers", "toegankelijk"],
        description="needs that require an accessible dwelling",
    )


class Weights(_Strict):
    """Suitability = base + size × fit + preference × in preferred area + support × nearby."""

    base: float = Field(default=1.0, ge=0)
    size: float = Field(default=1.0, ge=0)
    preference: float = Field(default=2.0, ge=0)
    support: float = Field(default=1.0, ge=0)


class Support(_Strict):
    radius_m: float = Field(default=300.0, gt=0)
    saturation: int = Field(default=3, ge=1, description="assets nearby that count as full")


class AdviceRules(_Strict):
    near_share: float = Field(
        default=0.8, gt=0, le=1, description="projected load ≥ this share of a cap: support needed"
    )
    min_support: int = Field(default=1, ge=0, description="assets nearby for 'past met steun'")


class Policy(_Strict):
    """An allocation policy: caps, eligibility, weights, support and advice thresholds."""

    name: str = Field(min_length=1)
    description: str = ""
    caps: list[CapRule] = Field(default_factory=list)
    eligibility: Eligibility = Field(default_factory=Eligibility)
    weights: Weights = Field(default_factory=Weights)
    support: Support = Field(default_factory=Support)
    advice: AdviceRules = Field(default_factory=AdviceRules)
    candidates_per_household: int = Field(
        default=0, ge=0, description="keep each household's best K vacancies (0 = all pairs)"
    )

    def cap_rows(self, unit_sizes: dict[str, pd.Series]) -> pd.DataFrame:
        """Caps of an instance: one row per rule and unit (``unit_sizes``: level → dwellings per
        key)."""
        rows = []
        for rule in self.caps:
            sizes = unit_sizes.get(rule.level, pd.Series(dtype=np.int64))
            limit = rule.limit(sizes.to_numpy())
            keep = limit >= 0
            rows.append(
                pd.DataFrame(
                    {
                        "level": rule.level,
                        "key": sizes.index.to_numpy()[keep].astype(str),
                        "channel": rule.channel,
                        "max_count": limit[keep],
                    }
                )
            )
        columns = ["level", "key", "channel", "max_count"]
        if not rows:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return pd.concat(rows, ignore_index=True)[columns]


def read_policy(path: Path) -> Policy:
    """Read and validate a policy TOML file."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file; expected a policy TOML file", path=str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(
            f"is not valid TOML ({error}); expected key = value lines", path=str(path)
        ) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8; expected a UTF-8 TOML file", path=str(path)) from None
    return parse_policy(data, path=str(path))


def parse_policy(data: dict[str, Any], *, path: str | None = None) -> Policy:
    """A Policy from parsed TOML data, with InputError naming field and expectation."""
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = _dotted(first["loc"])
        message = _message(first)
        more = len(error.errors()) - 1
        suffix = f" ({more} more problem(s) in this file)" if more else ""
        raise InputError(message + suffix, path=path, field=field or None) from None


def default_policy() -> Policy:
    """The policy used when none is given: 1 in 4 per portiek, 1 in 5 per block, all vulnerable
    channels together."""
    return Policy(
        name="standaard",
        description="Hoogstens 1 op 4 per portiek en 1 op 5 per blok via kwetsbare kanalen.",
        caps=[
            CapRule(level="entrance", max_share=0.25, min_dwellings=4),
            CapRule(level="building", max_share=0.25, min_dwellings=4),
            CapRule(level="block", max_share=0.2, min_dwellings=10),
        ],
    )


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part not in ("function-after", "model-after"):
            text += ("." if text else "") + str(part)
    return text


def _message(error: Any) -> str:
    kind = error["type"]
    got = error.get("input")
    if kind == "extra_forbidden":
        return "is not a known setting; expected only the fields of docs/allocation.md"
    if kind == "missing":
        return "is missing; expected a value"
    text = str(error["msg"]).removeprefix("Value error, ")
    if (
        kind.startswith(("less_than", "greater_than"))
        or kind.endswith("_parsing")
        or kind
        in (
            "float_type",
            "int_type",
            "string_type",
            "list_type",
            "dict_type",
            "string_too_short",
            "int_from_float",
            "model_type",
        )
    ):
        shown = repr(got) if not isinstance(got, dict) else "a table"
        return f"{shown} is not valid; expected: {text[0].lower() + text[1:]}"
    if isinstance(got, float) and math.isnan(got):
        return "is NaN; expected a number"
    return text
