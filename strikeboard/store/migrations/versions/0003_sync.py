"""offline merge: node id and clock, row versions, aliases, peers, grievance text history, conflicts

Revision ID: 0003_sync
Revises: 0002_member_search_index
Create Date: 2026-11-26

New tables only (no existing table is altered). Rows written before this revision, or in
bulk by Core statements, have no ``sync_version`` row: they count as the oldest version
(HLC 0) and are given one at the next export.
"""

import sqlalchemy as sa
from alembic import op

import strikeboard.store.types

revision = "0003_sync"
down_revision = "0002_member_search_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_alias",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("old_id", sa.String(length=80), nullable=False),
        sa.Column("new_id", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "old_id"),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("grievance_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("other_value", sa.String(), nullable=False),
        sa.Column("other_hlc", sa.BigInteger(), nullable=False),
        sa.Column("other_node", sa.String(length=32), nullable=False),
        sa.Column("detected_at", strikeboard.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflict_grievance", ["grievance_id"], unique=False)
    op.create_table(
        "sync_grievance_text",
        sa.Column("grievance_id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("node", sa.String(length=32), nullable=False),
        sa.Column("prev_hlc", sa.BigInteger(), nullable=False),
        sa.Column("prev_node", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("remedy", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("grievance_id", "hlc", "node"),
    )
    op.create_table(
        "sync_node",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.String(length=32), nullable=False),
        sa.Column("home", sa.String(length=500), nullable=False),
        sa.Column("clock", sa.BigInteger(), nullable=False),
        sa.Column("last_export", sa.BigInteger(), nullable=False),
        sa.Column("created_at", strikeboard.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_peer",
        sa.Column("node_id", sa.String(length=32), nullable=False),
        sa.Column("last_merged_at", strikeboard.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_hlc", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("node_id"),
    )
    op.create_table(
        "sync_version",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=80), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("node", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("stamp", strikeboard.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("changed", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id"),
    )
    with op.batch_alter_table("sync_version", schema=None) as batch_op:
        batch_op.create_index("ix_sync_version_changed", ["changed"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sync_version", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_version_changed")
    op.drop_table("sync_version")
    op.drop_table("sync_peer")
    op.drop_table("sync_node")
    op.drop_table("sync_grievance_text")
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_conflict_grievance")
    op.drop_table("sync_conflict")
    op.drop_table("sync_alias")
