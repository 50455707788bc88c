"""departments: who handles what (sales, finance, collision, parts, service), their phones and
hours; the department a handoff ticket asks to reach out

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("handles", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_departments")),
    )
    op.create_table(
        "department_hours",
        sa.Column("department", sa.String(length=20), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_department_hours_weekday")),
        sa.CheckConstraint("opens < closes",
                           name=op.f("ck_department_hours_opens_before_closes")),
        sa.ForeignKeyConstraint(["department"], ["departments.code"], ondelete="CASCADE",
                                name=op.f("fk_department_hours_department_departments")),
        sa.PrimaryKeyConstraint("department", "weekday", name=op.f("pk_department_hours")),
    )
    with op.batch_alter_table("handoff_tickets") as batch_op:
        batch_op.add_column(sa.Column("department", sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_handoff_tickets_department_departments"),
                                    "departments", ["department"], ["code"])


def downgrade() -> None:
    with op.batch_alter_table("handoff_tickets") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_handoff_tickets_department_departments"),
                                 type_="foreignkey")
        batch_op.drop_column("department")
    op.drop_table("department_hours")
    op.drop_table("departments")
