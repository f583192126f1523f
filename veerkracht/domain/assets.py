"""Asset kinds (ABCD): what a place has."""

from __future__ import annotations

from enum import StrEnum


class AssetKind(StrEnum):
    """Six kinds of asset, after Asset Based Community Development."""

    GIFT = "gift"  # a resident's offer or skill
    ASSOCIATION = "association"  # club, informal group
    INSTITUTION = "institution"  # school, buurthuis, GP, library
    PLACE = "place"  # meeting place, bench, courtyard, playground
    ECONOMY = "economy"  # shop, market, café
    STORY = "story"  # a story tied to a place
    ACTIVE_RESIDENT = "active_resident"  # buurtdrager: counted, never named in public


#: Kinds that count as meeting places or facilities in the capacity indicators.
MEETING_KINDS: frozenset[AssetKind] = frozenset(
    {AssetKind.PLACE, AssetKind.INSTITUTION, AssetKind.ECONOMY, AssetKind.ASSOCIATION}
)
