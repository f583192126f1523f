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
    UniqueConstraint,
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
    Index("ix_dwellings_xy", "x", "y"),
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
    # Added in migration 0005 (consent, moderation and the unit an item belongs to).
    Column("origin", String(20)),  # demo | import | resident | professional (empty = import)
    Column("source_name", String(60)),  # the import that wrote it (re-import replaces these)
    Column("status", String(20)),  # pending | approved | rejected | withdrawn | retired
    Column("first_name", Text),  # a person is shown by first name only
    Column("dwelling_id", String(40)),  # private: the resident's address, never shown publicly
    Column("level", String(20)),  # the unit it is tied to: entrance … neighbourhood
    Column("unit_key", String(120)),
    Column("entrance_key", String(60)),
    Column("block_key", String(60)),
    Column("street_key", String(120)),
    Column("neighbourhood_code", String(20)),
    Column("opening_hours", Text),
    Column("contact_email", Text),  # private: for the freshness prompt
    Column("photo", Text),
    Column("consent_at", DateTime),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
    Column("confirmed_at", DateTime),  # freshness: last confirmed still true
    Column("withdrawn_at", DateTime),
    Column("edit_hash", String(64)),  # sha256 of the personal link token
    Column("created_by", String(40)),  # username of a professional adding on behalf
    Column("moderated_by", String(40)),
    Column("moderated_at", DateTime),
    Column("moderation_note", Text),
    Index("ix_assets_edit_hash", "edit_hash"),
    Index("ix_assets_block", "block_key"),
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
    # Added in migration 0002 (intake and workflow; empty for imported/generated rows).
    Column("updated_at", DateTime),
    Column("closed_at", DateTime),
    Column("source", String(20)),  # web, api, open311; empty for demo/imports
    Column("submission_key", String(64)),  # idempotency: a retried POST is stored once
    Column("follow_hash", String(64)),  # sha256 of the reporter's personal link token
    Column("dwelling_id", String(40)),  # the address chosen or nearest to the point
    Column("address", Text),
    Column("block_key", String(60)),
    Column("street_key", String(120)),
    Column("neighbourhood_code", String(20)),
    Column("district_code", String(20)),
    Column("municipality_code", String(20)),
    Column("team_id", String(40)),  # routed to
    Column("assignee", String(40)),  # optionally a named professional
    Column("deadline_at", DateTime),
    Column("photo", Text),  # file name in the workspace's signal-photos folder
    Column("contact_name", Text),
    Column("contact_email", Text),
    Column("contact_phone", Text),
    Column("contact_verified", Boolean),
    Column("verify_hash", String(64)),
    Column("contact_removed_at", DateTime),
    Column("parent_id", String(60)),  # split from
    Column("duplicate_of", String(60)),
    Index("ix_signals_submission_key", "submission_key", unique=True),
    Index("ix_signals_follow_hash", "follow_hash"),
    Index("ix_signals_team", "team_id"),
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
    # shrunk towards the parent unit (empirical Bayes), with a 90 % band
    Column("estimate", Float),
    Column("lower", Float),
    Column("upper", Float),
)

#: What the assessment found per build: warnings and positive deviance, with reasons (JSON).
findings = Table(
    "findings",
    metadata,
    Column("kind", String(30), primary_key=True),  # warning | positive_deviance
    Column("level", String(20), primary_key=True),
    Column("key", String(120), primary_key=True),
    Column("year", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("score", Float),
    Column("details", Text, nullable=False),
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


# ---- signals workflow, accounts and audit (migration 0002) --------------------------------

#: Every change of a signal, appended, never updated (triggers refuse UPDATE and DELETE; rows
#: of a signal may only be deleted once retention has written its tombstone).
signal_history = Table(
    "signal_history",
    metadata,
    Column("history_id", Integer, primary_key=True, autoincrement=True),
    Column("signal_id", String(60), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("actor", String(40), nullable=False),  # username, "reporter" or "system"
    Column("action", String(20), nullable=False),  # created, transition, note, assign, link, ...
    Column("from_state", String(30)),
    Column("to_state", String(30)),
    Column("note", Text),
    Column("public", Boolean, nullable=False),  # shown to the reporter
    Index("ix_signal_history_signal", "signal_id"),
)

#: What is left of a signal that retention deleted: no text, no place finer than the buurt.
signal_tombstones = Table(
    "signal_tombstones",
    metadata,
    Column("signal_id", String(60), primary_key=True),
    Column("category", String(40), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("closed_at", DateTime),
    Column("deleted_at", DateTime, nullable=False),
    Column("neighbourhood_code", String(20)),
    Column("reason", String(40), nullable=False),
)

#: Who read or exported what and when (append-only; NEN 7513 style).
audit_log = Table(
    "audit_log",
    metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("action", String(20), nullable=False),  # read, list, export
    Column("record_type", String(20), nullable=False),
    Column("record_id", String(60), nullable=False),
    Column("detail", Text),
    Index("ix_audit_log_record", "record_type", "record_id"),
)

organisations = Table(
    "organisations",
    metadata,
    Column("organisation_id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
)

teams = Table(
    "teams",
    metadata,
    Column("team_id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("organisation_id", String(40)),
)

accounts = Table(
    "accounts",
    metadata,
    Column("username", String(40), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("display_name", Text, nullable=False),
    Column("team_id", String(40)),
    Column("organisation_id", String(40)),
    Column("profession", String(40)),
    Column("email", Text),
    Column("scope", Text),  # comma-separated BU/WK/GM codes; empty = everywhere
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

#: Routing rules, evaluated by position; the first match wins.
routing_rules = Table(
    "routing_rules",
    metadata,
    Column("rule_id", Integer, primary_key=True, autoincrement=True),
    Column("position", Integer, nullable=False),
    Column("category", String(40)),  # a category code or group code; empty = any
    Column("area_code", String(20)),  # BU/WK/GM code; empty = anywhere
    Column("from_hour", Integer),  # local time window [from, to); empty = always
    Column("to_hour", Integer),
    Column("team_id", String(40), nullable=False),
    Column("assignee", String(40)),
)


# ---- initiatives, budgets, intervention log (migration 0005) -------------------------------

#: Initiatives owned by residents: a proposal becomes active from three supporters.
initiatives = Table(
    "initiatives",
    metadata,
    Column("initiative_id", String(60), primary_key=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("needs", Text),
    Column("status", String(20), nullable=False),  # proposed | active | done | stopped | withdrawn
    Column("level", String(20), nullable=False),
    Column("unit_key", String(120), nullable=False),
    Column("x", Float),
    Column("y", Float),
    Column("block_key", String(60)),
    Column("street_key", String(120)),
    Column("neighbourhood_code", String(20)),
    Column("owner_first_name", Text, nullable=False),
    Column("owner_hash", String(64), nullable=False),  # sha256 of the owner's personal link
    Column("owner_email", Text),
    Column("approved", Boolean, nullable=False),  # moderated before it is public
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime),
    Column("activated_at", DateTime),
    Column("closed_at", DateTime),
    Index("ix_initiatives_owner_hash", "owner_hash"),
)

#: Who joined an initiative: counted in public, never named there.
initiative_supporters = Table(
    "initiative_supporters",
    metadata,
    Column("supporter_id", Integer, primary_key=True, autoincrement=True),
    Column("initiative_id", String(60), nullable=False),
    Column("supporter_hash", String(64), nullable=False),  # sha256 of the supporter's link
    Column("first_name", Text),  # seen by the owner only
    Column("joined_at", DateTime, nullable=False),
    Column("withdrawn_at", DateTime),
    UniqueConstraint("initiative_id", "supporter_hash", name="uq_initiative_supporter"),
)

#: Updates, offers of support and status changes of an initiative.
initiative_updates = Table(
    "initiative_updates",
    metadata,
    Column("update_id", Integer, primary_key=True, autoincrement=True),
    Column("initiative_id", String(60), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("kind", String(20), nullable=False),  # update | support | status | decision
    Column("author", String(40), nullable=False),  # "owner" or a username
    Column("organisation_id", String(40)),
    Column("text", Text, nullable=False),
    Column("public", Boolean, nullable=False),
    Index("ix_initiative_updates_initiative", "initiative_id"),
)

initiative_assets = Table(
    "initiative_assets",
    metadata,
    Column("initiative_id", String(60), primary_key=True),
    Column("asset_id", String(60), primary_key=True),
)

#: A neighbourhood budget run by the municipality (per area and year).
neighbourhood_budgets = Table(
    "neighbourhood_budgets",
    metadata,
    Column("budget_id", String(60), primary_key=True),
    Column("name", Text, nullable=False),
    Column("area_code", String(20), nullable=False),
    Column("year", Integer, nullable=False),
    Column("amount", Float, nullable=False),
)

#: Requests for budget and the public record of decisions.
budget_requests = Table(
    "budget_requests",
    metadata,
    Column("request_id", Integer, primary_key=True, autoincrement=True),
    Column("initiative_id", String(60), nullable=False),
    Column("budget_id", String(60), nullable=False),
    Column("amount_requested", Float, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("requested_at", DateTime, nullable=False),
    Column("decision", String(20), nullable=False),  # pending | granted | partly | refused
    Column("amount_granted", Float),
    Column("decided_at", DateTime),
    Column("decided_by", String(40)),
    Column("decision_reason", Text),
    Index("ix_budget_requests_initiative", "initiative_id"),
)

#: What was done where, since when, by whom and with what aim.
intervention_log = Table(
    "intervention_log",
    metadata,
    Column("log_id", String(60), primary_key=True),
    Column("intervention_id", String(80)),  # catalogue key; empty for something not in it
    Column("title", Text, nullable=False),
    Column("level", String(20), nullable=False),
    Column("unit_key", String(120), nullable=False),
    Column("started_on", Date, nullable=False),
    Column("ended_on", Date),
    Column("organisation", Text, nullable=False),
    Column("aim", Text, nullable=False),
    Column("notes", Text),
    Column("origin", String(20), nullable=False),  # demo | app | import
    Column("created_by", String(40)),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime),
    Index("ix_intervention_log_unit", "level", "unit_key"),
)

#: Catalogue entries added or edited by administrators in the app (override the shipped ones).
intervention_catalogue = Table(
    "intervention_catalogue",
    metadata,
    Column("intervention_id", String(80), primary_key=True),
    Column("body", Text, nullable=False),  # the entry as TOML, validated like the shipped ones
    Column("active", Boolean, nullable=False),  # False = retired (hidden from suggestions)
    Column("updated_at", DateTime, nullable=False),
    Column("updated_by", String(40), nullable=False),
)
