"""member search index: one narrow index over every text the roster search looks in

Revision ID: 0002_member_search_index
Revises: 0001_initial
Create Date: 2026-11-25

An expression index (``member_number || ' ' || search_key || ' ' || phone_digits || ' ' ||
email``). SQLAlchemy cannot reflect expression indexes on SQLite, so a later migration that
rebuilds the ``member`` table in batch mode must create this index again
(tests/test_migrations.py checks it exists at the head).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_member_search_index"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

SEARCH_TEXT = "member_number || ' ' || search_key || ' ' || phone_digits || ' ' || email"


def upgrade() -> None:
    op.create_index("ix_member_search_text", "member", [sa.text(f"({SEARCH_TEXT})")], unique=False)


def downgrade() -> None:
    op.drop_index("ix_member_search_text", table_name="member")
