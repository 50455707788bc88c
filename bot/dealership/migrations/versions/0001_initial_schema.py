"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 11:22:50.629085
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


# No two live reservations of one loaner may overlap in time. PostgreSQL says so with an
# exclusion constraint (safe with concurrent writers); SQLite, whose writers are serialised,
# with triggers. Both fail as an IntegrityError.
PG_NO_OVERLAP = (
    "ALTER TABLE loaner_reservations ADD CONSTRAINT loaner_reservations_no_overlap "
    "EXCLUDE USING gist (loaner_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
    "WHERE (status <> 'cancelled')"
)
SQLITE_NO_OVERLAP = """
CREATE TRIGGER loaner_reservations_no_overlap_{event} BEFORE {event} ON loaner_reservations
WHEN NEW.status <> 'cancelled' AND EXISTS (
    SELECT 1 FROM loaner_reservations r
    WHERE r.loaner_id = NEW.loaner_id AND r.id IS NOT NEW.id AND r.status <> 'cancelled'
      AND r.starts_at < NEW.ends_at AND NEW.starts_at < r.ends_at)
BEGIN
    SELECT RAISE(ABORT, 'loaner_reservations_no_overlap: loaner already reserved then');
END
"""


def add_loaner_overlap_guard() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # btree_gist lets a GiST index compare plain integers; it is a trusted extension.
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(PG_NO_OVERLAP)
    elif dialect == "sqlite":
        for event in ("INSERT", "UPDATE"):
            op.execute(SQLITE_NO_OVERLAP.format(event=event))


def drop_loaner_overlap_guard() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("INSERT", "UPDATE"):
            op.execute(f"DROP TRIGGER IF EXISTS loaner_reservations_no_overlap_{event}")


def upgrade() -> None:

    op.create_table('coverages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('miles', sa.Integer(), nullable=False),
    sa.Column('includes_roadside', sa.Boolean(), nullable=False),
    sa.Column('applies_to', sa.String(length=20), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.CheckConstraint('years > 0 AND miles > 0', name=op.f('ck_coverages_positive_terms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverages')),
    sa.UniqueConstraint('name', name=op.f('uq_coverages_name'))
    )
    op.create_table('dealership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('brand', sa.String(length=60), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('main_phone', sa.String(length=20), nullable=False),
    sa.Column('service_phone', sa.String(length=20), nullable=False),
    sa.Column('roadside_phone', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=120), nullable=True),
    sa.Column('website', sa.String(length=200), nullable=True),
    sa.Column('time_zone', sa.String(length=60), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_dealership_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dealership'))
    )
    op.create_table('holidays',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_holidays'))
    )
    op.create_table('knowledge',
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('topic', name=op.f('pk_knowledge'))
    )
    op.create_table('loaners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vin', sa.String(length=17), nullable=False),
    sa.Column('plate', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('make', sa.String(length=40), nullable=False),
    sa.Column('model', sa.String(length=40), nullable=False),
    sa.Column('trim', sa.String(length=60), nullable=True),
    sa.Column('color', sa.String(length=60), nullable=True),
    sa.Column('mileage', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loaners')),
    sa.UniqueConstraint('plate', name=op.f('uq_loaners_plate')),
    sa.UniqueConstraint('vin', name=op.f('uq_loaners_vin'))
    )
    op.create_table('owners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=120), nullable=True),
    sa.Column('sms_consent', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_owners')),
    sa.UniqueConstraint('mobile', name=op.f('uq_owners_mobile'))
    )
    op.create_table('recalls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vin', sa.String(length=17), nullable=False),
    sa.Column('campaign', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('remedy', sa.Text(), nullable=False),
    sa.Column('safety_risk', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'remedied')", name=op.f('ck_recalls_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recalls')),
    sa.UniqueConstraint('vin', 'campaign', name='uq_recalls_vin_campaign')
    )
    with op.batch_alter_table('recalls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recalls_vin'), ['vin'], unique=False)

    op.create_table('service_hours',
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=False),
    sa.Column('closes', sa.Time(), nullable=False),
    sa.CheckConstraint('opens < closes', name=op.f('ck_service_hours_opens_before_closes')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_service_hours_weekday')),
    sa.PrimaryKeyConstraint('weekday', name=op.f('pk_service_hours'))
    )
    op.create_table('service_lanes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_lanes')),
    sa.UniqueConstraint('number', name=op.f('uq_service_lanes_number'))
    )
    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('price_min', sa.Integer(), nullable=False),
    sa.Column('price_max', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('duration_minutes > 0', name=op.f('ck_services_duration')),
    sa.CheckConstraint('price_min >= 0 AND price_min <= price_max', name=op.f('ck_services_price_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
    sa.UniqueConstraint('code', name=op.f('uq_services_code'))
    )
    op.create_table('handoff_tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=120), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('assigned_to', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open', 'claimed', 'closed')", name=op.f('ck_handoff_tickets_status')),
    sa.CheckConstraint("urgency IN ('urgent', 'normal')", name=op.f('ck_handoff_tickets_urgency')),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], name=op.f('fk_handoff_tickets_owner_id_owners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_tickets'))
    )
    with op.batch_alter_table('handoff_tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_tickets_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_tickets_owner_id'), ['owner_id'], unique=False)

    op.create_table('vehicles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('vin', sa.String(length=17), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('make', sa.String(length=40), nullable=False),
    sa.Column('model', sa.String(length=40), nullable=False),
    sa.Column('trim', sa.String(length=60), nullable=True),
    sa.Column('mileage', sa.Integer(), nullable=True),
    sa.Column('in_service_date', sa.Date(), nullable=True),
    sa.Column('ownership', sa.String(length=10), nullable=False),
    sa.Column('lease_end_date', sa.Date(), nullable=True),
    sa.CheckConstraint("ownership = 'leased' OR lease_end_date IS NULL", name=op.f('ck_vehicles_lease_end')),
    sa.CheckConstraint("ownership IN ('owned', 'leased')", name=op.f('ck_vehicles_ownership')),
    sa.CheckConstraint('length(vin) = 17', name=op.f('ck_vehicles_vin_length')),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], name=op.f('fk_vehicles_owner_id_owners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vehicles')),
    sa.UniqueConstraint('vin', name=op.f('uq_vehicles_vin'))
    )
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vehicles_owner_id'), ['owner_id'], unique=False)

    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('vehicle_id', sa.Integer(), nullable=False),
    sa.Column('lane_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('transport', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('scheduled', 'checked_in', 'in_progress', 'ready_for_pickup', 'completed', 'cancelled')", name=op.f('ck_appointments_status')),
    sa.CheckConstraint("transport IN ('wait', 'loaner', 'shuttle', 'pickup_delivery')", name=op.f('ck_appointments_transport')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_appointments_starts_before_ends')),
    sa.ForeignKeyConstraint(['lane_id'], ['service_lanes.id'], name=op.f('fk_appointments_lane_id_service_lanes')),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], name=op.f('fk_appointments_owner_id_owners')),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_appointments_vehicle_id_vehicles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments')),
    sa.UniqueConstraint('code', name=op.f('uq_appointments_code'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointments_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_vehicle_id'), ['vehicle_id'], unique=False)
        batch_op.create_index('uq_appointments_lane_slot', ['lane_id', 'starts_at'], unique=True, postgresql_where=sa.text("status <> 'cancelled'"), sqlite_where=sa.text("status <> 'cancelled'"))

    op.create_table('issue_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('vehicle_id', sa.Integer(), nullable=True),
    sa.Column('conversation_id', sa.String(length=120), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('warning_light', sa.String(length=80), nullable=True),
    sa.Column('drivable', sa.Boolean(), nullable=True),
    sa.Column('since', sa.String(length=80), nullable=True),
    sa.Column('media_urls', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("severity IN ('safety', 'urgent', 'routine')", name=op.f('ck_issue_reports_severity')),
    sa.CheckConstraint("status IN ('open', 'booked', 'closed')", name=op.f('ck_issue_reports_status')),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], name=op.f('fk_issue_reports_owner_id_owners')),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_issue_reports_vehicle_id_vehicles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issue_reports')),
    sa.UniqueConstraint('reference', name=op.f('uq_issue_reports_reference'))
    )
    with op.batch_alter_table('issue_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issue_reports_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_issue_reports_vehicle_id'), ['vehicle_id'], unique=False)

    op.create_table('appointment_services',
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_appointment_services_appointment_id_appointments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_appointment_services_service_id_services')),
    sa.PrimaryKeyConstraint('appointment_id', 'service_id', name=op.f('pk_appointment_services'))
    )
    op.create_table('loaner_reservations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loaner_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('reserved', 'out', 'returned', 'cancelled')", name=op.f('ck_loaner_reservations_status')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_loaner_reservations_starts_before_ends')),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_loaner_reservations_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['loaner_id'], ['loaners.id'], name=op.f('fk_loaner_reservations_loaner_id_loaners')),
    sa.ForeignKeyConstraint(['owner_id'], ['owners.id'], name=op.f('fk_loaner_reservations_owner_id_owners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loaner_reservations'))
    )
    with op.batch_alter_table('loaner_reservations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loaner_reservations_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loaner_reservations_loaner_id'), ['loaner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loaner_reservations_owner_id'), ['owner_id'], unique=False)
    add_loaner_overlap_guard()


def downgrade() -> None:
    drop_loaner_overlap_guard()

    with op.batch_alter_table('loaner_reservations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loaner_reservations_owner_id'))
        batch_op.drop_index(batch_op.f('ix_loaner_reservations_loaner_id'))
        batch_op.drop_index(batch_op.f('ix_loaner_reservations_appointment_id'))

    op.drop_table('loaner_reservations')
    op.drop_table('appointment_services')
    with op.batch_alter_table('issue_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issue_reports_vehicle_id'))
        batch_op.drop_index(batch_op.f('ix_issue_reports_owner_id'))

    op.drop_table('issue_reports')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('uq_appointments_lane_slot', postgresql_where=sa.text("status <> 'cancelled'"), sqlite_where=sa.text("status <> 'cancelled'"))
        batch_op.drop_index(batch_op.f('ix_appointments_vehicle_id'))
        batch_op.drop_index(batch_op.f('ix_appointments_owner_id'))

    op.drop_table('appointments')
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vehicles_owner_id'))

    op.drop_table('vehicles')
    with op.batch_alter_table('handoff_tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_tickets_owner_id'))
        batch_op.drop_index(batch_op.f('ix_handoff_tickets_conversation_id'))

    op.drop_table('handoff_tickets')
    op.drop_table('services')
    op.drop_table('service_lanes')
    op.drop_table('service_hours')
    with op.batch_alter_table('recalls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recalls_vin'))

    op.drop_table('recalls')
    op.drop_table('owners')
    op.drop_table('loaners')
    op.drop_table('knowledge')
    op.drop_table('holidays')
    op.drop_table('dealership')
    op.drop_table('coverages')

