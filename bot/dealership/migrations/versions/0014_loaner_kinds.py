"""the kinds of loaner an owner may ask for by word ("an suv"), by model line

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dealership") as batch_op:
        batch_op.add_column(sa.Column("loaner_kinds", sa.JSON(), nullable=False,
                                      server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("dealership") as batch_op:
        batch_op.drop_column("loaner_kinds")
