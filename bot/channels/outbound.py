"""Texts that are not a direct answer to a webhook (late replies, staff messages, codes,
reminders), sent through Twilio's REST API. Consent is checked first, then the hours the owner
asked to be texted in (for what they did not just ask for), and every message is recorded, sent,
held or not.

Blocking (the Twilio client uses `requests`): from async code, call it in a worker thread
(`await asyncio.to_thread(outbound.send, ...)`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from requests import RequestException
from twilio.base import values
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from bot import clock
from bot.channels.sms_text import split, to_gsm7
from bot.dealership import consent, escalation
from bot.dealership.db import session_scope
from bot.dealership.models import OutboundMessage
from bot.dealership.phones import to_e164
from bot.dealership.profile import local_now
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)

# Twilio's answer when the recipient texted STOP to its own opt-out handling.
UNSUBSCRIBED_RECIPIENT = 21610
# What the owner (or staff on call) is waiting for right now: sent whatever the hour. Anything
# else (reminders, updates about a visit booked days ago) waits for the owner's texting hours.
ASKED_FOR = frozenset({"late_reply", "staff", "code", "unanswered", "confirmation",
                       escalation.ALERT, escalation.ROLL_UP})


@dataclass(frozen=True)
class Sent:
    """What became of one message: accepted by Twilio (with its SID), blocked, or failed."""

    status: str
    twilio_sid: str | None = None
    error: str | None = None


class RebasedHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, sending to another host than api.twilio.com (TWILIO_API_BASE):
    a local stand-in that speaks the same API, in tests and demos."""

    def __init__(self, api_base: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.api_base = api_base.rstrip("/")

    def request(self, method: str, url: str, *args, **kwargs) -> Response:
        parts = urlsplit(url)
        rebased = self.api_base + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().request(method, rebased, *args, **kwargs)


def twilio_client(settings: Settings) -> Client:
    http = (RebasedHttpClient(settings.twilio_api_base, timeout=10) if settings.twilio_api_base
            else TwilioHttpClient(timeout=10))
    return Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http)


def send(to: str, text: str, *, purpose: str, media_urls: Sequence[str] = (),
         settings: Settings | None = None, secrets: Sequence[str] = ()) -> list[Sent]:
    """Texts `text` to `to` unless the number opted out; one message per 1,600 characters.

    `purpose` says why it was sent ("late_reply", "staff", "code", "reminder"), for the record;
    one not in ASKED_FOR is held (status "held") inside the owner's quiet hours.
    `secrets` (a verification code): sent, but masked in the record, which staff and backups see.
    """
    settings = settings or load_settings()
    phone = to_e164(to)
    parts = split(to_gsm7(text)) or [""]
    return [_send_one(phone, body, purpose, list(media_urls) if i == 0 else [], settings,
                      secrets)
            for i, body in enumerate(parts)]


def masked(body: str, secrets: Sequence[str]) -> str:
    for secret in filter(None, secrets):
        body = body.replace(secret, "*" * len(secret))
    return body


def _send_one(phone: str, body: str, purpose: str, media_urls: list[str],
              settings: Settings, secrets: Sequence[str] = ()) -> Sent:
    with session_scope(settings.database_url) as session:
        blocked = consent.is_opted_out(session, phone)
        quiet = None if blocked or purpose in ASKED_FOR else \
            consent.quiet_now(session, phone, local_now(session))
        status = "blocked" if blocked else "held" if quiet else "sending"
        record = OutboundMessage(to_number=phone, from_number=settings.twilio_number,
                                 body=masked(body, secrets),
                                 media_urls=media_urls, purpose=purpose[:20], status=status,
                                 error=f"quiet hours: texts {quiet.describe()}" if quiet else None)
        session.add(record)
        session.flush()
        record_id = record.id
    if blocked:
        logger.info("Not texting %s (message %s): the number opted out", phone, record_id)
        return Sent("blocked")
    if quiet:
        logger.info("Holding message %s to %s: its owner's quiet hours", record_id, phone)
        return Sent("held", error=f"quiet hours: texts {quiet.describe()}")

    # The record is committed before the call: a crash mid-send leaves a 'sending' row to see.
    try:
        message = twilio_client(settings).messages.create(
            to=phone, from_=settings.twilio_number, body=body, media_url=media_urls or values.unset)
        sent = Sent("accepted", twilio_sid=message.sid)
    except TwilioRestException as error:
        sent = Sent("failed", error=f"Twilio {error.status} {error.code}: {error.msg}")
        if error.code == UNSUBSCRIBED_RECIPIENT:
            with session_scope(settings.database_url) as session:
                consent.opt_out(session, phone, clock.now(), via="Twilio 21610")
    except (TwilioException, RequestException) as error:
        sent = Sent("failed", error=f"{type(error).__name__}: {error}")
    if sent.error:
        logger.warning("Texting %s failed (message %s): %s", phone, record_id, sent.error)

    with session_scope(settings.database_url) as session:
        record = session.get(OutboundMessage, record_id)
        record.status, record.twilio_sid, record.error = sent.status, sent.twilio_sid, sent.error
        record.sent_at = clock.real_now() if sent.status == "accepted" else None
    return sent
