"""web guests and codes: guest records with the number a visitor gave (unproven), the chat's
client address and guest record, and code quotas that hold with concurrent writers

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("owners") as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("unverified_mobile", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_owners_unverified_mobile"), ["unverified_mobile"])
    with op.batch_alter_table("web_sessions") as batch_op:
        batch_op.add_column(sa.Column("client_ip", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("guest_owner_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_web_sessions_guest_owner_id_owners"),
                                    "owners", ["guest_owner_id"], ["id"])
    op.create_table(
        "code_quotas",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_code_quotas")),
    )


def downgrade() -> None:
    op.drop_table("code_quotas")
    with op.batch_alter_table("web_sessions") as batch_op:
        batch_op.drop_constraint("fk_web_sessions_guest_owner_id_owners", type_="foreignkey")
        batch_op.drop_column("guest_owner_id")
        batch_op.drop_column("client_ip")
    with op.batch_alter_table("owners") as batch_op:
        batch_op.drop_index("ix_owners_unverified_mobile")
        batch_op.drop_column("unverified_mobile")
        batch_op.drop_column("source")
