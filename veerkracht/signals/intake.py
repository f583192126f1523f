"""Intake: check what a resident or professional submits, place it, route it, store it once.

A retried submission (same submission key) is stored once and gets the same receipt: the
personal link token is derived from the key, so it can be shown again without being stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pyproj import Transformer

from veerkracht.domain.signals import (
    BY_CODE,
    MAX_DESCRIPTION,
    MAX_EMAIL,
    MAX_NAME,
    MAX_PHONE,
    SignalState,
)
from veerkracht.domain.text_input import check_text
from veerkracht.signals.errors import IntakeRejected
from veerkracht.signals.photos import delete_photo, image_extension, save_photo
from veerkracht.signals.routing import route
from veerkracht.signals.tokens import follow_token, new_signal_id, new_token, token_hash
from veerkracht.storage import Store
from veerkracht.storage import accounts as account_store
from veerkracht.storage import signals as signal_store

_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_PHONE = re.compile(r"^[0-9 +()\-]{6,}$")
_ADDRESS = re.compile(
    r"^\s*(?P<street>.*?[^\d\s])\s+(?P<number>\d+)\s*(?P<rest>[A-Za-z0-9\- ]*)\s*$"
)
_KEY = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")


@dataclass
class Intake:
    """What a reporter submits. Place: ``dwelling_id``, or ``address`` text, or ``lat``/``long``."""

    category: Any
    description: Any
    dwelling_id: Any = None
    address: Any = None
    lat: Any = None
    long: Any = None
    contact_name: Any = None
    contact_email: Any = None
    contact_phone: Any = None
    photo: bytes | None = None
    submission_key: Any = None
    source: str = "web"


@dataclass(frozen=True)
class Receipt:
    """What the reporter gets back: the reference, the personal link token and what happens."""

    signal_id: str
    follow_token: str
    category: str
    person: bool
    created: bool  # False when this was a retry of a stored submission
    verify_token: str | None = None  # to mail to the reporter (only when newly created)
    contact_email: str | None = None


def submit_signal(
    store: Store,
    intake: Intake,
    *,
    secret: str,
    workspace: Path,
    now: datetime,
    photo_max_bytes: int = 5_000_000,
) -> Receipt:
    """Check, place, route and store a signal once; IntakeRejected lists every wrong field."""
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    fields = _check_fields(intake, errors, photo_max_bytes)
    place = _place(store, intake, errors)
    if errors:
        raise IntakeRejected(errors)
    key = fields["submission_key"] or new_token()
    existing = signal_store.read_signal_by(store, "submission_key", key)
    if existing is not None:
        return _receipt(existing, secret, key, created=False)
    row = _row(store, fields, place, key=key, secret=secret, now=now)
    verify = new_token() if row["contact_email"] else None
    row["verify_hash"] = token_hash(verify) if verify else None
    if intake.photo:
        row["photo"] = save_photo(workspace, row["signal_id"], intake.photo)
    history = {
        "at": now,
        "actor": "reporter",
        "action": "created",
        "from_state": None,
        "to_state": SignalState.SUBMITTED.value,
        "note": None,
        "public": True,
    }
    if not signal_store.insert_signal(store, row, history):
        delete_photo(workspace, row.get("photo"))
        stored = signal_store.read_signal_by(store, "submission_key", key)
        assert stored is not None
        return _receipt(stored, secret, key, created=False)
    return _receipt(row, secret, key, created=True, verify=verify)


def wgs84_to_rd(lat: float, long: float) -> tuple[float, float]:
    """RD New (x, y) of a WGS84 point."""
    x, y = _TO_RD.transform(long, lat)
    return float(x), float(y)


def address_label(d: dict[str, Any]) -> str:
    """``Kersenboomstraat 12A-2`` from an address row."""
    number = f"{d['house_number']}{d.get('house_letter') or ''}"
    suffix = f"-{d['house_suffix']}" if d.get("house_suffix") else ""
    return f"{d['street_name']} {number}{suffix}"


def _receipt(
    row: dict[str, Any], secret: str, key: str, *, created: bool, verify: str | None = None
) -> Receipt:
    return Receipt(
        signal_id=row["signal_id"],
        follow_token=follow_token(secret, key),
        category=row["category"],
        person=BY_CODE[row["category"]].person,
        created=created,
        verify_token=verify,
        contact_email=row.get("contact_email") if created else None,
    )


def _row(
    store: Store,
    fields: dict[str, Any],
    place: dict[str, Any],
    *,
    key: str,
    secret: str,
    now: datetime,
) -> dict[str, Any]:
    codes = {
        place[k]
        for k in ("neighbourhood_code", "district_code", "municipality_code")
        if place.get(k)
    }
    team_id, assignee = route(
        account_store.read_routing_rules(store),
        category=fields["category"],
        area_codes=codes,
        hour=now.hour,
    )
    category = BY_CODE[fields["category"]]
    return {
        "signal_id": new_signal_id(),
        "category": category.code,
        "created_at": now,
        "updated_at": now,
        "status": SignalState.SUBMITTED.value,
        "description": fields["description"],
        "x": place["x"],
        "y": place["y"],
        "source": fields["source"],
        "submission_key": key,
        "follow_hash": token_hash(follow_token(secret, key)),
        "dwelling_id": place.get("dwelling_id"),
        "address": place.get("address"),
        "block_key": place.get("block_key"),
        "street_key": place.get("street_key"),
        "neighbourhood_code": place.get("neighbourhood_code"),
        "district_code": place.get("district_code"),
        "municipality_code": place.get("municipality_code"),
        "team_id": team_id,
        "assignee": assignee,
        "deadline_at": now + timedelta(days=category.target_days),
        "contact_name": fields["contact_name"],
        "contact_email": fields["contact_email"],
        "contact_phone": fields["contact_phone"],
        "contact_verified": False if fields["contact_email"] else None,
    }


def _check_fields(intake: Intake, errors: dict[str, Any], photo_max: int) -> dict[str, Any]:
    out: dict[str, Any] = {"source": intake.source}
    category = _text(intake.category, "category", 40, errors)
    if category is not None and category not in BY_CODE:
        errors["category"] = ("Choose one of the kinds of signal.", {})
    out["category"] = category
    description = _text(intake.description, "description", MAX_DESCRIPTION, errors, markup=True)
    if "description" not in errors and (description is None or len(description) < 5):
        errors["description"] = ("Describe what is going on in at least 5 characters.", {})
    out["description"] = description
    out["contact_name"] = _text(intake.contact_name, "contact_name", MAX_NAME, errors, markup=True)
    email = _text(intake.contact_email, "contact_email", MAX_EMAIL, errors)
    if email and not _EMAIL.match(email):
        errors["contact_email"] = ("This is not an e-mail address, e.g. naam@voorbeeld.nl.", {})
    out["contact_email"] = email
    phone = _text(intake.contact_phone, "contact_phone", MAX_PHONE, errors)
    if phone and not _PHONE.match(phone):
        errors["contact_phone"] = ("A phone number has only digits, spaces, + and -.", {})
    out["contact_phone"] = phone
    key = _text(intake.submission_key, "submission_key", 64, errors)
    if key and not _KEY.match(key):
        errors["submission_key"] = ("The form is not complete. Reload the page.", {})
    out["submission_key"] = key
    if intake.photo:
        if len(intake.photo) > photo_max:
            errors["photo"] = (
                "The photo is too large: at most %(mb)s MB.",
                {"mb": photo_max // 1_000_000},
            )
        elif image_extension(intake.photo) is None:
            errors["photo"] = (
                "This file is not a photo. Choose a JPEG, PNG, GIF or WebP image.",
                {},
            )
    return out


def _text(
    value: Any, field: str, limit: int, errors: dict[str, Any], *, markup: bool = False
) -> str | None:
    return check_text(value, field, errors, maximum=limit, markup=markup)


def _place(store: Store, intake: Intake, errors: dict[str, Any]) -> dict[str, Any]:
    """Where it is: the chosen address, a typed address, or a point on the map; in the area."""
    if intake.dwelling_id not in (None, ""):
        found = signal_store.read_dwelling(store, str(intake.dwelling_id))
        if found is None:
            errors["address"] = ("We do not know this address. Choose one from the list.", {})
            return {}
        return _from_dwelling(found)
    if isinstance(intake.address, str) and intake.address.strip():
        return _from_address(store, intake.address, errors)
    if intake.lat in (None, "") or intake.long in (None, ""):
        errors["address"] = ("Give an address or choose a place on the map.", {})
        return {}
    try:
        lat, long = float(intake.lat), float(intake.long)
    except (TypeError, ValueError):
        errors["address"] = ("The place on the map is not a number.", {})
        return {}
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        errors["address"] = ("This place lies outside the area.", {})
        return {}
    x, y = wgs84_to_rd(lat, long)
    located = signal_store.locate_point(store, x, y)
    if located is None:
        errors["address"] = ("This place lies outside the area.", {})
        return {}
    nearest = located["dwelling"]
    place = {
        "x": x,
        "y": y,
        **{k: located[k] for k in ("neighbourhood_code", "district_code", "municipality_code")},
    }
    if nearest is not None:
        place.update(
            dwelling_id=nearest["dwelling_id"],
            address="± " + address_label(nearest),
            block_key=nearest["block_key"],
            street_key=nearest["street_key"],
        )
    return place


def _from_address(store: Store, text: str, errors: dict[str, Any]) -> dict[str, Any]:
    if len(text) > 200:
        errors["address"] = ("This text is too long: at most %(limit)s characters.", {"limit": 200})
        return {}
    match = _ADDRESS.match(text)
    if match is None:
        errors["address"] = ("Write a street and house number, e.g. Lindenstraat 12.", {})
        return {}
    rest = match["rest"].replace(" ", "").upper()
    candidates = signal_store.find_addresses(
        store, match["street"].strip(), int(match["number"]), limit=50
    )
    exact = [
        c
        for c in candidates
        if f"{c.get('house_letter') or ''}{c.get('house_suffix') or ''}".upper().replace("-", "")
        == rest.replace("-", "")
    ]
    chosen = exact or ([candidates[0]] if candidates and not rest else [])
    if not chosen:
        errors["address"] = ("We cannot find this address in the area.", {})
        return {}
    return _from_dwelling(chosen[0])


def _from_dwelling(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "x": d["x"],
        "y": d["y"],
        "dwelling_id": d["dwelling_id"],
        "address": address_label(d),
        "block_key": d["block_key"],
        "street_key": d["street_key"],
        "neighbourhood_code": d["neighbourhood_code"],
        "district_code": d["district_code"],
        "municipality_code": d["municipality_code"],
    }
