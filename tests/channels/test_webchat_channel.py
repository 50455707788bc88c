"""The web chat's socket.io channel on a real Sanic server, in front of a scripted stand-in for
the assistant, talked to by python-socketio's own client as the widget talks: origins, message
floods, text that cannot be encoded, and binary messages that never complete."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator

import pytest
import socketio
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from rasa.core.run import create_http_input_channels
from sanic import Sanic

from bot.channels import webchat
from bot.channels.webchat import WebChatInput
from bot.dealership.db import session_scope
from bot.dealership.models import HandoffTicket
from bot.settings import ROOT, Settings, load_settings
from bot.wording import say
from tests.channels.conftest import FakeAssistant
from tests.sanic_server import ThreadedServer

# The channel's own notices, as the domain's responses it names word them.
STILL_ANSWERING = say(webchat.STILL_ANSWERING)
NOT_TAKEN = say(webchat.NOT_TAKEN)
TURN_FAILED = say(webchat.TURN_FAILED)

DEALERSHIP = "https://www.lakeshorelexus.example"


class OneAtATime(FakeAssistant):
    """The stand-in, also counting how many turns of one conversation ran at once (Rasa's lock
    drops turns that wait on it too long), the earlier messages answered more slowly."""

    def __init__(self) -> None:
        super().__init__()
        self.running = 0
        self.most_at_once = 0

    async def __call__(self, message: UserMessage) -> None:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            # Message 1 takes longest: turns that ran side by side would finish out of order.
            self.delay = max(0.0, 0.2 - 0.01 * len(self.received))
            await super().__call__(message)
        finally:
            self.running -= 1


class WebChatServer(ThreadedServer):
    def __init__(self, settings: Settings, assistant: FakeAssistant) -> None:
        self.channel = WebChatInput(settings=settings)
        app = Sanic(f"webchat_test_{uuid.uuid4().hex[:8]}")
        app.blueprint(self.channel.blueprint(assistant), url_prefix="/webhooks/webchat")
        super().__init__(app)

    def run(self, coroutine, timeout: float = 10):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


@pytest.fixture
def make_server(demo_db: str, monkeypatch) -> Iterator[Callable[..., WebChatServer]]:
    # The channel reads and writes web sessions in DATABASE_URL, as the Rasa server does.
    monkeypatch.setenv("DATABASE_URL", demo_db)
    started: list[WebChatServer] = []

    def make(assistant: FakeAssistant | None = None, **settings) -> WebChatServer:
        server = WebChatServer(dataclasses.replace(load_settings(), **settings),
                               assistant or FakeAssistant())
        started.append(server.start())
        return server

    yield make
    for server in started:
        server.stop()


class Visitor:
    """python-socketio's client, speaking the widget's events."""

    def __init__(self, url: str, origin: str | None = None) -> None:
        self.client = socketio.Client()
        self.replies: list[str] = []
        self.tokens: list[str] = []
        self.client.on("bot_uttered", lambda data: self.replies.append(data.get("text", "")))
        self.client.on("session_confirm", self.tokens.append)
        headers = {"Origin": origin} if origin else {}
        self.client.connect(url, socketio_path="/socket.io", transports=["polling"],
                            headers=headers)

    def start_chat(self) -> str:
        self.client.emit("session_request", {"session_id": None})
        wait_until(lambda: self.tokens)
        return self.tokens[0]

    def say(self, text: str) -> None:
        self.client.emit("user_uttered", {"session_id": self.tokens[0], "message": text})

    def say_all(self, texts: list[str]) -> None:
        """All at once, as far as polling allows: python-engineio takes 16 packets a request."""
        for n, text in enumerate(texts, 1):
            self.say(text)
            if n % 8 == 0:
                self.client.sleep(0.05)

    def close(self) -> None:
        # The server is told at once; the client then waits for its long poll to end (up to
        # 25 s), which the test need not.
        threading.Thread(target=self.client.disconnect, daemon=True).start()


def wait_until(condition: Callable[[], object], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_no_socket_io_channel_leaves_enter_room_unawaited():
    """Rasa's own socket.io channel calls `enter_room` (a coroutine since python-socketio 5.10)
    without awaiting it, so replies never reach the widget: the server runs ours instead."""
    channels = create_http_input_channels(None, str(ROOT / "credentials.yml"))
    web = [c for c in channels if isinstance(c, SocketIOInput)]
    assert [type(c) for c in web] == [WebChatInput]
    assert WebChatInput.blueprint is not SocketIOInput.blueprint


def test_many_messages_at_once_are_all_answered_in_order(make_server):
    assistant = OneAtATime()
    server = make_server(assistant, webchat_max_backlog=30)
    visitor = Visitor(server.url)
    try:
        visitor.start_chat()
        sent = [f"message {n}" for n in range(1, 21)]
        visitor.say_all(sent)
        wait_until(lambda: len([r for r in visitor.replies if r != STILL_ANSWERING]) >= 20)
        time.sleep(0.3)  # nothing more should come
        answers = [r for r in visitor.replies if r != STILL_ANSWERING]
        assert answers == [f"You said: {text}" for text in sent]
        # The visitor is told once that the assistant is behind.
        assert visitor.replies.count(STILL_ANSWERING) == 1
        assert assistant.most_at_once == 1
    finally:
        visitor.close()


def test_past_the_bound_a_message_is_refused_in_words(make_server):
    assistant = FakeAssistant()
    assistant.delay = 0.5
    server = make_server(assistant, webchat_max_backlog=3)
    visitor = Visitor(server.url)
    try:
        visitor.start_chat()
        visitor.say_all([f"message {n}" for n in range(1, 9)])
        # 1 is answered, 2 to 4 wait, 5 to 8 are refused: each of those is said.
        wait_until(lambda: len([r for r in visitor.replies if r.startswith("You said")]) >= 4)
        time.sleep(0.6)
        assert visitor.replies.count(NOT_TAKEN) == 4
        assert [r for r in visitor.replies if r.startswith("You said")] == [
            f"You said: message {n}" for n in range(1, 5)]
        assert assistant.texts == [f"message {n}" for n in range(1, 5)]
        # Once the line is short again, messages are taken.
        visitor.say("message 9")
        wait_until(lambda: "You said: message 9" in visitor.replies)
    finally:
        visitor.close()


def test_a_turn_that_fails_says_so_reaches_a_person_and_the_next_goes_on(make_server):
    assistant = FakeAssistant()

    def script(message: UserMessage) -> list[dict]:
        if message.text == "boom":
            raise RuntimeError("the tracker store is gone")
        return [{"text": f"You said: {message.text}"}]

    assistant.script = script
    server = make_server(assistant)
    visitor = Visitor(server.url)
    try:
        visitor.start_chat()
        visitor.say("boom")
        visitor.say("hello again")
        wait_until(lambda: "You said: hello again" in visitor.replies)
        answers = [r for r in visitor.replies if r != STILL_ANSWERING]
        assert answers == [TURN_FAILED, "You said: hello again"]
        with session_scope() as session:
            (ticket,) = session.query(HandoffTicket).all()
            assert ticket.channel == "webchat" and ticket.conversation_id.startswith("web-")
    finally:
        visitor.close()


def test_a_lone_surrogate_is_cleaned_and_the_chat_goes_on(make_server):
    assistant = FakeAssistant()
    server = make_server(assistant)
    visitor = Visitor(server.url)
    try:
        visitor.start_chat()
        visitor.say("oil change \ud800 please \x07\U0001F697")
        visitor.say("and tomorrow at 9")
        wait_until(lambda: len(visitor.replies) >= 2)
        assert assistant.texts == ["oil change \ufffd please \U0001F697", "and tomorrow at 9"]
        for text in assistant.texts:
            text.encode("utf-8")  # what every later call does with the conversation
    finally:
        visitor.close()


def test_only_the_dealerships_own_origins_may_connect(make_server):
    server = make_server()
    # A page on another site cannot open a chat here in its visitor's browser.
    with pytest.raises(socketio.exceptions.ConnectionError):
        Visitor(server.url, origin="https://phish.example")
    # The page this server serves can; so can a client that sends no Origin (not a browser).
    for origin in (server.url, None):
        visitor = Visitor(server.url, origin=origin)
        assert visitor.start_chat()
        visitor.close()

    listed = make_server(webchat_allowed_origins=(DEALERSHIP,))
    visitor = Visitor(listed.url, origin=DEALERSHIP)
    assert visitor.start_chat()
    visitor.close()
    with pytest.raises(socketio.exceptions.ConnectionError):
        Visitor(listed.url, origin="https://phish.example")


ATTACHMENT = 400_000  # bytes; python-engineio takes messages up to 1 MB
ATTACHMENTS = 20  # 8 MB held by a server that keeps them


def _send_unfinished_binary_message(visitor: Visitor) -> None:
    """A binary event announcing one attachment more than it sends."""
    visitor.client.eio.send(f'5{ATTACHMENTS + 1}-["user_uttered",'
                            '{"_placeholder":true,"num":0}]')
    for n in range(ATTACHMENTS):
        visitor.client.eio.send(bytes([n]) * ATTACHMENT)
        visitor.client.sleep(0.05)  # one attachment a request: each under the size limit
    visitor.client.sleep(0.5)


def _held(server: WebChatServer) -> int:
    """Bytes the server's process holds now, of what was allocated since tracing began."""
    async def collected() -> int:
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    return server.run(collected())


@pytest.fixture
def traced() -> Iterator[None]:
    tracemalloc.start()
    yield
    tracemalloc.stop()


def test_a_disconnect_frees_what_the_connection_sent(make_server, traced):
    server = make_server()
    visitor = Visitor(server.url)
    visitor.start_chat()
    before = _held(server)
    _send_unfinished_binary_message(visitor)
    sid = visitor.client.get_sid("/")
    visitor.close()
    # (python-socketio 5.9.0's client is seen to go only when its pings stop: 45 s)
    wait_until(lambda: not server.channel.sio.manager.is_connected(sid, "/"), seconds=90)
    assert _held(server) - before < ATTACHMENT * ATTACHMENTS / 3


def test_an_unfinished_binary_message_is_not_kept_while_connected(make_server, traced):
    server = make_server()
    visitor = Visitor(server.url)
    try:
        visitor.start_chat()
        before = _held(server)
        _send_unfinished_binary_message(visitor)
        assert _held(server) - before < ATTACHMENT * ATTACHMENTS / 3
        # The connection still works for text.
        visitor.say("hello")
        wait_until(lambda: visitor.replies)
    finally:
        visitor.close()
