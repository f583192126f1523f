"""Pages of the intervention catalogue and of the suggestions per unit (one builder per page).

Who sees what (decided here, documented in docs/interventions.md):

- the catalogue (what an intervention is, for whom, when it tends to fit, its sources) is general
  knowledge: everybody may read it, the public too. Retired entries, who changed an entry and
  stored edits that no longer validate are shown to administrators only;
- suggestions per place are for professionals, analysts and administrators within their scope.
  The public never gets them (403 with a plain Dutch explanation), so no street is judged
  publicly; ``veerkracht.interventions.suggest.build_suggestions`` enforces it.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from pydantic import BaseModel, Field

from veerkracht.assessment.disclosure import Viewer
from veerkracht.domain.levels import Level
from veerkracht.errors import NotFound
from veerkracht.interventions.catalogue import TERRAIN_LABELS, Catalogue, Intervention, Terrain
from veerkracht.interventions.catalogue_edit import effective_catalogue, entry_toml
from veerkracht.interventions.suggest import CAVEAT, Suggestion, build_suggestions
from veerkracht.interventions.unit_profile import level_word
from veerkracht.storage import intervention_catalogue as overrides
from veerkracht.storage.engine import Store
from veerkracht.storage.units import read_unit
from veerkracht.web.errors import UnknownUnit
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_
from veerkracht.web.pages.catalogue_words import condition_words
from veerkracht.web.pages.models import UnitRef
from veerkracht.web.pages.units import unit_ref

CATALOGUE_URL = "/interventions/catalogue"
COST_WORDS = {"laag": N_("low"), "midden": N_("medium"), "hoog": N_("high")}
ORIGIN_WORDS = {
    "shipped": N_("as shipped"),
    "edited": N_("changed in the app"),
    "added": N_("added in the app"),
}


class SourceLink(BaseModel):
    """A source of an intervention; ``url`` only when it is known."""

    title: str
    publisher: str
    url: str | None = None
    year: int | None = None


class EntryRef(BaseModel):
    """An intervention as it appears in the catalogue list."""

    id: str
    name: str
    terrain: str
    terrain_label: str
    levels: list[str]
    level_words: list[str] = Field(description="Dutch words for the levels")
    cost: str
    cost_label: str
    evidence: str
    evidence_label: str
    origin: str = Field(description="shipped, edited or added")
    origin_label: str
    retired: bool
    url: str
    api_url: str


class TerrainEntries(BaseModel):
    terrain: str
    label: str
    entries: list[EntryRef]


class CatalogueList(BaseModel):
    """The catalogue by terrain; retired entries and problems only for administrators."""

    count: int
    can_edit: bool
    terrains: list[TerrainEntries]
    retired: list[EntryRef] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)


class CatalogueEntry(EntryRef):
    """One intervention with every field; conditions in words."""

    target_group: str
    goal: str
    approach: str
    who: str
    evidence_note: str | None
    sources: list[SourceLink]
    requires: list[str] = Field(description="Conditions that must all hold, in words")
    fits_when: list[str] = Field(description="Signs that count towards the fit, in words")
    can_edit: bool
    updated_at: datetime | None = Field(None, description="Last change in the app (admins)")
    updated_by: str | None = Field(None, description="Who made it (admins)")
    toml: str | None = Field(None, description="The entry as TOML (admins)")


class LogText(BaseModel):
    status: str = Field(description="running, planned or ended")
    started_on: str
    ended_on: str | None
    organisation: str
    own_unit: bool
    text: str


class SuggestionItem(BaseModel):
    rank: int = Field(description="Place in the ranking over all terrains (1 = best fit)")
    id: str
    name: str
    url: str = Field(description="The catalogue page of the intervention")
    score: float
    reasons: list[str]
    caveat: str
    evidence_text: str = Field(description="The evidence part of the caveat")
    goal: str
    who: str
    cost: str
    cost_label: str
    evidence_label: str
    sources: list[SourceLink]
    already_here: bool
    log: LogText | None


class SuggestionGroup(BaseModel):
    terrain: str
    label: str
    items: list[SuggestionItem]


class SuggestionsPage(BaseModel):
    """Suggestions for one unit, grouped by terrain (for professionals within scope)."""

    unit: UnitRef
    year: int | None
    caveat: str
    count: int
    already_here: int
    groups: list[SuggestionGroup]
    catalogue_url: str = CATALOGUE_URL


def build_catalogue_list(store: Store, *, viewer: Viewer) -> CatalogueList:
    """The effective catalogue by terrain, as ``viewer`` may see it."""
    catalogue = effective_catalogue(store)
    admin = viewer.role == "admin"
    terrains = [
        TerrainEntries(
            terrain=terrain.value,
            label=catalogue.of_terrain(terrain)[0].terrain_label,
            entries=[_ref(i, catalogue) for i in catalogue.of_terrain(terrain)],
        )
        for terrain in catalogue.terrains()
    ]
    return CatalogueList(
        count=len(catalogue),
        can_edit=admin,
        terrains=terrains,
        retired=[_ref(i, catalogue, retired=True) for i in catalogue.retired] if admin else [],
        problems=list(catalogue.problems) if admin else [],
    )


def build_catalogue_entry(store: Store, intervention_id: str, *, viewer: Viewer) -> CatalogueEntry:
    """One entry with every field; NotFound for unknown ids (and retired ones, except admins)."""
    catalogue = effective_catalogue(store)
    admin = viewer.role == "admin"
    item, retired = find_entry(catalogue, intervention_id, with_retired=admin)
    row = overrides.read_override(store, intervention_id) if admin else None
    return CatalogueEntry(
        **_ref(item, catalogue, retired=retired).model_dump(),
        target_group=item.target_group,
        goal=item.goal,
        approach=item.approach,
        who=item.who,
        evidence_note=item.evidence_note,
        sources=[SourceLink(**s.model_dump()) for s in item.sources],
        requires=[condition_words(c) for c in item.requires],
        fits_when=[condition_words(c) for c in item.fits_when],
        can_edit=admin,
        updated_at=row["updated_at"] if row else None,
        updated_by=row["updated_by"] if row else None,
        toml=entry_toml(item) if admin else None,
    )


def find_entry(
    catalogue: Catalogue, intervention_id: str, *, with_retired: bool
) -> tuple[Intervention, bool]:
    """The entry and whether it is retired; NotFound naming the id."""
    for item in catalogue.interventions:
        if item.id == intervention_id:
            return item, False
    for item in catalogue.retired if with_retired else ():
        if item.id == intervention_id:
            return item, True
    raise NotFound(f'no intervention "{intervention_id}" in the catalogue')


def build_suggestions_page(
    store: Store, *, level: Level, key: str, viewer: Viewer
) -> SuggestionsPage:
    """The suggestions for one unit; SuggestionsForbidden for the public and outside scope."""
    try:
        found = build_suggestions(store, level=level.value, key=key, viewer=viewer)
        unit = unit_ref(read_unit(store, level.value, key))
    except NotFound:
        raise UnknownUnit(level, key) from None
    ranks = {s.id: number for number, s in enumerate(found.suggestions, start=1)}
    groups = [
        SuggestionGroup(
            terrain=terrain,
            label=items[0].intervention.terrain_label,
            items=[_suggestion(s, ranks[s.id]) for s in items],
        )
        for terrain, items in found.by_terrain()
    ]
    return SuggestionsPage(
        unit=unit,
        year=found.year,
        caveat=found.caveat,
        count=len(found.suggestions),
        already_here=sum(1 for s in found.suggestions if s.already_here),
        groups=groups,
    )


def suggestions_url(level: str, key: str, *, api: bool = False) -> str:
    """Path of a unit's suggestions page (or its JSON twin)."""
    return f"{'/api' if api else ''}/units/{level}/{quote(key, safe='')}/suggestions"


def entry_url(intervention_id: str, *, api: bool = False) -> str:
    return f"{'/api' if api else ''}{CATALOGUE_URL}/{quote(intervention_id, safe='')}"


def terrain_options() -> list[tuple[str, str]]:
    """(code, Dutch label) of every terrain, for the form."""
    return [(t.value, TERRAIN_LABELS[t]) for t in Terrain]


def _ref(item: Intervention, catalogue: Catalogue, *, retired: bool = False) -> EntryRef:
    origin = catalogue.origins.get(item.id, "shipped")
    return EntryRef(
        id=item.id,
        name=item.name,
        terrain=item.terrain.value,
        terrain_label=item.terrain_label,
        levels=list(item.levels),
        level_words=[level_word(level) for level in item.levels],
        cost=item.cost.value,
        cost_label=_(COST_WORDS[item.cost.value]),
        evidence=item.evidence.value,
        evidence_label=item.evidence_label,
        origin=origin,
        origin_label=_(ORIGIN_WORDS[origin]),
        retired=retired,
        url=entry_url(item.id),
        api_url=entry_url(item.id, api=True),
    )


def _suggestion(found: Suggestion, rank: int) -> SuggestionItem:
    item, log = found.intervention, found.log
    return SuggestionItem(
        rank=rank,
        id=item.id,
        name=item.name,
        url=entry_url(item.id),
        score=found.score,
        reasons=list(found.reasons),
        caveat=found.caveat,
        evidence_text=found.caveat.removeprefix(CAVEAT).strip(),
        goal=item.goal,
        who=item.who,
        cost=item.cost.value,
        cost_label=_(COST_WORDS[item.cost.value]),
        evidence_label=item.evidence_label,
        sources=[SourceLink(**s.model_dump()) for s in item.sources],
        already_here=found.already_here,
        log=LogText(
            status=log.status,
            started_on=log.started_on.isoformat(),
            ended_on=log.ended_on.isoformat() if log.ended_on else None,
            organisation=log.organisation,
            own_unit=log.own,
            text=log.text,
        )
        if log
        else None,
    )
