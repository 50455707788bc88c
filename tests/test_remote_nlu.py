"""The Rasa server's client for the NLU server: signed calls, and its own model when that server
does not answer."""

from __future__ import annotations

import asyncio
import socket
import uuid

import jwt
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig
from sanic import Sanic, response

from bot import remote_nlu
from tests.sanic_server import ThreadedServer

SECRET = "a-secret-for-the-nlu-server-tests-0123456789"
READING = {"text": "oil change tmrw", "intent": {"name": "book_service", "confidence": 0.97},
           "entities": [{"entity": "service", "value": "oil change"}]}


@pytest.fixture
def nlu_server():
    """An NLU server as Rasa's API would be: /model/parse behind a JWT with the admin role."""
    app = Sanic(f"nlu_standin_{uuid.uuid4().hex}")
    app.ctx.texts = []

    @app.post("/model/parse")
    async def parse(request):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            return response.json({"message": "not signed"}, status=401)
        if claims["user"]["role"] != "admin":
            return response.json({"message": "forbidden"}, status=403)
        app.ctx.texts.append(request.json["text"])
        return response.json(READING | {"text": request.json["text"]})

    server = ThreadedServer(app).start()
    yield server
    server.stop()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def client(url: str, secret: str | None, monkeypatch) -> remote_nlu.NLUServer:
    if secret:
        monkeypatch.setenv("RASA_JWT_SECRET", secret)
    else:
        monkeypatch.delenv("RASA_JWT_SECRET", raising=False)
    return remote_nlu.NLUServer(EndpointConfig(url))


def run(nlu: remote_nlu.NLUServer, *calls):
    """Awaits each call in one event loop, as the Rasa server would; returns their results."""

    async def all_of():
        try:
            return [await call() for call in calls]
        finally:
            if nlu.session is not None:
                await nlu.session.close()

    return asyncio.run(all_of())


def processor_with(nlu: remote_nlu.NLUServer) -> MessageProcessor:
    """A processor whose own model reads every text as `greet`."""
    processor = MessageProcessor.__new__(MessageProcessor)
    processor.http_interpreter = nlu
    processor.domain = Domain.from_dict({"intents": ["greet", "book_service"],
                                         "entities": ["service"]})
    processor._parse_message_with_graph = lambda message, tracker, only_output_properties: {
        "text": message.text, "intent": {"name": "greet", "confidence": 0.9}, "entities": []}
    return processor


def test_a_text_is_read_by_the_nlu_server_with_a_signed_call(nlu_server, monkeypatch):
    nlu = client(nlu_server.url, SECRET, monkeypatch)
    [reading] = run(nlu, lambda: remote_nlu.parse_message(processor_with(nlu),
                                                          UserMessage("oil change tmrw")))
    assert reading["intent"]["name"] == "book_service"
    assert reading["entities"] == READING["entities"]
    assert nlu_server.app.ctx.texts == ["oil change tmrw"]


def test_an_unsigned_call_is_refused_and_the_text_is_read_here(nlu_server, monkeypatch):
    nlu = client(nlu_server.url, "another secret entirely, 0123456789abcdef", monkeypatch)
    with pytest.raises(remote_nlu.NLUServerUnavailable, match="401"):
        run(nlu, lambda: nlu.parse(UserMessage("hi")))
    [reading] = run(nlu, lambda: remote_nlu.parse_message(processor_with(nlu), UserMessage("hi")))
    assert reading["intent"]["name"] == "greet"
    assert nlu_server.app.ctx.texts == []


def test_when_the_nlu_server_is_down_the_text_is_read_here(monkeypatch):
    nlu = client(f"http://127.0.0.1:{closed_port()}", SECRET, monkeypatch)
    with pytest.raises(remote_nlu.NLUServerUnavailable, match="did not answer"):
        run(nlu, lambda: nlu.parse(UserMessage("hi")))
    processor = processor_with(nlu)
    [reading] = run(nlu, lambda: remote_nlu.parse_message(processor, UserMessage("hello there")))
    assert reading["intent"]["name"] == "greet"
    assert reading["text"] == "hello there"
    # The next text tries the NLU server again.
    assert processor.http_interpreter is nlu


def test_rasa_makes_this_client_for_an_nlu_endpoint():
    import rasa.core.agent

    remote_nlu.install()
    assert rasa.core.agent.RasaNLUHttpInterpreter is remote_nlu.NLUServer
    assert MessageProcessor.parse_message is remote_nlu.parse_message
