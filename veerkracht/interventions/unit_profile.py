"""What the conditions of an intervention look at: one unit's figures, assets and findings.

A ``UnitProfile`` is plain data, so conditions and suggestions can be tested without a store;
``veerkracht.interventions.suggest.read_unit_profile`` builds one from a built workspace.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

#: Assets are kept in a profile up to this distance from the unit (metres).
MAX_ASSET_DISTANCE_M = 500.0

#: Dutch words for the levels (singular, plural), as the reasons use them.
LEVEL_WORDS: dict[str, tuple[str, str]] = {
    "entrance": ("portiek", "portieken"),
    "building": ("pand", "panden"),
    "block": ("bouwblok", "bouwblokken"),
    "street": ("straat", "straten"),
    "neighbourhood": ("buurt", "buurten"),
    "district": ("wijk", "wijken"),
    "municipality": ("gemeente", "gemeenten"),
}

#: Dutch words for the asset kinds (singular, plural).
ASSET_WORDS: dict[str, tuple[str, str]] = {
    "gift": ("aanbod of talent van een bewoner", "aanbiedingen en talenten van bewoners"),
    "association": ("vereniging of groep", "verenigingen en groepen"),
    "institution": ("voorziening (school, buurthuis, huisarts)", "voorzieningen"),
    "place": ("ontmoetingsplek (bankje, plein, binnentuin)", "ontmoetingsplekken"),
    "economy": ("winkel, markt of café", "winkels, markten en cafés"),
    "story": ("verhaal over de plek", "verhalen over de plek"),
    "active_resident": ("actieve bewoner", "actieve bewoners"),
}


@dataclass(frozen=True)
class NearbyAsset:
    """An asset (kind only, never a name) and its distance to the unit (0 = inside)."""

    kind: str
    distance_m: float


@dataclass(frozen=True)
class UnitProfile:
    """One unit as the intervention conditions see it.

    ``values`` holds each indicator's (shrunk) estimate; ``percentiles`` its rank among the
    units of the same level (0 = lowest, 1 = highest, ties averaged); ``share_lower`` and
    ``share_higher`` the share of those units with a strictly lower or higher figure (used for
    wording). ``assets`` lists assets within ``MAX_ASSET_DISTANCE_M``; ``findings`` the kinds of
    finding on this unit ("warning", "positive_deviance").
    """

    level: str
    key: str
    name: str = ""
    year: int | None = None
    dwellings: int = 0
    values: Mapping[str, float] = field(default_factory=dict)
    percentiles: Mapping[str, float] = field(default_factory=dict)
    share_lower: Mapping[str, float] = field(default_factory=dict)
    share_higher: Mapping[str, float] = field(default_factory=dict)
    assets: tuple[NearbyAsset, ...] = ()
    findings: frozenset[str] = frozenset()

    def value(self, indicator: str) -> float:
        """The unit's figure for ``indicator`` (NaN when unknown)."""
        return float(self.values.get(indicator, math.nan))

    def percentile(self, indicator: str) -> float:
        """The unit's percentile for ``indicator`` among its level (NaN when unknown)."""
        return float(self.percentiles.get(indicator, math.nan))

    def count_assets(self, kind: str, within_m: float) -> int:
        """How many assets of ``kind`` lie within ``within_m`` metres (0 = inside the unit)."""
        return sum(1 for a in self.assets if a.kind == kind and a.distance_m <= within_m)

    def with_asset(self, kind: str, *, distance_m: float = 0.0, count: int = 1) -> UnitProfile:
        """A copy with ``count`` more assets of ``kind`` (to see how suggestions change)."""
        added = tuple(NearbyAsset(kind=kind, distance_m=distance_m) for _ in range(count))
        return replace(self, assets=self.assets + added)

    def with_findings(self, findings: frozenset[str]) -> UnitProfile:
        """A copy with other findings."""
        return replace(self, findings=frozenset(findings))


def level_word(level: str, *, plural: bool = False) -> str:
    """'bouwblok' / 'bouwblokken' for 'block'."""
    singular, many = LEVEL_WORDS.get(level, (level, level))
    return many if plural else singular


def asset_word(kind: str, *, plural: bool = False) -> str:
    """'ontmoetingsplek (…)' / 'ontmoetingsplekken' for 'place'."""
    singular, many = ASSET_WORDS.get(kind, (kind, kind))
    return many if plural else singular
