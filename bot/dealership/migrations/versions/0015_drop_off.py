"""a car dropped off, the owner getting around on their own

Revision ID: 0015
Revises: 0014
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

BEFORE = "transport IN ('wait', 'loaner', 'shuttle', 'pickup_delivery')"
AFTER = "transport IN ('wait', 'loaner', 'shuttle', 'pickup_delivery', 'drop_off')"


def upgrade() -> None:
    with op.batch_alter_table("appointments") as batch_op:
        batch_op.drop_constraint("transport", type_="check")
        batch_op.create_check_constraint("transport", AFTER)


def downgrade() -> None:
    op.execute("UPDATE appointments SET transport = 'wait' WHERE transport = 'drop_off'")
    with op.batch_alter_table("appointments") as batch_op:
        batch_op.drop_constraint("transport", type_="check")
        batch_op.create_check_constraint("transport", BEFORE)
