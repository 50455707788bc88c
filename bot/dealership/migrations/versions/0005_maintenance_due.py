"""maintenance due: the dealership's interval and each car's last maintenance visit

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dealership") as batch_op:
        batch_op.add_column(sa.Column("maintenance_miles", sa.Integer(), nullable=False,
                                      server_default="5000"))
        batch_op.add_column(sa.Column("maintenance_months", sa.Integer(), nullable=False,
                                      server_default="6"))
    with op.batch_alter_table("vehicles") as batch_op:
        batch_op.add_column(sa.Column("last_service_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("last_service_mileage", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vehicles") as batch_op:
        batch_op.drop_column("last_service_mileage")
        batch_op.drop_column("last_service_date")
    with op.batch_alter_table("dealership") as batch_op:
        batch_op.drop_column("maintenance_months")
        batch_op.drop_column("maintenance_miles")
