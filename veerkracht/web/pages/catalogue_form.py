"""The administrator's form for one catalogue entry: as fields or as TOML text.

Both ways end in the same check as the shipped catalogue (``catalogue_edit.check_entry``); a
problem is shown next to the field it names and nothing is stored until every field is right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from veerkracht.assessment.disclosure import Viewer
from veerkracht.errors import Forbidden, InputError
from veerkracht.interventions.catalogue import EVIDENCE_LABELS, LEVEL_NAMES, Cost, Intervention
from veerkracht.interventions.catalogue_edit import (
    CatalogueConflict,
    EntryError,
    check_entry,
    conditions_toml,
    effective_catalogue,
    entry_toml,
    parse_conditions,
    parse_entry,
    restore_entry,
    retire_entry,
    revert_entry,
    save_entry,
)
from veerkracht.interventions.field_problems import WHOLE_TEXT, FieldProblem
from veerkracht.interventions.unit_profile import level_word
from veerkracht.storage import intervention_catalogue as overrides
from veerkracht.storage.engine import Store
from veerkracht.web.i18n import gettext as _
from veerkracht.web.pages.catalogue_errors import BAD_VERSION, CONFLICT, fields_in_dutch
from veerkracht.web.pages.interventions import (
    CATALOGUE_URL,
    COST_WORDS,
    entry_url,
    find_entry,
    terrain_options,
)

Mode = Literal["form", "toml"]
TEXT_FIELDS = ("id", "name", "target_group", "goal", "approach", "who", "evidence_note")
CHOICE_FIELDS = ("terrain", "cost", "evidence")
CONDITION_FIELDS = ("requires", "fits_when")
SOURCE_PARTS = ("title", "publisher", "url", "year")
#: Empty source rows offered below the filled ones.
EMPTY_SOURCES = 2
MAX_TEXT = 5_000
MAX_TOML = 60_000
#: Ids that would clash with a page address (/interventions/catalogue/new).
RESERVED_IDS = frozenset({"new"})
STATE_CHANGES = {"retire": retire_entry, "restore": restore_entry, "revert": revert_entry}


class CatalogueForbidden(Forbidden):
    """Only administrators change the catalogue."""


class CatalogueForm(BaseModel):
    """What the edit form shows: the values, the choices and the problems per field."""

    mode: Mode
    editing: str | None = Field(description="The id being edited; None for a new entry")
    values: dict[str, str]
    levels: list[str]
    sources: list[dict[str, str]]
    toml: str
    version: str = Field(description="updated_at of the stored entry when the form was opened")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Problems per field, in Dutch"
    )
    problems: list[str] = Field(default_factory=list, description="The problems, in English")
    terrains: list[tuple[str, str]] = Field(default_factory=terrain_options)
    costs: list[tuple[str, str]] = Field(
        default_factory=lambda: [(c.value, _(COST_WORDS[c.value])) for c in Cost]
    )
    evidences: list[tuple[str, str]] = Field(
        default_factory=lambda: [(e.value, label) for e, label in EVIDENCE_LABELS.items()]
    )
    level_choices: list[tuple[str, str]] = Field(
        default_factory=lambda: [(lv, level_word(lv)) for lv in LEVEL_NAMES]
    )

    @property
    def action_url(self) -> str:
        return f"{entry_url(self.editing)}/edit" if self.editing else f"{CATALOGUE_URL}/new"

    @property
    def cancel_url(self) -> str:
        return entry_url(self.editing) if self.editing else CATALOGUE_URL


def require_admin(viewer: Viewer) -> None:
    """CatalogueForbidden unless the viewer is an administrator."""
    if viewer.role != "admin":
        raise CatalogueForbidden("only administrators may change the intervention catalogue")


def build_form(
    store: Store, *, viewer: Viewer, editing: str | None, mode: Mode = "form"
) -> CatalogueForm:
    """The form for a new entry, or for ``editing`` filled with its current text."""
    require_admin(viewer)
    if editing is None:
        return CatalogueForm(
            mode=mode, editing=None, values={}, levels=[], sources=_sources([]), toml="", version=""
        )
    item, _retired = find_entry(effective_catalogue(store), editing, with_retired=True)
    row = overrides.read_override(store, editing)
    return CatalogueForm(
        mode=mode,
        editing=editing,
        values=_values(item),
        levels=list(item.levels),
        sources=_sources([s.model_dump(exclude_none=True) for s in item.sources]),
        toml=entry_toml(item),
        version=row["updated_at"].isoformat() if row else "",
    )


def submit_form(
    store: Store,
    fields: Mapping[str, str],
    levels: Sequence[str],
    *,
    viewer: Viewer,
    editing: str | None,
    now: datetime,
) -> tuple[Intervention | None, CatalogueForm]:
    """Check and store a submitted form: (the saved entry, the form) when every field is
    right, else (None, the form with the values as typed and the problems per field)."""
    require_admin(viewer)
    mode: Mode = "toml" if fields.get("mode") == "toml" else "form"
    form = CatalogueForm(
        mode=mode,
        editing=editing,
        values={k: fields.get(k, "") for k in (*TEXT_FIELDS, *CHOICE_FIELDS, *CONDITION_FIELDS)},
        levels=[lv for lv in levels if lv],
        sources=_sources(_typed_sources(fields)),
        toml=fields.get("toml", ""),
        version=fields.get("version", ""),
    )
    try:
        entry = _entry(form)
        saved = save_entry(
            store,
            entry,
            editing=editing,
            by=viewer.name or "admin",
            now=now,
            seen=_version(form.version),
        )
    except EntryError as error:
        errors = fields_in_dutch(error.details)
        return None, form.model_copy(update={"errors": errors, "problems": error.problems})
    except CatalogueConflict:
        return None, form.model_copy(update={"errors": {"version": [_(CONFLICT)]}})
    except InputError as error:
        if error.field != "version":
            raise
        return None, form.model_copy(update={"errors": {"version": [_(BAD_VERSION)]}})
    return saved, form


def save_api_entry(
    store: Store,
    entry: Intervention,
    *,
    viewer: Viewer,
    editing: str | None,
    version: str | None,
    now: datetime,
) -> Intervention:
    """Store an entry sent to the API (already checked); ``version`` as in the form."""
    require_admin(viewer)
    _check_id(entry, where=f'entry "{editing}"' if editing else "new entry")
    seen = _version(version or "")
    return save_entry(store, entry, editing=editing, by=viewer.name or "admin", now=now, seen=seen)


def change_entry_state(
    store: Store, intervention_id: str, action: str, *, viewer: Viewer, now: datetime
) -> None:
    """Retire, restore or revert one entry (administrators only)."""
    require_admin(viewer)
    STATE_CHANGES[action](store, intervention_id, by=viewer.name or "admin", now=now)


def _check_id(entry: Intervention, *, where: str) -> None:
    if entry.id in RESERVED_IDS:
        message = f'"{entry.id}" is reserved (expected another id)'
        raise EntryError.one(where, FieldProblem("id", "id_reserved", message, {"value": entry.id}))


def _entry(form: CatalogueForm) -> Intervention:
    entry = _parse_form(form)
    _check_id(entry, where=f'entry "{form.editing}"' if form.editing else "new entry")
    return entry


def _parse_form(form: CatalogueForm) -> Intervention:
    where = f'entry "{form.editing}"' if form.editing else "new entry"
    if form.mode == "toml":
        if len(form.toml) > MAX_TOML:
            raise EntryError.one(where, _too_long(WHOLE_TEXT, MAX_TOML))
        return parse_entry(form.toml, where=where)
    data: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for name in (*TEXT_FIELDS, *CHOICE_FIELDS):
        value = form.values.get(name, "").strip()
        if len(value) > MAX_TEXT:
            problems.append(_too_long(name, MAX_TEXT))
        elif value:
            data[name] = value
    data["levels"] = form.levels
    data["sources"] = [_source_entry(s) for s in form.sources if any(s.values())]
    for name in CONDITION_FIELDS:
        try:
            conditions = parse_conditions(form.values.get(name, ""), name=name)
        except EntryError as error:
            problems += error.details
            continue
        if conditions or name == "fits_when":
            data[name] = conditions
    try:
        entry = check_entry(data, where=where)
    except EntryError as error:
        # a field's own problem (too long, not TOML) explains the check's problem with it
        mine = {p.field for p in problems}
        details = [p for p in error.details if p.field not in mine] + problems
        raise EntryError(error.problems + [p.text for p in problems], details) from None
    if problems:
        raise EntryError([p.text for p in problems], problems)
    return entry


def _values(item: Intervention) -> dict[str, str]:
    values = {name: str(getattr(item, name) or "") for name in TEXT_FIELDS}
    values |= {"terrain": item.terrain.value, "cost": item.cost.value}
    values |= {"evidence": item.evidence.value}
    values |= {name: conditions_toml(getattr(item, name)) for name in CONDITION_FIELDS}
    return values


def _sources(filled: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows = [{part: str(source.get(part) or "") for part in SOURCE_PARTS} for source in filled]
    return rows + [dict.fromkeys(SOURCE_PARTS, "") for _ in range(EMPTY_SOURCES)]


def _typed_sources(fields: Mapping[str, str]) -> list[dict[str, Any]]:
    """The filled source rows of a submitted form (fields ``source_title_0`` …)."""
    rows = []
    index = 0
    while any(f"source_{part}_{index}" in fields for part in SOURCE_PARTS):
        row = {part: fields.get(f"source_{part}_{index}", "").strip() for part in SOURCE_PARTS}
        if any(row.values()):
            rows.append(row)
        index += 1
    return rows


def _source_entry(row: Mapping[str, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {k: v for k, v in row.items() if v and k != "year"}
    year = row.get("year", "")
    if year:
        entry["year"] = int(year) if year.isdigit() else year
    return entry


def _version(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f'"{text}" is not a date and time (expected the version of the opened form)',
            field="version",
        ) from None


def _too_long(path: str, most: int) -> FieldProblem:
    message = f"is longer than {most} characters"
    return FieldProblem(path, "text_too_long", message, {"max_length": most})
