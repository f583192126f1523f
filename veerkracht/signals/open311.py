"""Open311 GeoReport v2 for the non-sensitive categories (a worry about a person never appears).

Published per request: id, service, status open/closed, public notes, agency, dates and a
location rounded to about 100 m. Not published: the description, the address, contact details.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from pyproj import Transformer

from veerkracht.domain.signals import BY_CODE, CATEGORIES, CLOSED_STATES, GROUPS, Category

_TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
#: Decimal places of published coordinates (3 ≈ 100 m): blurred, never a front door.
PUBLIC_DECIMALS = 3


def public_services() -> list[Category]:
    """The categories Open311 offers: every one that is not a worry about a person."""
    return [c for c in CATEGORIES if c.public]


def service_view(category: Category, translate: Any) -> dict[str, Any]:
    """One service as GeoReport v2 describes it."""
    return {
        "service_code": category.code,
        "service_name": translate(category.label),
        "description": translate(category.hint),
        "metadata": False,
        "type": "realtime",
        "keywords": category.group,
        "group": translate(GROUPS[category.group]),
    }


def request_view(
    signal: dict[str, Any], *, teams: dict[str, str], notes: list[str], translate: Any
) -> dict[str, Any]:
    """One request as GeoReport v2 describes it (only for public categories)."""
    category = BY_CODE[signal["category"]]
    assert category.public, "a worry about a person is never published"
    long, lat = _TO_WGS84.transform(signal["x"], signal["y"])
    return {
        "service_request_id": signal["signal_id"],
        "status": "closed" if signal["status"] in CLOSED_STATES else "open",
        "status_notes": notes[-1] if notes else None,
        "service_name": translate(category.label),
        "service_code": category.code,
        "agency_responsible": teams.get(signal.get("team_id") or ""),
        "requested_datetime": _iso(signal["created_at"]),
        "updated_datetime": _iso(signal.get("updated_at") or signal["created_at"]),
        "expected_datetime": _iso(signal.get("deadline_at")),
        "lat": round(lat, PUBLIC_DECIMALS),
        "long": round(long, PUBLIC_DECIMALS),
    }


def to_xml(root_name: str, item_name: str, items: list[dict[str, Any]]) -> bytes:
    """GeoReport's XML form: <services><service>…</service></services> and the like."""
    root = ET.Element(root_name)
    for item in items:
        node = ET.SubElement(root, item_name)
        for key, value in item.items():
            child = ET.SubElement(node, key)
            child.text = (
                ""
                if value is None
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
    body = ET.tostring(root, encoding="unicode").encode("utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>' + body


def _iso(moment: Any) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")
