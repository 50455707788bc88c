"""text hours: when a number may get texts it did not just ask for, and texts held for them

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "text_hours",
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("earliest_hour", sa.Integer(), nullable=True),
        sa.Column("latest_hour", sa.Integer(), nullable=True),
        sa.Column("weekdays_only", sa.Boolean(), nullable=False),
        sa.Column("said", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_text_hours")),
    )
    _statuses("'sending', 'accepted', 'blocked', 'held', 'failed'")


def downgrade() -> None:
    op.execute("UPDATE outbound_messages SET status = 'blocked' WHERE status = 'held'")
    _statuses("'sending', 'accepted', 'blocked', 'failed'")
    op.drop_table("text_hours")


def _statuses(allowed: str) -> None:
    with op.batch_alter_table("outbound_messages") as batch_op:
        batch_op.drop_constraint(op.f("ck_outbound_messages_status"), type_="check")
        batch_op.create_check_constraint("status", f"status IN ({allowed})")
