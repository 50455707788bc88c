"""The website chat: Rasa's socket.io protocol (as rasa-webchat speaks it), with sessions this
server issues, and the demo dealership page that carries the widget.

Rasa's own socket.io channel uses whatever session id the browser sends as the conversation id.
Here the browser's token must be one this server issued (`bot.dealership.web_sessions`); the
conversation id is a separate random value, so a transcript shown to staff never reveals a token.
"""

from __future__ import annotations

import asyncio
import inspect
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
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot import clock
from bot.dealership import web_sessions
from bot.dealership.db import session_scope

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
# The page's own files, and the widget's bundle as npm installed it.
PAGE_FILES = {
    "index.html": WEB_DIR / "index.html",
    "concierge.js": WEB_DIR / "concierge.js",
    "concierge.css": WEB_DIR / "concierge.css",
    "webchat.js": WEB_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js",
}
# Longer texts are cut: nobody types more into a chat box, and it keeps the NLU fast.
MAX_MESSAGE = 2000
SESSION_ENDED = ("This chat has ended. Please reload the page to start a new one; "
                 "nothing you booked is lost.")


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


def _resume(token: str | None) -> web_sessions.Resumed:
    with session_scope() as session:
        return web_sessions.resume_or_start(session, token, clock.now())


def _touch(token: str) -> web_sessions.Seen | None:
    with session_scope() as session:
        return web_sessions.touch(session, token, clock.now())


class WebChatInput(InputChannel):
    """`bot.channels.webchat.WebChatInput` in credentials.yml; the page is at /webhooks/webchat/."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(credentials.get("socketio_path", "/socket.io"))

    def __init__(self, socketio_path: str = "/socket.io") -> None:
        self.socketio_path = socketio_path
        self.sio: AsyncServer | None = None

    def get_output_channel(self) -> OutputChannel | None:
        """How staff messages and other events reach an open chat (by its conversation id)."""
        return WebChatOutput(self.sio, "bot_uttered") if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Same origin only: the page that carries the widget is served from here.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        self.sio = sio
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
            resumed = await asyncio.to_thread(_resume, token if isinstance(token, str) else None)
            entered = sio.enter_room(sid, resumed.conversation_id)
            if inspect.isawaitable(entered):  # python-socketio 5.10+ made it a coroutine
                await entered
            await sio.emit("session_confirm", resumed.token, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("session_id"), str):
                return
            seen = await asyncio.to_thread(_touch, data["session_id"])
            if seen is None:
                await sio.emit("bot_uttered", {"text": SESSION_ENDED}, room=sid)
                return
            text = str(data.get("message") or "").strip()[:MAX_MESSAGE]
            if not text:
                return
            if seen.lapsed:
                # The verified owner went quiet too long: a new session makes this a guest's
                # chat again (action_session_start asks the database who it is).
                await on_new_message(UserMessage("/session_start", CollectingOutputChannel(),
                                                 seen.conversation_id,
                                                 input_channel=self.name()))
            # The browser's customData is not trusted: nothing it sends becomes metadata.
            await on_new_message(UserMessage(text, WebChatOutput(sio, "bot_uttered"),
                                             seen.conversation_id, input_channel=self.name()))

        return webchat


async def _file(name: str) -> HTTPResponse:
    path = PAGE_FILES.get(name or "index.html")
    if path is None or not path.is_file():
        return response.text("Not found", status=404)
    return await response.file(path, headers={"Cache-Control": "no-cache"})
