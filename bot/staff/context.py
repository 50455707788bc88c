"""What the console shows beside a conversation, read from the dealership database: the queue,
the owner's cars, appointments and open cases, the ticket and its notes. Plain values come back,
so pages render after the database session has closed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.dealership import appointments, consent, departments, handoff
from bot.dealership import models as m
from bot.dealership.owners import MOVED, WEB_GUEST, find_owner_by_mobile, on_file
from bot.dealership.phones import display
from bot.dealership.profile import get_dealership
from bot.dealership.web_sessions import is_web


@dataclass(frozen=True)
class TicketView:
    id: int
    conversation_id: str
    channel: str
    owner_name: str | None
    reason: str
    summary: str | None
    urgency: str
    status: str
    assigned_to: str | None
    created_at: datetime
    closed_at: datetime | None
    notes: list[tuple[str, str, datetime]] = field(default_factory=list)
    department: str = "Service"  # the team asked to reach out, by its name


@dataclass(frozen=True)
class OnFile:
    """The owner whose number a web guest gave: staff call to reconcile the two."""

    name: str
    mobile: str
    conversation_id: str  # their texts' conversation: the number


@dataclass(frozen=True)
class OwnerView:
    id: int
    name: str
    mobile: str | None
    cars: list[str]
    appointments: list[str]
    cases: list[str]
    # A guest record (a web visitor's booking): the number they gave, never proven, and the
    # owner on file with that number, if any.
    unverified_mobile: str | None = None
    on_file: OnFile | None = None
    moved_to: OnFile | None = None  # the owner staff moved the guest's booking to
    text_hours: str | None = None  # when the owner asked to get reminders and updates


@dataclass(frozen=True)
class ConversationFacts:
    zone: ZoneInfo
    ticket: TicketView | None
    owner: OwnerView | None


def zone(session: Session) -> ZoneInfo:
    return ZoneInfo(get_dealership(session).time_zone)


def queue(session: Session) -> tuple[ZoneInfo, list[TicketView]]:
    """The live tickets in the order staff should take them (urgent, then longest waiting)."""
    tickets = handoff.queue(session)
    names = _owner_names(session, {t.owner_id for t in tickets if t.owner_id})
    teams = departments.names(session)
    return zone(session), [_ticket_view(t, names.get(t.owner_id), notes=False, teams=teams)
                           for t in tickets]


def conversation(session: Session, conversation_id: str, owner_hint: int | None,
                 now: datetime) -> ConversationFacts:
    """The conversation's ticket (live, else the latest) and whom it is with: the ticket's
    owner, else the assistant's `owner_id` slot, else the owner of the texting number."""
    ticket = handoff.latest_ticket(session, conversation_id)
    owner = _owner(session, conversation_id,
                   ticket.owner_id if ticket and ticket.owner_id else owner_hint)
    here = zone(session)
    view = None
    if ticket is not None:
        view = _ticket_view(ticket, owner.name if owner else None, notes=True,
                            teams=departments.names(session))
    return ConversationFacts(here, view, _owner_view(session, owner, conversation_id, now, here)
                             if owner else None)


def _owner(session: Session, conversation_id: str, owner_id: int | None) -> m.Owner | None:
    if owner_id is not None:
        return session.get(m.Owner, owner_id)
    if not is_web(conversation_id):
        return find_owner_by_mobile(session, conversation_id)
    # A web guest who booked: the guest record the chat's bookings are on.
    guest_id = session.scalar(select(m.WebSession.guest_owner_id).where(
        m.WebSession.conversation_id == conversation_id))
    return session.get(m.Owner, guest_id) if guest_id is not None else None


def _owner_view(session: Session, owner: m.Owner, conversation_id: str, now: datetime,
                here: ZoneInfo) -> OwnerView:
    cars = [_car(v) for v in owner.vehicles]
    visits = appointments.in_shop(session, owner.id) + appointments.upcoming(session, owner.id,
                                                                             now)
    booked = [f"{a.starts_at.astimezone(here):%a %b %-d, %-I:%M %p}: {a.vehicle.label}, "
              f"{', '.join(s.name for s in a.services)} ({a.status.replace('_', ' ')}, "
              f"{a.transport.replace('_', ' ')}; code {a.code})"
              + (f"; notes: {' / '.join(a.notes.splitlines())}" if a.notes else "")
              for a in visits]
    cases = session.execute(
        select(m.IssueReport).where(
            m.IssueReport.status != "closed",
            or_(m.IssueReport.owner_id == owner.id,
                m.IssueReport.conversation_id == conversation_id))
        .order_by(m.IssueReport.created_at.desc())).scalars()
    open_cases = [f"{c.reference} ({c.severity}, {c.status}): {c.description}" for c in cases]
    hours = consent.text_hours(session, owner.mobile) if owner.mobile else None
    if owner.source not in (WEB_GUEST, MOVED):
        return OwnerView(owner.id, owner.name, owner.mobile, cars, booked, open_cases,
                         text_hours=hours.describe() if hours else None)
    found = on_file(session, owner)
    match = OnFile(found.name, display(found.mobile), found.mobile) if found else None
    if owner.source == MOVED:
        return OwnerView(owner.id, owner.name, owner.mobile, cars, booked, open_cases,
                         moved_to=match)
    return OwnerView(owner.id, owner.name, owner.mobile, cars, booked, open_cases,
                     unverified_mobile=display(owner.unverified_mobile)
                     if owner.unverified_mobile else None, on_file=match)


def _car(vehicle: m.Vehicle) -> str:
    parts = [vehicle.label]
    if vehicle.trim:
        parts.append(vehicle.trim)
    if vehicle.mileage:
        parts.append(f"{vehicle.mileage:,} mi")
    if vehicle.ownership == "leased":
        parts.append(f"leased to {vehicle.lease_end_date}" if vehicle.lease_end_date
                     else "leased")
    if vehicle.vin:
        parts.append(f"VIN {vehicle.vin}")
    return ", ".join(parts)


def _owner_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(m.Owner.id, m.Owner.name).where(m.Owner.id.in_(ids))).all())


def _ticket_view(ticket: m.HandoffTicket, owner_name: str | None, notes: bool,
                 teams: dict[str, str]) -> TicketView:
    """`teams`: the departments' names by code; a ticket without one is the service team's."""
    code = ticket.department or departments.SERVICE
    return TicketView(
        ticket.id, ticket.conversation_id, ticket.channel, owner_name, ticket.reason,
        ticket.summary, ticket.urgency, ticket.status, ticket.assigned_to, ticket.created_at,
        ticket.closed_at,
        [(n.author, n.text, n.created_at) for n in ticket.notes] if notes else [],
        teams.get(code, code.capitalize()))
