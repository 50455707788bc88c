"""The website chat: Rasa's socket.io protocol (as rasa-webchat speaks it), with sessions this
server issues, and the demo dealership page that carries the widget.

Rasa's own socket.io channel uses whatever session id the browser sends as the conversation id.
Here the browser's token must be one this server issued (`bot.dealership.web_sessions`); the
conversation id is a separate random value, so a transcript shown to staff never reveals a token.

Rasa's channel also leaves `enter_room` unawaited (a coroutine since python-socketio 5.10), so
replies never reach the widget; this one awaits it. Beyond Rasa's: only the dealership's own
origins may connect, a connection's messages are answered one at a time in order (with a bounded
line, said to the visitor), text is cleaned as it comes in, and binary messages are refused.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    OutputChannel,
    UserMessage,
)
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer, packet
from sqlalchemy.orm import Session

from bot import clock
from bot.channels.chat_queue import ChatQueues, Taken
from bot.channels.clean_text import clean_text
from bot.channels.client_address import client_address
from bot.dealership import handoff, web_sessions
from bot.dealership.db import in_session
from bot.settings import Settings, load_settings
from bot.wording import say

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
# The page's own files, and the widget's bundle as npm installed it.
PAGE_FILES = {
    "index.html": WEB_DIR / "index.html",
    "concierge.js": WEB_DIR / "concierge.js",
    "concierge.css": WEB_DIR / "concierge.css",
    "webchat.js": WEB_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js",
}
# Socket.io packet types that announce binary attachments (BINARY_EVENT, BINARY_ACK).
BINARY_PACKETS = {str(packet.BINARY_EVENT), str(packet.BINARY_ACK)}
# Longer texts are cut: nobody types more into a chat box, and it keeps the NLU fast.
MAX_MESSAGE = 2000
# The channel's own words (responses in domain/channels.yml): the chat is over, and about its
# line of messages (they are not turns of the conversation).
SESSION_ENDED = "utter_chat_ended"
STILL_ANSWERING = "utter_chat_still_answering"
NOT_TAKEN = "utter_chat_not_taken"
TURN_FAILED = "utter_chat_turn_failed"
FAILED_REASON = "The web chat failed on a message"


# A web address in a reply (written plainly, for SMS), not already a Markdown link.
BARE_URL = re.compile(r"(?<![(\[])\bhttps?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")


def with_links(text: str) -> str:
    """Replies are written for SMS, where phones make addresses clickable; the widget renders
    Markdown, so an address becomes a link there."""
    return BARE_URL.sub(lambda found: f"[{found.group(0)}]({found.group(0)})", text)


class WebChatOutput(SocketIOOutput):
    """Rasa's socket.io output, with web addresses as links."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await super().send_text_message(recipient_id, with_links(text), **kwargs)

    async def send_text_with_buttons(self, recipient_id: str, text: str,
                                     buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        await super().send_text_with_buttons(recipient_id, with_links(text), buttons, **kwargs)


def _resume(session: Session, token: str | None,
            client_ip: str | None = None) -> web_sessions.Resumed:
    return web_sessions.resume_or_start(session, token, clock.real_now(), client_ip)


def _touch(session: Session, token: str) -> web_sessions.Seen | None:
    return web_sessions.touch(session, token, clock.real_now())


def _hand_to_staff(session: Session, conversation_id: str) -> None:
    owner_id = web_sessions.verified_owner_id(session, conversation_id, clock.real_now())
    handoff.open_ticket(session, conversation_id=conversation_id, channel="webchat",
                        owner_id=owner_id, reason=FAILED_REASON)


class TextOnlyServer(AsyncServer):
    """The widget sends JSON only. A binary message announces attachments that python-socketio
    buffers until the last one comes, so one that never completes would be held for as long as
    the connection lasts. Here such a message, and every binary frame, is dropped unread
    before anything of it is kept (parsing a frame as a packet would only raise, and an error
    logged with its traceback keeps the frame alive); the connection goes on for text."""

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        if isinstance(data, bytes):
            return
        if isinstance(data, str) and data[:1] in BINARY_PACKETS:
            logger.warning("Dropped a binary message on a web chat connection")
            return
        await super()._handle_eio_message(eio_sid, data)


class WebChatInput(SocketIOInput):
    """`bot.channels.webchat.WebChatInput` in credentials.yml; the page is at /webhooks/webchat/.

    A subclass of Rasa's socket.io channel (so it stands wherever that one is expected) whose
    blueprint replaces Rasa's entirely."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(credentials.get("socketio_path", "/socket.io"))

    def __init__(self, socketio_path: str = "/socket.io",
                 settings: Settings | None = None) -> None:
        super().__init__(socketio_path=socketio_path, session_persistence=True)
        self.settings = settings
        self.sio: AsyncServer | None = None
        self.queues: ChatQueues | None = None

    def get_output_channel(self) -> OutputChannel | None:
        """How staff messages and other events reach an open chat (by its conversation id)."""
        return WebChatOutput(self.sio, "bot_uttered") if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        settings = self.settings or load_settings()
        # Rasa passes `[]`, which turns python-engineio's origin check off. None is the same
        # origin only (the page served here, behind a proxy too); otherwise the listed ones.
        sio = TextOnlyServer(async_mode="sanic",
                            cors_allowed_origins=list(settings.webchat_allowed_origins) or None)
        self.sio = sio
        queues = self.queues = ChatQueues(settings.webchat_max_backlog)
        webchat = SocketBlueprint(sio, self.socketio_path, "webchat", __name__)

        @webchat.route("/", methods=["GET"])
        async def page(_: Request) -> HTTPResponse:
            return await _file("index.html")

        @webchat.route("/<name>", methods=["GET"])
        async def asset(_: Request, name: str) -> HTTPResponse:
            return await _file(name)

        @sio.on("session_request")
        async def session_request(sid: str, data: Any) -> None:
            token = data.get("session_id") if isinstance(data, dict) else None
            token = clean_text(token) if isinstance(token, str) else None
            client_ip = client_address(sio.get_environ(sid), settings.webchat_proxies_count)
            resumed = await in_session(_resume, token, client_ip)
            # A coroutine since python-socketio 5.10: unawaited, the browser never joins its
            # conversation's room, and no reply reaches it.
            await sio.enter_room(sid, resumed.conversation_id)
            await sio.emit("session_confirm", resumed.token, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: Any) -> None:
            # Nothing is awaited before the message is in its connection's line, so the line
            # keeps the order in which the connection delivered the messages.
            if not isinstance(data, dict) or not isinstance(data.get("session_id"), str):
                return
            token = clean_text(data["session_id"])
            text = clean_text(str(data.get("message") or "")).strip()[:MAX_MESSAGE]
            if not text:
                return

            async def turn() -> None:
                await self._turn(sid, token, text, on_new_message)

            taken = queues.offer(sid, turn)
            if taken is Taken.WAITS:
                await sio.emit("bot_uttered", {"text": say(STILL_ANSWERING)}, room=sid)
            elif taken is Taken.REFUSED:
                logger.warning("A web chat message was not taken: %d already wait (%s)",
                               queues.waiting(sid), sid)
                await sio.emit("bot_uttered", {"text": say(NOT_TAKEN)}, room=sid)

        return webchat

    async def _turn(self, sid: str, token: str, text: str,
                    on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """One message of the visitor's, answered after the ones before it."""
        assert self.sio is not None
        seen = await in_session(_touch, token)
        if seen is None:
            await self.sio.emit("bot_uttered", {"text": say(SESSION_ENDED)}, room=sid)
            return
        try:
            if seen.lapsed:
                # The verified owner went quiet too long: a new session makes this a guest's
                # chat again (action_session_start asks the database who it is).
                await on_new_message(UserMessage("/session_start", CollectingOutputChannel(),
                                                 seen.conversation_id,
                                                 input_channel=self.name()))
            # The browser's customData is not trusted: nothing it sends becomes metadata.
            await on_new_message(UserMessage(text, WebChatOutput(self.sio, "bot_uttered"),
                                             seen.conversation_id, input_channel=self.name()))
        except Exception:
            # Failures inside the turn are answered there (bot.rasa_patches.failed_turns); this
            # is what escaped it (the lock, the tracker store): said, and handed to a person.
            logger.exception("A web chat turn failed (%s)", seen.conversation_id)
            await self.sio.emit("bot_uttered", {"text": say(TURN_FAILED)}, room=sid)
            try:
                await in_session(_hand_to_staff, seen.conversation_id)
            except Exception:
                logger.exception("No ticket for the failed web chat turn")


async def _file(name: str) -> HTTPResponse:
    path = PAGE_FILES.get(name or "index.html")
    if path is None or not path.is_file():
        return response.text("Not found", status=404)
    return await response.file(path, headers={"Cache-Control": "no-cache"})
