"""Which handoff tickets the on-call advisor must hear about: no owner is left waiting in
silence. An urgent ticket at once; any ticket nobody claimed within the dealership's delay
during staffed hours (the clock starts when the desk opens for one that came in after hours).

Anyone can open a chat and report an emergency, so the texts are bounded and written in
Concierge's own words: a category from a fixed list, the ticket's number, who (a name on file
that reads as a name, else "a web guest" or "a texter"), the channel and a link to the console.
Never the visitor's text: it could carry a link, and it would go out from the dealership's number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.dealership.handoff import staffed_now
from bot.dealership.models import HandoffTicket, OutboundMessage, Owner
from bot.dealership.phones import to_e164
from bot.dealership.profile import get_dealership
from bot.dealership.scheduling import Shop
from bot.dealership.triage import load_table
from bot.dealership.web_sessions import is_web

# Outbound purposes of on-call texts: one ticket each, and the roll-up after the hourly cap.
ALERT = "on_call"
ROLL_UP = "on_call_rollup"
# Why a ticket was opened, as the assistant writes the start of its summary (actions/handoff.py).
CATEGORIES = ("Asked for a person", "Upset", "Not understood twice", "Taken over by staff")
CHANNELS = {"sms": "by text", "webchat": "on the web chat"}
# A name on file is shown only when it reads as a name: a guest chooses their own.
NAME = re.compile(r"[^\W\d_]+(?:[ '\-][^\W\d_]+){0,3}")
SAFETY = re.compile(r"SAFETY \(([a-z_]{1,40})\)")


@dataclass(frozen=True)
class Limits:
    """How many texts the on-call number gets: per conversation, and in all, per window."""

    per_conversation: int = 1
    per_number: int = 5
    window: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Alert:
    ticket_id: int
    conversation_id: str
    kind: str  # "urgent" or "waiting"
    text: str


def due(session: Session, now: datetime, console_url: str) -> list[Alert]:
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
            alerts.append(Alert(ticket.id, ticket.conversation_id, "urgent",
                                _text(session, ticket, "URGENT", console_url)))
        elif (desk_open and ticket.status == "open" and ticket.escalated_at is None
              and now - max(ticket.created_at, opened_today) >= delay):
            minutes = int((now - ticket.created_at).total_seconds() // 60)
            alerts.append(Alert(ticket.id, ticket.conversation_id, "waiting",
                                _text(session, ticket, f"Waiting {minutes} min, unclaimed",
                                      console_url)))
    return alerts


def claim(session: Session, alert: Alert, now: datetime) -> bool:
    """Marks the alert handled (texted, held or rolled up); False when another process got
    there first, so it is handled once."""
    column = _stamp(alert)
    done = session.execute(update(HandoffTicket)
                           .where(HandoffTicket.id == alert.ticket_id, column.is_(None))
                           .values({column.key: now}))
    return done.rowcount == 1


def conversation_alerted(session: Session, alert: Alert, now: datetime,
                         window: timedelta) -> int:
    """The conversation's other tickets handled within `window`: a chat that keeps raising
    tickets is texted about once, the rest wait in the queue."""
    since = now - window
    return session.execute(
        select(func.count()).select_from(HandoffTicket).where(
            HandoffTicket.conversation_id == alert.conversation_id,
            HandoffTicket.id != alert.ticket_id,
            or_(HandoffTicket.notified_at >= since, HandoffTicket.escalated_at >= since))
    ).scalar_one()


def texts_to(session: Session, number: str, since: datetime,
             purposes: tuple[str, ...] = (ALERT, ROLL_UP)) -> int:
    """On-call texts recorded to `number` since `since` (sent or not: each was attempted)."""
    return session.execute(
        select(func.count()).select_from(OutboundMessage).where(
            OutboundMessage.to_number == number, OutboundMessage.purpose.in_(purposes),
            OutboundMessage.created_at >= since)).scalar_one()


def roll_up_text(alerts: list[Alert], console_url: str) -> str:
    """One text for the tickets past the hourly cap: how many, never what they say."""
    urgent = sum(a.kind == "urgent" for a in alerts)
    count = f"{len(alerts)} more ticket{'s' if len(alerts) != 1 else ''}"
    of_which = f" ({urgent} urgent)" if urgent else ""
    return (f"{'URGENT: ' if urgent else ''}{count}{of_which} need a person. No more alerts "
            f"this hour: open the staff console: {console_url.rstrip('/')}/")


def on_call_number(session: Session) -> str | None:
    number = get_dealership(session).on_call_mobile
    return to_e164(number) if number else None


@dataclass(frozen=True)
class Hearing:
    """Who hears of a ticket opened now, as the owner is told it: the service desk while it is
    staffed; after hours the on-call advisor, texted at once about an urgent ticket when the
    dealership has one; otherwise nobody until the desk opens."""

    who: Literal["desk", "on_call", "queue"]
    opens: datetime | None  # when the desk opens next; None while it is staffed


def who_hears(session: Session, now: datetime, urgent: bool) -> Hearing:
    opens = staffed_now(session, now)
    if opens is None:
        return Hearing("desk", None)
    return Hearing("on_call" if urgent and on_call_number(session) else "queue", opens)


def category(ticket: HandoffTicket) -> str:
    """Why the ticket was opened, from a fixed list: never the owner's words."""
    found = SAFETY.match(ticket.reason or "")
    if found or ticket.urgency == "urgent":
        known = {rule.category for rule in load_table().rules}
        kind = found.group(1) if found else None
        return f"Safety report ({kind.replace('_', ' ')})" if kind in known else "Safety report"
    summary = ticket.summary or ""
    for name in CATEGORIES:
        if summary.startswith(name) or ticket.reason == name:
            return name
    return "Asked for a person"


def _stamp(alert: Alert):
    return HandoffTicket.notified_at if alert.kind == "urgent" else HandoffTicket.escalated_at


def _opened_today(session: Session, now: datetime) -> datetime:
    shop = Shop.load(session)
    local = now.astimezone(shop.zone)
    hours = shop.hours.get(local.weekday())
    return datetime.combine(local.date(), hours[0], shop.zone) if hours else now


def _who(session: Session, ticket: HandoffTicket) -> str:
    owner = session.get(Owner, ticket.owner_id) if ticket.owner_id else None
    name = " ".join((owner.name or "").split()) if owner else ""
    if name and len(name) <= 40 and NAME.fullmatch(name):
        return name
    if owner:
        return "an owner on file"
    return "a web guest" if is_web(ticket.conversation_id) else "a texter"


def _text(session: Session, ticket: HandoffTicket, headline: str, console_url: str) -> str:
    channel = CHANNELS.get(ticket.channel, "in a chat")
    return (f"{headline}: {category(ticket)}, ticket #{ticket.id} from {_who(session, ticket)} "
            f"{channel}. Open it in the staff console: {console_url.rstrip('/')}/tickets/"
            f"{ticket.id}")
