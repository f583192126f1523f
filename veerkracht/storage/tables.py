"""Table definitions (SQLAlchemy Core). Geometry is WKB plus bounding-box columns."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()


def _bbox() -> list[Column]:
    return [Column(name, Float) for name in ("minx", "miny", "maxx", "maxy")]


imports = Table(
    "imports",
    metadata,
    Column("import_id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(40), nullable=False),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Column("licence", Text),
    Column("report", Text, nullable=False),  # JSON: counts read, used, skipped by reason
)

areas = Table(
    "areas",
    metadata,
    Column("level", String(20), primary_key=True),
    Column("code", String(20), primary_key=True),
    Column("name", Text),
    Column("parent_code", String(20)),
    Column("year", Integer),
    Column("geometry", LargeBinary),
    *_bbox(),
)

buildings = Table(
    "buildings",
    metadata,
    Column("building_id", String(40), primary_key=True),
    Column("construction_year", Integer),
    Column("status", String(60)),
    Column("in_use", Boolean, nullable=False),
    Column("geometry", LargeBinary),
    *_bbox(),
)

dwellings = Table(
    "dwellings",
    metadata,
    Column("dwelling_id", String(40), primary_key=True),
    Column("building_id", String(40)),
    Column("street_name", Text),
    Column("house_number", Integer),
    Column("house_letter", String(4)),
    Column("house_suffix", String(8)),
    Column("postcode", String(8)),
    Column("city", Text),
    Column("floor_area_m2", Float),
    Column("status", String(60)),
    Column("x", Float, nullable=False),
    Column("y", Float, nullable=False),
    # derived by `build`: one key per level
    Column("entrance_key", String(60)),
    Column("entrance_rule", String(20)),
    Column("block_key", String(60)),
    Column("street_key", String(120)),
    Column("neighbourhood_code", String(20)),
    Column("district_code", String(20)),
    Column("municipality_code", String(20)),
    Index("ix_dwellings_building", "building_id"),
    Index("ix_dwellings_block", "block_key"),
    Index("ix_dwellings_entrance", "entrance_key"),
    Index("ix_dwellings_street", "street_key"),
    Index("ix_dwellings_neighbourhood", "neighbourhood_code"),
)

stock = Table(
    "stock",
    metadata,
    Column("dwelling_id", String(40), primary_key=True),
    Column("unit_id", String(60)),
    Column("complex_id", String(60)),
    Column("entrance_hint", String(60)),
    Column("rent_class", String(40)),
)

lettings = Table(
    "lettings",
    metadata,
    Column("letting_id", String(60), primary_key=True),
    Column("dwelling_id", String(40), nullable=False, index=True),
    Column("date", Date, nullable=False),
    Column("channel", String(30), nullable=False),
)

moveouts = Table(
    "moveouts",
    metadata,
    Column("moveout_id", String(60), primary_key=True),
    Column("dwelling_id", String(40), nullable=False, index=True),
    Column("date", Date, nullable=False),
)

nuisance = Table(
    "nuisance",
    metadata,
    Column("complaint_id", String(60), primary_key=True),
    Column("dwelling_id", String(40), nullable=False, index=True),
    Column("date", Date, nullable=False),
    Column("category", String(40), nullable=False),
)

assets = Table(
    "assets",
    metadata,
    Column("asset_id", String(60), primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("visibility", String(20), nullable=False),
    Column("x", Float, nullable=False),
    Column("y", Float, nullable=False),
)

signals = Table(
    "signals",
    metadata,
    Column("signal_id", String(60), primary_key=True),
    Column("category", String(40), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("status", String(30), nullable=False),
    Column("description", Text),
    Column("x", Float, nullable=False),
    Column("y", Float, nullable=False),
)

units = Table(
    "units",
    metadata,
    Column("level", String(20), primary_key=True),
    Column("key", String(120), primary_key=True),
    Column("name", Text, nullable=False),
    Column("parent_key", String(120)),
    Column("dwellings", Integer, nullable=False),
    Column("rule", String(20)),  # how an entrance was formed
    Column("x", Float),  # label point
    Column("y", Float),
    Column("geometry", LargeBinary),
    *_bbox(),
    Index("ix_units_parent", "level", "parent_key"),
)

indicator_values = Table(
    "indicator_values",
    metadata,
    Column("level", String(20), primary_key=True),
    Column("key", String(120), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("indicator", String(60), primary_key=True),
    Column("value", Float),
    Column("numerator", Float),
    Column("denominator", Float),
)

builds = Table(
    "builds",
    metadata,
    Column("build_id", Integer, primary_key=True, autoincrement=True),
    Column("built_at", DateTime, nullable=False),
    Column("reference_year", Integer, nullable=False),
    Column("summary", Text, nullable=False),  # JSON: counts per level
)

#: Tables filled by importers (cleared and refilled per source part).
SOURCE_TABLES = {
    "areas": areas,
    "buildings": buildings,
    "dwellings": dwellings,
    "stock": stock,
    "lettings": lettings,
    "moveouts": moveouts,
    "nuisance": nuisance,
    "assets": assets,
    "signals": signals,
}

#: Statistics per official area (CBS kerncijfers and the like), one row per variable.
#: A missing value keeps its reason (e.g. "secret", "not_yet_published") instead of a number.
area_statistics = Table(
    "area_statistics",
    metadata,
    Column("level", String(20), primary_key=True),
    Column("code", String(20), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("variable", String(80), primary_key=True),
    Column("value", Float),
    Column("missing_reason", String(30)),
    Column("source", String(40), nullable=False),
)

#: Leefbaarometer 3.0 scores per area or 100 m grid cell (level "grid" for cells).
liveability_scores = Table(
    "liveability_scores",
    metadata,
    Column("level", String(20), primary_key=True),
    Column("code", String(40), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("name", Text),
    Column("lbm", Float),
    Column("afw", Float),
    Column("fys", Float),
    Column("onv", Float),
    Column("soc", Float),
    Column("vrz", Float),
    Column("won", Float),
)

SOURCE_TABLES["area_statistics"] = area_statistics
SOURCE_TABLES["liveability_scores"] = liveability_scores
