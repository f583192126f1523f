"""What each page shows, as data: the HTML template and the JSON twin both render these."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class LevelOption(BaseModel):
    """One choice of the level switch."""

    level: str = Field(description="Level code: entrance, building, block, …")
    label: str = Field(description="Dutch word for the level (singular)")
    plural: str = Field(description="Dutch word for the level (plural)")


class UnitRef(BaseModel):
    """A unit as it appears in lists, breadcrumbs and map features."""

    level: str
    key: str
    name: str
    dwellings: int
    level_label: str = Field(description="Dutch word for the level")
    url: str = Field(description="Path of the unit's HTML page")
    api_url: str = Field(description="Path of the unit's JSON twin")


class SourceNote(BaseModel):
    """Where data on a page comes from and under which licence."""

    source: str
    title: str
    licence: str | None
    imported_at: datetime | None


class UnitList(BaseModel):
    """The units of one level: the list beside the start page's map."""

    level: str
    level_label: str
    level_plural: str
    count: int
    units: list[UnitRef]
    bounds: list[float] | None = Field(
        default=None, description="[west, south, east, north] of the units in WGS84"
    )
    levels: list[LevelOption]
    geojson_url: str = Field(description="Path of the map layer of this level (GeoJSON)")
    sources: list[SourceNote] = Field(default_factory=list, description="Sources and licences")


class ParentValue(BaseModel):
    """The same figure one level up, and what the larger area hides (the gap)."""

    level: str
    level_label: str
    name: str
    value: float | None = Field(description="None when withheld for this viewer")
    text: str
    gap: float | None = Field(default=None, description="Unit's value minus the parent's")
    gap_text: str = Field(default="", description="e.g. 'het blok: 31 %, de straat: 11 %'")
    notable: bool = Field(default=False, description="True when the gap is large")
    notable_text: str = Field(default="", description="e.g. 'Wat de straat niet laat zien'")


class Figure(BaseModel):
    """One indicator value of a unit as the viewer may see it."""

    indicator: str
    label: str
    description: str
    family: str = Field(description="capacity | load | context")
    unit: str = Field(description="count | share | per_100")
    year: int | None
    value: float | None = Field(description="None when withheld for this viewer")
    numerator: float | None = None
    denominator: float | None = None
    text: str = Field(description="The value formatted in Dutch, e.g. '12,5 %'")
    value_text: str = Field(default="", description="The number part of text, e.g. '6,0'")
    unit_text: str = Field(default="", description="The unit part of text, e.g. 'per 100 woningen'")
    withheld: bool = Field(default=False, description="True when no value is shown")
    withheld_reason: str | None = Field(
        default=None, description="below_block | small_group | small_count (disclosure control)"
    )
    estimate: float | None = Field(
        default=None, description="Shrunk estimate (small numbers pulled towards the parent)"
    )
    lower: float | None = Field(default=None, description="Lower end of the 90 % band")
    upper: float | None = Field(default=None, description="Upper end of the 90 % band")
    estimate_text: str = Field(default="", description="e.g. 'geschat 13 % (10–17 %)'")
    parent: ParentValue | None = Field(
        default=None, description="The same figure of the next level up, and the gap"
    )


class FigureGroup(BaseModel):
    """Figures of one family (capacity first, then load, then context)."""

    family: str
    title: str
    figures: list[Figure]


class ChildGroup(BaseModel):
    """Units of one lower level inside a unit."""

    level: str
    level_label: str
    level_plural: str
    units: list[UnitRef]


class Address(BaseModel):
    """A dwelling's address (public BAG data: no sensitive fields)."""

    dwelling_id: str
    address: str
    postcode: str | None


class TrendPoint(BaseModel):
    """One year of a trend chart, with its place in the SVG (x, y in chart pixels)."""

    year: int
    value: float | None = Field(description="None when withheld or missing that year")
    text: str
    lower: float | None = None
    upper: float | None = None
    band_text: str = Field(default="", description="The 90 % range in words, e.g. '9–22 %'")
    x: float
    y: float | None = None
    y_lower: float | None = None
    y_upper: float | None = None


class TrendTick(BaseModel):
    """A labelled line of the value axis."""

    value: float
    text: str
    y: float


class TrendChart(BaseModel):
    """A server-rendered line chart of one indicator over the years (SVG + data table)."""

    indicator: str
    label: str
    unit: str
    title: str
    description: str = Field(description="The chart in words (the SVG's <desc>)")
    width: int
    height: int
    plot: list[float] = Field(description="[left, top, right, bottom] of the plot area")
    points: list[TrendPoint]
    ticks: list[TrendTick]
    lines: list[str] = Field(description="SVG polyline point lists; a break where data is missing")
    band: str | None = Field(default=None, description="SVG polygon of the 90 % band")


class SpreadNote(BaseModel):
    """How unevenly the inflow is spread inside an area, in words."""

    indicator: str
    label: str
    value: float | None
    text: str


class AreaStatistic(BaseModel):
    """One CBS figure of an area (public reference data); a missing value says why."""

    variable: str = Field(description="Variable name after import, e.g. 'inhabitants'")
    label: str = Field(description="Dutch label")
    value: float | None = Field(description="None when CBS gives no figure")
    text: str = Field(description="The value in Dutch, or why it is missing, e.g. 'geheim'")
    missing_reason: str | None = Field(
        default=None,
        description="secret | not_yet_published | no_longer_published | empty | unknown_sentinel",
    )


class AreaStatistics(BaseModel):
    """CBS kerncijfers of an area for the newest year: a curated handful, then the rest."""

    year: int
    main: list[AreaStatistic] = Field(description="The key figures, in a fixed order")
    more: list[AreaStatistic] = Field(default_factory=list, description="All other figures")
    source: str = Field(description="e.g. 'Bron: CBS, CC BY 4.0'")


class LiveabilityScore(BaseModel):
    """One Leefbaarometer score of one year."""

    year: int
    value: float | None
    text: str


class LiveabilityRow(BaseModel):
    """One Leefbaarometer score (lbm, afw or a dimension) over the years."""

    score: str = Field(description="lbm | afw | fys | onv | soc | vrz | won")
    label: str
    description: str = ""
    values: list[LiveabilityScore]


class Liveability(BaseModel):
    """Leefbaarometer 3.0 scores of an area per year, shown as context."""

    years: list[int]
    rows: list[LiveabilityRow]
    source: str = Field(description="e.g. 'Bron: Leefbaarometer 3.0 (BZK)'")


class AssetItem(BaseModel):
    """One asset as the onlooker may see it: a person by first name only, never an address."""

    asset_id: str
    kind: str
    kind_label: str
    title: str
    description: str | None = None
    first_name: str | None = Field(default=None, description="A person's first name only")
    opening_hours: str | None = None
    audience: str = Field(description="public | block | professional")
    audience_label: str
    status: str = Field(description="approved, or pending (shown to professionals only)")
    level: str | None = None
    unit_key: str | None = None
    person: bool = Field(description="True for a person's item (drawn at its unit's label point)")
    stale: bool = Field(default=False, description="Not confirmed for a long time")
    confirmed_at: datetime | None = None


class KindCount(BaseModel):
    """How many approved items of one kind (whatever their audience: counting is not naming)."""

    kind: str
    label: str
    count: int


class WhatIsHere(BaseModel):
    """What a place has, first on every unit page: counts per kind and the visible items."""

    counts: list[KindCount]
    total: int = Field(description="Approved items in this unit, of every kind")
    active_residents: int | None = Field(
        description="Active residents: counted, never named; rounded or withheld for the public"
    )
    active_residents_withheld: str | None = Field(
        default=None, description="Why the count is not shown: below_block or small_count"
    )
    items: list[AssetItem] = Field(description="Items this viewer may see (at most a dozen)")
    more: int = Field(default=0, description="Visible items not listed here")
    list_url: str = Field(description="All items of this unit (HTML)")
    geojson_url: str = Field(description="Map layer of these items (GeoJSON)")
    add_url: str = Field(description="The form to add an offer or a place")
    initiatives: dict[str, Any] | None = Field(
        default=None, description="Initiatives of residents here (count, items, links)"
    )


class UnitPage(BaseModel):
    """Everything a unit page shows."""

    unit: UnitRef
    rule: str | None = Field(default=None, description="How an entrance was formed")
    what_is_here: WhatIsHere | None = Field(
        default=None, description="What the place has (assets), shown before any figure"
    )
    breadcrumb: list[UnitRef] = Field(description="From the municipality down to the unit")
    year: int | None = Field(description="Year the figures describe")
    groups: list[FigureGroup]
    trends: list[TrendChart] = Field(default_factory=list, description="Key figures over the years")
    spread: list[SpreadNote] = Field(
        default_factory=list, description="What the average hides: spread inside the area"
    )
    children: list[ChildGroup]
    addresses: list[Address]
    bounds: list[float] | None
    geojson_url: str
    sources: list[SourceNote]
    area_statistics: AreaStatistics | None = Field(
        default=None, description="CBS kerncijfers of the area (buurt, wijk, gemeente pages)"
    )
    liveability: Liveability | None = Field(
        default=None, description="Leefbaarometer scores of the area (context)"
    )


class ImportRecord(BaseModel):
    """One row of the import log."""

    import_id: int
    source: str
    title: str
    path: str
    sha256: str
    imported_at: datetime
    licence: str | None
    report: dict[str, object]


class DataPage(BaseModel):
    """The /data page: what was imported and what was built."""

    imports: list[ImportRecord]
    built_at: datetime | None
    reference_year: int | None
    unit_counts: dict[str, int]


class HasItem(BaseModel):
    """Something a place has (capacity), as a figure."""

    indicator: str
    label: str
    text: str


class FindingItem(BaseModel):
    """One unit on the warning or positive-deviance list, with its reasons in words."""

    unit: UnitRef
    areas: list[str] = Field(description="Codes of the buurt, wijk and gemeente it lies in")
    area_names: list[str] = Field(description="Names of those areas, buurt first")
    year: int
    reasons: list[str] = Field(description="Why it is on the list, in Dutch")
    has: list[HasItem] = Field(default_factory=list, description="What the place has")


class FindingGroup(BaseModel):
    """The listed units of one level."""

    level: str
    level_plural: str
    items: list[FindingItem]


class FindingList(BaseModel):
    """The warning list or the positive-deviance list, within the viewer's scope."""

    kind: str = Field(description="warning | positive_deviance")
    title: str
    intro: str
    year: int | None
    count: int
    scope: list[str] = Field(description="The viewer's area codes; empty = everywhere")
    scope_names: list[str] = Field(default_factory=list, description="Names of those areas")
    groups: list[FindingGroup]
    bounds: list[float] | None
    geojson_url: str = Field(description="Map layer of the listed units (GeoJSON)")
    sources: list[SourceNote] = Field(default_factory=list)


class IndicatorRef(BaseModel):
    """One indicator of the registry, as the in-app reference shows it."""

    key: str
    label: str
    description: str
    unit: str
    unit_text: str
    family: str
    source: str
    disclosure: str = Field(description="public | sensitive")
    disclosure_text: str
    levels: list[str]
    level_words: list[str]


class IndicatorFamilyRefs(BaseModel):
    """The indicators of one family (capacity, load, context)."""

    family: str
    title: str
    indicators: list[IndicatorRef]


class IndicatorReference(BaseModel):
    """The /indicators page: every indicator with its meaning, unit, source and privacy class."""

    count: int
    families: list[IndicatorFamilyRefs]
