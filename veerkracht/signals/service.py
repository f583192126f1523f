"""What the web and the CLI ask of signals: reads with need-to-know and audit, the worklist,
the reporter's follow view, verification and export. Changes go through ``workflow``.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from pyproj import Transformer

from veerkracht.domain.accounts import Account, Role
from veerkracht.domain.signals import BY_CODE, CLOSED_STATES, SignalState, is_person
from veerkracht.errors import NotFound
from veerkracht.signals.access import can_view
from veerkracht.signals.tokens import token_hash
from veerkracht.signals.workflow import REPORTER, Change, change_signal
from veerkracht.storage import Store
from veerkracht.storage import audit as audit_store
from veerkracht.storage import signals as signal_store

_TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
OPEN_STATES = tuple(s.value for s in SignalState if s not in CLOSED_STATES)

#: Columns of an export (never contact details, never a worry about a person).
EXPORT_COLUMNS = (
    "signal_id",
    "category",
    "status",
    "created_at",
    "updated_at",
    "closed_at",
    "deadline_at",
    "team_id",
    "address",
    "block_key",
    "street_key",
    "neighbourhood_code",
    "district_code",
    "municipality_code",
    "description",
    "x",
    "y",
)


def read_signal_for(
    store: Store, account: Account | None, signal_id: str, *, now: datetime
) -> dict[str, Any]:
    """The signal when ``account`` may see it (a read of a person worry is audited).

    NotFound both when it does not exist and when the account may not see it, so nobody learns
    that a worry exists.
    """
    signal = signal_store.read_signal(store, signal_id)
    if signal is None or not can_view(account, signal):
        raise NotFound("no such signal, or not yours to see")
    assert account is not None
    if is_person(signal["category"]):
        audit_store.append_audit(
            store,
            actor=account.username,
            action="read",
            record_type="signal",
            record_ids=[signal_id],
            now=now,
        )
    return signal


def worklist(
    store: Store, account: Account, *, now: datetime, include_closed: bool = False
) -> list[dict[str, Any]]:
    """A professional's own list: signals routed to their team or to them, soonest deadline first.

    Analysts and admins get the non-sensitive signals in their scope. Listing person worries is
    audited (action "list").
    """
    statuses = None if include_closed else OPEN_STATES
    if account.role == Role.PROFESSIONAL:
        rows = signal_store.read_signals(
            store,
            team_ids=[account.team_id] if account.team_id else [],
            assignee=account.username,
            statuses=statuses,
        )
    else:
        rows = signal_store.read_signals(
            store,
            person=False,
            statuses=statuses,
            area_codes=None if not account.scope or account.role == Role.ADMIN else account.scope,
        )
    rows = [r for r in rows if can_view(account, r)]
    person_ids = [r["signal_id"] for r in rows if is_person(r["category"])]
    audit_store.append_audit(
        store,
        actor=account.username,
        action="list",
        record_type="signal",
        record_ids=person_ids,
        now=now,
    )
    far = datetime.max
    return sorted(rows, key=lambda r: (r.get("deadline_at") or far, r["created_at"]))


def read_history_for(store: Store, signal: dict[str, Any]) -> list[dict[str, Any]]:
    """The full history (the caller has checked the reader may see the signal)."""
    return signal_store.read_history(store, signal["signal_id"])


def follow(store: Store, token: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The signal behind a personal link and its public history; NotFound for a wrong link."""
    signal = signal_store.read_signal_by(store, "follow_hash", token_hash(token))
    if signal is None:
        raise NotFound("no signal for this link")
    return signal, signal_store.read_history(store, signal["signal_id"], public_only=True)


def verify_contact(store: Store, token: str, *, now: datetime) -> dict[str, Any]:
    """Mark the reporter's e-mail address verified (the link in the verification mail)."""
    signal = signal_store.read_signal_by(store, "verify_hash", token_hash(token))
    if signal is None:
        raise NotFound("no signal for this verification link")
    if signal.get("contact_verified"):
        return signal
    return change_signal(store, signal["signal_id"], Change(action="verify"), by=REPORTER, now=now)


def exportable(store: Store, account: Account | None) -> list[dict[str, Any]]:
    """Signals this account may export: non-sensitive ones in its scope (None: all of them)."""
    rows = signal_store.read_signals(store, person=False, limit=10_000_000)
    if account is None:
        return rows
    return [r for r in rows if can_view(account, r)]


def export_csv(rows: list[dict[str, Any]]) -> str:
    """Signals as CSV (UTF-8, comma separated, ISO dates, RD New coordinates)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=EXPORT_COLUMNS, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        assert not is_person(row["category"])
        writer.writerow({k: _plain(row.get(k)) for k in EXPORT_COLUMNS})
    return buffer.getvalue()


def export_geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Signals as a GeoJSON FeatureCollection in WGS84."""
    features = []
    for row in rows:
        assert not is_person(row["category"])
        long, lat = _TO_WGS84.transform(row["x"], row["y"])
        properties = {k: _plain(row.get(k)) for k in EXPORT_COLUMNS if k not in ("x", "y")}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(long, 6), round(lat, 6)]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def public_summary(signal: dict[str, Any]) -> dict[str, Any]:
    """What the reporter's link shows: never the text or place of a worry about a person."""
    category = BY_CODE[signal["category"]]
    out = {
        "signal_id": signal["signal_id"],
        "category": category.code,
        "person": category.person,
        "status": signal["status"],
        "created_at": signal["created_at"],
        "updated_at": signal.get("updated_at"),
        "closed": signal["status"] in CLOSED_STATES,
    }
    if not category.person:
        out["description"] = signal.get("description")
        out["address"] = signal.get("address")
    return out


def nearby(store: Store, *, category: str, dwelling_id: str) -> dict[str, int]:
    """Open signals of the same category in the same block and street (public categories only)."""
    if category not in BY_CODE or BY_CODE[category].person:
        return {"block": 0, "street": 0}
    place = signal_store.read_dwelling(store, dwelling_id)
    if place is None:
        return {"block": 0, "street": 0}
    return signal_store.count_open_nearby(
        store,
        category=category,
        block_key=place["block_key"],
        street_key=place["street_key"],
        open_states=OPEN_STATES,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value
