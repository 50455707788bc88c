"""loaner waitlist: owners who booked when no loaner was free

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loaner_waitlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("model_line", sa.String(length=10), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('waiting', 'offered', 'fulfilled', 'cancelled')",
                           name=op.f("ck_loaner_waitlist_status")),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"],
                                name=op.f("fk_loaner_waitlist_appointment_id_appointments")),
        sa.ForeignKeyConstraint(["owner_id"], ["owners.id"],
                                name=op.f("fk_loaner_waitlist_owner_id_owners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loaner_waitlist")),
        sa.UniqueConstraint("appointment_id", name=op.f("uq_loaner_waitlist_appointment_id")),
    )
    with op.batch_alter_table("loaner_waitlist") as batch_op:
        batch_op.create_index(batch_op.f("ix_loaner_waitlist_owner_id"), ["owner_id"])


def downgrade() -> None:
    op.drop_table("loaner_waitlist")
