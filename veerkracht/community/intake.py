"""Check what a resident or professional submits as an asset, and find the unit it belongs to.

The unit is found by address (postcode and house number, matched to a stored dwelling: the
item takes that dwelling's entrance, block, street and buurt keys and keeps the dwelling id
private) or, for places, by a point on the map. Every wrong field is reported at once, each as
an English msgid with values (translated at the edge).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from veerkracht.community.audience import Audience, first_name_only
from veerkracht.community.rules import ITEM_LEVELS, PERSON_KINDS, AssetRejected
from veerkracht.domain.assets import AssetKind
from veerkracht.domain.text_input import check_text
from veerkracht.signals.intake import wgs84_to_rd
from veerkracht.storage import Store
from veerkracht.storage import assets as asset_store
from veerkracht.storage import signals as signal_store

MAX_TITLE = 80
MAX_DESCRIPTION = 1000
MAX_FIRST_NAME = 30
MAX_OPENING_HOURS = 200
MAX_EMAIL = 254

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")
_HOUSE = re.compile(r"^\s*(\d{1,5})\s*[-\s]?\s*([A-Za-z0-9\-]{0,8})\s*$")
#: What looks like an address in a person's text: a postcode, or a street name with a number.
_ADDRESS_LIKE = re.compile(
    r"\b[1-9][0-9]{3}\s?[A-Za-z]{2}\b"
    r"|\b\w+(straat|laan|weg|plein|gracht|kade|singel|hof|dreef|pad|steeg|park|erf)\s+\d+",
    re.IGNORECASE,
)
_KEY = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")


@dataclass
class AssetIntake:
    """What is submitted. Place: ``postcode`` + ``house_number``, or ``lat``/``long`` (places)."""

    kind: Any
    title: Any
    description: Any = None
    first_name: Any = None
    audience: Any = Audience.PUBLIC.value
    consent: Any = False
    postcode: Any = None
    house_number: Any = None
    lat: Any = None
    long: Any = None
    level: Any = "block"
    opening_hours: Any = None
    contact_email: Any = None
    submission_key: Any = None


Errors = dict[str, tuple[str, dict[str, Any]]]


def check_intake(store: Store, intake: AssetIntake) -> tuple[dict[str, Any], dict[str, Any]]:
    """The checked fields and the place; AssetRejected naming every wrong field."""
    errors: Errors = {}
    fields = _fields(intake, errors)
    place = _place(store, intake, fields.get("kind"), errors)
    if not errors:
        _tie_to_unit(fields, place, errors)
    if errors:
        raise AssetRejected(errors)
    return fields, place


def _fields(intake: AssetIntake, errors: Errors) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kind = _text(intake.kind, "kind", 30, errors)
    if kind not in {k.value for k in AssetKind}:
        errors["kind"] = ("Choose what you want to add.", {})
    out["kind"] = kind
    person = kind in PERSON_KINDS
    title = _text(intake.title, "title", MAX_TITLE, errors, markup=True, person=person)
    if "title" not in errors and (title is None or len(title) < 3):
        errors["title"] = ("Give a short title of at least 3 characters.", {})
    out["name"] = title
    out["description"] = _text(
        intake.description, "description", MAX_DESCRIPTION, errors, markup=True, person=person
    )
    first = _text(intake.first_name, "first_name", MAX_FIRST_NAME, errors, markup=True)
    out["first_name"] = first_name_only(first) or None
    if kind in (AssetKind.GIFT, AssetKind.ACTIVE_RESIDENT) and not out["first_name"]:
        errors["first_name"] = ("Give your first name, so neighbours know who offers this.", {})
    audience = _text(intake.audience, "audience", 20, errors) or Audience.PUBLIC.value
    if kind == AssetKind.ACTIVE_RESIDENT:
        audience = Audience.PROFESSIONAL.value  # counted, never named in public
    if audience not in {a.value for a in Audience}:
        errors["audience"] = ("Choose who may see this.", {})
    out["visibility"] = audience
    if intake.consent not in (True, "1", "on", "yes", "true"):
        errors["consent"] = ("Tick the box to agree that we show this as you chose.", {})
    level = _text(intake.level, "level", 20, errors) or "block"
    if level not in ITEM_LEVELS:
        errors["level"] = ("Choose the portiek, block, street or neighbourhood.", {})
    out["level"] = level
    out["opening_hours"] = _text(
        intake.opening_hours, "opening_hours", MAX_OPENING_HOURS, errors, markup=True
    )
    email = _text(intake.contact_email, "contact_email", MAX_EMAIL, errors)
    if email and not _EMAIL.match(email):
        errors["contact_email"] = ("This is not an e-mail address, e.g. naam@voorbeeld.nl.", {})
    out["contact_email"] = email
    key = _text(intake.submission_key, "submission_key", 64, errors)
    if key and not _KEY.match(key):
        errors["submission_key"] = ("The form is not complete. Reload the page.", {})
    out["submission_key"] = key
    return out


def _text(
    value: Any,
    field: str,
    limit: int,
    errors: Errors,
    *,
    markup: bool = False,
    person: bool = False,
) -> str | None:
    text = check_text(value, field, errors, maximum=limit, markup=markup)
    if text and person and _ADDRESS_LIKE.search(text):
        errors[field] = (
            "Leave out addresses, postcodes and house numbers: we show your first name only.",
            {},
        )
        return None
    return text


def _place(store: Store, intake: AssetIntake, kind: str | None, errors: Errors) -> dict[str, Any]:
    """The dwelling at the postcode and number given, or the point on the map (not for people)."""
    postcode, number = _blank(intake.postcode), _blank(intake.house_number)
    if postcode or number:
        return _at_address(store, postcode, number, errors)
    if _blank(intake.lat) and _blank(intake.long):
        if kind in PERSON_KINDS:
            errors["postcode"] = ("Give your postcode and house number.", {})
            return {}
        return _at_point(store, intake.lat, intake.long, errors)
    errors["postcode"] = ("Give a postcode and house number.", {})
    return {}


def _at_address(store: Store, postcode: str, number: str, errors: Errors) -> dict[str, Any]:
    code = _POSTCODE.match(postcode)
    house = _HOUSE.match(number)
    if code is None:
        errors["postcode"] = ("Write a postcode as 4 digits and 2 letters, e.g. 1234 AB.", {})
    if house is None:
        errors["house_number"] = ("Write a house number, e.g. 12 or 12A.", {})
    if code is None or house is None:
        return {}
    found = asset_store.find_dwellings_at(store, (code[1] + code[2]).upper(), int(house[1]))
    extra = house[2].replace("-", "").upper()
    exact = [
        d
        for d in found
        if f"{d.get('house_letter') or ''}{d.get('house_suffix') or ''}".upper() == extra
    ]
    chosen = exact or found
    if not chosen:
        errors["postcode"] = ("We cannot find this address in the area.", {})
        return {}
    return {**chosen[0], "located_by": "address"}


def _at_point(store: Store, lat: Any, long: Any, errors: Errors) -> dict[str, Any]:
    try:
        x, y = wgs84_to_rd(float(lat), float(long))
    except (TypeError, ValueError):
        errors["lat"] = ("The place on the map is not a number.", {})
        return {}
    located = signal_store.locate_point(store, x, y, radius_m=150.0)
    if located is None:
        errors["lat"] = ("This place lies outside the area.", {})
        return {}
    near = located["dwelling"]
    place: dict[str, Any] = {
        "x": x,
        "y": y,
        "dwelling_id": None,
        "neighbourhood_code": located["neighbourhood_code"],
        "located_by": "point",
    }
    if near is not None:
        keys = asset_store.read_dwelling_place(store, near["dwelling_id"]) or {}
        for column in ("entrance_key", "block_key", "street_key"):
            place[column] = keys.get(column)
    return place


def _tie_to_unit(fields: dict[str, Any], place: dict[str, Any], errors: Errors) -> None:
    """The unit key at the chosen level; a place far from any dwelling belongs to its buurt."""
    level = fields["level"]
    key = place.get(ITEM_LEVELS[level])
    if key is None and place.get("located_by") == "point":
        level, key = "neighbourhood", place.get("neighbourhood_code")
    if key is None:
        errors["level"] = ("This address has no %(level)s. Choose a larger area.", {"level": level})
        return
    fields["level"], fields["unit_key"] = level, key


def _blank(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))
