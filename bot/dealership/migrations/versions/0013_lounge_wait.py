"""the longest work offered as a wait in the lounge

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dealership") as batch_op:
        batch_op.add_column(sa.Column("wait_up_to_minutes", sa.Integer(), nullable=False,
                                      server_default="90"))


def downgrade() -> None:
    with op.batch_alter_table("dealership") as batch_op:
        batch_op.drop_column("wait_up_to_minutes")
