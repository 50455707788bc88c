"""A local stand-in for the slice of Rasa's HTTP API the staff console uses:

- GET  /conversations/{id}/tracker         the conversation's state with its events
- POST /conversations/{id}/tracker/events  appends events (a list or one), answers the state

Like Rasa started with `--jwt-secret`, it accepts only a JWT (HS256) signed with the secret in
`Authorization: Bearer ...` whose user has the role "admin"; anything else gets 401. Like Rasa's
`<conversation_id:path>` route, it takes the id from the path as it is, without unquoting.
It keeps every accepted call, with its query parameters, for tests to read.

With `execute_side_effects=true`, `bot` events go out as Rasa sends them: through the input
channel named by `output_channel` ("latest": the one the owner last wrote from; none known, or
no such channel, and they go nowhere). `outputs` holds the channels' outputs by name (tests give
"sms" Concierge's real SMS output); `delivered` keeps what went out on which channel.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt

ROUTE = re.compile(r"^/conversations/(?P<id>.+)/tracker(?P<events>/events)?$")


@dataclass
class Conversation:
    events: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    latest_input_channel: str | None = None
    paused: bool = False


@dataclass
class Call:
    method: str
    conversation_id: str
    query: dict[str, str]
    events: list[dict[str, Any]]
    jwt_payload: dict[str, Any]


class RasaStandIn:
    """Use as a context manager; `url` is what RASA_URL should be."""

    def __init__(self, jwt_secret: str) -> None:
        self.jwt_secret = jwt_secret
        self.conversations: dict[str, Conversation] = {}
        self.calls: list[Call] = []
        self.refused: list[str] = []  # why each refused request was refused
        self.failing = False  # answer 500 to everything, as a Rasa in trouble would
        self.outputs: dict[str, Callable[[str, str], None]] = {}
        self.delivered: list[tuple[str, str, str]] = []  # (channel, conversation id, text)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> RasaStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def script(self, conversation_id: str, events: list[dict[str, Any]],
               channel: str = "sms", **slots: Any) -> None:
        self.conversations[conversation_id] = Conversation(list(events), slots, channel)

    def posted(self, conversation_id: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == "POST"
                and conversation_id in (None, c.conversation_id)]

    def posted_events(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        return [e for c in self.posted(conversation_id) for e in c.events]

    def _state(self, conversation_id: str) -> dict[str, Any]:
        chat = self.conversations.get(conversation_id, Conversation())
        return {"sender_id": conversation_id, "slots": chat.slots, "paused": chat.paused,
                "events": chat.events, "latest_input_channel": chat.latest_input_channel,
                "latest_message": {}, "latest_event_time": None, "followup_action": None,
                "active_loop": {}, "latest_action": None, "latest_action_name": None}

    def _check(self, headers) -> dict[str, Any] | None:
        header = headers.get("Authorization") or ""
        prefix, _, token = header.partition(" ")
        if prefix != "Bearer" or not token:
            self.refused.append("no bearer token")
            return None
        try:
            payload = jwt.decode(token, self.jwt_secret, algorithms=["HS256"])
        except jwt.PyJWTError as error:
            self.refused.append(f"invalid token: {error}")
            return None
        if (payload.get("user") or {}).get("role") != "admin":
            self.refused.append("not an admin")
            return None
        return payload

    def _handle(self, method: str, path: str, headers, body: bytes) -> tuple[int, Any]:
        parts = urlsplit(path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if "token" in query:
            self.refused.append("token in the query string")
            return 401, {"reason": "NotAuthenticated"}
        payload = self._check(headers)
        if payload is None:
            return 401, {"reason": "NotAuthenticated"}
        match = ROUTE.match(parts.path)
        if match is None or (method == "POST") != bool(match["events"]):
            return 404, {"reason": "NotFound"}
        if self.failing:
            return 500, {"reason": "ConversationError"}
        conversation_id = match["id"]
        events: list[dict[str, Any]] = []
        with self._lock:
            if method == "POST":
                sent = json.loads(body or b"null")
                events = sent if isinstance(sent, list) else [sent]
                chat = self.conversations.setdefault(conversation_id, Conversation())
                for event in events:
                    chat.events.append({**event, "timestamp": time.time()})
                    if event.get("event") in ("pause", "resume"):
                        chat.paused = event["event"] == "pause"
                if query.get("execute_side_effects") == "true":
                    self._send(conversation_id, chat, query.get("output_channel"), events)
            self.calls.append(Call(method, conversation_id, query, events, payload))
            return 200, self._state(conversation_id)

    def _send(self, conversation_id: str, chat: Conversation, channel: str | None,
              events: list[dict[str, Any]]) -> None:
        if channel == "latest":
            channel = chat.latest_input_channel
        for event in events:
            if event.get("event") == "bot" and channel in self.outputs:
                self.outputs[channel](conversation_id, event.get("text") or "")
                self.delivered.append((channel, conversation_id, event.get("text") or ""))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                status, payload = standin._handle(method, self.path, self.headers,
                                                  self.rfile.read(length) if length else b"")
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def log_message(self, *args: object) -> None:
                """Quiet: tests read the calls instead."""

        return Handler
