"""Texting a running Concierge the way Twilio does: the form Twilio posts for an incoming SMS or
MMS, signed with Twilio's own RequestValidator, and the TwiML answer read back.

    answer = text("http://127.0.0.1:5005/webhooks/sms/webhook", "hi", sender="+15125550142")
    answer.messages  # ["Hi Dana! ..."]
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

import requests
from twilio.request_validator import RequestValidator

from bot.settings import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, DEMO_NUMBER


@dataclass(frozen=True)
class Answer:
    status: int
    xml: str
    messages: list[str]  # the text of each <Message>
    media: list[str]  # every <Media> URL


def twilio_form(body: str, *, sender: str, to: str = DEMO_NUMBER,
                message_sid: str | None = None, media: Sequence[tuple[str, str]] = (),
                account_sid: str = DEMO_ACCOUNT_SID) -> dict[str, str]:
    """The parameters Twilio posts for an incoming message; `media` as (url, content type)."""
    sid = message_sid or ("MM" if media else "SM") + uuid.uuid4().hex
    form = {
        "ToCountry": "US", "ToState": "TX", "SmsMessageSid": sid, "NumMedia": str(len(media)),
        "ToCity": "AUSTIN", "FromZip": "78701", "SmsSid": sid, "FromState": "TX",
        "SmsStatus": "received", "FromCity": "AUSTIN", "Body": body, "FromCountry": "US",
        "To": to, "ToZip": "78701", "NumSegments": "1", "MessageSid": sid,
        "AccountSid": account_sid, "From": sender, "ApiVersion": "2010-04-01",
    }
    for i, (url, content_type) in enumerate(media):
        form[f"MediaUrl{i}"] = url
        form[f"MediaContentType{i}"] = content_type
    return form


def sign(url: str, form: dict[str, str], auth_token: str = DEMO_AUTH_TOKEN) -> str:
    """X-Twilio-Signature for a POST of `form` to `url` (the URL Twilio was configured with)."""
    return RequestValidator(auth_token).compute_signature(url, form)


def post(webhook_url: str, form: dict[str, str], *, signature: str | None = None,
         timeout: float = 60) -> Answer:
    """Posts `form`; signed over `webhook_url` unless another `signature` is given ("" for
    none)."""
    signature = sign(webhook_url, form) if signature is None else signature
    headers = {"X-Twilio-Signature": signature} if signature else {}
    reply = requests.post(webhook_url, data=form, headers=headers, timeout=timeout)
    return read_answer(reply.status_code, reply.text)


def text(webhook_url: str, body: str, *, sender: str, message_sid: str | None = None,
         media: Sequence[tuple[str, str]] = (), timeout: float = 60) -> Answer:
    """One text from `sender`, as Twilio delivers it to the webhook."""
    form = twilio_form(body, sender=sender, message_sid=message_sid, media=media)
    return post(webhook_url, form, timeout=timeout)


def read_answer(status: int, body: str) -> Answer:
    if status != 200 or not body.lstrip().startswith("<?xml"):
        return Answer(status, body, [], [])
    root = ET.fromstring(body)
    messages = [("".join(m.find("Body").itertext()) if m.find("Body") is not None
                 else (m.text or "")).strip() for m in root.iter("Message")]
    return Answer(status, body, messages, [media.text or "" for media in root.iter("Media")])
