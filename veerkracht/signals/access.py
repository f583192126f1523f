"""Need-to-know, decided once: who may see and change which signal.

- A worry about a person: only professionals of the team it is routed to, or the named
  professional. Not admins, not analysts, never the public (the reporter's link shows its
  state only).
- Other signals: professionals and analysts whose scope covers the signal's area; admins all.
  Only professionals (and admins) change them.
"""

from __future__ import annotations

from typing import Any

from veerkracht.domain.accounts import Account, Role
from veerkracht.domain.signals import is_person


def area_codes(signal: dict[str, Any]) -> set[str]:
    """The buurt, wijk and gemeente codes of a signal (those it has)."""
    keys = ("neighbourhood_code", "district_code", "municipality_code")
    return {signal[k] for k in keys if signal.get(k)}


def routed_to(account: Account, signal: dict[str, Any]) -> bool:
    """True when the signal is routed to the account's team or to the account by name."""
    by_team = account.team_id is not None and signal.get("team_id") == account.team_id
    return by_team or (
        signal.get("assignee") is not None and signal["assignee"] == account.username
    )


def can_view(account: Account | None, signal: dict[str, Any]) -> bool:
    """May this account read the signal (its text, place and history)?"""
    if account is None or not account.active:
        return False
    if is_person(signal["category"]):
        return account.role == Role.PROFESSIONAL and routed_to(account, signal)
    if account.role == Role.ADMIN:
        return True
    if routed_to(account, signal):
        return True
    return bool(area_codes(signal)) and account.covers(area_codes(signal)) or not account.scope


def can_change(account: Account | None, signal: dict[str, Any]) -> bool:
    """May this account change the signal (state, notes, routing)?"""
    if not can_view(account, signal):
        return False
    assert account is not None
    return account.role in (Role.PROFESSIONAL, Role.ADMIN)


def can_see_contact(account: Account | None, signal: dict[str, Any]) -> bool:
    """Contact details: only professionals the signal is routed to."""
    return (
        account is not None
        and account.role == Role.PROFESSIONAL
        and can_view(account, signal)
        and routed_to(account, signal)
    )
