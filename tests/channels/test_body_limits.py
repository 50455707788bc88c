"""Request bodies held to their route's limit, on the app Rasa's `configure_app` builds (the SMS
channel and Rasa's HTTP API), on a real server: a 10 MB unsigned form must not keep owners
waiting while it is read and parsed."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
import rasa.core.run
from sanic import Sanic

from bot.channels.sms import SMSInput
from bot.rasa_patches import body_limits
from bot.settings import Settings
from tests.channels.conftest import FakeAssistant
from tests.demo import DANA
from tests.sanic_server import ThreadedServer
from tools.sms_client import text

MB = 1024 * 1024


class RasaServer(ThreadedServer):
    """Rasa's own app (its HTTP API behind a JWT, the SMS channel), as `bot.server` runs it,
    with the assistant stood in for."""

    def __init__(self, settings: Settings, assistant: FakeAssistant) -> None:
        Sanic.test_mode = True  # several apps named "rasa_server" in one process
        app = rasa.core.run.configure_app([SMSInput(settings)], enable_api=True,
                                          jwt_secret="test-secret", jwt_method="HS256")
        app.ctx.agent = SimpleNamespace(handle_message=assistant)
        super().__init__(app)

    @property
    def webhook(self) -> str:
        return f"{self.url}/webhooks/sms/webhook"


@pytest.fixture
def rasa_server(monkeypatch, settings, assistant) -> Iterator[RasaServer]:
    # As bot.rasa_patches.install() does, undone after the test.
    monkeypatch.setattr(rasa.core.run, "configure_app", rasa.core.run.configure_app)
    body_limits.install()
    server = RasaServer(settings, assistant).start()
    yield server
    server.stop()


def many_fields(size: int) -> bytes:
    """A form of `size` bytes in many short fields: the slowest kind to parse."""
    fields, total, i = [], 0, 0
    while total < size:
        fields.append(b"k%d=v" % i)
        total += len(fields[-1]) + 1
        i += 1
    return b"&".join(fields)


def raw_request(server: RasaServer, head: str, body: bytes = b"", chunk: int = 64 * 1024,
                timeout: float = 5) -> tuple[str, float]:
    """Sends `head` then as much of `body` as the server reads; returns the status line of its
    answer and the seconds it took."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(head.encode())
        try:
            for start in range(0, len(body), chunk):
                sock.sendall(body[start:start + chunk])
        except OSError:
            pass  # the server answered and closed while the body was still coming
        try:
            answer = sock.recv(4096).decode(errors="replace")
        except OSError as error:
            answer = f"no answer: {error}"
    return answer.split("\r\n", 1)[0], time.monotonic() - started


def post_head(path: str, length: int, content_type: str = "application/x-www-form-urlencoded"
              ) -> str:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\n\r\n")


def test_a_body_announced_too_large_is_refused_before_it_is_sent(rasa_server):
    status, seconds = raw_request(rasa_server, post_head("/webhooks/sms/webhook", 10 * MB))
    assert status == "HTTP/1.1 413 Request Entity Too Large"
    assert seconds < 1
    # Rasa's HTTP API has its own limit, well above what the staff console sends.
    status, _ = raw_request(rasa_server, post_head(f"/conversations/{DANA}/tracker/events",
                                                   10 * MB, "application/json"))
    assert status == "HTTP/1.1 413 Request Entity Too Large"


def test_a_chunked_body_is_cut_off_once_past_the_limit(rasa_server):
    body = many_fields(10 * MB)
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 8192]), body[i:i + 8192])
                      for i in range(0, len(body), 8192)) + b"0\r\n\r\n"
    head = ("POST /webhooks/sms/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Transfer-Encoding: chunked\r\n\r\n")
    status, seconds = raw_request(rasa_server, head, chunks)
    assert status == "HTTP/1.1 413 Request Entity Too Large"
    assert seconds < 2


def test_a_10mb_unsigned_post_keeps_no_owner_waiting(rasa_server, assistant):
    body = many_fields(10 * MB)
    flood = threading.Thread(target=raw_request, daemon=True, kwargs=dict(
        server=rasa_server, head=post_head("/webhooks/sms/webhook", len(body)), body=body,
        timeout=30))
    flood.start()
    # Owners text on while it arrives: none waits on it.
    waits = []
    for _ in range(15):
        started = time.monotonic()
        answer = text(rasa_server.webhook, "hi", sender=DANA)
        waits.append(time.monotonic() - started)
        assert answer.messages == ["You said: hi"]
        time.sleep(0.1)
    flood.join(30)
    assert max(waits) < 0.5, [round(w, 2) for w in waits]


def test_what_twilio_and_the_staff_console_send_still_gets_through(rasa_server, assistant):
    # The largest text Twilio posts: 1,600 characters and ten photos.
    media = [(f"https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME{i}",
              "image/jpeg") for i in range(10)]
    answer = text(rasa_server.webhook, "\u00e9" * 1600, sender=DANA, media=media)
    assert answer.status == 200 and answer.messages
    # A staff reply's events: through to Rasa's API, which then asks for its JWT.
    events = b'[{"event": "bot", "text": "' + b"x" * 1600 + b'"}]'
    status, _ = raw_request(rasa_server, post_head(f"/conversations/{DANA}/tracker/events",
                                                   len(events), "application/json"), events)
    assert status == "HTTP/1.1 401 Unauthorized"
