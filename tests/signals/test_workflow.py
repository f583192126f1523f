"""The state machine: one door, a transition table as data, append-only history (both DBs)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from veerkracht.domain.signals import TRANSITIONS, Actor, SignalState, check_transition
from veerkracht.errors import NotFound
from veerkracht.signals.errors import NotAllowed, SignalChanged, TransitionRefused
from veerkracht.signals.workflow import REPORTER, Change, change_signal
from veerkracht.storage import Store
from veerkracht.storage import signals as signal_store

from .conftest import NOW
from .helpers import NOISE_TEXT, account, submit


def test_the_table_allows_only_listed_transitions() -> None:
    for current in SignalState:
        for target in SignalState:
            for actor in Actor:
                allowed = actor in TRANSITIONS.get((current, target), frozenset())
                if allowed:
                    assert check_transition(current, target, actor) == target
                else:
                    with pytest.raises(ValueError, match="allowed"):
                        check_transition(current, target, actor)


def test_a_signal_walks_the_workflow_and_each_step_is_appended(
    demo_store: Store, tmp_path: Path
) -> None:
    receipt = submit(
        demo_store, tmp_path, category="overlast_geluid", description=NOISE_TEXT, now=NOW
    )
    beheer = account(demo_store, "beheer")
    steps = ["in_behandeling", "reactie_gevraagd", "in_behandeling", "afgehandeld"]
    for minutes, target in enumerate(steps, start=1):
        change_signal(
            demo_store,
            receipt.signal_id,
            Change("transition", to_state=target),
            by=beheer,
            now=NOW + timedelta(minutes=minutes),
        )
    change_signal(
        demo_store,
        receipt.signal_id,
        Change("transition", to_state="heropend", note="Nog steeds lawaai"),
        by=REPORTER,
        now=NOW + timedelta(hours=1),
    )
    history = signal_store.read_history(demo_store, receipt.signal_id)
    assert [(h["from_state"], h["to_state"]) for h in history] == [
        (None, "gemeld"),
        ("gemeld", "in_behandeling"),
        ("in_behandeling", "reactie_gevraagd"),
        ("reactie_gevraagd", "in_behandeling"),
        ("in_behandeling", "afgehandeld"),
        ("afgehandeld", "heropend"),
    ]
    signal = signal_store.read_signal(demo_store, receipt.signal_id)
    assert signal is not None and signal["status"] == "heropend" and signal["closed_at"] is None


def test_illegal_transitions_are_refused_with_a_clear_message(
    demo_store: Store, tmp_path: Path
) -> None:
    receipt = submit(
        demo_store, tmp_path, category="overlast_geluid", description=NOISE_TEXT, now=NOW
    )
    beheer = account(demo_store, "beheer")
    with pytest.raises(TransitionRefused) as refused:
        change_signal(
            demo_store,
            receipt.signal_id,
            Change("transition", to_state="heropend"),
            by=beheer,
            now=NOW,
        )
    assert 'state "gemeld" cannot go to "heropend"' in str(refused.value)
    assert refused.value.values["allowed"] == "in_behandeling, afgehandeld, geannuleerd"
    with pytest.raises(TransitionRefused):  # the reporter cannot close their own signal
        change_signal(
            demo_store,
            receipt.signal_id,
            Change("transition", to_state="afgehandeld"),
            by=REPORTER,
            now=NOW,
        )
    with pytest.raises(TransitionRefused):
        change_signal(
            demo_store,
            receipt.signal_id,
            Change("transition", to_state="nonsense"),
            by=beheer,
            now=NOW,
        )
    change_signal(
        demo_store,
        receipt.signal_id,
        Change("transition", to_state="geannuleerd"),
        by=beheer,
        now=NOW,
    )
    with pytest.raises(TransitionRefused, match="allowed: none"):
        change_signal(
            demo_store,
            receipt.signal_id,
            Change("transition", to_state="in_behandeling"),
            by=beheer,
            now=NOW,
        )
    assert len(signal_store.read_history(demo_store, receipt.signal_id)) == 2  # created, cancelled


def test_only_those_with_access_may_change(demo_store: Store, tmp_path: Path) -> None:
    receipt = submit(
        demo_store, tmp_path, category="zorg_om_buur", description="Buurman is erg verward", now=NOW
    )
    for username in ("analist", "admin", "beheer", "welzijn-oost"):
        with pytest.raises(NotFound):  # they do not even learn that it exists
            change_signal(
                demo_store,
                receipt.signal_id,
                Change("note", note="x"),
                by=account(demo_store, username),
                now=NOW,
            )
    change_signal(
        demo_store,
        receipt.signal_id,
        Change("note", note="Langs geweest"),
        by=account(demo_store, "welzijn"),
        now=NOW,
    )
    noise = submit(
        demo_store, tmp_path, category="overlast_geluid", description=NOISE_TEXT, now=NOW
    )
    with pytest.raises(NotAllowed):  # analysts read, but do not change
        change_signal(
            demo_store,
            noise.signal_id,
            Change("note", note="x"),
            by=account(demo_store, "analist"),
            now=NOW,
        )
    with pytest.raises(NotFound):
        change_signal(
            demo_store,
            "M-NOPE",
            Change("note", note="x"),
            by=account(demo_store, "welzijn"),
            now=NOW,
        )


def test_a_stale_change_loses(demo_store: Store, tmp_path: Path) -> None:
    receipt = submit(
        demo_store,
        tmp_path,
        category="overlast_afval",
        description="Vuilniszakken naast de container",
        now=NOW,
    )
    with pytest.raises(signal_store.StaleSignal):
        signal_store.change_signal_row(
            demo_store,
            receipt.signal_id,
            expected_status="in_behandeling",
            values={"status": "afgehandeld"},
            history=[],
        )
    assert SignalChanged.http_status == 409


def test_assign_link_and_split_are_changes_with_history(demo_store: Store, tmp_path: Path) -> None:
    first = submit(
        demo_store,
        tmp_path,
        category="overlast_afval",
        description="Grofvuil bij de ingang",
        now=NOW,
    )
    second = submit(
        demo_store,
        tmp_path,
        category="overlast_afval",
        description="Grofvuil bij ingang 3",
        now=NOW,
    )
    beheer = account(demo_store, "beheer")
    change_signal(
        demo_store,
        second.signal_id,
        Change("link", duplicate_of=first.signal_id),
        by=beheer,
        now=NOW,
    )
    change_signal(
        demo_store,
        first.signal_id,
        Change("split", split_categories=("spanningen",)),
        by=beheer,
        now=NOW,
    )
    change_signal(
        demo_store, first.signal_id, Change("assign", team_id="gebiedsteam"), by=beheer, now=NOW
    )
    actions = [h["action"] for h in signal_store.read_history(demo_store, first.signal_id)]
    assert actions == ["created", "split", "assign"]
    children = [
        s for s in signal_store.read_signals(demo_store) if s["parent_id"] == first.signal_id
    ]
    assert [c["category"] for c in children] == ["spanningen"]
    assert signal_store.read_signal(demo_store, second.signal_id)["duplicate_of"] == first.signal_id  # type: ignore[index]
    assert signal_store.read_signal(demo_store, first.signal_id)["team_id"] == "gebiedsteam"  # type: ignore[index]


def test_history_and_audit_are_append_only_in_the_database(
    demo_store: Store, tmp_path: Path
) -> None:
    receipt = submit(
        demo_store, tmp_path, category="overlast_geluid", description=NOISE_TEXT, now=NOW
    )
    statements = [
        "UPDATE signal_history SET note = 'changed' WHERE signal_id = :id",
        "DELETE FROM signal_history WHERE signal_id = :id",
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
    ]
    from veerkracht.storage.audit import append_audit

    append_audit(
        demo_store, actor="welzijn", action="read", record_type="signal", record_ids=["x"], now=NOW
    )
    for statement in statements:
        with (
            pytest.raises((DBAPIError, IntegrityError), match="append-only"),
            demo_store.engine.begin() as conn,
        ):
            conn.execute(text(statement), {"id": receipt.signal_id})
    assert len(signal_store.read_history(demo_store, receipt.signal_id)) == 1
