"""handoff tickets: a summary, when claimed, on-call texts and escalation; internal notes;
the on-call advisor's number

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dealership") as batch_op:
        batch_op.add_column(sa.Column("on_call_mobile", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("escalate_after_minutes", sa.Integer(), nullable=False,
                                      server_default="10"))
    with op.batch_alter_table("handoff_tickets") as batch_op:
        batch_op.add_column(sa.Column("summary", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "ticket_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["handoff_tickets.id"],
                                name=op.f("fk_ticket_notes_ticket_id_handoff_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_notes")),
    )
    with op.batch_alter_table("ticket_notes") as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_notes_ticket_id"), ["ticket_id"])


def downgrade() -> None:
    op.drop_table("ticket_notes")
    with op.batch_alter_table("handoff_tickets") as batch_op:
        for column in ("escalated_at", "notified_at", "claimed_at", "summary"):
            batch_op.drop_column(column)
    with op.batch_alter_table("dealership") as batch_op:
        batch_op.drop_column("escalate_after_minutes")
        batch_op.drop_column("on_call_mobile")
