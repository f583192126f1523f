"""Need-to-know with an audit trail, and retention that removes what the settings say only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from veerkracht.errors import NotFound
from veerkracht.signals.retention import run_maintenance
from veerkracht.signals.service import exportable, read_signal_for, worklist
from veerkracht.signals.settings import SignalSettings
from veerkracht.signals.workflow import Change, change_signal
from veerkracht.storage import Store
from veerkracht.storage import signals as signal_store
from veerkracht.storage.audit import audit_rows

from .conftest import NOW
from .helpers import NOISE_TEXT, WORRY_TEXT, account, submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_a_worry_is_read_only_by_the_routed_team_and_every_read_is_audited(
    demo_store: Store, tmp_path: Path
) -> None:
    worry = submit(demo_store, tmp_path, category="zorg_om_buur", description=WORRY_TEXT, now=NOW)
    for username in ("admin", "analist", "beheer", "wijkagent", "gebied", "welzijn-oost"):
        with pytest.raises(NotFound):
            read_signal_for(demo_store, account(demo_store, username), worry.signal_id, now=NOW)
        listed = worklist(demo_store, account(demo_store, username), now=NOW, include_closed=True)
        assert worry.signal_id not in {r["signal_id"] for r in listed}
        assert worry.signal_id not in {
            r["signal_id"] for r in exportable(demo_store, account(demo_store, username))
        }
    with pytest.raises(NotFound):
        read_signal_for(demo_store, None, worry.signal_id, now=NOW)
    assert audit_rows(demo_store, record_id=worry.signal_id) == []

    welzijn = account(demo_store, "welzijn")
    signal = read_signal_for(demo_store, welzijn, worry.signal_id, now=NOW)
    assert signal["description"] == WORRY_TEXT
    listed = worklist(demo_store, welzijn, now=NOW + timedelta(minutes=1))
    assert worry.signal_id in {r["signal_id"] for r in listed}
    rows = audit_rows(demo_store, record_type="signal", record_id=worry.signal_id)
    assert [(r["actor"], r["action"], r["at"]) for r in rows] == [
        ("welzijn", "read", NOW),
        ("welzijn", "list", NOW + timedelta(minutes=1)),
    ]


def test_non_sensitive_signals_follow_scope(demo_store: Store, tmp_path: Path) -> None:
    noise = submit(
        demo_store, tmp_path, category="overlast_geluid", description=NOISE_TEXT, now=NOW
    )
    for username in ("admin", "analist", "beheer", "welzijn"):  # scope covers WK999901
        assert read_signal_for(demo_store, account(demo_store, username), noise.signal_id, now=NOW)
    with pytest.raises(NotFound):  # Wijkteam Oost's scope is elsewhere
        read_signal_for(demo_store, account(demo_store, "welzijn-oost"), noise.signal_id, now=NOW)
    assert audit_rows(demo_store, record_id=noise.signal_id) == []  # not a person: no audit needed


def _close(store: Store, signal_id: str, username: str, when) -> None:  # type: ignore[no-untyped-def]
    change_signal(
        store,
        signal_id,
        Change("transition", to_state="afgehandeld"),
        by=account(store, username),
        now=when,
    )


def test_retention_removes_what_the_settings_say_and_nothing_else(
    demo_store: Store, tmp_path: Path
) -> None:
    settings = SignalSettings(signal_contact_days=30, signal_person_days=90)
    contact = {
        "contact_name": "Jan",
        "contact_email": "jan@example.org",
        "contact_phone": "0612345678",
    }
    old_worry = submit(
        demo_store,
        tmp_path,
        category="zorg_om_buur",
        description=WORRY_TEXT,
        now=NOW,
        photo=PNG,
        **contact,
    )
    young_worry = submit(
        demo_store, tmp_path, category="zorg_om_buur", description=WORRY_TEXT, now=NOW, **contact
    )
    open_worry = submit(
        demo_store, tmp_path, category="zorg_om_buur", description=WORRY_TEXT, now=NOW, **contact
    )
    old_noise = submit(
        demo_store, tmp_path, category="overlast_geluid", description=NOISE_TEXT, now=NOW, **contact
    )
    young_noise = submit(
        demo_store, tmp_path, category="overlast_geluid", description=NOISE_TEXT, now=NOW, **contact
    )
    _close(demo_store, old_worry.signal_id, "welzijn", NOW)
    _close(demo_store, young_worry.signal_id, "welzijn", NOW + timedelta(days=60))
    _close(demo_store, old_noise.signal_id, "beheer", NOW)
    _close(demo_store, young_noise.signal_id, "beheer", NOW + timedelta(days=80))
    rows = signal_store.read_signals(demo_store, limit=100_000)
    before = {s["signal_id"] for s in rows}
    clock = NOW + timedelta(days=90, minutes=1)  # old ones closed 90 days ago, young ones 30 and 10
    # Demostad's generated worries closed (without a closing date) before the limit go as well
    generated = {
        s["signal_id"]
        for s in rows
        if s["category"] == "zorg_om_buur"
        and s["status"] == "afgehandeld"
        and s["source"] is None
        and s["created_at"] <= clock - timedelta(days=90)
    }

    report = run_maintenance(demo_store, settings, workspace=tmp_path, now=clock)

    after = {s["signal_id"]: s for s in signal_store.read_signals(demo_store, limit=100_000)}
    assert set(after) == before - {old_worry.signal_id} - generated
    assert report.person_signals_deleted == 1 + len(generated)
    tomb = [
        t for t in signal_store.read_tombstones(demo_store) if t["signal_id"] == old_worry.signal_id
    ]
    assert (
        len(tomb) == 1 and tomb[0]["category"] == "zorg_om_buur" and tomb[0]["deleted_at"] == clock
    )
    assert signal_store.read_history(demo_store, old_worry.signal_id) == []
    assert not (tmp_path / "signal-photos" / f"{old_worry.signal_id}.png").exists()
    # contact details: gone where closed ≥ 30 days, kept where closed 10 days ago or still open
    assert after[young_worry.signal_id]["contact_email"] is None
    assert after[old_noise.signal_id]["contact_email"] is None
    assert after[old_noise.signal_id]["description"] == NOISE_TEXT
    assert after[young_noise.signal_id]["contact_email"] == "jan@example.org"
    assert after[open_worry.signal_id]["contact_email"] == "jan@example.org"
    assert report.photos_deleted == 1
    assert report.contacts_removed == 2  # Demostad's generated signals carry no contact details

    again = run_maintenance(demo_store, settings, workspace=tmp_path, now=clock)
    assert again.as_dict() == {
        "contacts_removed": 0,
        "person_signals_deleted": 0,
        "photos_deleted": 0,
    }
