"""TwiML answers to the SMS webhook, written with Twilio's own MessagingResponse."""

from __future__ import annotations

from collections.abc import Sequence

from twilio.twiml.messaging_response import MessagingResponse

EMPTY = str(MessagingResponse())  # "received; nothing to say (now)"


def twiml(bodies: Sequence[str], media_urls: Sequence[str] = ()) -> str:
    """One <Message> per body; media go with the last one (an MMS)."""
    response = MessagingResponse()
    for i, body in enumerate(bodies):
        message = response.message()
        message.body(body)
        if i == len(bodies) - 1:
            for url in media_urls:
                message.media(url)
    if not bodies and media_urls:
        message = response.message()
        for url in media_urls:
            message.media(url)
    return str(response)
