"""loaner ladder

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:42:41.061931
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dealership", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("loaner_ladder", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("dealership", schema=None) as batch_op:
        batch_op.drop_column("loaner_ladder")
