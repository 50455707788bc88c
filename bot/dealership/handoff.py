"""Handing a conversation to a person on staff: a ticket in the service team's queue."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership.models import HandoffTicket
from bot.dealership.scheduling import Shop


def open_ticket(session: Session, *, conversation_id: str, channel: str, owner_id: int | None,
                reason: str, urgency: str = "normal") -> HandoffTicket:
    """The conversation's open ticket (a second request does not queue it twice), or a new one."""
    ticket = session.execute(
        select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id,
                                    HandoffTicket.status != "closed")
    ).scalars().first()
    if ticket is None:
        ticket = HandoffTicket(conversation_id=conversation_id, channel=channel,
                               owner_id=owner_id, reason=reason[:2000], urgency=urgency)
        session.add(ticket)
    elif urgency == "urgent":
        ticket.urgency = "urgent"
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
