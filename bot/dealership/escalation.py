"""Which handoff tickets the on-call advisor must hear about: no owner is left waiting in
silence. An urgent ticket at once; any ticket nobody claimed within the dealership's delay
during staffed hours (the clock starts when the desk opens for one that came in after hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.dealership.handoff import staffed_now
from bot.dealership.models import HandoffTicket, Owner
from bot.dealership.profile import get_dealership
from bot.dealership.scheduling import Shop


@dataclass(frozen=True)
class Alert:
    ticket_id: int
    kind: str  # "urgent" or "waiting"
    text: str


def due(session: Session, now: datetime) -> list[Alert]:
    """The alerts to send now, oldest ticket first."""
    dealership = get_dealership(session)
    delay = timedelta(minutes=dealership.escalate_after_minutes)
    desk_open = staffed_now(session, now) is None
    opened_today = _opened_today(session, now)
    alerts = []
    tickets = session.execute(select(HandoffTicket).where(HandoffTicket.status != "closed")
                              .order_by(HandoffTicket.created_at)).scalars()
    for ticket in tickets:
        if ticket.urgency == "urgent" and ticket.notified_at is None:
            alerts.append(Alert(ticket.id, "urgent", _text(session, ticket, "URGENT")))
        elif (desk_open and ticket.status == "open" and ticket.escalated_at is None
              and now - max(ticket.created_at, opened_today) >= delay):
            minutes = int((now - ticket.created_at).total_seconds() // 60)
            alerts.append(Alert(ticket.id, "waiting",
                                _text(session, ticket, f"Waiting {minutes} min, unclaimed")))
    return alerts


def claim(session: Session, alert: Alert, now: datetime) -> bool:
    """Marks the alert sent; False when another process got there first (so it is sent once)."""
    column = HandoffTicket.notified_at if alert.kind == "urgent" else HandoffTicket.escalated_at
    done = session.execute(update(HandoffTicket)
                           .where(HandoffTicket.id == alert.ticket_id, column.is_(None))
                           .values({column.key: now}))
    return done.rowcount == 1


def on_call_number(session: Session) -> str | None:
    return get_dealership(session).on_call_mobile


def _opened_today(session: Session, now: datetime) -> datetime:
    shop = Shop.load(session)
    local = now.astimezone(shop.zone)
    hours = shop.hours.get(local.weekday())
    return datetime.combine(local.date(), hours[0], shop.zone) if hours else now


def _text(session: Session, ticket: HandoffTicket, headline: str) -> str:
    owner = session.get(Owner, ticket.owner_id) if ticket.owner_id else None
    who = owner.name if owner else "a guest"
    about = ticket.summary or ticket.reason
    return (f"{headline}: ticket #{ticket.id} from {who} ({ticket.channel}). {about[:200]} "
            "Open the staff console to reply.")
