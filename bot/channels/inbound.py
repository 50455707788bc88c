"""What the SMS webhook keeps about each text it received, in the dealership database.

A text is claimed by its MessageSid before the assistant sees it: the SID is unique in the
table, so a retry, a restart or a second server cannot process it twice; the retry is answered
with the stored answer. Keyword answers (STOP, START, HELP) are decided and stored in the same
transaction as the claim. Blocking: call these in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import null, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import clock
from bot.channels import keywords
from bot.channels.twiml import EMPTY, twiml
from bot.dealership import consent
from bot.dealership.db import in_session
from bot.dealership.models import InboundMessage


@dataclass(frozen=True)
class Text:
    """One text as Twilio posted it, read and checked."""

    message_sid: str
    phone: str  # E.164
    body: str
    media_urls: list[str] = field(default_factory=list)
    media_types: list[str] = field(default_factory=list)
    opt_out_type: str | None = None  # Twilio's own keyword handling saw a keyword


@dataclass(frozen=True)
class Start:
    """How to go on with a text: `duplicate` (another request has it), a final `answer` (TwiML,
    already stored), or ask the assistant `text` (a numbered choice replaced by its payload)."""

    duplicate: bool = False
    answer: str | None = None
    text: str | None = None


class _ClaimedBefore(Exception):
    pass


async def start(url: str, message: Text, now: datetime) -> Start:
    """Claims `message` and decides how to go on, in one transaction."""
    try:
        return await in_session(_claim, message, now, database_url=url)
    except _ClaimedBefore:
        return Start(duplicate=True)


def _claim(session: Session, message: Text, now: datetime) -> Start:
    # Real time, not the business clock: how long a text has waited tells whether its server
    # stopped mid-turn (bot.channels.unanswered).
    record = InboundMessage(message_sid=message.message_sid, phone=message.phone,
                            status="processing", received_at=clock.real_now())
    session.add(record)
    try:
        # The unique SID: fails when the text was claimed before (on PostgreSQL, after waiting
        # for a concurrent claim to commit); the transaction is rolled back.
        session.flush()
    except IntegrityError as error:
        raise _ClaimedBefore from error
    return _decide(session, record, message, now)


def _decide(session, record: InboundMessage, message: Text, now: datetime) -> Start:
    opted_out = consent.is_opted_out(session, message.phone)
    said = (keywords.TWILIO_OPT_OUT_TYPES.get((message.opt_out_type or "").upper())
            or keywords.keyword(message.body))
    # Twilio answers a keyword itself when its opt-out handling is on: record, stay quiet.
    twilio_answered = message.opt_out_type is not None
    reply: str | None = None
    if said == "opt_out":
        if consent.opt_out(session, message.phone, now, via=message.body.strip().upper()):
            reply = keywords.opted_out_text(session)
    elif said == "opt_in" and opted_out:
        consent.opt_in(session, message.phone, now, via=message.body.strip().upper())
        reply = keywords.opted_in_text(session)
    elif said == "opt_in" and keywords.is_start(message.body):
        # START from a number that gets texts: say so, rather than leave the keyword to the
        # assistant ("yes", or asking in words, is said to it)
        reply = keywords.already_in_text(session)
    elif said == "help":
        # HELP is always answered (carriers require it): a number that opted out is told how
        # to opt back in and where a person answers, and stays opted out.
        reply = keywords.help_opted_out_text(session) if opted_out else keywords.help_text(session)
    elif opted_out:
        pass  # nothing else to a number that opted out, until it opts back in
    elif not message.body:
        # A blank text (a phone's empty send, a sticker a carrier dropped): asked to say it again,
        # and the conversation is left where it was.
        reply = keywords.blank_text(session)
    else:
        return Start(text=_with_choice(session, message))
    answer = twiml([reply] if reply and not twilio_answered else [])
    _finish(record, "answered" if answer != EMPTY else "ignored", answer, None, now)
    return Start(answer=answer)


def _with_choice(session, message: Text) -> str:
    """The payload of the numbered option a bare "2" picks, from the latest answer's list."""
    body = message.body.strip()
    if not body.isdigit():
        return body
    latest = session.execute(
        select(InboundMessage.choices)
        .where(InboundMessage.phone == message.phone,
               InboundMessage.message_sid != message.message_sid,
               InboundMessage.status.in_(("answered", "deferred")))
        .order_by(InboundMessage.id.desc()).limit(1)
    ).scalar_one_or_none() or []
    index = int(body)
    return latest[index - 1] if 1 <= index <= len(latest) else body


async def finish(url: str, message_sid: str, status: str, answer: str,
                 choices: list[str] | None) -> bool:
    """Stores the answer a retry of `message_sid` gets, and the options it offered. False when
    the text was no longer being answered: a check took it for lost and apologised
    (bot.channels.unanswered), so nothing more may be sent for it."""
    return await in_session(_store_answer, message_sid, status, answer, choices,
                            database_url=url)


def _store_answer(session: Session, message_sid: str, status: str, answer: str,
                  choices: list[str] | None) -> bool:
    return session.execute(
        update(InboundMessage)
        .where(InboundMessage.message_sid == message_sid,
               InboundMessage.status == "processing")
        .values(status=status, reply=answer, choices=choices or null(),
                answered_at=clock.real_now())
        .execution_options(synchronize_session=False)).rowcount == 1


def _finish(record: InboundMessage, status: str, answer: str, choices: list[str] | None,
            at: datetime) -> None:
    record.status, record.reply, record.answered_at = status, answer, at
    record.choices = choices or None


async def stored_answer(url: str, message_sid: str) -> str | None:
    """The answer given to `message_sid`; None while it is still being processed."""
    return await in_session(_stored_answer, message_sid, database_url=url)


def _stored_answer(session: Session, message_sid: str) -> str | None:
    record = session.execute(
        select(InboundMessage).where(InboundMessage.message_sid == message_sid)
    ).scalar_one_or_none()
    if record is None or record.status == "processing":
        return None
    return record.reply or EMPTY
