"""One typed settings object; no configuration needed (workspace ./veerkracht-data)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings read from ``VEERKRACHT_*`` environment variables; pass the object in explicitly."""

    model_config = SettingsConfigDict(env_prefix="VEERKRACHT_", extra="ignore")

    workspace: Path = Field(
        default=Path("veerkracht-data"),
        description="Folder that holds the SQLite store, import reports and generated files.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the store, e.g. postgresql+psycopg://user@host/db. "
            "Empty means the SQLite file veerkracht.sqlite in the workspace."
        ),
    )
    basemap_url: str | None = Field(
        default=None,
        description=(
            "Optional raster tile URL template ({z}/{x}/{y}) drawn under the map. "
            "Empty means no basemap: the map shows only veerkracht's own geometry."
        ),
    )
    reference_year: int | None = Field(
        default=None,
        description="Year the indicators describe; empty means the latest year with lettings data.",
    )
    assets_radius_m: float = Field(
        default=300.0, description="Walking distance (straight line, metres) for 'assets nearby'."
    )
    assets_stale_months: int = Field(
        default=12,
        ge=1,
        description=(
            "An asset not confirmed for this many months counts as stale: professionals are "
            "asked to confirm or retire it, and its resident sees a prompt on their personal link."
        ),
    )
    block_max_gap_m: float = Field(
        default=1.0, description="Footprints closer than this (metres) belong to the same block."
    )
    entrance_stack_radius_m: float = Field(
        default=2.5,
        description="Address points within this distance in one building form one stack.",
    )
    entrance_pair_max_m: float = Field(
        default=14.0,
        description="Two stacks in one building this close are paired around one stairwell.",
    )
    warning_load_percentile: float = Field(
        default=0.8,
        ge=0,
        le=1,
        description="Warning list: a unit's load score must be at least this percentile (0–1).",
    )
    warning_trend_min: float = Field(
        default=0.004,
        description=(
            "Warning list: the yearly inflow of vulnerable households must rise at least this "
            "much per year (share of dwellings; 0.004 = 0.4 percentage point)."
        ),
    )
    warning_min_dwellings: int = Field(
        default=20, ge=1, description="Warning list: units with fewer dwellings are not listed."
    )
    secret_key: str = Field(
        default="change-me-in-production",
        description="Secret for signing session cookies; set a long random value in production.",
    )

    @property
    def store_url(self) -> str:
        """The database URL in force: the configured one or the workspace's SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.workspace / 'veerkracht.sqlite').resolve()}"
