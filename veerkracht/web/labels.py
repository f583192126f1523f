"""The Dutch words for English codes: msgids here, Dutch text in the .po catalogue."""

from __future__ import annotations

from veerkracht.domain.levels import UNIT_LEVELS, Level
from veerkracht.web.i18n import gettext


def N_(message: str) -> str:  # noqa: N802 - the gettext marker convention
    """Mark a msgid for extraction without translating it here."""
    return message


#: One word per level (singular, plural), as msgids.
LEVEL_WORDS: dict[Level, tuple[str, str]] = {
    Level.DWELLING: (N_("dwelling"), N_("dwellings")),
    Level.ENTRANCE: (N_("entrance"), N_("entrances")),
    Level.BUILDING: (N_("building"), N_("buildings")),
    Level.BLOCK: (N_("block"), N_("blocks")),
    Level.STREET: (N_("street"), N_("streets")),
    Level.NEIGHBOURHOOD: (N_("neighbourhood"), N_("neighbourhoods")),
    Level.DISTRICT: (N_("district"), N_("districts")),
    Level.MUNICIPALITY: (N_("municipality"), N_("municipalities")),
}

#: "in this …" per level (Dutch needs dit/deze by the word's gender).
IN_THIS: dict[Level, str] = {
    Level.ENTRANCE: N_("in this entrance"),
    Level.BUILDING: N_("in this building"),
    Level.BLOCK: N_("in this block"),
    Level.STREET: N_("in this street"),
    Level.NEIGHBOURHOOD: N_("in this neighbourhood"),
    Level.DISTRICT: N_("in this district"),
    Level.MUNICIPALITY: N_("in this municipality"),
}

#: Indicator families in the order a page shows them: strengths first.
FAMILY_ORDER: tuple[str, ...] = ("capacity", "load", "context")
FAMILY_TITLES: dict[str, str] = {
    "capacity": N_("What is there (capacity)"),
    "load": N_("What is going on (load)"),
    "context": N_("About this place"),
}

#: How the import log's source names are shown; licences come from the log itself.
SOURCE_TITLES: dict[str, str] = {
    "demo": N_("Demostad (fictional)"),
    "demostad": N_("Demostad (fictional)"),
    "bag": N_("BAG (Kadaster)"),
    "cbs": N_("CBS wijken en buurten"),
    "leefbaarometer": N_("Leefbaarometer 3.0"),
    "stock": N_("housing corporation stock"),
    "lettings": N_("housing corporation lettings"),
}


def level_word(level: Level | str, *, plural: bool = False) -> str:
    """The Dutch word for a level: ``portiek`` or ``portieken``."""
    singular, many = LEVEL_WORDS[Level(level)]
    return gettext(many if plural else singular)


def in_this(level: Level | str) -> str:
    """``in dit blok``, ``in deze straat``."""
    return gettext(IN_THIS[Level(level)])


def level_options() -> list[dict[str, str]]:
    """The unit levels for the level switch, smallest first."""
    return [
        {"level": level.value, "label": level_word(level), "plural": level_word(level, plural=True)}
        for level in UNIT_LEVELS
    ]


def source_title(source: str) -> str:
    """The Dutch name of a source in the import log (the code itself when unknown)."""
    msgid = SOURCE_TITLES.get(source.lower())
    return gettext(msgid) if msgid else source
