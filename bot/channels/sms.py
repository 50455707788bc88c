"""The SMS channel: Twilio posts each text to POST /webhooks/sms/webhook and gets the answer
back as TwiML, in one round trip.

In order: the signature (403 when missing or wrong; such a request never reaches the assistant),
the form (400 when there is no sender or nothing sent), the MessageSid claimed in the database (a
retry gets the first answer), carrier keywords and opt-outs, then the assistant's turn. The turn
runs in a task of its own, so neither Twilio hanging up nor the deadline cuts it in half: when it
takes longer than SMS_REPLY_DEADLINE, Twilio gets an empty answer and the reply follows through
the REST API (outbound.py). A text its server stopped answering (killed mid-turn) gets an
apology and a ticket for staff, from this server's next start or another one (unanswered.py).

Registered in credentials.yml as `bot.channels.sms.SMSInput:`; settings come from the
environment or `.env` (bot/settings.py), like the rest of Concierge.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    OutputChannel,
    UserMessage,
)
from rasa.core.lock_store import InMemoryLockStore
from sanic import Blueprint, Sanic, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot import clock
from bot.channels import inbound, keywords, outbound, unanswered
from bot.channels.clean_text import clean_text
from bot.channels.sms_text import Reply, compose
from bot.channels.twiml import EMPTY, twiml
from bot.dealership.db import in_session
from bot.dealership.phones import InvalidPhoneNumber, to_e164
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)

MAX_MEDIA = 10  # Twilio delivers at most ten media per MMS
SHARE_MEDIA = "/share_media"
# How often a retry looks for the answer the first request is still working out.
POLL_SECONDS = 0.2

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class SMSInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SMSInput:
        return cls(load_settings())

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self.validator = RequestValidator(self.settings.twilio_auth_token)
        # Turns still running after their webhook answered: referenced so none is collected.
        self._background: set[asyncio.Task] = set()
        # Texts received before this server started cannot be its own (bot.channels.unanswered).
        self._started = clock.real_now()

    def get_output_channel(self) -> OutputChannel:
        """How messages outside a turn reach the owner (a staff member's reply, sent through
        Rasa's events API with output_channel=latest): texts through Twilio's REST API."""
        return SMSOutput(self.settings)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("sms_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        @webhook.listener("after_server_start")
        async def answer_the_unanswered(app: Sanic, _: Any) -> None:
            # With its lock store in memory this server is the only one (as Rasa itself has
            # it): every text still being answered when it started was left by a stopped one.
            lock_store = getattr(getattr(app.ctx, "agent", None), "lock_store", None)
            app.ctx.sms_unanswered = asyncio.create_task(unanswered.watch(
                self.settings, self._started, isinstance(lock_store, InMemoryLockStore)))

        @webhook.listener("before_server_stop")
        async def stop_watching(app: Sanic, _: Any) -> None:
            watcher = getattr(app.ctx, "sms_unanswered", None)
            if watcher is not None:
                watcher.cancel()

        return webhook

    def public_url(self, request: Request) -> str:
        """The URL Twilio called, which its signature covers: behind a proxy or a tunnel, the
        public one (PUBLIC_BASE_URL), not the one this server saw."""
        base = self.settings.public_base_url
        if not base:
            return request.url
        query = f"?{request.query_string}" if request.query_string else ""
        return base.rstrip("/") + request.path + query

    async def receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        form = read_form(request)
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not self.validator.validate(self.public_url(request), form,
                                                         signature):
            # Never the body: it is someone's message, and this request may be forged.
            logger.warning("Refused an SMS webhook call with %s signature (MessageSid %s)",
                           "a wrong" if signature else "no", form.get("MessageSid"))
            return response.text("Forbidden", status=403)
        message = read_text(form)
        if message is None:
            logger.warning("Refused a malformed SMS webhook call (MessageSid %s)",
                           form.get("MessageSid"))
            return response.text("A text needs a MessageSid and a From number",
                                 status=400)

        url = self.settings.database_url
        claim = asyncio.create_task(inbound.start(url, message, clock.now()))
        try:
            started = await asyncio.shield(claim)
        except asyncio.CancelledError:
            self._keep(asyncio.create_task(self._go_on_unheard(claim, message, on_new_message)))
            raise
        if started.duplicate:
            return _xml(await self._first_answer(message.message_sid))
        if started.answer is not None:
            return _xml(started.answer)

        turn = asyncio.create_task(self._ask(on_new_message, message, started.text or ""))
        self._keep(turn)
        try:
            messages = await asyncio.wait_for(asyncio.shield(turn),
                                              self.settings.sms_reply_deadline)
        except asyncio.TimeoutError:
            logger.info("No answer to %s within %.1f s: it follows by the REST API",
                        message.message_sid, self.settings.sms_reply_deadline)
            self._keep(asyncio.create_task(self._answer_later(turn, message)))
            return _xml(EMPTY)
        except asyncio.CancelledError:
            # Twilio hung up: the turn goes on, and its answer follows by the REST API.
            self._keep(asyncio.create_task(self._answer_later(turn, message)))
            raise
        except Exception:
            logger.exception("The assistant failed on %s", message.message_sid)
            answer = await self._trouble()
            if not await inbound.finish(url, message.message_sid, "failed", answer, None):
                return _xml(EMPTY)  # taken for lost meanwhile: the owner had an apology
            return _xml(answer)

        reply = compose(messages)
        answer = twiml(reply.bodies, reply.media_urls)
        if not await inbound.finish(url, message.message_sid, "answered",
                                       answer, reply.choices):
            return _xml(EMPTY)
        return _xml(answer)

    async def _ask(self, on_new_message: OnNewMessage, message: inbound.Text,
                   text: str) -> list[dict[str, Any]]:
        """One turn of the assistant; what it said, as Rasa's collecting channel keeps it."""
        collector = CollectingOutputChannel()
        metadata = ({"media_urls": message.media_urls, "media_types": message.media_types}
                    if message.media_urls else None)
        await on_new_message(UserMessage(text, collector, message.phone,
                                         input_channel=self.name(),
                                         message_id=message.message_sid, metadata=metadata))
        return collector.messages

    async def _answer_later(self, turn: asyncio.Task, message: inbound.Text) -> None:
        url = self.settings.database_url
        try:
            messages = await turn
        except Exception:
            logger.exception("The assistant failed on %s", message.message_sid)
            await inbound.finish(url, message.message_sid, "failed", EMPTY, None)
            return
        reply = compose(messages)
        # Stored first: the owner's "2" to this reply's list may arrive before the send ends.
        if not await inbound.finish(url, message.message_sid, "deferred", EMPTY,
                                    reply.choices):
            logger.warning("The answer to %s came after it was taken for lost (the owner had "
                           "an apology, staff a ticket): not sent", message.message_sid)
            return
        await self._send(message.phone, reply)

    async def _go_on_unheard(self, claim: asyncio.Task, message: inbound.Text,
                             on_new_message: OnNewMessage) -> None:
        """Twilio hung up while the text was being claimed: it is ours now, so it is answered
        (a keyword's answer is stored for a retry; a turn's answer follows by REST)."""
        started = await claim
        if started.text is not None:
            turn = asyncio.create_task(self._ask(on_new_message, message, started.text))
            await self._answer_later(turn, message)

    async def _send(self, phone: str, reply: Reply) -> None:
        for i, body in enumerate(reply.bodies):
            media = reply.media_urls if i == len(reply.bodies) - 1 else []
            await asyncio.to_thread(outbound.send, phone, body, purpose="late_reply",
                                    media_urls=media, settings=self.settings)

    async def _first_answer(self, message_sid: str) -> str:
        """The answer given to a text seen before; if it is still being worked out, wait for it
        as long as a first request would, then answer empty (the reply follows by REST)."""
        deadline = asyncio.get_running_loop().time() + self.settings.sms_reply_deadline
        while True:
            answer = await inbound.stored_answer(self.settings.database_url, message_sid)
            if answer is not None:
                return answer
            if asyncio.get_running_loop().time() >= deadline:
                return EMPTY
            await asyncio.sleep(POLL_SECONDS)

    async def _trouble(self) -> str:
        text = await in_session(keywords.trouble_text, database_url=self.settings.database_url)
        return twiml([text])

    def _keep(self, task: asyncio.Task) -> None:
        self._background.add(task)
        task.add_done_callback(self._background.discard)


class SMSOutput(CollectingOutputChannel):
    """Texts what Rasa sends to a conversation outside a turn; the recipient id is the owner's
    number. Collected first, as in a turn, so buttons become the same numbered choices."""

    @classmethod
    def name(cls) -> str:
        return "sms"

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        # One message, not one per paragraph: a staff member's reply arrives as they wrote it.
        await self._persist_message(self._message(recipient_id, text=text))

    async def _persist_message(self, message: dict[str, Any]) -> None:
        reply = compose([message])
        for i, body in enumerate(reply.bodies):
            media = reply.media_urls if i == len(reply.bodies) - 1 else []
            await asyncio.to_thread(outbound.send, message["recipient_id"], body,
                                    purpose="staff", media_urls=media, settings=self.settings)


def read_form(request: Request) -> RequestParameters:
    """The posted parameters, blank ones included: Twilio signs a photo's empty Body too, and
    Sanic's own `request.form` drops blank values."""
    if not request.content_type.startswith("application/x-www-form-urlencoded"):
        return RequestParameters()
    body = request.body.decode("utf-8", errors="replace")
    return RequestParameters(parse_qs(body, keep_blank_values=True))


def read_text(form: RequestParameters) -> inbound.Text | None:
    """The text in Twilio's form; None when it lacks a sender or a MessageSid. A blank text is
    still a text: it is answered (bot.channels.inbound), not refused."""
    sid = (form.get("MessageSid") or form.get("SmsMessageSid") or "").strip()
    try:
        phone = to_e164(form.get("From") or "")
    except InvalidPhoneNumber:
        return None
    media = [(url, form.get(f"MediaContentType{i}") or "")
             for i in range(MAX_MEDIA) if (url := form.get(f"MediaUrl{i}"))]
    body = clean_text(form.get("Body") or "").strip()
    if not sid:
        return None
    if not body and media:
        # A photo alone still reaches the assistant (for a problem report, say), as an intent
        # of its own: there are no words for the intent classifier to read.
        body = SHARE_MEDIA
    return inbound.Text(message_sid=sid, phone=phone, body=body,
                        media_urls=[url for url, _ in media],
                        media_types=[kind for _, kind in media],
                        opt_out_type=form.get("OptOutType") or None)


def _xml(answer: str) -> HTTPResponse:
    return response.text(answer, content_type="application/xml")
