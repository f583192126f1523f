"""Page data for initiatives, budgets and matching (one builder per page, HTML and JSON alike).

What the public gets never names a supporter: only their number. The owner's page (personal
link) lists supporters' first names; professionals in scope see the whole history and the
moderation tools. Matching is for professionals only.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from pyproj import Transformer

from veerkracht.community import budgets as budget_rules
from veerkracht.community import initiative_status as states
from veerkracht.community import initiatives as rules
from veerkracht.community.audience import (
    PUBLIC_ONLOOKER,
    Onlooker,
    area_codes_of,
    can_see,
    first_name_only,
)
from veerkracht.community.matching import DEFAULT_RADIUS_M, MATCH_KINDS, Need, match_need
from veerkracht.storage import audit as audit_store
from veerkracht.storage import initiatives as db
from veerkracht.storage.engine import Store
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_, level_word

_TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)

STATUS_LABELS = {
    "proposed": N_("Proposed: looking for neighbours"),
    "active": N_("Active"),
    "done": N_("Done"),
    "stopped": N_("Stopped"),
    "withdrawn": N_("Withdrawn"),
    "approved": N_("Approved for publication"),
}
DECISION_LABELS = {
    "pending": N_("Not decided yet"),
    "granted": N_("Granted"),
    "partly": N_("Partly granted"),
    "refused": N_("Refused"),
}
KIND_LABELS = {
    "gift": N_("Offer of a resident"),
    "place": N_("Place"),
    "institution": N_("Institution"),
    "association": N_("Association or group"),
    "economy": N_("Shop or business"),
}
MATCH_LEVEL_LABELS = {
    "block": N_("In the same block"),
    "street": N_("In the same street"),
    "neighbourhood": N_("In the same neighbourhood"),
    "radius": N_("Nearby"),
}


def status_label(code: str) -> str:
    """The Dutch word of an initiative status."""
    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else code


# ---- lists ----------------------------------------------------------------------------------


def build_initiative_list(
    store: Store, onlooker: Onlooker, *, area: str | None = None
) -> dict[str, Any]:
    """Initiatives the onlooker may see, grouped per buurt, with the budgets of the area."""
    rows = [r for r in db.read_initiatives(store) if rules.can_see_initiative(onlooker, r)]
    if area:
        rows = [r for r in rows if area in area_codes_of(r.get("neighbourhood_code"))]
    items = _summaries(store, rows)
    names = db.read_unit_names(store, "neighbourhood", [i["neighbourhood_code"] for i in items])
    groups: dict[str, dict[str, Any]] = {}
    for item in items:
        code = item["neighbourhood_code"] or ""
        group = groups.setdefault(code, {"code": code, "name": names.get(code, code), "items": []})
        group["items"].append(item)
    return {
        "items": items,
        "count": len(items),
        "groups": sorted(groups.values(), key=lambda g: str(g["name"])),
        "area": area,
        "pending": sum(1 for i in items if i["pending"]),
        "budgets": [_budget(b) for b in budget_rules.read_budgets(store)],
        "professional": onlooker.is_professional,
        "admin": onlooker.viewer.role == "admin",
        "exports": {"json": "/initiatives/export/hsds.json", "csv": "/initiatives/export/hsds.zip"}
        if onlooker.is_professional
        else None,
    }


def list_geojson(page: dict[str, Any]) -> dict[str, Any]:
    """The initiatives of a list page as points (WGS84) for the map."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": i,
                "geometry": {"type": "Point", "coordinates": [item["long"], item["lat"]]},
                "properties": {
                    k: item[k] for k in ("initiative_id", "title", "status_label", "url")
                },
            }
            for i, item in enumerate(page["items"])
            if item["lat"] is not None
        ],
    }


def initiatives_here(store: Store, *, level: str, key: str, onlooker: Onlooker) -> dict[str, Any]:
    """The initiatives of a unit for its "wat is hier" section (partial ``_initiatives_here``)."""
    rows = [r for r in _rows_of_unit(store, level, key) if rules.can_see_initiative(onlooker, r)]
    items = _summaries(store, rows)
    return {
        "items": items,
        "count": len(items),
        "new_url": "/initiatives/new",
        "list_url": "/initiatives",
    }


# ---- one initiative -------------------------------------------------------------------------


def build_initiative_page(
    store: Store, initiative_id: str, onlooker: Onlooker, *, now: datetime
) -> dict[str, Any]:
    """One initiative as the onlooker may see it; moderators also get history and tools."""
    row = rules.read_visible(store, initiative_id, onlooker)
    moderator = rules.can_moderate(onlooker.viewer, row)
    page = _initiative_core(store, row, onlooker, full_history=moderator, authors=moderator)
    page["professional"] = _moderation(store, row, onlooker, now=now) if moderator else None
    return page


def build_owner_page(store: Store, token: str) -> dict[str, Any]:
    """The owner's personal page: everything, with the supporters' first names."""
    row = rules.read_owned(store, token)
    page = _initiative_core(store, row, PUBLIC_ONLOOKER, full_history=True, authors=False)
    page["supporters"] = [
        {"first_name": s["first_name"], "joined_at": s["joined_at"]}
        for s in db.read_supporters(store, row["initiative_id"])
    ]
    page["owner"] = {
        "token": token,
        "url": f"/initiatives/mine/{token}",
        "email": row.get("owner_email"),
        "next_statuses": [
            {"code": s.value, "label": status_label(s.value)}
            for s in states.next_statuses(row["status"], states.Actor.OWNER)
        ],
        "can_edit": row["status"] in states.OPEN,
        "can_request": row["status"] == "active" and bool(row["approved"]),
        "linkable_assets": _linkable(store, row),
    }
    return page


def build_supporter_page(store: Store, token: str) -> dict[str, Any]:
    """A supporter's personal page: what they support and a way to withdraw."""
    supporter, row = rules.read_support(store, token)
    visible = rules.can_see_initiative(PUBLIC_ONLOOKER, row)
    counts = db.count_supporters(store, [row["initiative_id"]])
    return {
        "initiative": {
            "initiative_id": row["initiative_id"],
            "title": row["title"] if visible else None,
            "status": row["status"],
            "status_label": status_label(row["status"]),
            "supporters": counts[row["initiative_id"]],
            "url": f"/initiatives/{row['initiative_id']}" if visible else None,
        },
        "supporter": {
            "first_name": supporter["first_name"],
            "joined_at": supporter["joined_at"],
            "withdrawn_at": supporter["withdrawn_at"],
        },
        "token": token,
    }


# ---- budgets --------------------------------------------------------------------------------


def build_budget_list(store: Store, onlooker: Onlooker) -> dict[str, Any]:
    """Every neighbourhood budget with what is left; administrators may add one."""
    return {
        "budgets": [_budget(b) for b in budget_rules.read_budgets(store)],
        "admin": onlooker.viewer.role == "admin",
    }


def build_budget_page(store: Store, budget_id: str, onlooker: Onlooker) -> dict[str, Any]:
    """One budget with the public record of requests and decisions."""
    budget = budget_rules.read_budget(store, budget_id)
    titles = _titles(store)
    record = [_request(r, titles) for r in budget_rules.public_record(store, budget_id=budget_id)]
    admin = onlooker.viewer.role == "admin" and (
        not onlooker.viewer.scope
        or bool(onlooker.viewer.scope & {budget["area_code"]})
        or bool(onlooker.viewer.scope & area_codes_of(budget["area_code"]))
    )
    return {
        "budget": _budget(budget),
        "requests": record,
        "can_decide": admin,
        "decisions": [
            {"code": c, "label": _(DECISION_LABELS[c])} for c in ("granted", "partly", "refused")
        ],
    }


# ---- matching -------------------------------------------------------------------------------


def build_match_page(
    store: Store,
    need: Need | None,
    onlooker: Onlooker,
    *,
    kinds: Collection[str] | None = None,
    radius_m: float = DEFAULT_RADIUS_M,
    values: dict[str, Any] | None = None,
    signal_id: str | None = None,
) -> dict[str, Any]:
    """Offers and places that fit a need, for professionals (``need`` None: just the form)."""
    found = (
        match_need(store, need, onlooker=onlooker, kinds=kinds, radius_m=radius_m)
        if need is not None
        else []
    )
    items = []
    for item in found:
        lat = long = None
        if item["x"] is not None:
            long, lat = _TO_WGS84.transform(item["x"], item["y"])
        items.append(
            {
                **{k: v for k, v in item.items() if k not in ("x", "y")},
                "kind_label": _(KIND_LABELS.get(item["kind"], item["kind"])),
                "level_label": _(MATCH_LEVEL_LABELS[item["level"]]),
                "lat": None if lat is None else round(lat, 6),
                "long": None if long is None else round(long, 6),
            }
        )
    return {
        "need": None
        if need is None
        else {
            "text": need.text,
            "block_key": need.block_key,
            "street_key": need.street_key,
            "neighbourhood_code": need.neighbourhood_code,
        },
        "signal_id": signal_id,
        "items": items,
        "count": len(items),
        "kinds": [
            {
                "code": k.value,
                "label": _(KIND_LABELS[k.value]),
                "checked": not kinds or k.value in kinds,
            }
            for k in MATCH_KINDS
        ],
        "radius_m": radius_m,
        "values": values or {},
    }


# ---- helpers --------------------------------------------------------------------------------


def _initiative_core(
    store: Store, row: dict[str, Any], onlooker: Onlooker, *, full_history: bool, authors: bool
) -> dict[str, Any]:
    initiative_id = row["initiative_id"]
    summary = _summaries(store, [row])[0]
    view = rules.public_view(row)
    organisations = db.read_organisation_names(store)
    updates = db.read_updates(store, initiative_id, public_only=not full_history)
    requests = budget_rules.public_record(store, initiative_id=initiative_id)
    titles = {initiative_id: row["title"]}
    return {
        "initiative": {**view, **summary},
        "updates": [_update(u, row, organisations, requests, authors=authors) for u in updates],
        "budget_requests": [_request(r, titles) for r in requests],
        "budgets": [_budget(b) for b in budget_rules.budgets_for(store, row)],
        "assets": _linked(store, initiative_id, onlooker),
        "open": row["status"] in states.OPEN and bool(row["approved"]),
        "join_url": f"/initiatives/{initiative_id}/join",
        "supporters_to_activate": rules.SUPPORTERS_TO_ACTIVATE,
    }


def _moderation(
    store: Store, row: dict[str, Any], onlooker: Onlooker, *, now: datetime
) -> dict[str, Any]:
    """Tools for professionals in scope; reading the proposer's e-mail address is audited."""
    email = row.get("owner_email")
    if email:
        audit_store.append_audit(
            store,
            actor=onlooker.viewer.name or onlooker.viewer.role,
            action="read",
            record_type="initiative",
            record_ids=[row["initiative_id"]],
            now=now,
            detail="owner contact",
        )
    return {
        "pending": not row["approved"] and row["status"] == "proposed",
        "owner_email": email,
        "can_offer_support": bool(row["approved"]) and row["status"] in states.OPEN,
        "next_statuses": [
            {"code": s.value, "label": status_label(s.value)}
            for s in states.next_statuses(row["status"], states.Actor.PROFESSIONAL)
        ]
        if row["approved"]
        else [],
        "match_url": f"/match?level={row['level']}&key={row['unit_key']}",
    }


def _summaries(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = db.count_supporters(store, [r["initiative_id"] for r in rows])
    names: dict[str, dict[str, str]] = {}
    for level in {r["level"] for r in rows}:
        names[level] = db.read_unit_names(store, level, [r["unit_key"] for r in rows])
    out = []
    for r in rows:
        lat = long = None
        if r.get("x") is not None and r.get("y") is not None:
            long, lat = _TO_WGS84.transform(r["x"], r["y"])
        out.append(
            {
                "initiative_id": r["initiative_id"],
                "title": r["title"],
                "status": r["status"],
                "status_label": status_label(r["status"]),
                "pending": not r["approved"],
                "level": r["level"],
                "level_label": level_word(r["level"]),
                "unit_key": r["unit_key"],
                "unit_name": _bare(names.get(r["level"], {}).get(r["unit_key"]), r),
                "unit_url": f"/units/{r['level']}/{r['unit_key']}",
                "neighbourhood_code": r.get("neighbourhood_code"),
                "owner_first_name": first_name_only(r["owner_first_name"]),
                "supporters": counts.get(r["initiative_id"], 0),
                "created_at": r["created_at"],
                "url": f"/initiatives/{r['initiative_id']}",
                "lat": None if lat is None else round(lat, 6),
                "long": None if long is None else round(long, 6),
            }
        )
    return out


def _bare(name: str | None, row: dict[str, Any]) -> str:
    """A unit's name without its level word ("Blok Beukenstraat 1–71" → "Beukenstraat 1–71")."""
    text, word = str(name or row["unit_key"]), level_word(row["level"])
    return text[len(word) + 1 :] if text.casefold().startswith(word.casefold() + " ") else text


def _update(
    u: dict[str, Any],
    row: dict[str, Any],
    organisations: dict[str, str],
    requests: list[dict[str, Any]],
    *,
    authors: bool,
) -> dict[str, Any]:
    kind, text = u["kind"], u["text"]
    decided = {f"decision:{r['request_id']}": r for r in requests}
    if kind == "status":
        shown = status_label(text)
    elif kind == "decision" and text in decided:
        r = decided[text]
        shown = _("Decision on the budget request: %(decision)s (%(amount)s).") % {
            "decision": _(DECISION_LABELS[r["decision"]]).lower(),
            "amount": budget_rules.euros(r["amount_granted"]),
        }
    elif kind == "decision":
        shown = _("Asked for neighbourhood budget.")
    else:
        shown = text
    by: str | None
    if u["author"] == "owner":
        by = first_name_only(row["owner_first_name"])
    elif kind == "support":
        by = organisations.get(u.get("organisation_id") or "", _("a professional"))
    elif u["author"] == "system":
        by = "veerkracht"
    elif kind == "decision":
        by = _("the municipality")
    else:
        by = u["author"] if authors else None  # a professional's username: colleagues only
    return {"at": u["at"], "kind": kind, "text": shown, "by": by, "public": bool(u["public"])}


def _request(r: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    return {
        **r,
        "initiative_title": titles.get(r["initiative_id"]),
        "initiative_url": f"/initiatives/{r['initiative_id']}",
        "decision_label": _(DECISION_LABELS.get(r["decision"], r["decision"])),
        "amount_requested_label": budget_rules.euros(r["amount_requested"]),
        "amount_granted_label": budget_rules.euros(r["amount_granted"])
        if r["decision"] != "pending"
        else None,
    }


def _budget(b: dict[str, Any]) -> dict[str, Any]:
    return {
        **{
            k: b[k]
            for k in ("budget_id", "name", "area_code", "year", "amount", "granted", "remaining")
        },
        "amount_label": budget_rules.euros(b["amount"]),
        "granted_label": budget_rules.euros(b["granted"]),
        "remaining_label": budget_rules.euros(b["remaining"]),
        "url": f"/initiatives/budgets/{b['budget_id']}",
    }


def _titles(store: Store) -> dict[str, str]:
    """Titles of the initiatives the public may see (requests of others show no title)."""
    return {
        r["initiative_id"]: r["title"]
        for r in db.read_initiatives(store)
        if rules.can_see_initiative(PUBLIC_ONLOOKER, r)
    }


def _linked(store: Store, initiative_id: str, onlooker: Onlooker) -> list[dict[str, Any]]:
    from veerkracht.storage.assets import read_asset

    out = []
    for asset_id in db.read_linked_asset_ids(store, initiative_id):
        asset = read_asset(store, asset_id)
        if asset is not None and _asset_visible(onlooker, asset):
            out.append(
                {
                    "asset_id": asset_id,
                    "kind": asset["kind"],
                    "name": asset["name"],
                    "kind_label": _(KIND_LABELS.get(asset["kind"], asset["kind"])),
                }
            )
    return out


def _linkable(store: Store, row: dict[str, Any]) -> list[dict[str, Any]]:
    """Public assets in the initiative's street or buurt that the owner may link."""
    from veerkracht.storage.assets import read_assets

    frame = read_assets(
        store,
        neighbourhood_code=row.get("neighbourhood_code"),
        kinds=[k.value for k in MATCH_KINDS],
    )
    return [
        {
            "asset_id": a["asset_id"],
            "name": a["name"],
            "kind_label": _(KIND_LABELS.get(a["kind"], a["kind"])),
        }
        for a in frame.to_dict("records")
        if _asset_visible(PUBLIC_ONLOOKER, a)
    ][:100]


def _asset_visible(onlooker: Onlooker, asset: dict[str, Any]) -> bool:
    def text(v: Any) -> str | None:
        return None if v is None or v != v else str(v)

    return can_see(
        onlooker,
        audience=text(asset.get("visibility")),
        status=text(asset.get("status")),
        block_key=text(asset.get("block_key")),
        neighbourhood_code=text(asset.get("neighbourhood_code")),
    )


def _rows_of_unit(store: Store, level: str, key: str) -> list[dict[str, Any]]:
    if level == "block":
        return db.read_initiatives(store, block_key=key)
    if level == "street":
        return db.read_initiatives(store, street_key=key)
    if level in ("neighbourhood", "district", "municipality"):
        return [
            r
            for r in db.read_initiatives(store)
            if key in area_codes_of(r.get("neighbourhood_code"))
        ]
    if level in ("entrance", "building"):
        column = "entrance_key" if level == "entrance" else "building_id"
        block = db.read_unit_keys(store, column, key)["block_key"]
        return db.read_initiatives(store, block_key=block) if block else []
    return []
