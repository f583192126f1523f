"""shrunk estimates on indicator values, and the findings of the assessment

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator_values") as batch:
        batch.add_column(sa.Column("estimate", sa.Float(), nullable=True))
        batch.add_column(sa.Column("lower", sa.Float(), nullable=True))
        batch.add_column(sa.Column("upper", sa.Float(), nullable=True))
    op.create_table(
        "findings",
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "level", "key"),
    )


def downgrade() -> None:
    op.drop_table("findings")
    with op.batch_alter_table("indicator_values") as batch:
        batch.drop_column("upper")
        batch.drop_column("lower")
        batch.drop_column("estimate")
