"""The intervention catalogue: TOML files of ``[[intervention]]`` tables, validated on load.

The shipped catalogue is ``veerkracht/interventions/catalogue/*.toml`` (one file per terrain);
administrators can check their own files with ``veerkracht interventions check PATH``. Every
error names the file, the intervention id, the field and what was expected. Entries edited or
added in the app overlay the shipped ones (``veerkracht.interventions.catalogue_edit``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from veerkracht.domain.levels import UNIT_LEVELS
from veerkracht.errors import InputError
from veerkracht.interventions.conditions import Condition
from veerkracht.interventions.field_problems import FieldProblem, from_pydantic

SHIPPED_FOLDER = Path(__file__).resolve().parent / "catalogue"
LEVEL_NAMES = tuple(level.value for level in UNIT_LEVELS)


class Terrain(StrEnum):
    """The six terrains of intervention named by research on block-level resilience."""

    INFORMAL_NETWORKS = "informal_networks"
    LIGHT_CONNECTION = "light_connection"
    PROFESSIONALS = "professionals"
    PUBLIC_SPACE = "public_space"
    SHARED_SPACES = "shared_spaces"
    SCALE_AND_MIX = "scale_and_mix"


TERRAIN_LABELS: dict[Terrain, str] = {
    Terrain.INFORMAL_NETWORKS: "Informele netwerken",
    Terrain.LIGHT_CONNECTION: "Lichte vormen van verbinding",
    Terrain.PROFESSIONALS: "Professionals in de straat",
    Terrain.PUBLIC_SPACE: "Openbare ruimte en voorzieningen",
    Terrain.SHARED_SPACES: "Gedeelde ruimtes in complexen",
    Terrain.SCALE_AND_MIX: "Schaal en menging",
}


class Cost(StrEnum):
    LAAG = "laag"
    MIDDEN = "midden"
    HOOG = "hoog"


class Evidence(StrEnum):
    """Levels of the Dutch recognition scheme for social interventions (Movisie and partners),
    plus ``niet_beoordeeld`` for practice that was never put to the recognition committee."""

    NIET_BEOORDEELD = "niet_beoordeeld"
    GOED_BESCHREVEN = "goed_beschreven"
    GOED_ONDERBOUWD = "goed_onderbouwd"
    EERSTE_AANWIJZINGEN = "eerste_aanwijzingen"
    GOEDE_AANWIJZINGEN = "goede_aanwijzingen"
    STERKE_AANWIJZINGEN = "sterke_aanwijzingen"


EVIDENCE_LABELS: dict[Evidence, str] = {
    Evidence.NIET_BEOORDEELD: "niet beoordeeld (praktijkvoorbeeld)",
    Evidence.GOED_BESCHREVEN: "goed beschreven",
    Evidence.GOED_ONDERBOUWD: "goed onderbouwd",
    Evidence.EERSTE_AANWIJZINGEN: "effectief: eerste aanwijzingen",
    Evidence.GOEDE_AANWIJZINGEN: "effectief: goede aanwijzingen",
    Evidence.STERKE_AANWIJZINGEN: "effectief: sterke aanwijzingen",
}

#: Order of the evidence levels, weakest first (used to break ties in the ranking).
EVIDENCE_RANK: dict[Evidence, int] = {level: i for i, level in enumerate(Evidence)}
COST_RANK: dict[Cost, int] = {level: i for i, level in enumerate(Cost)}


class Source(BaseModel):
    """Where the description comes from: title and publisher, a URL only when known."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2)
    url: str | None = Field(None, pattern=r"^https?://\S+$")
    year: int | None = Field(None, ge=1900, le=2100)


class Intervention(BaseModel):
    """One intervention of the catalogue (field names in English, texts in Dutch at B1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=60)
    name: str = Field(min_length=2)
    terrain: Terrain
    levels: list[str] = Field(min_length=1)
    target_group: str = Field(min_length=3)
    goal: str = Field(min_length=3)
    approach: str = Field(min_length=3)
    who: str = Field(min_length=3)
    cost: Cost
    evidence: Evidence
    evidence_note: str | None = None
    sources: list[Source] = Field(min_length=1)
    requires: list[Condition] = Field(default_factory=list)
    fits_when: list[Condition] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _known_levels(cls, levels: list[str]) -> list[str]:
        for level in levels:
            if level not in LEVEL_NAMES:
                raise PydanticCustomError(
                    "unknown_level",
                    'level "{value}" is not one of {expected}',
                    {"value": level, "expected": ", ".join(LEVEL_NAMES)},
                )
        return levels

    @property
    def terrain_label(self) -> str:
        return TERRAIN_LABELS[self.terrain]

    @property
    def evidence_label(self) -> str:
        return EVIDENCE_LABELS[self.evidence]


@dataclass(frozen=True)
class Catalogue:
    """The interventions in file order, with the files they came from.

    An effective catalogue (shipped entries overlaid with the app's edits) also carries the
    retired entries (hidden from suggestions), where each entry comes from (``origins``: id →
    "shipped", "edited" or "added") and stored edits that no longer validate (``problems``).
    """

    interventions: tuple[Intervention, ...]
    paths: tuple[Path, ...] = ()
    retired: tuple[Intervention, ...] = ()
    origins: Mapping[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Intervention]:
        return iter(self.interventions)

    def __len__(self) -> int:
        return len(self.interventions)

    def get(self, intervention_id: str) -> Intervention:
        """The intervention with this id, or KeyError naming the known ids."""
        for intervention in self.interventions:
            if intervention.id == intervention_id:
                return intervention
        known = ", ".join(i.id for i in self.interventions)
        raise KeyError(f'intervention "{intervention_id}" is not one of {known}')

    def of_terrain(self, terrain: Terrain | str) -> tuple[Intervention, ...]:
        return tuple(i for i in self.interventions if i.terrain == Terrain(terrain))

    def terrains(self) -> tuple[Terrain, ...]:
        """Terrains that have at least one intervention, in the order of ``Terrain``."""
        present = {i.terrain for i in self.interventions}
        return tuple(t for t in Terrain if t in present)


class CatalogueError(InputError):
    """One or more bad entries; ``problems`` lists each as 'file, intervention "id", field'."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"the intervention catalogue has {count}:\n  " + "\n  ".join(problems))


def load_catalogue(paths: Iterable[Path] | Path | None = None) -> Catalogue:
    """Read and validate catalogue files (default: the shipped ones); a folder means every
    ``*.toml`` inside. Raises CatalogueError listing every problem at once."""
    files = _files(paths)
    problems: list[str] = []
    interventions: list[Intervention] = []
    for path in files:
        found, errors = _read_file(path)
        interventions += found
        problems += errors
    problems += _duplicates(interventions, files)
    if problems:
        raise CatalogueError(problems)
    return Catalogue(interventions=tuple(interventions), paths=tuple(files))


def load_catalogue_file(path: Path) -> Catalogue:
    """Read and validate one catalogue file."""
    return load_catalogue([path])


@lru_cache(maxsize=1)
def shipped_catalogue() -> Catalogue:
    """The shipped catalogue, read and validated once per process (it is immutable)."""
    return load_catalogue()


def read_entries(text: str, where: str) -> tuple[list[Intervention], list[str]]:
    """Validate the ``[[intervention]]`` tables of TOML ``text``; problems start with ``where``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return [], [f"{where}: not valid TOML ({error})"]
    stray = sorted(set(data) - {"intervention"})
    problems = [
        f'{where}: unknown top-level key "{key}" (expected only [[intervention]] tables)'
        for key in stray
    ]
    entries = data.get("intervention", [])
    if not isinstance(entries, list) or not entries:
        return [], problems + [f"{where}: no [[intervention]] tables found"]
    interventions: list[Intervention] = []
    for number, entry in enumerate(entries, start=1):
        label = _entry_label(entry, number)
        found, errors = validate_entry(entry)
        if found is not None:
            interventions.append(found)
        problems += [f'{where}, {label}, field "{name}": {message}' for name, message in errors]
    return interventions, problems


def validate_entry(entry: Any) -> tuple[Intervention | None, list[tuple[str, str]]]:
    """One entry checked exactly like the shipped ones: the intervention, or None and the
    problems as (field path, what was expected), e.g. ("sources[0].title", "is required…")."""
    item, problems = check_fields(entry)
    return item, [(problem.path, problem.message) for problem in problems]


def check_fields(entry: Any) -> tuple[Intervention | None, list[FieldProblem]]:
    """As ``validate_entry``, with each problem as data (kind and values, for other languages)."""
    try:
        return Intervention.model_validate(entry), []
    except ValidationError as error:
        return None, [from_pydantic(e) for e in error.errors()]


def _files(paths: Iterable[Path] | Path | None) -> list[Path]:
    if paths is None:
        paths = [SHIPPED_FOLDER]
    elif isinstance(paths, Path | str):
        paths = [Path(paths)]
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                raise CatalogueError([f"{path}: no *.toml files in this folder"])
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise CatalogueError([f"{path}: no such file or folder"])
    return files


def _read_file(path: Path) -> tuple[list[Intervention], list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [], [f"{path}: not UTF-8 text"]
    return read_entries(text, str(path))


def _entry_label(entry: Any, number: int) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"]:
        return f'intervention "{entry["id"]}"'
    return f"intervention #{number} (without id)"


def _duplicates(interventions: list[Intervention], files: list[Path]) -> list[str]:
    seen: set[str] = set()
    problems = []
    where = ", ".join(str(f) for f in files)
    for intervention in interventions:
        if intervention.id in seen:
            problems.append(
                f'{where}, intervention "{intervention.id}", field "id": used more than once '
                "(expected a unique id)"
            )
        seen.add(intervention.id)
    return problems
