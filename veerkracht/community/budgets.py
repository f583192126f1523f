"""Neighbourhood budgets: a public record of what residents asked for and what was decided.

Administrators create a budget for an area (buurt, wijk or gemeente) and a year. The owner of
an active initiative in that area asks for an amount with a purpose; an administrator grants
it, grants part of it or refuses it, with a reason. Requests and decisions (amounts, reason,
date) are public; what is left of the budget is shown next to them. A grant never exceeds what
is left (checked in the same transaction as the decision).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from babel.numbers import format_decimal

from veerkracht.assessment.disclosure import Viewer
from veerkracht.community.audience import area_codes_of
from veerkracht.community.initiative_checks import (
    InitiativeRejected,
    check_amount,
    check_text,
    raise_if,
)
from veerkracht.community.initiative_status import (
    InitiativeChanged,
    InitiativeError,
    InitiativeStatus,
    UpdateKind,
)
from veerkracht.community.initiatives import read_owned
from veerkracht.errors import NotFound
from veerkracht.storage import initiatives as db
from veerkracht.storage.engine import Store

#: The levels a budget may be set for, by the code's prefix.
AREA_LEVELS = {"BU": "neighbourhood", "WK": "district", "GM": "municipality"}


class Decision(StrEnum):
    """What was decided on a request (``budget_requests.decision``)."""

    PENDING = "pending"
    GRANTED = "granted"
    PARTLY = "partly"
    REFUSED = "refused"


class AdminsOnly(InitiativeError):
    """Budgets are created and decided by administrators whose scope covers the area."""

    http_status = 403
    msgid = "Only administrators of this area can do this."


class NotActive(InitiativeError):
    """Only an active initiative may ask for budget."""

    http_status = 409
    msgid = "Only an active initiative (with at least three supporters) can ask for budget."


def create_budget(
    store: Store, *, name: Any, area_code: Any, year: Any, amount: Any, viewer: Viewer
) -> dict[str, Any]:
    """An administrator creates the budget of an area for a year (one per area and year)."""
    code = str(area_code or "").strip().upper()
    _require_admin(viewer, code)
    title = check_text(name, "name", minimum=3, maximum=120)
    level = AREA_LEVELS.get(code[:2])
    raise_if(
        level is None or db.read_unit_point(store, level, code) is None,
        "area_code",
        'There is no buurt, wijk or gemeente with code "%(code)s".',
        code=code,
    )
    try:
        chosen_year = int(str(year).strip())
    except ValueError:
        chosen_year = 0
    raise_if(not 2000 <= chosen_year <= 2100, "year", "Give a year such as 2026.")
    row: dict[str, Any] = {
        "budget_id": f"{code}-{chosen_year}",
        "name": title,
        "area_code": code,
        "year": chosen_year,
        "amount": check_amount(amount),
    }
    raise_if(
        not db.insert_budget(store, row),
        "area_code",
        "There is already a budget for this area and year.",
    )
    return read_budget(store, row["budget_id"])


def read_budget(store: Store, budget_id: str) -> dict[str, Any]:
    """One budget with ``granted`` and ``remaining``; NotFound when there is none."""
    found = db.read_budget(store, budget_id)
    if found is None:
        raise NotFound(f'no budget "{budget_id}"')
    return _with_remaining(found)


def read_budgets(store: Store) -> list[dict[str, Any]]:
    """Every budget with ``granted`` and ``remaining``, newest year first."""
    return [_with_remaining(b) for b in db.read_budgets(store)]


def budgets_for(store: Store, initiative: dict[str, Any]) -> list[dict[str, Any]]:
    """The budgets whose area covers the initiative's buurt."""
    codes = area_codes_of(initiative.get("neighbourhood_code"))
    return [b for b in read_budgets(store) if b["area_code"] in codes]


def request_budget(
    store: Store, token: str, *, budget_id: Any, amount: Any, purpose: Any, now: datetime
) -> int:
    """The owner of an active initiative asks a budget of its area for an amount and a purpose."""
    initiative = read_owned(store, token)
    if initiative["status"] != InitiativeStatus.ACTIVE or not initiative["approved"]:
        raise NotActive(f"initiative {initiative['initiative_id']} is {initiative['status']}")
    budget = next((b for b in budgets_for(store, initiative) if b["budget_id"] == budget_id), None)
    raise_if(budget is None, "budget_id", "Choose a budget of your own area.")
    assert budget is not None
    value = check_amount(amount)
    text = check_text(purpose, "purpose", minimum=10, maximum=1000)
    row = {
        "initiative_id": initiative["initiative_id"],
        "budget_id": budget["budget_id"],
        "amount_requested": value,
        "purpose": text,
        "requested_at": now,
        "decision": Decision.PENDING.value,
    }
    history = _history(now, "owner", initiative["initiative_id"], "request")
    request_id = db.insert_budget_request(store, row, history, budget_amount=budget["amount"])
    if request_id is None:
        raise InitiativeRejected(
            {
                "amount": (
                    "This is more than is left in the budget (%(left)s).",
                    {"left": euros(budget["remaining"])},
                )
            }
        )
    return request_id


def decide(
    store: Store,
    request_id: int,
    *,
    decision: Any,
    amount_granted: Any,
    reason: Any,
    viewer: Viewer,
    now: datetime,
) -> dict[str, Any]:
    """An administrator decides a pending request: granted, partly (with amount) or refused."""
    request = _request(store, request_id)
    budget = read_budget(store, request["budget_id"])
    _require_admin(viewer, budget["area_code"])
    raise_if(
        decision not in (Decision.GRANTED, Decision.PARTLY, Decision.REFUSED),
        "decision",
        "Choose granted, partly granted or refused.",
    )
    chosen = Decision(decision)
    amount = _granted_amount(chosen, amount_granted, request["amount_requested"])
    text = (
        check_text(reason, "reason", minimum=0 if chosen is Decision.GRANTED else 5, maximum=1000)
        or None
    )
    values = {
        "decision": chosen.value,
        "amount_granted": amount,
        "decided_at": now,
        "decided_by": (viewer.name or viewer.role)[:40],
        "decision_reason": text,
    }
    history = _history(now, viewer.name or viewer.role, request["initiative_id"], "decision")
    history["text"] = f"decision:{request_id}"
    try:
        fits = db.decide_budget_request(
            store,
            request_id,
            values=values,
            history=history,
            budget_id=budget["budget_id"],
            budget_amount=budget["amount"],
        )
    except db.StaleInitiative:
        raise InitiativeChanged(str(request_id)) from None
    raise_if(
        not fits,
        "amount",
        "This is more than is left in the budget (%(left)s).",
        left=euros(budget["remaining"]),
    )
    return _request(store, request_id)


def public_record(
    store: Store, *, budget_id: str | None = None, initiative_id: str | None = None
) -> list[dict[str, Any]]:
    """Requests and decisions as everybody may see them (not who decided: the municipality)."""
    rows = db.read_budget_requests(store, budget_id=budget_id, initiative_id=initiative_id)
    return [
        {
            k: r[k]
            for k in (
                "request_id",
                "initiative_id",
                "budget_id",
                "amount_requested",
                "purpose",
                "requested_at",
                "decision",
                "amount_granted",
                "decided_at",
                "decision_reason",
            )
        }
        for r in rows
    ]


def euros(amount: float | None) -> str:
    """``€ 1.250`` or ``€ 750,50`` (Dutch)."""
    if amount is None:
        return "—"
    pattern = "#,##0" if float(amount).is_integer() else "#,##0.00"
    return f"€\u00a0{format_decimal(amount, format=pattern, locale='nl')}"


def _granted_amount(decision: Decision, given: Any, requested: float) -> float:
    if decision is Decision.GRANTED:
        return float(requested)
    if decision is Decision.REFUSED:
        return 0.0
    amount = check_amount(given, "amount")
    raise_if(
        amount >= requested,
        "amount",
        "A partial grant is less than the %(requested)s asked for.",
        requested=euros(requested),
    )
    return amount


def _request(store: Store, request_id: int) -> dict[str, Any]:
    found = [r for r in db.read_budget_requests(store) if r["request_id"] == request_id]
    if not found:
        raise NotFound(f"no budget request {request_id}")
    return found[0]


def _require_admin(viewer: Viewer, area_code: str) -> None:
    covered = not viewer.scope or bool(viewer.scope & _codes_of(area_code))
    if viewer.role != "admin" or not covered:
        raise AdminsOnly(f"{viewer.role} may not manage budgets of {area_code}")


def _codes_of(area_code: str) -> set[str]:
    """The area with the areas above it (a wijk budget is covered by a gemeente scope)."""
    if area_code.startswith("BU"):
        return area_codes_of(area_code)
    if area_code.startswith("WK") and len(area_code) >= 6:
        return {area_code, "GM" + area_code[2:6]}
    return {area_code}


def _with_remaining(budget: dict[str, Any]) -> dict[str, Any]:
    granted = float(budget.get("granted") or 0.0)
    return {**budget, "granted": granted, "remaining": float(budget["amount"]) - granted}


def _history(now: datetime, author: str, initiative_id: str, what: str) -> dict[str, Any]:
    return {
        "initiative_id": initiative_id,
        "at": now,
        "kind": UpdateKind.DECISION.value,
        "author": author[:40],
        "organisation_id": None,
        "text": what,
        "public": True,
    }
