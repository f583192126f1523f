"""BAG vocabulary as data: statuses that mean "exists", field-name variants, plausible values.

Shared by the LV-BAG XML reader (``bag_lvbag``) and the GeoPackage reader (``bag_gpkg``).
"""

from __future__ import annotations

import datetime as _dt

SOURCE = "bag"
LICENCE = "BAG: publiek domein (CC0), Kadaster"

#: Pand statuses that mean the building stands (``in_use``); all others overlap existing panden.
BUILDING_IN_USE: frozenset[str] = frozenset(
    {
        "Pand in gebruik",
        "Pand in gebruik (niet ingemeten)",
        "Verbouwing pand",
        "Sloopvergunning verleend",
    }
)

#: Verblijfsobject statuses that mean the dwelling exists.
DWELLING_IN_USE: frozenset[str] = frozenset(
    {
        "Verblijfsobject in gebruik",
        "Verblijfsobject in gebruik (niet ingemeten)",
        "Verbouwing verblijfsobject",
    }
)

#: The gebruiksdoel that makes a verblijfsobject a dwelling.
DWELLING_PURPOSE = "woonfunctie"

#: Construction years outside this range are placeholders (9999) or typing errors → missing.
MIN_CONSTRUCTION_YEAR = 1000
MAX_CONSTRUCTION_YEAR = _dt.date.today().year + 10

#: The Netherlands in RD New (EPSG:28992), metres: (min x, min y, max x, max y).
RD_BOUNDS: tuple[float, float, float, float] = (0.0, 289_000.0, 300_000.0, 629_000.0)

#: GeoPackage field names (lower case) → canonical names. The first name present wins, so the
#: PDOK bag-light names come before the OGC-API-style names of the same meaning.
ADDRESS_FIELDS: dict[str, str] = {
    "identificatie": "dwelling_id",
    "nummer_id": "dwelling_id",
    "pand_identificatie": "building_id",
    "pandidentificatie": "building_id",
    "openbare_ruimte_naam": "street_name",
    "openbareruimtenaam": "street_name",
    "straatnaam": "street_name",
    "huisnummer": "house_number",
    "huisletter": "house_letter",
    "toevoeging": "house_suffix",
    "huisnummertoevoeging": "house_suffix",
    "postcode": "postcode",
    "woonplaats_naam": "city",
    "woonplaatsnaam": "city",
    "woonplaats": "city",
    "oppervlakte": "floor_area_m2",
    "status": "status",
    "verblijfsobjectstatus": "status",
    "gebruiksdoel": "purpose",
    "gebruiksdoelverblijfsobject": "purpose",
    "type": "object_type",
    "eindgeldigheid": "end_date",
    "datum_eind": "end_date",
}

#: GeoPackage pand layer field names (lower case) → canonical names.
BUILDING_FIELDS: dict[str, str] = {
    "identificatie": "building_id",
    "pand_identificatie": "building_id",
    "bouwjaar": "construction_year",
    "oorspronkelijkbouwjaar": "construction_year",
    "oorspronkelijk_bouwjaar": "construction_year",
    "status": "status",
    "pandstatus": "status",
    "eindgeldigheid": "end_date",
    "datum_eind": "end_date",
}

#: Layer names per role, in order of preference (PDOK bag-light first, then OGC-API style).
ADDRESS_LAYERS = ("verblijfsobject", "verblijfsobjecten")
BUILDING_LAYERS = ("pand", "panden")
BERTH_LAYERS = ("ligplaats", "ligplaatsen")
PITCH_LAYERS = ("standplaats", "standplaatsen")
