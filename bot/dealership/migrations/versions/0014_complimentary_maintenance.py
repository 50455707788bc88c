"""scheduled maintenance that is free on a new car: for so many months or miles

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
        batch_op.add_column(sa.Column("complimentary_months", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("complimentary_miles", sa.Integer(), nullable=False,
                                      server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("dealership") as batch_op:
        batch_op.drop_column("complimentary_miles")
        batch_op.drop_column("complimentary_months")
