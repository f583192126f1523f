"""Retention: remove what the settings say, and nothing else (``veerkracht maintenance``).

1. Contact details of signals closed more than ``signal_contact_days`` ago are removed.
2. Worries about a person closed more than ``signal_person_days`` ago are deleted with their
   history and photo; a tombstone (category, dates, buurt; no text, no address) stays.
A signal's closing moment is ``closed_at`` (for imported rows without it: ``updated_at``, else
``created_at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from veerkracht.domain.signals import CLOSED_STATES, is_person
from veerkracht.signals.photos import delete_photo
from veerkracht.signals.settings import SignalSettings
from veerkracht.storage import Store
from veerkracht.storage import signals as signal_store


@dataclass(frozen=True)
class MaintenanceReport:
    """What one maintenance run did."""

    contacts_removed: int
    person_signals_deleted: int
    photos_deleted: int

    def as_dict(self) -> dict[str, int]:
        return {
            "contacts_removed": self.contacts_removed,
            "person_signals_deleted": self.person_signals_deleted,
            "photos_deleted": self.photos_deleted,
        }


def run_maintenance(
    store: Store, settings: SignalSettings, *, workspace: Path, now: datetime
) -> MaintenanceReport:
    """Apply the retention periods of ``settings`` as of ``now``; returns what was done."""
    closed = signal_store.read_signals(
        store, statuses=[s.value for s in CLOSED_STATES], limit=10_000_000
    )
    person_limit = now - timedelta(days=settings.signal_person_days)
    contact_limit = now - timedelta(days=settings.signal_contact_days)
    expired = [s for s in closed if is_person(s["category"]) and _closed_at(s) <= person_limit]
    gone = {s["signal_id"] for s in expired}
    contacts = [
        s["signal_id"]
        for s in closed
        if s["signal_id"] not in gone and _has_contact(s) and _closed_at(s) <= contact_limit
    ]
    removed = signal_store.remove_contacts(store, contacts, now=now)
    deleted = signal_store.delete_with_tombstones(store, expired, now=now, reason="retention")
    photos = sum(delete_photo(workspace, s.get("photo")) for s in expired)
    return MaintenanceReport(removed, deleted, photos)


def _closed_at(signal: dict[str, Any]) -> datetime:
    moment = signal.get("closed_at") or signal.get("updated_at") or signal["created_at"]
    return moment  # type: ignore[no-any-return]


def _has_contact(signal: dict[str, Any]) -> bool:
    return any(signal.get(k) for k in ("contact_name", "contact_email", "contact_phone"))
