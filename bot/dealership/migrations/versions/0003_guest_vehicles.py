"""guest vehicles: a car booked by a guest is known by its model before its VIN and year

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vehicles") as batch_op:
        batch_op.alter_column("vin", existing_type=sa.String(17), nullable=True)
        batch_op.alter_column("year", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint(op.f("ck_vehicles_vin_length"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_vehicles_vin_length"), "vin IS NULL OR length(vin) = 17")


def downgrade() -> None:
    with op.batch_alter_table("vehicles") as batch_op:
        batch_op.drop_constraint(op.f("ck_vehicles_vin_length"), type_="check")
        batch_op.create_check_constraint(op.f("ck_vehicles_vin_length"), "length(vin) = 17")
        batch_op.alter_column("year", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("vin", existing_type=sa.String(17), nullable=False)
