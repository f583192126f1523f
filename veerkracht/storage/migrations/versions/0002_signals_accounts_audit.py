"""signals workflow, accounts, routing and audit log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _signal_columns() -> list[sa.Column]:
    return [
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=True),
        sa.Column("submission_key", sa.String(length=64), nullable=True),
        sa.Column("follow_hash", sa.String(length=64), nullable=True),
        sa.Column("dwelling_id", sa.String(length=40), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("block_key", sa.String(length=60), nullable=True),
        sa.Column("street_key", sa.String(length=120), nullable=True),
        sa.Column("neighbourhood_code", sa.String(length=20), nullable=True),
        sa.Column("district_code", sa.String(length=20), nullable=True),
        sa.Column("municipality_code", sa.String(length=20), nullable=True),
        sa.Column("team_id", sa.String(length=40), nullable=True),
        sa.Column("assignee", sa.String(length=40), nullable=True),
        sa.Column("deadline_at", sa.DateTime(), nullable=True),
        sa.Column("photo", sa.Text(), nullable=True),
        sa.Column("contact_name", sa.Text(), nullable=True),
        sa.Column("contact_email", sa.Text(), nullable=True),
        sa.Column("contact_phone", sa.Text(), nullable=True),
        sa.Column("contact_verified", sa.Boolean(), nullable=True),
        sa.Column("verify_hash", sa.String(length=64), nullable=True),
        sa.Column("contact_removed_at", sa.DateTime(), nullable=True),
        sa.Column("parent_id", sa.String(length=60), nullable=True),
        sa.Column("duplicate_of", sa.String(length=60), nullable=True),
    ]


#: Append-only tables: UPDATE and DELETE are refused by the database itself. History rows of a
#: signal may be deleted only after retention wrote the signal's tombstone.
_SQLITE_TRIGGERS = [
    """CREATE TRIGGER signal_history_no_update BEFORE UPDATE ON signal_history
       BEGIN SELECT RAISE(ABORT, 'signal_history is append-only'); END""",
    """CREATE TRIGGER signal_history_no_delete BEFORE DELETE ON signal_history
       WHEN NOT EXISTS (SELECT 1 FROM signal_tombstones WHERE signal_id = OLD.signal_id)
       BEGIN SELECT RAISE(ABORT, 'signal_history is append-only'); END""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]

_POSTGRES_TRIGGERS = [
    """CREATE FUNCTION veerkracht_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'signal_history' THEN
           IF EXISTS (SELECT 1 FROM signal_tombstones WHERE signal_id = OLD.signal_id) THEN
             RETURN OLD;
           END IF;
         END IF;
         RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
       END $$""",
    """CREATE TRIGGER signal_history_append_only BEFORE UPDATE OR DELETE ON signal_history
       FOR EACH ROW EXECUTE FUNCTION veerkracht_append_only()""",
    """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION veerkracht_append_only()""",
]


def upgrade() -> None:
    with op.batch_alter_table("signals", schema=None) as batch_op:
        for column in _signal_columns():
            batch_op.add_column(column)
        batch_op.create_index("ix_signals_submission_key", ["submission_key"], unique=True)
        batch_op.create_index("ix_signals_follow_hash", ["follow_hash"], unique=False)
        batch_op.create_index("ix_signals_team", ["team_id"], unique=False)
    op.create_table(
        "signal_history",
        sa.Column("history_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("signal_id", sa.String(length=60), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_state", sa.String(length=30), nullable=True),
        sa.Column("to_state", sa.String(length=30), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("history_id"),
    )
    op.create_index("ix_signal_history_signal", "signal_history", ["signal_id"])
    op.create_table(
        "signal_tombstones",
        sa.Column("signal_id", sa.String(length=60), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("neighbourhood_code", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("signal_id"),
    )
    op.create_table(
        "audit_log",
        sa.Column("audit_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=60), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("audit_id"),
    )
    op.create_index("ix_audit_log_record", "audit_log", ["record_type", "record_id"])
    op.create_table(
        "organisations",
        sa.Column("organisation_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id"),
    )
    op.create_table(
        "teams",
        sa.Column("team_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_table(
        "accounts",
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("team_id", sa.String(length=40), nullable=True),
        sa.Column("organisation_id", sa.String(length=40), nullable=True),
        sa.Column("profession", sa.String(length=40), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username"),
    )
    op.create_table(
        "routing_rules",
        sa.Column("rule_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("area_code", sa.String(length=20), nullable=True),
        sa.Column("from_hour", sa.Integer(), nullable=True),
        sa.Column("to_hour", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.String(length=40), nullable=False),
        sa.Column("assignee", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("rule_id"),
    )
    dialect = op.get_bind().dialect.name
    for statement in _POSTGRES_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS signal_history_append_only ON signal_history")
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS veerkracht_append_only()")
    op.drop_table("routing_rules")
    op.drop_table("accounts")
    op.drop_table("teams")
    op.drop_table("organisations")
    op.drop_index("ix_audit_log_record", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("signal_tombstones")
    op.drop_index("ix_signal_history_signal", table_name="signal_history")
    op.drop_table("signal_history")
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_index("ix_signals_team")
        batch_op.drop_index("ix_signals_follow_hash")
        batch_op.drop_index("ix_signals_submission_key")
        for column in reversed(_signal_columns()):
            batch_op.drop_column(column.name)
