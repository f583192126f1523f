"""What the intervention log says about a unit: interventions running (or planned) there or in
a unit around it, or that ran there before, as plain Dutch notes for the suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date

from veerkracht.domain.levels import PARENT, Level
from veerkracht.errors import NotFound
from veerkracht.interventions.unit_profile import level_word
from veerkracht.storage import Store
from veerkracht.storage import units as unit_store
from veerkracht.storage.intervention_log import read_log

#: Levels whose Dutch word takes "het" (het pand, het bouwblok).
NEUTER_LEVELS = frozenset({"building", "block"})


@dataclass(frozen=True)
class LogNote:
    """What the intervention log says about an intervention here: running (or planned) since
    ``started_on``, or ended; logged for this unit or for a unit around it (``own`` False)."""

    status: str  # running | planned | ended
    started_on: date
    ended_on: date | None
    level: str
    key: str
    unit_name: str
    organisation: str
    own: bool

    @property
    def active(self) -> bool:
        """Running or planned: it is (about to be) done here, so it is ranked after new ones."""
        return self.status != "ended"

    @property
    def text(self) -> str:
        """'Loopt hier al sinds 3 maart 2023 (Welzijn West).', 'Loopt al sinds … in de hele
        straat (Lindenstraat) (…).' and the like, in plain Dutch."""
        since, who = _dutch_date(self.started_on), f" ({self.organisation})"
        where = "hier" if self.own else _whole(self.level, self.unit_name)
        if self.status == "planned":
            return f"Staat {where} gepland vanaf {since}{who}."
        if self.status == "running":
            if self.own:
                return f"Loopt hier al sinds {since}{who}."
            return f"Loopt al sinds {since} {where}{who}."
        return f"Liep {where} van {since} tot {_dutch_date(self.ended_on)}{who}."

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "started_on": self.started_on.isoformat(),
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "level": self.level,
            "key": self.key,
            "unit_name": self.unit_name,
            "organisation": self.organisation,
            "own_unit": self.own,
            "text": self.text,
        }


def read_log_notes(
    store: Store,
    chain: list[tuple[str, str, str]],
    *,
    known: set[str],
    today: date | None = None,
) -> dict[str, LogNote]:
    """Per catalogue id, what the log says for the first unit of ``chain`` (level, key, name)
    or the units around it: running here beats running around it beats ended here."""
    today = today or date.today()
    notes: dict[str, LogNote] = {}
    for depth, (level, key, name) in enumerate(chain):
        for row in read_log(store, level=level, unit_key=key).to_dict("records"):
            if row["intervention_id"] not in known:
                continue
            note = _note(row, name=name, own=depth == 0, today=today)
            if note.status == "ended" and depth > 0:
                continue
            current = notes.get(row["intervention_id"])
            if current is None or _note_rank(note) < _note_rank(current):
                notes[row["intervention_id"]] = note
    return notes


def unit_chain(store: Store, level: str, key: str) -> list[tuple[str, str, str]]:
    """(level, key, name) of the unit and every unit around it up to the municipality."""
    unit = unit_store.read_unit(store, level, key)
    chain = [(level, key, str(unit.get("name") or key))]
    current: Level | None = PARENT.get(Level(level))
    parent = unit.get("parent_key")
    while current is not None and parent:
        try:
            row = unit_store.read_unit(store, current.value, str(parent))
        except NotFound:
            break
        chain.append((current.value, str(parent), str(row.get("name") or parent)))
        current, parent = PARENT.get(current), row.get("parent_key")
    return chain


def _note(row: dict[str, Any], *, name: str, own: bool, today: date) -> LogNote:
    started, ended = row["started_on"], row["ended_on"]
    if started > today:
        status = "planned"
    elif ended is not None and ended < today:
        status = "ended"
    else:
        status = "running"
    return LogNote(
        status=status,
        started_on=started,
        ended_on=ended,
        level=str(row["level"]),
        key=str(row["unit_key"]),
        unit_name=name,
        organisation=str(row["organisation"]),
        own=own,
    )


def _note_rank(note: LogNote) -> tuple[int, int, int]:
    """Lower is more telling: active before ended, this unit before the units around it,
    then the earliest start (the "since" of an active one) or the latest end."""
    order = {"running": 0, "planned": 1, "ended": 2}[note.status]
    if note.active or note.ended_on is None:
        when = note.started_on.toordinal()
    else:
        when = -note.ended_on.toordinal()
    return (order, 0 if note.own else 1, when)


def _whole(level: str, name: str) -> str:
    """'in de hele straat (Lindenstraat)', 'in het hele bouwblok (…)'."""
    article = "het hele" if level in NEUTER_LEVELS else "de hele"
    return f"in {article} {level_word(level)} ({name})"


def _dutch_date(day: date | None) -> str:
    return format_date(day, format="long", locale="nl") if day else ""
