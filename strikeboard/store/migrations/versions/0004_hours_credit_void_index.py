"""hours credit voids: index ``hours_credit.void_of``

Revision ID: 0004_hours_credit_void_index
Revises: 0003_sync
Create Date: 2026-11-26

The live credits are the rows no other row voids; without this index every hours query
scanned all credits to find the voids (about 7 ms a roster page at 100,000 members).
"""

from alembic import op

revision = "0004_hours_credit_void_index"
down_revision = "0003_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_hours_credit_void_of", "hours_credit", ["void_of"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_hours_credit_void_of", table_name="hours_credit")
