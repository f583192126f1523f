"""What an onlooker is shown of assets: which items, which fields, and where on the map.

Visibility is decided by ``audience.can_see_asset`` only. A person's item (an offer, a story,
an active resident, or anything tied to an address) is shown by first name only and drawn at
its unit's label point, never at the dwelling; private fields (dwelling id, e-mail, link hash)
never leave this module. Professionals' reads of pending and person items are audit-logged.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import pandas as pd

from veerkracht.community.audience import Onlooker, area_codes_of, can_see_asset
from veerkracht.community.rules import PERSON_KINDS, status_of
from veerkracht.domain.assets import AssetKind
from veerkracht.storage import Store
from veerkracht.storage import assets as asset_store
from veerkracht.storage import audit as audit_store
from veerkracht.storage import units as unit_store

#: Fields anybody allowed to see an item may see.
SHOWN_FIELDS = (
    "asset_id",
    "kind",
    "name",
    "description",
    "first_name",
    "visibility",
    "status",
    "opening_hours",
    "level",
    "unit_key",
    "confirmed_at",
)
#: Extra fields for professionals (never the dwelling, the e-mail address or the link hash).
PROFESSIONAL_FIELDS = ("origin", "created_at", "created_by", "moderated_by", "moderation_note")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a frame as dicts with None for missing values (NaN, NaT)."""
    out = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{str(k): v for k, v in row.items()} for row in out]


def items_in_unit(store: Store, *, level: str | None, key: str | None) -> list[dict[str, Any]]:
    """Every asset (any status) tied to the unit or to a smaller unit inside it; all without one."""
    if level is None or key is None:
        return records(asset_store.read_assets(store))
    if level == "entrance":
        return records(asset_store.read_assets(store, entrance_key=key))
    if level == "building":
        entrances = unit_store.read_units(store, "entrance", parent_key=key, with_geometry=False)
        inside = set(entrances["key"]) if len(entrances) else set()
        rows = records(asset_store.read_assets(store, entrance_keys=sorted(inside)))
        return rows
    if level == "block":
        return records(asset_store.read_assets(store, block_key=key))
    if level == "street":
        return records(asset_store.read_assets(store, street_key=key))
    if level == "neighbourhood":
        return records(asset_store.read_assets(store, neighbourhood_code=key))
    rows = records(asset_store.read_assets(store))
    return [r for r in rows if key in area_codes_of(r.get("neighbourhood_code"))]


def visible(rows: list[dict[str, Any]], onlooker: Onlooker) -> list[dict[str, Any]]:
    """The rows this onlooker may see."""
    return [row for row in rows if can_see_asset(onlooker, row)]


def kind_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Approved items per kind, whatever their audience: counting is not naming."""
    counted = Counter(str(row["kind"]) for row in rows if status_of(row).value == "approved")
    return {kind.value: counted.get(kind.value, 0) for kind in AssetKind}


def is_person_item(row: dict[str, Any]) -> bool:
    """True for an item of a person: shown by first name, drawn at its unit's label point."""
    return row.get("kind") in PERSON_KINDS or bool(row.get("dwelling_id"))


def shown_item(row: dict[str, Any], onlooker: Onlooker) -> dict[str, Any]:
    """The fields of one visible item this onlooker may see."""
    fields = SHOWN_FIELDS + (PROFESSIONAL_FIELDS if onlooker.is_professional else ())
    out = {field: row.get(field) for field in fields}
    out["person"] = is_person_item(row)
    out["status"] = status_of(row).value
    return out


def map_points(
    store: Store, rows: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], tuple[float, float]]]:
    """Each item with the RD point to draw it at; a person's item at its unit's label point
    (left out when that unit is unknown), any other item at its own point."""
    units = asset_store.read_label_points(
        store, [(str(r.get("level")), str(r.get("unit_key"))) for r in rows if is_person_item(r)]
    )
    out = []
    for row in rows:
        if is_person_item(row):
            point = units.get((str(row.get("level")), str(row.get("unit_key"))))
            if point is None:
                continue
        else:
            point = (float(row["x"]), float(row["y"]))
        out.append((row, point))
    return out


def audit_reads(
    store: Store, onlooker: Onlooker, rows: list[dict[str, Any]], *, action: str, now: datetime
) -> int:
    """Log a professional's read of pending items and items of persons (NEN 7513 style)."""
    if not onlooker.is_professional:
        return 0
    sensitive = [
        str(r["asset_id"]) for r in rows if status_of(r).value == "pending" or is_person_item(r)
    ]
    return audit_store.append_audit(
        store,
        actor=onlooker.viewer.name or onlooker.viewer.role,
        action=action,
        record_type="asset",
        record_ids=sensitive,
        now=now,
    )
