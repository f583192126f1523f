"""Dutch street names and area names for Demostad (fictional)."""

from __future__ import annotations

STORY_STREET = "Kersenboomstraat"

STREET_STEMS: tuple[str, ...] = (
    "Linden",
    "Eiken",
    "Beuken",
    "Wilgen",
    "Populieren",
    "Essen",
    "Iepen",
    "Kastanje",
    "Berken",
    "Platanen",
    "Acacia",
    "Magnolia",
    "Jasmijn",
    "Hazelaar",
    "Vlier",
    "Meidoorn",
    "Lijsterbes",
    "Hulst",
    "Taxus",
    "Rozen",
    "Tulpen",
    "Narcissen",
    "Krokus",
    "Seringen",
    "Goudsbloem",
    "Zonnebloem",
    "Lavendel",
    "Klaver",
    "Distel",
    "Rembrandt",
    "Vermeer",
    "Frans Hals",
    "Jan Steen",
    "Mondriaan",
    "Breitner",
    "Israëls",
    "Mesdag",
    "Maris",
    "Appel",
    "Peren",
    "Pruimen",
    "Walnoot",
    "Esdoorn",
    "Sparren",
    "Dennen",
    "Ceder",
    "Merel",
    "Lijster",
    "Spreeuw",
    "Vink",
    "Mees",
    "Zwaluw",
    "Reiger",
    "Kievit",
    "Leeuwerik",
    "Specht",
    "Wielewaal",
    "Roodborst",
    "Nachtegaal",
    "Ijsvogel",
)
STREET_SUFFIXES: tuple[str, ...] = (
    "straat",
    "laan",
    "weg",
    "hof",
    "kade",
    "singel",
    "dreef",
    "plein",
)

NEIGHBOURHOOD_NAMES: tuple[str, ...] = (
    "Bloemenbuurt",
    "Bomenbuurt",
    "Schildersbuurt",
    "Vogelbuurt",
    "Fruitbuurt",
    "Parkwijk-Noord",
    "Parkwijk-Zuid",
    "Oude Dorp",
    "Molenkwartier",
    "Havenbuurt",
    "Sluiseiland",
    "Kanaalzone",
    "Tuinstad",
    "Zonnehoek",
    "Vaartbuurt",
    "Dijkzicht",
)
DISTRICT_NAMES: tuple[str, ...] = (
    "Demostad-West",
    "Demostad-Oost",
    "Demostad-Noord",
    "Demostad-Zuid",
    "Centrum",
    "Buitenveld",
    "Waterkant",
    "Heuvelrand",
)
MUNICIPALITY_NAME = "Demostad"
MUNICIPALITY_CODE = "GM9999"


def street_name(index: int) -> str:
    """The index-th street name: stems × suffixes, with a number once the list runs out."""
    stem = STREET_STEMS[index % len(STREET_STEMS)]
    suffix = STREET_SUFFIXES[(index // len(STREET_STEMS)) % len(STREET_SUFFIXES)]
    round_ = index // (len(STREET_STEMS) * len(STREET_SUFFIXES))
    name = f"{stem}{suffix}" if " " not in stem else f"{stem}{suffix}"
    return name if round_ == 0 else f"{name} {round_ + 1}"


def area_name(names: tuple[str, ...], index: int) -> str:
    """An area name; a number is added once the list runs out."""
    base = names[index % len(names)]
    round_ = index // len(names)
    return base if round_ == 0 else f"{base} {round_ + 1}"
