"""Page data for professionals: the worklist (list and map) and one signal with its history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pyproj import Transformer

from veerkracht.domain.accounts import Account
from veerkracht.domain.signals import BY_CODE, CATEGORIES, SignalState, is_person
from veerkracht.signals.access import can_change, can_see_contact
from veerkracht.signals.replies import reply_templates
from veerkracht.signals.service import read_history_for, read_signal_for, worklist
from veerkracht.signals.workflow import allowed_states
from veerkracht.storage import accounts as account_store
from veerkracht.storage.engine import Store
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.signals import category_label, state_label

_TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def build_worklist(
    store: Store, account: Account, *, now: datetime, include_closed: bool = False
) -> dict[str, Any]:
    """The account's own signals, soonest deadline first, each with what the list shows."""
    teams = account_store.read_teams(store)
    items = [
        _item(r, teams, now)
        for r in worklist(store, account, now=now, include_closed=include_closed)
    ]
    return {
        "account": {
            "username": account.username,
            "display_name": account.display_name,
            "role": account.role.value,
            "team": teams.get(account.team_id or ""),
        },
        "items": items,
        "count": len(items),
        "include_closed": include_closed,
    }


def worklist_geojson(page: dict[str, Any]) -> dict[str, Any]:
    """The worklist as points (WGS84) for the map."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": i,
                "geometry": {"type": "Point", "coordinates": [item["long"], item["lat"]]},
                "properties": {
                    "signal_id": item["signal_id"],
                    "category": item["category_label"],
                    "status": item["status_label"],
                    "person": item["person"],
                    "url": item["url"],
                },
            }
            for i, item in enumerate(page["items"])
        ],
    }


def build_signal_page(
    store: Store, account: Account, signal_id: str, *, now: datetime
) -> dict[str, Any]:
    """One signal for a professional who may see it (reading a worry is audited)."""
    signal = read_signal_for(store, account, signal_id, now=now)
    teams = account_store.read_teams(store)
    person = is_person(signal["category"])
    history = read_history_for(store, signal)
    contact = None
    if can_see_contact(account, signal):
        contact = {
            k: signal.get(k)
            for k in ("contact_name", "contact_email", "contact_phone", "contact_verified")
        }
    first_contact_pending = person and signal["status"] == SignalState.SUBMITTED.value
    editable = can_change(account, signal)
    return {
        "signal": {
            **_item(signal, teams, now),
            "description": signal.get("description"),
            "photo_url": f"/signals/{signal['signal_id']}/photo" if signal.get("photo") else None,
            "duplicate_of": signal.get("duplicate_of"),
            "parent_id": signal.get("parent_id"),
            "assignee": signal.get("assignee"),
            "team_id": signal.get("team_id"),
        },
        "contact": contact,
        "first_contact_pending": first_contact_pending,
        "history": [
            {
                **{
                    k: row[k]
                    for k in ("actor", "action", "from_state", "to_state", "note", "public")
                },
                "at": row["at"].isoformat(timespec="minutes"),
                "to_label": state_label(row["to_state"]) if row["to_state"] else None,
            }
            for row in history
        ],
        "editable": editable,
        "next_states": [
            {"code": s.value, "label": state_label(s.value)} for s in allowed_states(signal)
        ]
        if editable
        else [],
        "teams": [{"team_id": k, "name": v} for k, v in sorted(teams.items())] if editable else [],
        "categories": [{"code": c.code, "label": _(c.label)} for c in CATEGORIES]
        if editable
        else [],
        "replies": reply_templates(signal["category"]) if editable else [],
    }


def _item(row: dict[str, Any], teams: dict[str, str], now: datetime) -> dict[str, Any]:
    long, lat = _TO_WGS84.transform(row["x"], row["y"])
    deadline = row.get("deadline_at")
    category = BY_CODE.get(row["category"])
    return {
        "signal_id": row["signal_id"],
        "category": row["category"],
        "category_label": category_label(row["category"]),
        "person": bool(category and category.person),
        "status": row["status"],
        "status_label": state_label(row["status"]),
        "created_at": row["created_at"].isoformat(timespec="minutes"),
        "deadline_at": deadline.isoformat(timespec="minutes") if deadline else None,
        "overdue": bool(
            deadline and deadline < now and row["status"] not in ("afgehandeld", "geannuleerd")
        ),
        "address": row.get("address") or row.get("street_key") or row.get("neighbourhood_code"),
        "neighbourhood_code": row.get("neighbourhood_code"),
        "team": teams.get(row.get("team_id") or ""),
        "lat": round(lat, 6),
        "long": round(long, 6),
        "url": f"/signals/{row['signal_id']}",
    }
