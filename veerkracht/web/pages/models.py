"""What each page shows, as data: the HTML template and the JSON twin both render these."""

from __future__ import annotations

from datetime import datetime

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


class UnitPage(BaseModel):
    """Everything a unit page shows."""

    unit: UnitRef
    rule: str | None = Field(default=None, description="How an entrance was formed")
    breadcrumb: list[UnitRef] = Field(description="From the municipality down to the unit")
    year: int | None = Field(description="Year the figures describe")
    groups: list[FigureGroup]
    children: list[ChildGroup]
    addresses: list[Address]
    bounds: list[float] | None
    geojson_url: str
    sources: list[SourceNote]


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
