"""assets with consent and moderation, initiatives, budgets, intervention log and catalogue edits

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _asset_columns() -> list[sa.Column]:
    return [
        sa.Column("origin", sa.String(length=20), nullable=True),
        sa.Column("source_name", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("first_name", sa.Text(), nullable=True),
        sa.Column("dwelling_id", sa.String(length=40), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("unit_key", sa.String(length=120), nullable=True),
        sa.Column("entrance_key", sa.String(length=60), nullable=True),
        sa.Column("block_key", sa.String(length=60), nullable=True),
        sa.Column("street_key", sa.String(length=120), nullable=True),
        sa.Column("neighbourhood_code", sa.String(length=20), nullable=True),
        sa.Column("opening_hours", sa.Text(), nullable=True),
        sa.Column("contact_email", sa.Text(), nullable=True),
        sa.Column("photo", sa.Text(), nullable=True),
        sa.Column("consent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("edit_hash", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=40), nullable=True),
        sa.Column("moderated_by", sa.String(length=40), nullable=True),
        sa.Column("moderated_at", sa.DateTime(), nullable=True),
        sa.Column("moderation_note", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("assets") as batch:
        for column in _asset_columns():
            batch.add_column(column)
    op.create_index("ix_assets_edit_hash", "assets", ["edit_hash"])
    op.create_index("ix_assets_block", "assets", ["block_key"])

    op.create_table(
        "initiatives",
        sa.Column("initiative_id", sa.String(length=60), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("unit_key", sa.String(length=120), nullable=False),
        sa.Column("x", sa.Float(), nullable=True),
        sa.Column("y", sa.Float(), nullable=True),
        sa.Column("block_key", sa.String(length=60), nullable=True),
        sa.Column("street_key", sa.String(length=120), nullable=True),
        sa.Column("neighbourhood_code", sa.String(length=20), nullable=True),
        sa.Column("owner_first_name", sa.Text(), nullable=False),
        sa.Column("owner_hash", sa.String(length=64), nullable=False),
        sa.Column("owner_email", sa.Text(), nullable=True),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_initiatives_owner_hash", "initiatives", ["owner_hash"])
    op.create_table(
        "initiative_supporters",
        sa.Column("supporter_id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("initiative_id", sa.String(length=60), nullable=False),
        sa.Column("supporter_hash", sa.String(length=64), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=True),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("initiative_id", "supporter_hash", name="uq_initiative_supporter"),
    )
    op.create_table(
        "initiative_updates",
        sa.Column("update_id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("initiative_id", sa.String(length=60), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.String(length=40), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Index("ix_initiative_updates_initiative", "initiative_id"),
    )
    op.create_table(
        "initiative_assets",
        sa.Column("initiative_id", sa.String(length=60), primary_key=True),
        sa.Column("asset_id", sa.String(length=60), primary_key=True),
    )
    op.create_table(
        "neighbourhood_budgets",
        sa.Column("budget_id", sa.String(length=60), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
    )
    op.create_table(
        "budget_requests",
        sa.Column("request_id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("initiative_id", sa.String(length=60), nullable=False),
        sa.Column("budget_id", sa.String(length=60), nullable=False),
        sa.Column("amount_requested", sa.Float(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("amount_granted", sa.Float(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Index("ix_budget_requests_initiative", "initiative_id"),
    )

    op.create_table(
        "intervention_log",
        sa.Column("log_id", sa.String(length=60), primary_key=True),
        sa.Column("intervention_id", sa.String(length=80), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("unit_key", sa.String(length=120), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("aim", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Index("ix_intervention_log_unit", "level", "unit_key"),
    )
    op.create_table(
        "intervention_catalogue",
        sa.Column("intervention_id", sa.String(length=80), primary_key=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
    )


def downgrade() -> None:
    for name in (
        "intervention_catalogue",
        "intervention_log",
        "budget_requests",
        "neighbourhood_budgets",
        "initiative_assets",
        "initiative_updates",
        "initiative_supporters",
        "initiatives",
    ):
        op.drop_table(name)
    op.drop_index("ix_assets_block", table_name="assets")
    op.drop_index("ix_assets_edit_hash", table_name="assets")
    with op.batch_alter_table("assets") as batch:
        for column in reversed(_asset_columns()):
            batch.drop_column(column.name)
