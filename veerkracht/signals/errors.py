"""Errors of the signal service; each carries a Dutch-ready message (English msgid + values)."""

from __future__ import annotations

from typing import Any

from veerkracht.errors import Forbidden, InputError, VeerkrachtError


class SignalError(VeerkrachtError):
    """Base: ``msgid`` (English, translated at the edge) with ``values`` for its placeholders."""

    msgid = "Something went wrong on our side. Try again later."

    def __init__(self, message: str, *, msgid: str | None = None, **values: Any) -> None:
        super().__init__(message)
        if msgid is not None:
            self.msgid = msgid
        self.values = values


class IntakeRejected(InputError):
    """Fields of a submitted signal that are not correct: field → (msgid, values)."""

    def __init__(self, errors: dict[str, tuple[str, dict[str, Any]]]) -> None:
        self.errors = errors
        detail = "; ".join(
            f"{field}: {msgid % values}" for field, (msgid, values) in errors.items()
        )
        super().__init__(detail)


class TransitionRefused(SignalError):
    """The transition table does not allow this change of state."""

    http_status = 409
    msgid = 'This signal is "%(current)s" and cannot become "%(target)s". Possible: %(allowed)s.'


class SignalChanged(SignalError):
    """Someone else changed the signal first."""

    http_status = 409
    msgid = "Someone else changed this signal just now. Reload the page and try again."


class NotAllowed(Forbidden):
    """The viewer may not see or change this signal (the message never says what it holds)."""


class LoginRefused(SignalError):
    """Wrong username or password, or a blocked account (one message for all)."""

    http_status = 401
    msgid = "The username or password is not correct."


class TooManyAttempts(SignalError):
    """Too many failed logins in the window."""

    http_status = 429
    msgid = "Too many attempts. Wait %(minutes)s minutes and try again."
