"""Page data for the residents' side: the intake form and the follow page (HTML and JSON)."""

from __future__ import annotations

from typing import Any

from veerkracht.domain.signals import BY_CODE, CATEGORIES, GROUPS, MAX_DESCRIPTION, SignalState
from veerkracht.signals.service import follow, public_summary
from veerkracht.signals.workflow import REPORTER, allowed_states
from veerkracht.storage.engine import Store
from veerkracht.web.i18n import gettext as _

#: Dutch words for the states (the reporter's and the professional's view).
STATE_LABELS = {
    SignalState.SUBMITTED: "Received",
    SignalState.IN_PROGRESS: "In progress",
    SignalState.REPLY_REQUESTED: "Question for the reporter",
    SignalState.COMPLETED: "Handled",
    SignalState.REOPENED: "Reopened",
    SignalState.CANCELLED: "Stopped",
}

#: Order of the intake form's fields (for the error summary).
FIELDS = (
    "category",
    "description",
    "address",
    "photo",
    "contact_name",
    "contact_email",
    "contact_phone",
    "submission_key",
)


def state_label(code: str) -> str:
    """The Dutch word of a state code."""
    try:
        return _(STATE_LABELS[SignalState(code)])
    except ValueError:
        return code


def category_label(code: str) -> str:
    """The Dutch label of a category code."""
    found = BY_CODE.get(code)
    return _(found.label) if found else code


def category_tree() -> list[dict[str, Any]]:
    """Groups with their categories, Dutch labels and hints, in the form's order."""
    out = []
    for group, label in GROUPS.items():
        members = [c for c in CATEGORIES if c.group == group]
        out.append(
            {
                "group": group,
                "label": _(label),
                "categories": [
                    {
                        "code": c.code,
                        "label": _(c.label),
                        "hint": _(c.hint),
                        "person": c.person,
                        "target_days": c.target_days,
                    }
                    for c in members
                ],
            }
        )
    return out


def translate_errors(errors: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, str]:
    """Field → Dutch message, in the form's order."""
    ordered = sorted(errors, key=lambda f: FIELDS.index(f) if f in FIELDS else len(FIELDS))
    return {f: _(errors[f][0]) % errors[f][1] if errors[f][1] else _(errors[f][0]) for f in ordered}


def build_intake_form(
    *, values: dict[str, Any], errors: dict[str, str], submission_key: str
) -> dict[str, Any]:
    """What the intake form shows: the category tree, the values typed so far, the errors."""
    return {
        "groups": category_tree(),
        "values": {k: v for k, v in values.items() if v is not None},
        "errors": errors,
        "submission_key": submission_key,
        "max_description": MAX_DESCRIPTION,
    }


def build_follow_page(store: Store, token: str, *, base_url: str) -> dict[str, Any]:
    """What the personal link shows: never the text or place of a worry about a person."""
    signal, history = follow(store, token)
    summary = public_summary(signal)
    person = summary["person"]
    return {
        "signal": {
            **summary,
            "category_label": category_label(signal["category"]),
            "status_label": state_label(signal["status"]),
            "created_at": signal["created_at"].isoformat(timespec="minutes"),
        },
        "history": [
            {
                "at": row["at"].isoformat(timespec="minutes"),
                "status": row["to_state"],
                "status_label": state_label(row["to_state"]) if row["to_state"] else None,
                "note": None if person and row["actor"] == REPORTER else row["note"],
            }
            for row in history
        ],
        "reporter_actions": [
            {
                "to_state": s.value,
                "label": _("Reopen") if s == SignalState.REOPENED else _("Send my answer"),
            }
            for s in allowed_states(signal, REPORTER)
        ],
        "follow_url": f"{base_url}/signals/follow/{token}",
        "token": token,
    }
