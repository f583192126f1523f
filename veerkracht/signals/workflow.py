"""The one door for every change of a signal: checked against the transition table, appended.

``change_signal`` reads the signal, checks who acts and whether the table allows the change,
writes the new values and the history row(s) in one transaction under a state check, and then
tells the reporter (when they gave and verified an e-mail address and the change is public).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from veerkracht.domain.accounts import Account
from veerkracht.domain.signals import (
    BY_CODE,
    CLOSED_STATES,
    MAX_DESCRIPTION,
    Actor,
    IllegalTransition,
    SignalState,
    check_transition,
    next_states,
)
from veerkracht.errors import InputError, NotFound
from veerkracht.signals.access import can_change, can_view
from veerkracht.signals.errors import NotAllowed, SignalChanged, TransitionRefused
from veerkracht.signals.tokens import new_signal_id
from veerkracht.storage import Store
from veerkracht.storage import accounts as account_store
from veerkracht.storage import signals as signal_store

Action = Literal["transition", "note", "assign", "link", "split", "verify"]
SYSTEM: Literal["system"] = "system"
REPORTER: Literal["reporter"] = "reporter"


@dataclass(frozen=True)
class Change:
    """What should change. ``public`` notes are shown to (and mailed to) the reporter."""

    action: Action
    to_state: str | None = None
    note: str | None = None
    public: bool = False
    team_id: str | None = None
    assignee: str | None = None
    duplicate_of: str | None = None
    split_categories: tuple[str, ...] = field(default_factory=tuple)


def change_signal(
    store: Store,
    signal_id: str,
    change: Change,
    *,
    by: Account | Literal["reporter", "system"],
    now: datetime,
    notify: Any = None,
) -> dict[str, Any]:
    """Apply ``change`` to the signal for ``by`` and return the signal as it is now.

    Raises NotFound, NotAllowed, TransitionRefused (with the allowed next states), InputError
    for an incomplete change, SignalChanged when someone else changed it first. ``notify`` is
    called as ``notify(signal, history_row)`` after a public change was stored.
    """
    signal = signal_store.read_signal(store, signal_id)
    if signal is None:
        raise NotFound("no such signal, or not yours to see")
    actor = _check_actor(by, signal, change)
    values, history, children = _plan(store, signal, change, actor=actor, by=by, now=now)
    try:
        signal_store.change_signal_row(
            store,
            signal_id,
            expected_status=signal["status"],
            values=values,
            history=history,
            new_signals=children,
        )
    except signal_store.StaleSignal:
        raise SignalChanged(f'signal "{signal_id}" changed meanwhile') from None
    changed = {**signal, **values}
    public_rows = [row for row in history if row["public"]]
    if notify is not None and public_rows:
        notify(changed, public_rows[-1])
    return changed


def allowed_states(signal: dict[str, Any], actor: str = Actor.PROFESSIONAL) -> list[SignalState]:
    """The states this actor may move the signal to (for buttons and messages)."""
    return next_states(signal["status"], actor)


def _check_actor(by: Account | str, signal: dict[str, Any], change: Change) -> str:
    if by == SYSTEM:
        return SYSTEM
    if by == REPORTER:
        if change.action not in ("transition", "verify"):
            raise NotAllowed("a reporter can only reopen, answer or verify through their link")
        return Actor.REPORTER
    assert isinstance(by, Account)
    if not can_view(by, signal):
        raise NotFound("no such signal, or not yours to see")
    if not can_change(by, signal):
        raise NotAllowed(f'{by.username} may not change signal "{signal["signal_id"]}"')
    return Actor.PROFESSIONAL


def _plan(
    store: Store,
    signal: dict[str, Any],
    change: Change,
    *,
    actor: str,
    by: Account | str,
    now: datetime,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    name = by.username if isinstance(by, Account) else str(by)
    note = _note(change.note)
    row = {
        "at": now,
        "actor": name,
        "action": change.action,
        "from_state": None,
        "to_state": None,
        "note": note,
        "public": bool(change.public),
    }
    values: dict[str, Any] = {"updated_at": now}
    children: list[dict[str, Any]] = []
    if change.action == "transition":
        target = _transition(signal["status"], change.to_state or "", actor)
        values.update(status=target.value, closed_at=now if target in CLOSED_STATES else None)
        # Every state change is shown to the reporter (honest closing); the note only when public.
        row.update(
            from_state=signal["status"],
            to_state=target.value,
            public=True,
            note=note if change.public or actor == Actor.REPORTER else None,
        )
        if note and not change.public and actor != Actor.REPORTER:
            return (
                values,
                [
                    row,
                    {
                        **row,
                        "action": "note",
                        "from_state": None,
                        "to_state": None,
                        "note": note,
                        "public": False,
                    },
                ],
                children,
            )
    elif change.action == "note":
        if not note:
            raise InputError("write a note", field="note")
    elif change.action == "assign":
        teams = account_store.read_teams(store)
        if change.team_id not in teams:
            raise InputError(
                f'team "{change.team_id}" is not one of {", ".join(teams)}', field="team_id"
            )
        if change.assignee and account_store.read_account(store, change.assignee) is None:
            raise InputError(f'no account "{change.assignee}"', field="assignee")
        values.update(team_id=change.team_id, assignee=change.assignee or None)
        row.update(
            note=f"{change.team_id}/{change.assignee or '-'}" + (f": {note}" if note else ""),
            public=False,
        )
    elif change.action == "link":
        other = signal_store.read_signal(store, change.duplicate_of or "")
        if other is None or other["signal_id"] == signal["signal_id"]:
            raise InputError(f'no other signal "{change.duplicate_of}"', field="duplicate_of")
        values.update(duplicate_of=other["signal_id"])
        row.update(note=other["signal_id"], public=False)
    elif change.action == "verify":
        if actor != Actor.REPORTER:
            raise NotAllowed("only the reporter verifies their own e-mail address")
        values.update(contact_verified=True)  # the link keeps working (a second click)
        row.update(public=False)
    elif change.action == "split":
        children = _children(signal, change, name=name, now=now)
        row.update(note=", ".join(c["signal_id"] for c in children), public=False)
    else:
        raise InputError(
            f'action "{change.action}" is not one of transition, note, assign, link, split'
        )
    return values, [row], children


def _transition(current: str, target: str, actor: str) -> SignalState:
    try:
        return check_transition(current, target, actor)
    except IllegalTransition as exc:
        allowed = ", ".join(s.value for s in next_states(current, actor)) or "-"
        raise TransitionRefused(str(exc), current=current, target=target, allowed=allowed) from None


def _note(text: str | None) -> str | None:
    note = (text or "").strip()
    if len(note) > MAX_DESCRIPTION:
        raise InputError(f"a note has at most {MAX_DESCRIPTION} characters", field="note")
    return note or None


def _children(
    signal: dict[str, Any], change: Change, *, name: str, now: datetime
) -> list[dict[str, Any]]:
    if not change.split_categories:
        raise InputError("choose at least one category for the new signal", field="categories")
    out = []
    keep = (
        "x",
        "y",
        "dwelling_id",
        "address",
        "block_key",
        "street_key",
        "neighbourhood_code",
        "district_code",
        "municipality_code",
        "team_id",
        "assignee",
        "description",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_verified",
        "source",
    )
    for code in change.split_categories:
        if code not in BY_CODE:
            raise InputError(
                f'category "{code}" is not one of {", ".join(BY_CODE)}', field="categories"
            )
        child_id = new_signal_id()
        out.append(
            {
                **{k: signal.get(k) for k in keep},
                "signal_id": child_id,
                "category": code,
                "status": SignalState.SUBMITTED.value,
                "created_at": now,
                "updated_at": now,
                "parent_id": signal["signal_id"],
                "_history": {
                    "at": now,
                    "actor": name,
                    "action": "created",
                    "from_state": None,
                    "to_state": SignalState.SUBMITTED.value,
                    "note": f"split from {signal['signal_id']}",
                    "public": False,
                },
            }
        )
    return out
