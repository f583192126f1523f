"""The levels of veerkracht, from the dwelling up to the municipality."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """A spatial level; the value is the English code word, the Dutch word is in ``DUTCH``."""

    DWELLING = "dwelling"
    ENTRANCE = "entrance"
    BUILDING = "building"
    BLOCK = "block"
    STREET = "street"
    NEIGHBOURHOOD = "neighbourhood"
    DISTRICT = "district"
    MUNICIPALITY = "municipality"


#: Levels that are units (aggregates of dwellings), smallest first.
UNIT_LEVELS: tuple[Level, ...] = (
    Level.ENTRANCE,
    Level.BUILDING,
    Level.BLOCK,
    Level.STREET,
    Level.NEIGHBOURHOOD,
    Level.DISTRICT,
    Level.MUNICIPALITY,
)

#: Column of the dwellings table that carries the key of each unit level.
KEY_COLUMN: dict[Level, str] = {
    Level.ENTRANCE: "entrance_key",
    Level.BUILDING: "building_id",
    Level.BLOCK: "block_key",
    Level.STREET: "street_key",
    Level.NEIGHBOURHOOD: "neighbourhood_code",
    Level.DISTRICT: "district_code",
    Level.MUNICIPALITY: "municipality_code",
}

#: The next level up used for breadcrumbs (majority parent; blocks may span streets).
PARENT: dict[Level, Level | None] = {
    Level.ENTRANCE: Level.BUILDING,
    Level.BUILDING: Level.BLOCK,
    Level.BLOCK: Level.STREET,
    Level.STREET: Level.NEIGHBOURHOOD,
    Level.NEIGHBOURHOOD: Level.DISTRICT,
    Level.DISTRICT: Level.MUNICIPALITY,
    Level.MUNICIPALITY: None,
}

#: Levels at and above which sensitive aggregates may be published (DESIGN: never below block).
PUBLIC_MIN_LEVEL: Level = Level.BLOCK


def parse_level(text: str) -> Level:
    """Return the level named by ``text`` or raise ValueError naming the allowed words."""
    try:
        return Level(text)
    except ValueError:
        allowed = ", ".join(level.value for level in UNIT_LEVELS)
        raise ValueError(f'level "{text}" is not one of {allowed}') from None


def rank(level: Level) -> int:
    """Position of a unit level from small (0, entrance) to large (municipality)."""
    return UNIT_LEVELS.index(level)
