"""Signals and worries: categories, states and the transition table, as data (no I/O).

State and category codes are the values stored in ``signals.status`` and ``signals.category``
(the Demostad generator writes the same codes). A worry about a person (``zorg_om_buur``) is a
kind of its own: never public, need-to-know only, every read logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: The category of a worry about a person; identifiable by this code alone (indicators use it).
PERSON_CATEGORY = "zorg_om_buur"


class SignalState(StrEnum):
    """The states of a signal (stored codes are Dutch, as the Demostad generator writes them)."""

    SUBMITTED = "gemeld"
    IN_PROGRESS = "in_behandeling"
    REPLY_REQUESTED = "reactie_gevraagd"
    COMPLETED = "afgehandeld"
    REOPENED = "heropend"
    CANCELLED = "geannuleerd"


#: States in which a signal counts as closed (Open311 "closed", retention starts).
CLOSED_STATES: frozenset[SignalState] = frozenset({SignalState.COMPLETED, SignalState.CANCELLED})


class Actor(StrEnum):
    """Who may make a transition: a professional with access, or the reporter (personal link)."""

    PROFESSIONAL = "professional"
    REPORTER = "reporter"


#: The whitelist of transitions: (from, to) → who may make it. Nothing else is allowed.
TRANSITIONS: dict[tuple[SignalState, SignalState], frozenset[Actor]] = {
    (SignalState.SUBMITTED, SignalState.IN_PROGRESS): frozenset({Actor.PROFESSIONAL}),
    (SignalState.SUBMITTED, SignalState.COMPLETED): frozenset({Actor.PROFESSIONAL}),
    (SignalState.SUBMITTED, SignalState.CANCELLED): frozenset({Actor.PROFESSIONAL}),
    (SignalState.IN_PROGRESS, SignalState.REPLY_REQUESTED): frozenset({Actor.PROFESSIONAL}),
    (SignalState.IN_PROGRESS, SignalState.COMPLETED): frozenset({Actor.PROFESSIONAL}),
    (SignalState.IN_PROGRESS, SignalState.CANCELLED): frozenset({Actor.PROFESSIONAL}),
    (SignalState.REPLY_REQUESTED, SignalState.IN_PROGRESS): frozenset(
        {Actor.PROFESSIONAL, Actor.REPORTER}
    ),
    (SignalState.REPLY_REQUESTED, SignalState.COMPLETED): frozenset({Actor.PROFESSIONAL}),
    (SignalState.REPLY_REQUESTED, SignalState.CANCELLED): frozenset({Actor.PROFESSIONAL}),
    (SignalState.COMPLETED, SignalState.REOPENED): frozenset({Actor.PROFESSIONAL, Actor.REPORTER}),
    (SignalState.REOPENED, SignalState.IN_PROGRESS): frozenset({Actor.PROFESSIONAL}),
    (SignalState.REOPENED, SignalState.COMPLETED): frozenset({Actor.PROFESSIONAL}),
    (SignalState.REOPENED, SignalState.CANCELLED): frozenset({Actor.PROFESSIONAL}),
}


class IllegalTransition(ValueError):
    """A state change that the transition table does not allow for this actor."""

    def __init__(self, current: str, target: str, actor: str) -> None:
        self.current = current
        self.target = target
        self.actor = actor
        allowed = ", ".join(sorted(s.value for s in next_states(current, actor))) or "none"
        super().__init__(
            f'a signal in state "{current}" cannot go to "{target}" by a {actor}; '
            f"allowed: {allowed}"
        )


def next_states(current: str, actor: str) -> list[SignalState]:
    """The states a signal in ``current`` may move to when ``actor`` acts (table order)."""
    return [to for (frm, to), actors in TRANSITIONS.items() if frm == current and actor in actors]


def check_transition(current: str, target: str, actor: str) -> SignalState:
    """The target state when the table allows ``current → target`` for ``actor``; else raise."""
    frm, to = _state(current), _state(target)
    if frm is None or to is None or actor not in TRANSITIONS.get((frm, to), frozenset()):
        raise IllegalTransition(current, target, actor)
    return to


def _state(text: str) -> SignalState | None:
    try:
        return SignalState(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Category:
    """One leaf of the category tree: code, group, English msgid, handling target and kind."""

    code: str
    group: str
    label: str  # English msgid; the UI shows its Dutch translation
    hint: str  # English msgid: what belongs here, in plain words
    target_days: int  # target time to handle
    person: bool = False  # a worry about a person: need-to-know only, never public

    @property
    def public(self) -> bool:
        """May be shown publicly (Open311, nearby hints, public counts)."""
        return not self.person


#: Groups of the tree, in the order the intake form shows them (code → English msgid).
GROUPS: dict[str, str] = {
    "overlast": "Nuisance",
    "spanningen": "Tensions between neighbours",
    "onveilig": "Feeling unsafe",
    "zorg": "Worry about a neighbour",
    "idee": "Idea or offer",
}

CATEGORIES: tuple[Category, ...] = (
    Category("overlast_geluid", "overlast", "Noise", "Loud music, shouting, noise at night.", 10),
    Category("overlast_afval", "overlast", "Rubbish", "Rubbish next to bins, dumped furniture.", 5),
    Category(
        "overlast_overig", "overlast", "Other nuisance", "Smell, vermin, a messy stairwell.", 10
    ),
    Category(
        "spanningen",
        "spanningen",
        "Tensions between neighbours",
        "Quarrels, threats or bullying between neighbours.",
        10,
    ),
    Category(
        "onveilig",
        "onveilig",
        "Feeling unsafe",
        "A place or situation where you do not feel safe.",
        10,
    ),
    Category(
        PERSON_CATEGORY,
        "zorg",
        "Worry about a neighbour",
        "You are worried about how a neighbour is doing.",
        3,
        person=True,
    ),
    Category(
        "idee_aanbod",
        "idee",
        "Idea or offer",
        "An idea for the neighbourhood, or something you want to offer.",
        20,
    ),
)

BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}


def category(code: str) -> Category:
    """The category with ``code``, or ValueError naming the allowed codes."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise ValueError(f'category "{code}" is not one of {", ".join(BY_CODE)}') from None


def is_person(code: str) -> bool:
    """True for a worry about a person (unknown codes count as sensitive, to be safe)."""
    found = BY_CODE.get(code)
    return True if found is None else found.person


#: Maximum lengths of what a reporter types.
MAX_DESCRIPTION = 2000
MAX_NAME = 100
MAX_EMAIL = 254
MAX_PHONE = 30
