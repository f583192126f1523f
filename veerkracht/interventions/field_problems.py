"""Problems with the fields of a catalogue entry, kept as data so every edge can word them.

A problem has a path (``sources[0].title``), a kind (pydantic's error type such as
``string_too_short``, or one of the catalogue's own, e.g. ``unknown_indicator`` or ``id_used``),
the values its message needs (pydantic's ``ctx``: ``{"min_length": 3}``), what was given, and
the English message the CLI prints. The web turns kind and values into Dutch
(``veerkracht/web/pages/catalogue_errors.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: The path of a problem with the whole text of an entry (not TOML, more than one table).
WHOLE_TEXT = ""


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field of an entry (see the module docstring)."""

    path: str
    kind: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    given: str | int | float | bool | None = None

    @property
    def field(self) -> str:
        """The top-level field a form shows the problem next to (``toml`` for the whole text)."""
        if self.path == WHOLE_TEXT:
            return "toml"
        return self.path.split(".", 1)[0].split("[", 1)[0]

    @property
    def text(self) -> str:
        """The English message with its field: ``field "goal": String should have …``."""
        return self.message if self.path == WHOLE_TEXT else f'field "{self.path}": {self.message}'


def from_pydantic(error: Mapping[str, Any]) -> FieldProblem:
    """One entry of ``ValidationError.errors()`` as a problem; the English message as the CLI
    has always printed it (``is required but missing``, ``… (got 'x')``)."""
    path = location(error["loc"])
    kind = str(error["type"])
    given = error.get("input")
    shown = given if isinstance(given, str | int | float | bool) else None
    params = {k: v if isinstance(v, str | int | float) else str(v) for k, v in _ctx(error).items()}
    if kind == "missing":
        return FieldProblem(path, kind, "is required but missing")
    if kind == "extra_forbidden":
        return FieldProblem(path, kind, "is not a known field", given=shown)
    message = str(error["msg"]).removeprefix("Value error, ")
    if not isinstance(given, dict | list):
        message += f" (got {given!r})"
    return FieldProblem(path, kind, message, params, shown)


def location(loc: Iterable[Any]) -> str:
    """A pydantic location as a path: ``("sources", 0, "title")`` → ``sources[0].title``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(entry)"


def _ctx(error: Mapping[str, Any]) -> dict[str, Any]:
    ctx = dict(error.get("ctx") or {})
    if "error" in ctx:  # a plain ValueError from a validator: its text is the detail
        ctx["error"] = str(ctx["error"])
    return ctx
