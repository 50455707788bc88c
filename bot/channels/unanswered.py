"""Texts a server left unanswered: it stopped (killed, crashed, its machine restarted) while
answering, and the text stayed `processing` in inbound_messages.

The turn may have half run (a booking written, no reply sent), so it is never run again: the
owner gets an apology by text (through the outbound module: consent first) and staff a ticket
that says which text went unanswered, to check what was done. Each text is claimed with one
conditional UPDATE, so two servers, or a second start, never both answer it.

Which texts are lost: on start, a server that is the only one (its lock store is in memory) takes
every text received before it started; every server takes, every minute, the texts older than
SMS_UNANSWERED_AFTER (above the longest turn, so a live server's turn is never taken). A turn
that ends after its text was taken sends nothing more (`inbound.finish`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import clock
from bot.channels import outbound
from bot.channels.twiml import EMPTY
from bot.dealership import handoff
from bot.dealership.db import in_session
from bot.dealership.models import InboundMessage
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.phones import display
from bot.dealership.profile import get_dealership
from bot.settings import Settings
from bot.wording import say

logger = logging.getLogger(__name__)

REASON = "A text went unanswered: the server stopped while answering it"
# How often a server looks for texts another one left (at most; more often for a short limit).
CHECK_SECONDS = 60.0


@dataclass(frozen=True)
class Apology:
    """What one owner is told about their texts that went unanswered, and the ticket staff got."""

    phone: str
    text: str
    ticket_id: int
    message_sids: list[str]


def _lost(session: Session, received_before: datetime) -> dict[str, list[int]]:
    """The texts still `processing` that were received before `received_before`, by phone."""
    rows = session.execute(
        select(InboundMessage.id, InboundMessage.phone)
        .where(InboundMessage.status == "processing",
               InboundMessage.received_at < received_before)
        .order_by(InboundMessage.id)).all()
    by_phone: dict[str, list[int]] = defaultdict(list)
    for record_id, phone in rows:
        by_phone[phone].append(record_id)
    return by_phone


def _hand_over(session: Session, phone: str, ids: list[int]) -> Apology | None:
    """Claims the texts `ids` of `phone` (each becomes `failed`: a retry of it gets an empty
    answer) and opens the ticket, in one transaction: staff hear of every text claimed, even
    when the apology cannot be sent."""
    now = clock.real_now()
    claimed = [record_id for record_id in ids if session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == record_id, InboundMessage.status == "processing")
        .values(status="failed", reply=EMPTY, answered_at=now)
        .execution_options(synchronize_session=False)).rowcount == 1]
    if not claimed:
        return None  # another server took them first
    texts = session.execute(
        select(InboundMessage).where(InboundMessage.id.in_(claimed))
        .order_by(InboundMessage.received_at)).scalars().all()
    dealership = get_dealership(session)
    zone = ZoneInfo(dealership.time_zone)
    first = texts[0].received_at.astimezone(zone)
    when = _when(first, now.astimezone(zone))
    owner = find_owner_by_mobile(session, phone)
    ticket = handoff.open_ticket(
        session, conversation_id=phone, channel="sms",
        owner_id=owner.id if owner else None, reason=REASON,
        summary=f"Text{'s' if len(texts) > 1 else ''} from {when} went unanswered")
    for record in texts:
        handoff.add_note(
            session, ticket.id, "Concierge",
            f"The text received {_when(record.received_at.astimezone(zone), None)} "
            f"(Twilio MessageSid {record.message_sid}) got no answer: the server stopped "
            "while answering it. The owner was sent an apology (unless the number opted "
            "out). Check the conversation for anything half done, such as a booking or a "
            "change, before replying.", now)
    text = say("utter_sms_unanswered_several" if len(texts) > 1 else "utter_sms_unanswered",
               when=when, dealership_name=dealership.name,
               service_phone=display(dealership.service_phone))
    logger.warning("%d text(s) from %s went unanswered (the server stopped mid-turn): "
                   "ticket %s", len(texts), phone, ticket.id)
    return Apology(phone=phone, text=text, ticket_id=ticket.id,
                   message_sids=[record.message_sid for record in texts])


def _when(moment: datetime, today: datetime | None) -> str:
    """"10:02 AM" today, "Mon Nov 23, 10:02 AM" another day (or with no day to compare)."""
    if today is not None and moment.date() == today.date():
        return f"{moment:%-I:%M %p}"
    return f"{moment:%a %b %-d, %-I:%M %p}"


async def answer(settings: Settings, received_before: datetime) -> list[Apology]:
    """Takes the texts lost before `received_before` and sends each owner its apology.

    One owner at a time, each claimed (and its ticket committed) before its apology is sent:
    when a send fails or the process stops, the owners not yet claimed stay `processing` and
    are taken at the next check, and an owner claimed is never apologised to twice."""
    url = settings.database_url
    lost = await in_session(_lost, received_before, database_url=url)
    apologies = []
    for phone, ids in lost.items():
        apology = await in_session(_hand_over, phone, ids, database_url=url)
        if apology is None:
            continue
        apologies.append(apology)
        await asyncio.to_thread(outbound.send, apology.phone, apology.text,
                                purpose="unanswered", settings=settings)
    return apologies


async def watch(settings: Settings, started_at: datetime, only_server: bool) -> None:
    """Runs for the server's life: on start, then every minute (see the module's docstring)."""
    limit = timedelta(seconds=settings.sms_unanswered_after)
    every = min(CHECK_SECONDS, max(settings.sms_unanswered_after / 2, 0.1))
    received_before = started_at if only_server else clock.real_now() - limit
    while True:
        try:
            await answer(settings, received_before)
        except Exception:
            # The database may be down for a while: try again at the next check.
            logger.exception("Looking for texts that went unanswered failed")
        await asyncio.sleep(every)
        received_before = clock.real_now() - limit
