"""Page data for assets: "wat is hier" on unit pages, the list and map layer of a unit, the
form, the resident's personal link page and the moderation list (HTML and JSON alike).

Which items an onlooker sees is decided by ``community.audience``; which fields, and where on
the map, by ``community.views``. Professionals' reads of pending and person items are audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

import shapely

from veerkracht.assessment.disclosure import disclose_count
from veerkracht.community import views
from veerkracht.community.assets import asset_for_link, is_stale
from veerkracht.community.audience import Audience, Onlooker, area_codes_of
from veerkracht.community.rules import ITEM_LEVELS, ActorKind, allowed_actions, status_of
from veerkracht.domain.assets import AssetKind
from veerkracht.domain.levels import Level
from veerkracht.errors import NotFound
from veerkracht.storage.engine import Store
from veerkracht.storage.units import read_unit
from veerkracht.web.errors import UnknownUnit
from veerkracht.web.geo import feature_collection
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_, level_word
from veerkracht.web.pages.initiatives import initiatives_here
from veerkracht.web.pages.models import AssetItem, KindCount, WhatIsHere
from veerkracht.web.pages.units import unit_ref

KIND_LABELS: dict[str, str] = {
    AssetKind.GIFT: N_("An offer of a resident"),
    AssetKind.ASSOCIATION: N_("An association or group"),
    AssetKind.INSTITUTION: N_("A facility (school, community centre, GP, library)"),
    AssetKind.PLACE: N_("A place (meeting place, bench, courtyard, playground)"),
    AssetKind.ECONOMY: N_("A shop or local business"),
    AssetKind.STORY: N_("A story about a place"),
    AssetKind.ACTIVE_RESIDENT: N_("Active resident (I do things for the neighbourhood)"),
}
SHORT_KIND_LABELS: dict[str, str] = {
    AssetKind.GIFT: N_("Offers"),
    AssetKind.ASSOCIATION: N_("Associations and groups"),
    AssetKind.INSTITUTION: N_("Facilities"),
    AssetKind.PLACE: N_("Places"),
    AssetKind.ECONOMY: N_("Shops and businesses"),
    AssetKind.STORY: N_("Stories"),
    AssetKind.ACTIVE_RESIDENT: N_("Active residents"),
}
AUDIENCE_LABELS: dict[str, str] = {
    Audience.PUBLIC: N_("Everybody"),
    Audience.BLOCK: N_("Residents of my block (and professionals)"),
    Audience.PROFESSIONAL: N_("Professionals only"),
}
ACTION_LABELS: dict[str, str] = {
    "approve": N_("Approve"),
    "reject": N_("Reject"),
    "withdraw": N_("Withdraw"),
    "confirm": N_("Still true"),
    "retire": N_("No longer there"),
}
STATUS_LABELS: dict[str, str] = {
    "pending": N_("Waiting for approval"),
    "approved": N_("Shown"),
    "rejected": N_("Not approved"),
    "withdrawn": N_("Withdrawn"),
    "retired": N_("No longer there"),
}
#: Order of the form's fields (for the error summary).
FIELDS = (
    "kind",
    "title",
    "description",
    "first_name",
    "postcode",
    "house_number",
    "lat",
    "level",
    "audience",
    "opening_hours",
    "contact_email",
    "consent",
    "submission_key",
)
#: How many items "wat is hier" lists before linking to the full list.
SHOWN_ON_UNIT_PAGE = 12


def asset_item(row: dict[str, Any], onlooker: Onlooker, *, now: datetime, months: int) -> AssetItem:
    """One visible item for the page (the caller checked that ``onlooker`` may see it)."""
    shown = views.shown_item(row, onlooker)
    return AssetItem(
        asset_id=str(shown["asset_id"]),
        kind=str(shown["kind"]),
        kind_label=_(KIND_LABELS.get(str(shown["kind"]), str(shown["kind"]))),
        title=str(shown["name"] or ""),
        description=shown["description"],
        first_name=shown["first_name"],
        opening_hours=shown["opening_hours"],
        audience=str(shown["visibility"] or Audience.PUBLIC.value),
        audience_label=_(AUDIENCE_LABELS.get(str(shown["visibility"] or "public"), "")),
        status=shown["status"],
        level=shown["level"],
        unit_key=shown["unit_key"],
        person=shown["person"],
        stale=is_stale(row, now=now, months=months),
        confirmed_at=shown["confirmed_at"],
    )


def build_what_is_here(
    store: Store, *, level: Level, key: str, onlooker: Onlooker, now: datetime, months: int
) -> WhatIsHere:
    """Counts per kind (active residents as a count only) and the items this onlooker may see."""
    rows = views.items_in_unit(store, level=level.value, key=key)
    counts = views.kind_counts(rows)
    shown = [
        r for r in views.visible(rows, onlooker) if r["kind"] != AssetKind.ACTIVE_RESIDENT.value
    ]
    shown.sort(key=lambda r: (status_of(r).value != "pending", str(r["kind"]), str(r["name"])))
    views.audit_reads(store, onlooker, shown[:SHOWN_ON_UNIT_PAGE], action="list", now=now)
    query = f"level={level.value}&key={key}"
    active, withheld = disclose_count(
        counts[AssetKind.ACTIVE_RESIDENT.value],
        level=level.value,
        viewer=onlooker.viewer,
        area_codes=set().union(*(area_codes_of(r["neighbourhood_code"]) for r in rows)),
    )
    kinds = [
        KindCount(kind=kind, label=_(SHORT_KIND_LABELS[kind]), count=n)
        for kind, n in counts.items()
        if kind != AssetKind.ACTIVE_RESIDENT.value
    ]
    return WhatIsHere(
        counts=kinds,
        total=sum(k.count for k in kinds) + (active or 0),
        active_residents=active,
        active_residents_withheld=withheld,
        items=[asset_item(r, onlooker, now=now, months=months) for r in shown[:SHOWN_ON_UNIT_PAGE]],
        more=max(0, len(shown) - SHOWN_ON_UNIT_PAGE),
        list_url=f"/assets?{query}",
        geojson_url=f"/api/assets?{query}",
        add_url="/assets/new",
        initiatives=initiatives_here(store, level=level.value, key=key, onlooker=onlooker),
    )


def build_asset_list(
    store: Store,
    *,
    level: Level | None,
    key: str | None,
    onlooker: Onlooker,
    now: datetime,
    months: int,
) -> dict[str, Any]:
    """Every item of a unit (or everywhere) this onlooker may see, with counts per kind."""
    unit = _unit(store, level, key)
    rows = views.items_in_unit(store, level=level.value if level else None, key=key)
    shown = views.visible(rows, onlooker)
    shown.sort(key=lambda r: (str(r["kind"]), str(r["name"]), str(r["asset_id"])))
    views.audit_reads(store, onlooker, shown, action="list", now=now)
    query = f"?level={level.value}&key={key}" if level and key else ""
    return {
        "unit": unit,
        "counts": [
            {"kind": k, "label": _(SHORT_KIND_LABELS[k]), "count": n}
            for k, n in views.kind_counts(rows).items()
        ],
        "items": [asset_item(r, onlooker, now=now, months=months) for r in shown],
        "professional": onlooker.is_professional,
        "geojson_url": f"/api/assets{query}",
        "json_url": f"/api/assets/list{query}",
    }


def build_asset_layer(
    store: Store, *, level: Level | None, key: str | None, onlooker: Onlooker, now: datetime
) -> dict[str, Any]:
    """The map layer (GeoJSON, WGS84): a person's item at its unit's label point, first names."""
    rows = views.visible(
        views.items_in_unit(store, level=level.value if level else None, key=key), onlooker
    )
    placed = views.map_points(store, rows)
    views.audit_reads(store, onlooker, [r for r, _p in placed], action="list", now=now)
    geoms = [shapely.Point(x, y) for _r, (x, y) in placed]
    properties = []
    for row, _point in placed:
        shown = views.shown_item(row, onlooker)
        properties.append(
            {
                "asset_id": shown["asset_id"],
                "kind": shown["kind"],
                "kind_label": _(SHORT_KIND_LABELS.get(str(shown["kind"]), "")),
                "title": shown["name"],
                "first_name": shown["first_name"],
                "opening_hours": shown["opening_hours"],
                "status": shown["status"],
                "person": shown["person"],
            }
        )
    return feature_collection(geoms, properties)


def build_asset_form(
    *, values: dict[str, Any], errors: dict[str, str], submission_key: str, on_behalf: bool
) -> dict[str, Any]:
    """The add form: kinds, audiences and levels with Dutch labels, the values and errors."""
    kinds = [k for k in AssetKind if on_behalf or k is not AssetKind.ACTIVE_RESIDENT]
    kinds += [AssetKind.ACTIVE_RESIDENT] if not on_behalf else []
    return {
        "kinds": [{"code": k.value, "label": _(KIND_LABELS[k])} for k in kinds],
        "audiences": [{"code": a.value, "label": _(AUDIENCE_LABELS[a])} for a in Audience],
        "levels": [{"code": lv, "label": level_word(lv)} for lv in ITEM_LEVELS],
        "values": {"audience": "public", "level": "block", **values},
        "errors": errors,
        "submission_key": submission_key,
        "on_behalf": on_behalf,
        "action": "/assets/on-behalf" if on_behalf else "/assets",
    }


def build_mine_page(store: Store, token: str, *, now: datetime, months: int) -> dict[str, Any]:
    """The resident's own item behind their personal link, what they can do, a freshness prompt."""
    row = asset_for_link(store, token)
    status = status_of(row)
    return {
        "item": {
            "asset_id": row["asset_id"],
            "kind": row["kind"],
            "kind_label": _(KIND_LABELS.get(str(row["kind"]), str(row["kind"]))),
            "title": row.get("name") or "",
            "description": row.get("description"),
            "first_name": row.get("first_name"),
            "opening_hours": row.get("opening_hours"),
            "audience_label": _(AUDIENCE_LABELS.get(str(row.get("visibility") or "public"), "")),
            "level_label": level_word(row["level"]) if row.get("level") else "",
            "status": status.value,
            "status_label": _(STATUS_LABELS[status.value]),
            "moderation_note": row.get("moderation_note"),
            "confirmed_at": row.get("confirmed_at"),
            "has_email": bool(row.get("contact_email")),
        },
        "actions": [
            {"action": a.value, "label": _(ACTION_LABELS[a.value])}
            for a in allowed_actions(status, ActorKind.RESIDENT)
            if a.value != "retire"
        ],
        "stale": is_stale(row, now=now, months=months),
        "stale_months": months,
        "token": token,
    }


def build_moderation_page(
    store: Store, *, onlooker: Onlooker, now: datetime, months: int
) -> dict[str, Any]:
    """Pending items and stale items within the professional's scope, with their actions."""
    rows = views.visible(views.items_in_unit(store, level=None, key=None), onlooker)
    pending = [r for r in rows if status_of(r).value == "pending"]
    stale = [r for r in rows if is_stale(r, now=now, months=months)]
    views.audit_reads(store, onlooker, pending + stale, action="list", now=now)

    def entry(row: dict[str, Any]) -> dict[str, Any]:
        item = asset_item(row, onlooker, now=now, months=months)
        status = status_of(row)
        wanted = ("approve", "reject") if status.value == "pending" else ("confirm", "retire")
        return {
            "item": item,
            "unit_url": _unit_url(row),
            "actions": [
                {"action": a.value, "label": _(ACTION_LABELS[a.value])}
                for a in allowed_actions(status, ActorKind.PROFESSIONAL)
                if a.value in wanted
            ],
        }

    return {
        "pending": [entry(r) for r in sorted(pending, key=lambda r: str(r["created_at"]))],
        "stale": [entry(r) for r in sorted(stale, key=lambda r: str(r["confirmed_at"]))],
        "stale_months": months,
    }


def translate_errors(errors: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, str]:
    """Field → Dutch message, in the form's order."""
    ordered = sorted(errors, key=lambda f: FIELDS.index(f) if f in FIELDS else len(FIELDS))
    out = {}
    for field in ordered:
        msgid, values = errors[field]
        if "level" in values:
            values = {**values, "level": level_word(values["level"])}
        out[field] = _(msgid) % values if values else _(msgid)
    return out


def _unit(store: Store, level: Level | None, key: str | None) -> Any:
    if level is None or key is None:
        return None
    try:
        return unit_ref(read_unit(store, level.value, key))
    except NotFound:
        raise UnknownUnit(level, key) from None


def _unit_url(row: dict[str, Any]) -> str | None:
    if not row.get("level") or not row.get("unit_key"):
        return None
    return f"/units/{row['level']}/{quote(str(row['unit_key']), safe='')}"
