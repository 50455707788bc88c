"""Where a staff reply reaches the owner, and whether it did.

The channel comes from the conversation id itself: an SMS conversation is the owner's number,
a web chat's id is one the server issued. Not from the tracker's latest input channel, which a
conversation staff opened by number may not have (Rasa then sends nowhere, silently).
Texts go through Rasa's SMS output and the outbound module, which records each one: the console
checks consent before, and the records after, so it never reports a text that did not go.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.dealership import consent
from bot.dealership.models import OutboundMessage
from bot.dealership.phones import InvalidPhoneNumber, to_e164
from bot.dealership.web_sessions import is_web

SMS, WEB = "sms", "webchat"
# What Rasa's SMS output records a staff member's text as (bot/channels/sms.py).
STAFF_PURPOSE = "staff"


def reply_channel(conversation_id: str) -> str | None:
    """"sms", "webchat", or None when a reply could reach nobody."""
    if is_web(conversation_id):
        return WEB
    try:
        return SMS if to_e164(conversation_id) == conversation_id else None
    except InvalidPhoneNumber:
        return None


def before_texting(session: Session, number: str) -> int | None:
    """None when the number opted out (nothing may be sent); otherwise the last outbound
    record's id, after which the reply's own records will be."""
    if consent.is_opted_out(session, number):
        return None
    return session.execute(select(func.coalesce(func.max(OutboundMessage.id), 0))).scalar_one()


def undelivered(session: Session, number: str, after: int) -> str | None:
    """Why the staff texts to `number` recorded after `after` did not all go; None when Twilio
    accepted every one."""
    records = session.execute(
        select(OutboundMessage).where(OutboundMessage.to_number == number,
                                      OutboundMessage.purpose == STAFF_PURPOSE,
                                      OutboundMessage.id > after)
        .order_by(OutboundMessage.id)).scalars().all()
    if not records:
        return "no text was handed to Twilio"
    for record in records:
        if record.status == "blocked":
            return "the number has opted out of texts"
        if record.status != "accepted":
            return f"Twilio did not take it ({record.error or record.status})"
    return None
