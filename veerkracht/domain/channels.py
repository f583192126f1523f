"""Letting channels: the route through which a household came into a dwelling."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """Documented channel labels (Dutch words, as corporations use them)."""

    REGULIER = "regulier"
    URGENTIE = "urgentie"
    STATUSHOUDER = "statushouder"
    UITSTROOM = "uitstroom"  # uitstroom beschermd wonen / maatschappelijke opvang
    HOUSING_FIRST = "housing_first"


#: Channels through which households that need extra support come in.
VULNERABLE_CHANNELS: frozenset[Channel] = frozenset(
    {Channel.URGENTIE, Channel.STATUSHOUDER, Channel.UITSTROOM, Channel.HOUSING_FIRST}
)


def parse_channel(text: str) -> Channel:
    """Return the channel for ``text`` or raise ValueError naming the allowed labels."""
    try:
        return Channel(text.strip().lower())
    except ValueError:
        allowed = ", ".join(c.value for c in Channel)
        raise ValueError(f'channel "{text}" is not one of {allowed}') from None
