"""What a report shows, as data: the printable HTML, the PDF and the JSON twin render these.

Figures reuse the unit page's models (``veerkracht.web.pages.models``): they are built by the same
builders and have passed disclosure control for the report's viewer.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from veerkracht.web.pages.models import Figure, SourceNote, TrendChart, UnitRef


class ReportViewer(BaseModel):
    """Who the report was made for: it decides every figure and item in it."""

    role: str = Field(description="public | professional | analyst | admin")
    label: str = Field(description="Dutch words for the viewer, e.g. 'iedereen (openbare versie)'")
    name: str | None = Field(default=None, description="Account name, when made for a person")


class Picture(BaseModel):
    """An image embedded in the report (a data: URI), with its text alternative."""

    alt: str = Field(description="What the image shows, in words")
    data_uri: str = Field(description="data:image/png;base64,… (self-contained, no network)")
    width_px: int
    height_px: int


class AssetItem(BaseModel):
    """Something a place has, as the viewer may see it (a person by first name only)."""

    kind: str
    name: str = Field(description="Name of the place, group or offer")
    person: str | None = Field(default=None, description="First name of the resident, if any")
    description: str | None = None
    where: str = Field(description="e.g. 'in het blok' or 'op 80 meter'")
    distance_m: float


class AssetGroup(BaseModel):
    """The visible assets of one kind near the unit."""

    kind: str
    label: str
    items: list[AssetItem]


class InitiativeItem(BaseModel):
    """An initiative of residents: what it is, its stage, who started it (first name)."""

    title: str
    description: str
    status: str
    status_label: str
    owner: str = Field(description="First name of the resident who started it")
    supporters: int = Field(description="How many people joined (counted, never named)")


class HereSection(BaseModel):
    """1 — What is here: places, groups, offers, initiatives, active residents (counted)."""

    title: str
    intro: str
    groups: list[AssetGroup]
    stories: list[AssetItem] = Field(description="Stories about the place (the 'story' kind)")
    initiatives: list[InitiativeItem]
    active_residents: list[Figure] = Field(description="Counted, disclosure-controlled")
    notes: list[str] = Field(default_factory=list)


class LivingSection(BaseModel):
    """2 — How living together is going: capacity against load, trend, signals by category."""

    title: str
    intro: str
    year: int | None
    capacity: list[Figure]
    load: list[Figure]
    signals: list[Figure] = Field(description="Signals per category (per 100 dwellings)")
    trends: list[TrendChart] = Field(description="Key figures over the years (disclosed)")
    chart: Picture | None = Field(default=None, description="The trends as one small chart")
    notes: list[str] = Field(default_factory=list)


class SuggestionItem(BaseModel):
    """An intervention that may fit, with its reasons in plain words."""

    id: str
    name: str
    terrain_label: str
    goal: str
    reasons: list[str]
    evidence_label: str
    cost: str


class FitsSection(BaseModel):
    """3 — What fits here: suggestions for professionals; never a public judgement."""

    title: str
    shown: bool = Field(description="False in the public version: no suggestions per place")
    note: str
    items: list[SuggestionItem]
    caveat: str = ""


class LogItem(BaseModel):
    """One entry of the intervention log in or around the unit."""

    title: str
    organisation: str
    aim: str
    started_on: date
    ended_on: date | None
    where: str = Field(description="e.g. 'in dit blok', 'in de straat Kersenboomstraat'")


class DoneSection(BaseModel):
    """4 — What has been done: log entries for professionals, a count for everyone else."""

    title: str
    shown: bool = Field(description="True when the entries themselves are listed")
    count: int = Field(description="Entries in and around the unit")
    note: str
    items: list[LogItem]


class BlockRow(BaseModel):
    """One block of a buurt report: its number on the map, capacity first, then load."""

    number: int
    unit: UnitRef
    capacity: list[Figure]
    load: list[Figure]


class Report(BaseModel):
    """A vignette (block, street) or a buurt report, made for one viewer at one moment."""

    kind: str = Field(description="vignette | neighbourhood")
    title: str
    subtitle: str
    unit: UnitRef
    breadcrumb: list[UnitRef]
    year: int | None
    made_at: datetime
    viewer: ReportViewer
    map: Picture | None
    map_caption: str
    map_list_title: str = ""
    here: HereSection
    living: LivingSection
    fits: FitsSection
    done: DoneSection
    blocks: list[BlockRow] = Field(default_factory=list, description="Buurt report only")
    block_columns: list[str] = Field(default_factory=list, description="Column titles")
    sources: list[SourceNote]
    extra_sources: list[str] = Field(description="The app's own data: assets, log, catalogue")
    disclosure_note: str
