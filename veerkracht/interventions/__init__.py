"""Interventions that fit a place: the catalogue (data), its conditions and suggestions per unit.

The catalogue lives in ``catalogue/*.toml`` (one file per terrain); ``load_catalogue`` reads and
validates it, ``suggest`` ranks the interventions whose conditions match a unit's profile.
"""

from veerkracht.interventions.catalogue import (
    Catalogue,
    CatalogueError,
    Intervention,
    load_catalogue,
    load_catalogue_file,
)
from veerkracht.interventions.conditions import Check, Condition, check_condition
from veerkracht.interventions.suggest import Suggestion, read_unit_profile, suggest
from veerkracht.interventions.unit_profile import NearbyAsset, UnitProfile

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Check",
    "Condition",
    "Intervention",
    "NearbyAsset",
    "Suggestion",
    "UnitProfile",
    "check_condition",
    "load_catalogue",
    "load_catalogue_file",
    "read_unit_profile",
    "suggest",
]
