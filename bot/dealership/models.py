"""The dealership's tables. Times are stored in UTC and shown in the dealership's time zone.

Invariants live in the schema so they hold with several writers: unique VIN and owner mobile,
at most one appointment per service lane and start time (the lanes are the shop's capacity), and
no overlapping reservations of one loaner (an exclusion constraint on PostgreSQL, a trigger on
SQLite; both are created by the migrations).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

from bot import clock

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
Base = declarative_base(metadata=MetaData(naming_convention=NAMING))

APPOINTMENT_STATUSES = (
    "scheduled", "checked_in", "in_progress", "ready_for_pickup", "completed", "cancelled",
)
# "drop_off": the owner leaves the car and gets around on their own (a spouse, a ride share).
TRANSPORTS = ("wait", "loaner", "shuttle", "pickup_delivery", "drop_off")
RESERVATION_STATUSES = ("reserved", "out", "returned", "cancelled")
OWNERSHIPS = ("owned", "leased")
# Default stamps are business time (`clock.now`), so a pinned week holds together: a ticket
# opened "now" has waited as long as the pinned clock says. Rows that security windows count
# (texts an hour, sessions, sign-in attempts, a text's answer) are stamped `clock.real_now`.



def one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, whatever the database keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one (times are stored in UTC)")
        value = value.astimezone(timezone.utc)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Dealership(Base):
    """The dealership's profile: one row per database."""

    __tablename__ = "dealership"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id = Column(Integer, primary_key=True, default=1)
    name = Column(String(120), nullable=False)
    brand = Column(String(60), nullable=False)
    address = Column(String(200), nullable=False)
    main_phone = Column(String(20), nullable=False)
    service_phone = Column(String(20), nullable=False)
    roadside_phone = Column(String(20), nullable=False)
    email = Column(String(120))
    website = Column(String(200))
    time_zone = Column(String(60), nullable=False)
    slot_minutes = Column(Integer, CheckConstraint("slot_minutes > 0", name="slot_minutes"),
                          nullable=False)
    # Model lines from entry to flagship ("UX", ..., "LS"): a loaner of the same line or the
    # next one up is the upgrade an owner should get.
    loaner_ladder = Column(JSON, nullable=False, default=list)
    # The factory maintenance interval: a visit every so many miles or months, whichever first.
    maintenance_miles = Column(Integer, nullable=False, default=5000)
    maintenance_months = Column(Integer, nullable=False, default=6)
    # Scheduled maintenance is free on a new car for so many months from its in-service date
    # or miles, whichever comes first (0: never).
    complimentary_months = Column(Integer, nullable=False, default=0)
    complimentary_miles = Column(Integer, nullable=False, default=0)
    # The advisor on call: texted about urgent tickets, and tickets nobody picked up in time.
    on_call_mobile = Column(String(20))
    # Minutes a ticket may wait unclaimed during staffed hours before on-call is texted.
    escalate_after_minutes = Column(Integer, nullable=False, default=10)
    # Work this short (in minutes) is offered as a wait in the lounge, said in the summary
    # the owner agrees to; longer work asks how the owner will get around.
    wait_up_to_minutes = Column(Integer, nullable=False, default=90)


class ServiceHours(Base):
    """Opening hours of the service department; a weekday without a row is closed."""

    __tablename__ = "service_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )
    weekday = Column(Integer, primary_key=True)  # Monday is 0, as in datetime.weekday()
    opens = Column(Time, nullable=False)
    closes = Column(Time, nullable=False)


class Holiday(Base):
    __tablename__ = "holidays"
    day = Column(Date, primary_key=True)
    name = Column(String(80), nullable=False)


class ServiceLane(Base):
    """One lane takes one appointment start per slot: the lanes are the shop's capacity."""

    __tablename__ = "service_lanes"
    id = Column(Integer, primary_key=True)
    number = Column(Integer, nullable=False, unique=True)
    active = Column(Boolean, nullable=False, default=True)


class Service(Base):
    """An item of the service menu; prices are estimates, never promises."""

    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration"),
        CheckConstraint("price_min >= 0 AND price_min <= price_max", name="price_range"),
    )
    id = Column(Integer, primary_key=True)
    code = Column(String(40), nullable=False, unique=True)
    name = Column(String(120), nullable=False)
    description = Column(Text)
    duration_minutes = Column(Integer, nullable=False)
    price_min = Column(Integer, nullable=False)  # whole US dollars
    price_max = Column(Integer, nullable=False)
    active = Column(Boolean, nullable=False, default=True)


class Owner(Base):
    __tablename__ = "owners"
    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False)
    mobile = Column(String(20), unique=True)  # E.164
    email = Column(String(120))
    sms_consent = Column(Boolean, nullable=False, default=False)
    created_at = Column(UTCDateTime, nullable=False, default=clock.now)
    # "web": a guest record, the booking of a web visitor who proved no number. It is nobody's
    # identity (`mobile` stays empty) until staff reconcile it with an owner; None otherwise.
    source = Column(String(10))
    # The number that visitor gave, never proven: shown to staff, never used to recognise anyone.
    unverified_mobile = Column(String(20), index=True)
    vehicles = relationship("Vehicle", back_populates="owner", order_by="Vehicle.id")

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


class Vehicle(Base):
    __tablename__ = "vehicles"
    __table_args__ = (
        one_of("ownership", OWNERSHIPS),
        # A guest's car is known by its model first; VIN and year come at check-in.
        CheckConstraint("vin IS NULL OR length(vin) = 17", name="vin_length"),
        CheckConstraint("ownership = 'leased' OR lease_end_date IS NULL", name="lease_end"),
    )
    id = Column(Integer, primary_key=True)
    owner_id = Column(Integer, ForeignKey("owners.id"), nullable=False, index=True)
    vin = Column(String(17), unique=True)
    year = Column(Integer)
    make = Column(String(40), nullable=False)
    model = Column(String(40), nullable=False)  # "RX 350": the line ("RX") comes first
    trim = Column(String(60))
    mileage = Column(Integer)
    in_service_date = Column(Date)
    ownership = Column(String(10), nullable=False, default="owned")
    lease_end_date = Column(Date)
    # The last maintenance visit, as the dealership's records have it (here or elsewhere).
    last_service_date = Column(Date)
    last_service_mileage = Column(Integer)
    owner = relationship("Owner", back_populates="vehicles")

    @property
    def model_line(self) -> str:
        return self.model.split()[0]

    @property
    def label(self) -> str:
        """How the car is named to its owner: "2021 RX 350" (the make goes without saying)."""
        return f"{self.year} {self.model}" if self.year else self.model


appointment_services = Table(
    "appointment_services",
    Base.metadata,
    Column("appointment_id", ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("services.id"), primary_key=True),
)


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        one_of("status", APPOINTMENT_STATUSES),
        one_of("transport", TRANSPORTS),
        CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        # The capacity invariant: a lane takes one start per slot, cancelled ones excepted.
        Index(
            "uq_appointments_lane_slot", "lane_id", "starts_at", unique=True,
            postgresql_where=text("status <> 'cancelled'"),
            sqlite_where=text("status <> 'cancelled'"),
        ),
    )
    id = Column(Integer, primary_key=True)
    code = Column(String(12), nullable=False, unique=True)  # what the owner quotes
    owner_id = Column(Integer, ForeignKey("owners.id"), nullable=False, index=True)
    vehicle_id = Column(Integer, ForeignKey("vehicles.id"), nullable=False, index=True)
    lane_id = Column(Integer, ForeignKey("service_lanes.id"), nullable=False)
    starts_at = Column(UTCDateTime, nullable=False)
    ends_at = Column(UTCDateTime, nullable=False)
    status = Column(String(20), nullable=False, default="scheduled")
    transport = Column(String(20), nullable=False, default="wait")
    notes = Column(Text)
    created_at = Column(UTCDateTime, nullable=False, default=clock.now)
    updated_at = Column(UTCDateTime, nullable=False, default=clock.now, onupdate=clock.now)
    owner = relationship("Owner")
    vehicle = relationship("Vehicle")
    services = relationship("Service", secondary=appointment_services, order_by="Service.id")


class Loaner(Base):
    __tablename__ = "loaners"
    id = Column(Integer, primary_key=True)
    vin = Column(String(17), nullable=False, unique=True)
    plate = Column(String(12), nullable=False, unique=True)
    year = Column(Integer, nullable=False)
    make = Column(String(40), nullable=False)
    model = Column(String(40), nullable=False)
    trim = Column(String(60))
    color = Column(String(60))
    mileage = Column(Integer)
    active = Column(Boolean, nullable=False, default=True)

    @property
    def model_line(self) -> str:
        return self.model.split()[0]


class LoanerReservation(Base):
    """A loaner held for an owner over [starts_at, ends_at); the database refuses overlaps."""

    __tablename__ = "loaner_reservations"
    __table_args__ = (
        one_of("status", RESERVATION_STATUSES),
        CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
    )
    id = Column(Integer, primary_key=True)
    loaner_id = Column(Integer, ForeignKey("loaners.id"), nullable=False, index=True)
    owner_id = Column(Integer, ForeignKey("owners.id"), nullable=False, index=True)
    appointment_id = Column(Integer, ForeignKey("appointments.id"), index=True)
    starts_at = Column(UTCDateTime, nullable=False)
    ends_at = Column(UTCDateTime, nullable=False)
    status = Column(String(20), nullable=False, default="reserved")
    created_at = Column(UTCDateTime, nullable=False, default=clock.now)
    loaner = relationship("Loaner")


class LoanerWaitlist(Base):
    """An owner waiting for a loaner that was not free when they booked: staff call them in
    order when one comes back."""

    __tablename__ = "loaner_waitlist"
    __table_args__ = (one_of("status", ("waiting", "offered", "fulfilled", "cancelled")),)
    id = Column(Integer, primary_key=True)
    owner_id = Column(Integer, ForeignKey("owners.id"), nullable=False, index=True)
    appointment_id = Column(Integer, ForeignKey("appointments.id"), nullable=False, unique=True)
    model_line = Column(String(10), nullable=False)
    starts_at = Column(UTCDateTime, nullable=False)
    ends_at = Column(UTCDateTime, nullable=False)
    status = Column(String(10), nullable=False, default="waiting")
    created_at = Column(UTCDateTime, nullable=False, default=clock.now)
    appointment = relationship("Appointment")


class IssueReport(Base):
    """A problem an owner reported: a case with a reference number."""

    __tablename__ = "issue_reports"
    __table_args__ = (
        one_of("severity", ("safety", "urgent", "routine")),
        one_of("status", ("open", "booked", "closed")),
    )
    id = Column(Integer, primary_key=True)
    reference = Column(String(12), nullable=False, unique=True)
    owner_id = Column(Integer, ForeignKey("owners.id"), index=True)
    vehicle_id = Column(Integer, ForeignKey("vehicles.id"), index=True)
    conversation_id = Column(String(120))
    description = Column(Text, nullable=False)
    category = Column(String(40))
    severity = Column(String(10), nullable=False, default="routine")
    warning_light = Column(String(80))
    drivable = Column(Boolean)
    since = Column(String(80))
    media_urls = Column(JSON, nullable=False, default=list)
    status = Column(String(10), nullable=False, default="open")
    created_at = Column(UTCDateTime, nullable=False, default=clock.now)


class Recall(Base):
    """A manufacturer recall for one VIN (which need not belong to a known owner)."""

    __tablename__ = "recalls"
    __table_args__ = (
        UniqueConstraint("vin", "campaign", name="uq_recalls_vin_campaign"),
        one_of("status", ("open", "remedied")),
    )
    id = Column(Integer, primary_key=True)
    vin = Column(String(17), nullable=False, index=True)
    campaign = Column(String(20), nullable=False)
    title = Column(String(200), nullable=False)
    description = Column(Text, nullable=False)
    remedy = Column(Text, nullable=False)
    safety_risk = Column(Boolean, nullable=False, default=False)
    status = Column(String(10), nullable=False, default="open")
    published_on = Column(Date)


class Department(Base):
    """A department of the dealership owners ask about (sales, finance, collision, parts, and
    service itself): what it handles, its phone and its opening hours (`DepartmentHours`)."""

    __tablename__ = "departments"
    code = Column(String(20), primary_key=True)  # "sales", "finance", ...
    name = Column(String(60), nullable=False)  # as owners read it: "Collision Center"
    phone = Column(String(20), nullable=False)  # E.164
    handles = Column(Text, nullable=False)  # one line: what it does for owners
    # False once the data file no longer names it: kept for the tickets that point at it.
    active = Column(Boolean, nullable=False, default=True)
    hours = relationship("DepartmentHours", order_by="DepartmentHours.weekday",
                         cascade="all, delete-orphan", passive_deletes=True)


class DepartmentHours(Base):
    """A department's opening hours on one weekday; a weekday without a row is closed (holidays
    close every department)."""

    __tablename__ = "department_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )
    department = Column(String(20), ForeignKey("departments.code", ondelete="CASCADE"),
                        primary_key=True)
    weekday = Column(Integer, primary_key=True)  # Monday is 0, as in datetime.weekday()
    opens = Column(Time, nullable=False)
    closes = Column(Time, nullable=False)


class HandoffTicket(Base):
    """A conversation handed to a person on staff."""

    __tablename__ = "handoff_tickets"
    __table_args__ = (
        one_of("status", ("open", "claimed", "closed")),
        one_of("urgency", ("urgent", "normal")),
    )
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(120), nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    owner_id = Column(Integer, ForeignKey("owners.id"), index=True)
    reason = Column(Text, nullable=False)
    urgency = Column(String(10), nullable=False, default="normal")
    status = Column(String(10), nullable=False, default="open")
    assigned_to = Column(String(120))  # the staff member's username, once claimed
    created_at = Column(UTCDateTime, nullable=False, default=clock.now)
    closed_at = Column(UTCDateTime)
    # One line for the queue: what the owner wants, as the assistant understood it.
    summary = Column(Text)
    claimed_at = Column(UTCDateTime)
    # When the on-call advisor was texted: for an urgent ticket at once, for one nobody picked
    # up in time during staffed hours later (escalated).
    notified_at = Column(UTCDateTime)
    escalated_at = Column(UTCDateTime)
    # The team asked to reach out (`Department.code`); None: the service team, as before there
    # were departments.
    department = Column(String(20), ForeignKey("departments.code"))
    notes = relationship("TicketNote", order_by="TicketNote.id", back_populates="ticket")


class TicketNote(Base):
    """An internal note on a ticket: staff only, never sent to the owner."""

    __tablename__ = "ticket_notes"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("handoff_tickets.id"), nullable=False, index=True)
    author = Column(String(120), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=clock.now)
    ticket = relationship("HandoffTicket", back_populates="notes")


class Coverage(Base):
    """A factory warranty coverage: it ends at `years` or `miles`, whichever comes first."""

    __tablename__ = "coverages"
    __table_args__ = (CheckConstraint("years > 0 AND miles > 0", name="positive_terms"),)
    id = Column(Integer, primary_key=True)
    name = Column(String(60), nullable=False, unique=True)
    years = Column(Integer, nullable=False)
    miles = Column(Integer, nullable=False)
    includes_roadside = Column(Boolean, nullable=False, default=False)
    applies_to = Column(String(20))  # None: every vehicle; "hybrid": hybrids only
    description = Column(Text)


class Knowledge(Base):
    """An answer the dealership edits, by topic (ownership questions)."""

    __tablename__ = "knowledge"
    topic = Column(String(40), primary_key=True)
    answer = Column(Text, nullable=False)
    updated_at = Column(UTCDateTime, nullable=False, default=clock.now, onupdate=clock.now)


INBOUND_STATUSES = ("processing", "answered", "deferred", "ignored", "failed")
# "held": inside the owner's quiet hours (TextHours), kept to send when they open.
OUTBOUND_STATUSES = ("sending", "accepted", "blocked", "held", "failed")


class SmsConsent(Base):
    """Whether a number may be texted at all: STOP opts it out, START opts it back in.

    Kept apart from `Owner.sms_consent` (which the data file sets) so that reloading the data
    never undoes an opt-out, and so that guests' numbers are covered too.
    """

    __tablename__ = "sms_consent"
    phone = Column(String(20), primary_key=True)  # E.164
    opted_out = Column(Boolean, nullable=False)
    changed_at = Column(UTCDateTime, nullable=False, default=clock.now)
    via = Column(String(40), nullable=False)  # the keyword, or how else it was said


class TextHours(Base):
    """When a number may get texts it did not just ask for (reminders, updates), as its owner
    said ("don't text me before 9am"): local hours, and weekdays only. Kept per number, like
    consent, so guests are covered and reloading the data keeps it."""

    __tablename__ = "text_hours"
    phone = Column(String(20), primary_key=True)  # E.164
    earliest_hour = Column(Integer)  # not before this hour (local time); None: any
    latest_hour = Column(Integer)  # not after this hour; None: any
    weekdays_only = Column(Boolean, nullable=False, default=False)
    said = Column(Text, nullable=False)  # the owner's words, for staff
    changed_at = Column(UTCDateTime, nullable=False, default=clock.now)


class InboundMessage(Base):
    """A text Twilio delivered to the webhook, once per MessageSid whatever retries or servers
    see it: the unique SID is claimed before the assistant runs, and the answer is kept for a
    retry. `choices` holds the payloads of the numbered options the answer offered."""

    __tablename__ = "inbound_messages"
    __table_args__ = (one_of("status", INBOUND_STATUSES),)
    id = Column(Integer, primary_key=True)
    message_sid = Column(String(64), nullable=False, unique=True)
    phone = Column(String(20), nullable=False, index=True)
    status = Column(String(10), nullable=False, default="processing")
    reply = Column(Text)  # the TwiML answered to Twilio
    choices = Column(JSON)
    received_at = Column(UTCDateTime, nullable=False, default=clock.real_now)
    answered_at = Column(UTCDateTime)


class OutboundMessage(Base):
    """A text sent through Twilio's REST API (anything but a direct reply), or refused."""

    __tablename__ = "outbound_messages"
    __table_args__ = (one_of("status", OUTBOUND_STATUSES),)
    id = Column(Integer, primary_key=True)
    to_number = Column(String(20), nullable=False, index=True)
    from_number = Column(String(20), nullable=False)
    body = Column(Text, nullable=False)
    media_urls = Column(JSON, nullable=False, default=list)
    purpose = Column(String(20), nullable=False)  # late_reply, staff, code, reminder, ...
    status = Column(String(10), nullable=False, default="sending")
    twilio_sid = Column(String(64))
    error = Column(Text)
    created_at = Column(UTCDateTime, nullable=False, default=clock.real_now)
    sent_at = Column(UTCDateTime)


class WebSession(Base):
    """One visitor's chat on the website. The browser holds a long random token; only its
    SHA-256 is kept, and the conversation id is a separate random value, so neither a copy of
    the database nor a transcript lets anyone take over the chat. `owner_id` is set only after
    the visitor proved a mobile number with a texted code, and lapses after inactivity."""

    __tablename__ = "web_sessions"
    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    conversation_id = Column(String(40), nullable=False, unique=True)
    owner_id = Column(Integer, ForeignKey("owners.id"))
    verified_at = Column(UTCDateTime)
    created_at = Column(UTCDateTime, nullable=False, default=clock.real_now)
    last_seen_at = Column(UTCDateTime, nullable=False, default=clock.real_now)
    # The browser's address when it last opened the chat: codes are limited per address too.
    client_ip = Column(String(64))
    # The guest record this chat's unverified bookings are kept on (Owner.source "web").
    guest_owner_id = Column(Integer, ForeignKey("owners.id"))


class VerificationCode(Base):
    """A 6-digit code texted to prove a mobile number in a web chat (only its hash is kept)."""

    __tablename__ = "verification_codes"
    id = Column(Integer, primary_key=True)
    web_session_id = Column(Integer, ForeignKey("web_sessions.id"), nullable=False, index=True)
    mobile = Column(String(20), nullable=False, index=True)  # E.164
    owner_id = Column(Integer, ForeignKey("owners.id"))  # None: the number is on no account
    code_hash = Column(String(64), nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(UTCDateTime, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False)
    used_at = Column(UTCDateTime)


class CodeQuota(Base):
    """Codes texted in the current window for one key ("number:+1512...", "chat:12",
    "address:203.0.113.7", "all"). A request bumps each row with one conditional UPDATE (count
    below the limit, or a window that has passed), so a limit holds with concurrent writers."""

    __tablename__ = "code_quotas"
    key = Column(String(80), primary_key=True)
    window_start = Column(UTCDateTime, nullable=False)
    used = Column(Integer, nullable=False)


STAFF_ROLES = ("advisor", "manager")


class StaffAccount(Base):
    """A person who works the staff console. Only an argon2 hash of the password is kept."""

    __tablename__ = "staff_accounts"
    __table_args__ = (one_of("role", STAFF_ROLES),)
    id = Column(Integer, primary_key=True)
    username = Column(String(40), nullable=False, unique=True)
    full_name = Column(String(120), nullable=False)
    role = Column(String(10), nullable=False, default="advisor")
    password_hash = Column(String(200), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    mobile = Column(String(20))  # E.164
    created_at = Column(UTCDateTime, nullable=False, default=clock.now)


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is kept, so a copy
    of the database signs nobody in. The CSRF token goes into every form the session sees."""

    __tablename__ = "staff_sessions"
    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    account_id = Column(Integer, ForeignKey("staff_accounts.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=clock.real_now)
    last_seen_at = Column(UTCDateTime, nullable=False, default=clock.real_now)
    account = relationship("StaffAccount")


class StaffLoginAttempt(Base):
    """One try at signing in to the console: failures within a window limit further tries per
    username and per client address, whichever server process answers."""

    __tablename__ = "staff_login_attempts"
    __table_args__ = (
        Index("ix_staff_login_attempts_username_at", "username", "attempted_at"),
        Index("ix_staff_login_attempts_client_ip_at", "client_ip", "attempted_at"),
    )
    id = Column(Integer, primary_key=True)
    username = Column(String(40), nullable=False)
    client_ip = Column(String(64), nullable=False)
    succeeded = Column(Boolean, nullable=False)
    attempted_at = Column(UTCDateTime, nullable=False, default=clock.real_now)
