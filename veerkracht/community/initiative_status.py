"""Where an initiative stands: its statuses, who may change them (the transition table, as
data), the kinds of history rows, and the errors of refused actions (no I/O).
"""

from __future__ import annotations

from enum import StrEnum

from veerkracht.signals.errors import SignalError


class InitiativeStatus(StrEnum):
    """Where an initiative stands (the ``status`` column)."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    DONE = "done"
    STOPPED = "stopped"
    WITHDRAWN = "withdrawn"  # by the owner before it became active: gone everywhere


#: Statuses in which neighbours can still join and the owner can still edit.
OPEN = frozenset({InitiativeStatus.PROPOSED, InitiativeStatus.ACTIVE})
CLOSED = frozenset({InitiativeStatus.DONE, InitiativeStatus.STOPPED, InitiativeStatus.WITHDRAWN})


class Actor(StrEnum):
    """Who changes the status: the owner (personal link), a professional, or the system."""

    OWNER = "owner"
    PROFESSIONAL = "professional"
    SYSTEM = "system"


#: The whitelist of status changes: (from, to) → who may make it. Nothing else is allowed.
TRANSITIONS: dict[tuple[InitiativeStatus, InitiativeStatus], frozenset[Actor]] = {
    (InitiativeStatus.PROPOSED, InitiativeStatus.ACTIVE): frozenset({Actor.SYSTEM}),
    (InitiativeStatus.PROPOSED, InitiativeStatus.WITHDRAWN): frozenset({Actor.OWNER}),
    (InitiativeStatus.PROPOSED, InitiativeStatus.STOPPED): frozenset({Actor.PROFESSIONAL}),
    (InitiativeStatus.ACTIVE, InitiativeStatus.DONE): frozenset({Actor.OWNER, Actor.PROFESSIONAL}),
    (InitiativeStatus.ACTIVE, InitiativeStatus.STOPPED): frozenset(
        {Actor.OWNER, Actor.PROFESSIONAL}
    ),
}


class UpdateKind(StrEnum):
    """Kinds of rows in an initiative's history (``initiative_updates.kind``)."""

    UPDATE = "update"  # news from the owner (public) or a note (not public)
    SUPPORT = "support"  # a professional's offer of support, with organisation
    STATUS = "status"  # a change of status or approval; text = the new status or "approved"
    DECISION = "decision"  # a budget request or decision; text = "request:ID" / "decision:ID"


class InitiativeError(SignalError):
    """A refused action; ``msgid`` (English) is shown in Dutch at the web edge."""


class TransitionRefused(InitiativeError):
    """The transition table does not allow this change of status for this actor."""

    http_status = 409
    msgid = (
        'This initiative is "%(current)s" and cannot become "%(target)s". Possible: %(allowed)s.'
    )


class InitiativeChanged(InitiativeError):
    """Someone else changed the initiative first."""

    http_status = 409
    msgid = "Someone else changed this initiative just now. Reload the page and try again."


class NotOpen(InitiativeError):
    """The initiative is closed: nobody can join or change it any more."""

    http_status = 409
    msgid = "This initiative is closed. Nobody can join or change it any more."


class AlreadyJoined(InitiativeError):
    """This browser (or person) supports the initiative already."""

    http_status = 409
    msgid = "You already support this initiative."


class OwnInitiative(InitiativeError):
    """The owner does not join their own initiative: they carry it already."""

    http_status = 409
    msgid = "This is your own initiative. You carry it already; you do not need to join."


class ProfessionalsOnly(InitiativeError):
    """An action for professionals whose area covers the initiative."""

    http_status = 403
    msgid = "Only professionals who work in this area can do this."


def check_transition(current: str, target: str, actor: Actor) -> InitiativeStatus:
    """The target status when the table allows ``current → target`` for ``actor``; else refuse."""
    try:
        frm, to = InitiativeStatus(current), InitiativeStatus(target)
    except ValueError:
        frm, to = None, None
    if frm is None or to is None or actor not in TRANSITIONS.get((frm, to), frozenset()):
        allowed = ", ".join(sorted(s.value for s in next_statuses(current, actor))) or "-"
        raise TransitionRefused(
            f'"{current}" cannot become "{target}" by {actor.value}; allowed: {allowed}',
            current=current,
            target=target,
            allowed=allowed,
        )
    return to


def next_statuses(current: str, actor: Actor) -> list[InitiativeStatus]:
    """The statuses ``actor`` may move an initiative in ``current`` to (table order)."""
    return [to for (frm, to), who in TRANSITIONS.items() if frm == current and actor in who]
