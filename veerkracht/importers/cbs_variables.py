"""CBS vocabulary as data: sentinel values, field-name variants and English variable names.

Shared by the Wijk- en Buurtkaart reader (``cbs_buurtkaart``) and the StatLine reader
(``cbs_statline``).
"""

from __future__ import annotations

import re
from pathlib import Path

LICENCE = "CC BY 4.0 — Bron: CBS"
SOURCE_BUURTKAART = "cbs-buurtkaart"
SOURCE_KERNCIJFERS = "cbs-kerncijfers"

#: CBS sentinel values and what they mean (REFERENCE.md).
SENTINELS: dict[int, str] = {
    -99997: "secret",
    -99995: "not_yet_published",
    -99991: "no_longer_published",
}
#: StatLine CSV markers for "no figure".
STATLINE_MISSING: dict[str, str] = {".": "secret", "x": "secret", "": "empty"}

LEVEL_BY_PREFIX: dict[str, str] = {"BU": "neighbourhood", "WK": "district", "GM": "municipality"}

#: Attribute names (lower case) per meaning, for each kind of area layer; first found wins.
AREA_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "neighbourhood": {
        "code": ("buurtcode", "bu_code", "cbscode", "statcode"),
        "name": ("buurtnaam", "bu_naam", "naam", "statnaam"),
        "parent_code": ("wijkcode", "wk_code"),
    },
    "district": {
        "code": ("wijkcode", "wk_code", "statcode"),
        "name": ("wijknaam", "wk_naam", "statnaam"),
        "parent_code": ("gemeentecode", "gm_code"),
    },
    "municipality": {
        "code": ("gemeentecode", "gm_code", "statcode"),
        "name": ("gemeentenaam", "gm_naam", "statnaam"),
        "parent_code": (),
    },
}
NAME_FIELDS = {"district": ("wijknaam", "wk_naam"), "municipality": ("gemeentenaam", "gm_naam")}
CODE_FIELDS = {"district": ("wijkcode", "wk_code"), "municipality": ("gemeentecode", "gm_code")}

#: Numeric attributes that are identifiers or codes, not figures.
NOT_STATISTICS = frozenset(
    {
        "jaar",
        "jrstatcode",
        "indelingswijziging_wijken_en_buurten",
        "water",
        "id",
        "fid",
        "objectid",
        "volgnummer",
        "shape_area",
        "shape_length",
        "meest_voorkomende_postcode",
    }
)
#: Topics not imported at all (DESIGN: no migration-background indicators).
EXCLUDED_TOPICS = ("herkomst", "migratieachtergrond", "westers", "allochto")

#: CBS names (buurtkaart snake_case, and StatLine names without their ``_NN`` suffix or unit,
#: cleaned to snake_case) → the English variable name used everywhere after the importer.
CBS_VARIABLES: dict[str, str] = {
    "aantal_inwoners": "inhabitants",
    "bevolkingsdichtheid_inwoners_per_km2": "inhabitants_per_km2",
    "bevolkingsdichtheid": "inhabitants_per_km2",
    "aantal_huishoudens": "households",
    "huishoudens_totaal": "households",
    "particuliere_huishoudens": "private_households",
    "percentage_eenpersoonshuishoudens": "one_person_households_pct",
    "gemiddelde_huishoudsgrootte": "average_household_size",
    "woningvoorraad": "dwelling_stock",
    "gemiddelde_woningwaarde": "average_dwelling_value_keur",
    "percentage_koopwoningen": "owner_occupied_pct",
    "koopwoningen": "owner_occupied_pct",
    "percentage_huurwoningen": "rented_pct",
    "huurwoningen_totaal": "rented_pct",
    "perc_huurwoningen_in_bezit_woningcorporaties": "housing_corporation_owned_pct",
    "in_bezit_woningcorporatie": "housing_corporation_owned_pct",
    "perc_huurwoningen_in_bezit_overige_verhuurders": "other_landlord_owned_pct",
    "in_bezit_overige_verhuurders": "other_landlord_owned_pct",
    "percentage_eengezinswoning": "single_family_dwellings_pct",
    "percentage_meergezinswoning": "multi_family_dwellings_pct",
    "percentage_leegstand_woningen": "vacant_dwellings_pct",
    "gemiddeld_inkomen_per_inwoner": "average_income_per_inhabitant_keur",
    "percentage_huishoudens_met_laag_inkomen": "low_income_households_pct",
    "huishoudens_met_een_laag_inkomen": "low_income_households_pct",
    "percentage_huishoudens_onder_of_rond_sociaal_minimum": "households_at_social_minimum_pct",
    "huishoudens_onder_of_rond_sociaal_minimum": "households_at_social_minimum_pct",
    "aantal_personen_met_een_alg_bijstandsuitkering_tot": "social_assistance_recipients",
    "aantal_wmo_clienten": "wmo_clients",
    "wmo_clienten": "wmo_clients",
    "aantal_wmo_clienten_per_1000_inwoners": "wmo_clients_per_1000",
    "wmo_clienten_relatief": "wmo_clients_per_1000",
    "aantal_jongeren_met_jeugdzorg_in_natura": "youth_care_clients",
    "percentage_jongeren_met_jeugdzorg_in_natura": "youth_care_pct",
    "oppervlakte_totaal_in_ha": "area_total_ha",
    "oppervlakte_land_in_ha": "area_land_ha",
    "oppervlakte_water_in_ha": "area_water_ha",
    "omgevingsadressendichtheid": "address_density_per_km2",
    "stedelijkheid_adressen_per_km2": "urbanity_class",
    "opleidingsniveau_laag_waarde": "education_low_pct",
    "opleidingsniveau_middelbaar_waarde": "education_medium_pct",
    "opleidingsniveau_hoog_waarde": "education_high_pct",
    "ses_woa_totaalscore_gemiddelde_score": "ses_woa_score",
    "spreiding_spreiding_totaal_waarde": "ses_woa_spread",
}
#: StatLine columns that describe the region or period rather than hold a figure (cleaned).
STATLINE_DESCRIPTIVE = frozenset(
    {
        "id",
        "perioden",
        "wijken_en_buurten",
        "regiocode",
        "regio_s",
        "gemeentenaam",
        "soort_regio",
        "codering",
        "indelingswijziging_wijken_en_buurten",
        "meest_voorkomende_postcode",
        "regioaanduiding_gemeentenaam",
        "regioaanduiding_soort_regio",
        "regioaanduiding_codering",
    }
)


def variable_name(source_name: str) -> str:
    """The English variable for a CBS column name or StatLine title (else its cleaned name)."""
    cleaned = clean_name(source_name)
    return CBS_VARIABLES.get(cleaned, cleaned)


def clean_name(source_name: str) -> str:
    """``InBezitWoningcorporatie_42`` → ``in_bezit_woningcorporatie``; a title loses its units."""
    name = re.sub(r"\([^)]*\)", " ", source_name).strip()
    name = re.sub(r"_\d+$", "", name)
    if re.fullmatch(r"[A-Za-z0-9]+", name):
        name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def year_in_name(path: Path) -> int | None:
    """A year (1980–2099) in the file name, such as ``wijkenbuurten_2023.gpkg``, else None."""
    match = re.search(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)", path.name)
    return int(match.group(1)) if match else None
