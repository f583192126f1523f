"""Checks of what residents and professionals type for initiatives and budgets.

Every wrong field is named with an English msgid (shown in Dutch at the web edge) and collected
in one ``InitiativeRejected``, so a form can show all its errors at once.
"""

from __future__ import annotations

import re
from typing import Any

from veerkracht.domain.text_input import check_text as check_input
from veerkracht.errors import InputError

MAX_TITLE = 120
MAX_TEXT = 2000
MAX_NEEDS = 1000
MAX_NAME = 40
MAX_EMAIL = 254

#: Levels a resident may tie an initiative to.
INITIATIVE_LEVELS = ("block", "street")

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
_HOUSE_NUMBER = re.compile(r"^\s*(\d{1,5})\s*[A-Za-z]?\s*(?:[-\s]\s*[A-Za-z0-9]{1,4})?\s*$")
_KEY = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")

#: Order of the fields on the forms (for the error summary).
FIELDS = (
    "title",
    "description",
    "needs",
    "first_name",
    "postcode",
    "house_number",
    "level",
    "email",
    "text",
    "note",
    "amount",
    "purpose",
    "budget_id",
    "name",
    "area_code",
    "year",
    "reason",
    "decision",
    "submission_key",
)


class InitiativeRejected(InputError):
    """Fields that are not correct: field → (msgid, values)."""

    def __init__(self, errors: dict[str, tuple[str, dict[str, Any]]]) -> None:
        self.errors = dict(
            sorted(errors.items(), key=lambda kv: FIELDS.index(kv[0]) if kv[0] in FIELDS else 99)
        )
        detail = "; ".join(f"{f}: {m % v if v else m}" for f, (m, v) in self.errors.items())
        super().__init__(detail)


def raise_if(condition: bool, field: str, msgid: str, **values: Any) -> None:
    """Refuse one field when ``condition`` holds."""
    if condition:
        raise InitiativeRejected({field: (msgid, values)})


def check_text(value: Any, field: str, *, minimum: int, maximum: int) -> str:
    """Stripped text of ``minimum``–``maximum`` characters without markup (else refuse)."""
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    text = _text(value, field, minimum, maximum, errors)
    if errors:
        raise InitiativeRejected(errors)
    return text or ""


def check_key(value: Any) -> str | None:
    """A submission key from a form (idempotency), or None."""
    if value in (None, ""):
        return None
    raise_if(
        not isinstance(value, str) or not _KEY.match(value),
        "submission_key",
        "The form is not complete. Reload the page.",
    )
    return str(value)


def check_proposal(proposal: Any, *, place: bool = True) -> dict[str, Any]:
    """The fields of a proposal, or InitiativeRejected naming every wrong one."""
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    out: dict[str, Any] = {
        "title": _text(proposal.title, "title", 3, MAX_TITLE, errors),
        "description": _text(proposal.description, "description", 10, MAX_TEXT, errors),
        "needs": _text(proposal.needs, "needs", 0, MAX_NEEDS, errors) or None,
        "first_name": _text(proposal.first_name, "first_name", 1, MAX_NAME, errors),
    }
    if out["first_name"]:
        out["first_name"] = out["first_name"].split()[0]
    if place:
        out.update(_place_fields(proposal, errors))
    if errors:
        raise InitiativeRejected(errors)
    return out


def check_amount(value: Any, field: str = "amount") -> float:
    """A positive amount in euros (``750``, ``750,50``, ``1.250``), at most 1 million."""
    text = str(value if value is not None else "").strip().replace("€", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        amount = round(float(text), 2)
    except ValueError:
        amount = -1.0
    raise_if(
        not (0 < amount <= 1_000_000),
        field,
        "Give an amount in euros between 1 and 1,000,000, e.g. 750 or 750,50.",
    )
    return amount


def _place_fields(proposal: Any, errors: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    postcode = str(proposal.postcode or "").replace(" ", "").upper()
    if not _POSTCODE.match(postcode):
        errors["postcode"] = ("Write a postcode like 1234 AB.", {})
    out["postcode"] = postcode
    number = _HOUSE_NUMBER.match(str(proposal.house_number or ""))
    if number is None:
        errors["house_number"] = ("Write a house number, e.g. 12 or 12A.", {})
    out["house_number"] = int(number.group(1)) if number else None
    level = str(proposal.level or "block")
    if level not in INITIATIVE_LEVELS:
        errors["level"] = ("Choose your block or your street.", {})
    out["level"] = level
    email = _text(proposal.email, "email", 0, MAX_EMAIL, errors)
    if email and not _EMAIL.match(email):
        errors["email"] = ("This is not an e-mail address, e.g. naam@voorbeeld.nl.", {})
    out["email"] = email or None
    key = proposal.submission_key
    if key not in (None, "") and (not isinstance(key, str) or not _KEY.match(key)):
        errors["submission_key"] = ("The form is not complete. Reload the page.", {})
    out["submission_key"] = key or None
    return out


def _text(value: Any, field: str, minimum: int, maximum: int, errors: dict[str, Any]) -> str | None:
    return check_input(value, field, errors, maximum=maximum, minimum=minimum, markup=True)
