"""Editing the catalogue in the app: the effective catalogue, and adding, editing, retiring.

The effective catalogue is the shipped TOML entries overlaid with the entries administrators
saved in the store (table ``intervention_catalogue``): an edited entry replaces the shipped one
with the same id, an added entry comes after the shipped ones, a retired entry is hidden from
suggestions (kept in ``Catalogue.retired``). An entry from the app is validated exactly like a
shipped one before it is stored; every problem names the field and what was expected. Every
change is effective at once (suggestions read the effective catalogue on each request) and is
audit-logged with who made it.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from veerkracht.errors import InputError, NotFound
from veerkracht.interventions.catalogue import (
    Catalogue,
    CatalogueError,
    Intervention,
    check_fields,
    shipped_catalogue,
)
from veerkracht.interventions.field_problems import WHOLE_TEXT, FieldProblem
from veerkracht.storage import intervention_catalogue as overrides
from veerkracht.storage.engine import Store

#: Where problems of stored entries say they come from.
STORED = "intervention_catalogue"


class EntryError(CatalogueError):
    """A bad entry from the app: ``problems`` in English with where they are, ``details`` as
    data (field path, kind, values) so the web can word them in Dutch next to the field."""

    def __init__(self, problems: list[str], details: Sequence[FieldProblem]) -> None:
        super().__init__(problems)
        self.details = tuple(details)

    @property
    def fields(self) -> dict[str, list[str]]:
        """Each top-level field (or "toml" for the whole text) with its English problems."""
        fields: dict[str, list[str]] = {}
        for problem in self.details:
            fields.setdefault(problem.field, []).append(problem.text)
        return fields

    @classmethod
    def one(cls, where: str, problem: FieldProblem) -> EntryError:
        """One problem, its English text prefixed with ``where`` (``new entry, field "id": …``)."""
        joiner = ": " if problem.path == WHOLE_TEXT else ", "
        return cls([f"{where}{joiner}{problem.text}" if where else problem.text], [problem])


class CatalogueConflict(InputError):
    """Somebody else changed the entry after the editor opened it."""

    http_status = 409


def effective_catalogue(store: Store) -> Catalogue:
    """The shipped catalogue overlaid with the entries stored by administrators."""
    return overlay(shipped_catalogue(), overrides.read_overrides(store))


def overlay(shipped: Catalogue, rows: Iterable[Mapping[str, Any]]) -> Catalogue:
    """``shipped`` with stored ``rows`` (intervention_id, body, active) applied; a stored body
    that no longer validates is skipped and named in ``problems`` (the shipped entry stays)."""
    entries = {item.id: item for item in shipped}
    origins = dict.fromkeys(entries, "shipped")
    retired: dict[str, Intervention] = {}
    problems: list[str] = []
    for row in rows:
        key = str(row["intervention_id"])
        try:
            item = parse_entry(str(row["body"]), where=f'{STORED} row "{key}"')
        except EntryError as error:
            problems += error.problems
            continue
        if item.id != key:
            problems.append(f'{STORED} row "{key}", field "id": is "{item.id}" (expected "{key}")')
            continue
        origins[key] = "edited" if key in origins else "added"
        entries[key] = item
        if not row["active"]:
            retired[key] = entries.pop(key)
    return Catalogue(
        interventions=tuple(entries.values()),
        paths=shipped.paths,
        retired=tuple(retired.values()),
        origins=origins,
        problems=tuple(problems),
    )


def parse_entry(text: str, *, where: str = "entry") -> Intervention:
    """One entry from TOML text: a single ``[[intervention]]`` table, or its fields at the top
    level. EntryError names every problem with its field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = f"not valid TOML ({error})"
        problem = FieldProblem(WHOLE_TEXT, "toml_invalid", message, {"error": str(error)})
        raise EntryError.one(where, problem) from None
    if "intervention" not in data:
        return check_entry(data, where=where)
    tables, stray = data["intervention"], sorted(set(data) - {"intervention"})
    if stray or not isinstance(tables, list) or len(tables) != 1:
        found = len(tables) if isinstance(tables, list) else 0
        message = (
            "expected exactly one [[intervention]] table and nothing else "
            f"(found {found} table(s){' and ' + ', '.join(stray) if stray else ''})"
        )
        params = {"found": found, "stray": ", ".join(stray)}
        raise EntryError.one(where, FieldProblem(WHOLE_TEXT, "toml_tables", message, params))
    return check_entry(tables[0], where=where)


def check_entry(entry: Any, *, where: str = "entry") -> Intervention:
    """Validate one entry (a mapping of fields) like the shipped ones, or EntryError."""
    item, details = check_fields(entry)
    if item is not None:
        return item
    label = (
        f'intervention "{entry["id"]}"'
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"]
        else "intervention (without id)"
    )
    problems = [f'{where}, {label}, field "{p.path}": {p.message}' for p in details]
    raise EntryError(problems, details)


def parse_conditions(text: str, *, name: str) -> list[Any]:
    """A TOML array of conditions as typed in a form field (``[{indicator = …}, …]``)."""
    if not text.strip():
        return []
    try:
        value = tomllib.loads(f"{name} = {text.strip()}")[name]
    except tomllib.TOMLDecodeError as error:
        message = f"not a TOML array of {{…}} conditions ({error})"
        problem = FieldProblem(name, "conditions_not_toml", message, {"error": str(error)})
        raise EntryError.one("", problem) from None
    return list(value) if isinstance(value, list) else [value]


def save_entry(
    store: Store,
    entry: Intervention,
    *,
    editing: str | None,
    by: str,
    now: datetime,
    seen: datetime | None,
) -> Intervention:
    """Store an edited entry (``editing`` its id) or a new one (``editing`` None); effective at
    once. ``seen`` is the ``updated_at`` of the stored entry when the editor opened it (None:
    none was stored); when it changed since, CatalogueConflict and nothing is written."""
    catalogue = effective_catalogue(store)
    known = {i.id for i in (*catalogue.interventions, *catalogue.retired)}
    if editing is not None and editing not in known:
        raise NotFound(f'no intervention "{editing}" in the catalogue')
    if editing is not None and entry.id != editing:
        message = f'is "{entry.id}" (expected "{editing}"; add a new entry instead)'
        params = {"value": entry.id, "expected": editing}
        raise EntryError.one("", FieldProblem("id", "id_changed", message, params))
    if editing is None and entry.id in known:
        message = f'"{entry.id}" is already used (expected a new, unique id)'
        problem = FieldProblem("id", "id_used", message, {"value": entry.id})
        raise EntryError.one("", problem)
    active = all(i.id != entry.id for i in catalogue.retired)
    action = "add" if editing is None else "edit"
    _write(store, entry.id, entry_toml(entry), active, by, now, seen, action)
    return entry


def retire_entry(store: Store, intervention_id: str, *, by: str, now: datetime) -> None:
    """Hide an entry from suggestions (it stays in the catalogue, marked retired)."""
    _set_active(store, intervention_id, active=False, by=by, now=now)


def restore_entry(store: Store, intervention_id: str, *, by: str, now: datetime) -> None:
    """Bring a retired entry back into the suggestions."""
    _set_active(store, intervention_id, active=True, by=by, now=now)


def revert_entry(store: Store, intervention_id: str, *, by: str, now: datetime) -> None:
    """Drop the stored edit of a shipped entry, so the shipped text applies again."""
    if intervention_id not in {i.id for i in shipped_catalogue()}:
        raise InputError(f'"{intervention_id}" is not a shipped intervention', field="id")
    row = overrides.read_override(store, intervention_id)
    if row is None:
        raise InputError(f'"{intervention_id}" has no stored edit to undo', field="id")
    if not overrides.delete_override(
        store, intervention_id, by=by, now=now, previous=row["updated_at"]
    ):
        raise _conflict(intervention_id)


def entry_toml(item: Intervention) -> str:
    """The entry as a ``[[intervention]]`` table, as in the shipped files (round-trips)."""
    data = item.model_dump(mode="json", exclude_defaults=True)
    lines = ["[[intervention]]"]
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key} = [")
            lines += [f"  {toml_value(v)}," for v in value]
            lines.append("]")
        else:
            lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def conditions_toml(conditions: Iterable[Any]) -> str:
    """Conditions as the TOML array a form field shows, one condition per line."""
    rows = [toml_value(c.model_dump(mode="json", exclude_defaults=True)) for c in conditions]
    return "[\n" + "".join(f"  {row},\n" for row in rows) + "]" if rows else ""


def toml_value(value: Any) -> str:
    """A TOML value: basic strings, numbers, booleans, arrays and inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _set_active(
    store: Store, intervention_id: str, *, active: bool, by: str, now: datetime
) -> None:
    catalogue = effective_catalogue(store)
    current = {i.id: i for i in (catalogue.retired if active else catalogue.interventions)}
    if intervention_id not in current:
        state = "retired" if active else "active"
        raise InputError(f'"{intervention_id}" is not an {state} intervention', field="id")
    row = overrides.read_override(store, intervention_id)
    body = str(row["body"]) if row else entry_toml(current[intervention_id])
    seen = row["updated_at"] if row else None
    _write(store, intervention_id, body, active, by, now, seen, "restore" if active else "retire")


def _write(
    store: Store,
    intervention_id: str,
    body: str,
    active: bool,
    by: str,
    now: datetime,
    seen: datetime | None,
    action: str,
) -> None:
    done = overrides.save_override(
        store,
        intervention_id=intervention_id,
        body=body,
        active=active,
        by=by,
        now=now,
        previous=seen,
        action=action,
    )
    if not done:
        raise _conflict(intervention_id)


def _conflict(intervention_id: str) -> CatalogueConflict:
    return CatalogueConflict(
        f'somebody else changed intervention "{intervention_id}" in the meantime '
        "(expected the version you opened); reload the page and make your change again",
        field="version",
    )
