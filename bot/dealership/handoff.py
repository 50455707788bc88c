"""Handing a conversation to a person on staff: a ticket in the service team's queue, and when
someone will be there to answer it (`hand_over`, the use case)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from bot.dealership.models import HandoffTicket, TicketNote
from bot.dealership.scheduling import Shop

# The author of a note that keeps a later request on a ticket opened for another reason.
LATER_REQUEST = "Concierge (later request)"


def open_ticket(session: Session, *, conversation_id: str, channel: str, owner_id: int | None,
                reason: str, urgency: str = "normal", summary: str | None = None,
                department: str | None = None) -> HandoffTicket:
    """The conversation's open ticket for `department` (a second request does not queue it
    twice), or a new one. `department` is the team asked to reach out (a `Department.code`);
    None is the service team. `summary` is the queue's one line about it: the reason the ticket
    was opened stays, and a later request's summary is kept as a note beside it, for staff to
    read."""
    same_team = (HandoffTicket.department.is_(None) if department is None
                 else HandoffTicket.department == department)
    ticket = session.execute(
        select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id,
                                    HandoffTicket.status != "closed", same_team)
        .order_by(HandoffTicket.id)
    ).scalars().first()
    if ticket is None:
        ticket = HandoffTicket(conversation_id=conversation_id, channel=channel,
                               owner_id=owner_id, reason=reason[:2000], urgency=urgency,
                               summary=summary[:300] if summary else None,
                               department=department)
        session.add(ticket)
    else:
        if urgency == "urgent":
            ticket.urgency = "urgent"
        if summary and not ticket.summary:
            ticket.summary = summary[:300]
        elif summary and summary[:300] != ticket.summary:
            session.add(TicketNote(ticket_id=ticket.id, author=LATER_REQUEST,
                                   text=summary[:4000]))
    session.flush()
    return ticket


def staffed_now(session: Session, now: datetime) -> datetime | None:
    """None while the service desk is open; otherwise when it opens next."""
    shop = Shop.load(session)
    local = now.astimezone(shop.zone)
    for offset in range(0, 15):
        day = local.date() + timedelta(days=offset)
        if shop.closed_because(day):
            continue
        opens, closes = shop.hours[day.weekday()]
        start = datetime.combine(day, opens, shop.zone)
        end = datetime.combine(day, closes, shop.zone)
        if offset == 0 and start <= local < end:
            return None
        if local < start:
            return start
    return datetime.combine(local.date() + timedelta(days=1), time(0), shop.zone)


# The staff console's side of a ticket: the queue, claiming, notes, closing.

LIVE = ("open", "claimed")


def queue(session: Session) -> list[HandoffTicket]:
    """Tickets not closed yet: urgent ones first, then the longest waiting."""
    urgent_first = case((HandoffTicket.urgency == "urgent", 0), else_=1)
    return list(session.execute(
        select(HandoffTicket).where(HandoffTicket.status.in_(LIVE))
        .order_by(urgent_first, HandoffTicket.created_at, HandoffTicket.id)).scalars())


def live_ticket(session: Session, conversation_id: str) -> HandoffTicket | None:
    """The conversation's ticket that is not closed, if any."""
    return session.execute(
        select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id,
                                    HandoffTicket.status.in_(LIVE))
        .order_by(HandoffTicket.id.desc())).scalars().first()


def latest_ticket(session: Session, conversation_id: str) -> HandoffTicket | None:
    """The conversation's live ticket, else its most recently closed one."""
    return live_ticket(session, conversation_id) or session.execute(
        select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id)
        .order_by(HandoffTicket.id.desc())).scalars().first()


def claim(session: Session, ticket_id: int, username: str, now: datetime) -> HandoffTicket:
    """Claims an open ticket for `username`. A ticket someone else claimed first stays theirs
    (one conditional UPDATE, so two advisors clicking at once cannot both win)."""
    session.execute(
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket_id, HandoffTicket.status == "open")
        .values(status="claimed", assigned_to=username, claimed_at=now)
        .execution_options(synchronize_session=False))
    return _refreshed(session, ticket_id)


def assign(session: Session, ticket_id: int, username: str, now: datetime) -> HandoffTicket:
    """Gives a live ticket to `username`, whoever held it (taking a conversation over)."""
    ticket = _refreshed(session, ticket_id)
    if ticket.status == "closed":
        raise ValueError(f"ticket {ticket_id} is closed")
    if ticket.status != "claimed" or ticket.assigned_to != username:
        ticket.status, ticket.assigned_to, ticket.claimed_at = "claimed", username, now
        session.flush()
    return ticket


def take_over(session: Session, *, conversation_id: str, channel: str, owner_id: int | None,
              username: str, now: datetime) -> HandoffTicket:
    """The conversation's live ticket (opened if there is none), assigned to `username`."""
    ticket = live_ticket(session, conversation_id) or open_ticket(
        session, conversation_id=conversation_id, channel=channel, owner_id=owner_id,
        reason="Taken over by staff")
    return assign(session, ticket.id, username, now)


def add_note(session: Session, ticket_id: int, author: str, text: str,
             now: datetime) -> TicketNote:
    """An internal note: kept with the ticket for staff, never sent to the owner."""
    note = TicketNote(ticket_id=ticket_id, author=author[:120], text=text.strip()[:4000],
                      created_at=now)
    session.add(note)
    session.flush()
    return note


def close_ticket(session: Session, ticket_id: int, now: datetime) -> HandoffTicket:
    ticket = _refreshed(session, ticket_id)
    if ticket.status != "closed":
        ticket.status, ticket.closed_at = "closed", now
        session.flush()
    return ticket


def _refreshed(session: Session, ticket_id: int) -> HandoffTicket:
    ticket = session.get(HandoffTicket, ticket_id, populate_existing=True)
    if ticket is None:
        raise LookupError(f"no ticket {ticket_id}")
    return ticket


@dataclass(frozen=True)
class HandoffRequest:
    conversation_id: str
    channel: str
    owner_id: int | None
    reason: str  # the owner's own words, or why when they said none
    summary: str  # the queue's one line about it


@dataclass(frozen=True)
class HandedOver:
    ticket: int
    opens: datetime | None  # when the service desk opens next; None: staffed now


def hand_over(session: Session, request: HandoffRequest, now: datetime) -> HandedOver:
    ticket = open_ticket(session, conversation_id=request.conversation_id,
                         channel=request.channel, owner_id=request.owner_id,
                         reason=request.reason, summary=request.summary)
    return HandedOver(ticket.id, staffed_now(session, now))
