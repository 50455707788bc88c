"""A small client for Rasa's HTTP API: a conversation's tracker, and events appended to it.

Calls are authenticated with a short-lived JWT (HS256, RASA_JWT_SECRET) in the Authorization
header; never with `?token=`, which would end up in access logs. The role "admin" is what
Rasa's `requires_auth` asks of a client acting on any conversation.

A staff message is a `bot` event carrying `{"staff": name}` in its metadata, appended with
`execute_side_effects=true` and the `output_channel` the console chose from the conversation
("sms" for an owner's number, "webchat" for a web chat): Rasa then delivers it through that
channel's output, and keeps it in the transcript beside the assistant's turns. ("latest", the
channel the owner last wrote from, is unknown for a conversation staff opened by number: Rasa
then delivers nowhere.)
The calls block; the console runs them off its event loop.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

import jwt
import requests

from bot import clock

TOKEN_TTL = timedelta(minutes=5)
CLIENT = {"username": "staff-console", "role": "admin"}


class RasaUnavailable(RuntimeError):
    """Rasa did not answer, refused the call, or its API is not enabled."""


class RasaAPI:
    def __init__(self, base_url: str, jwt_secret: str | None, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.jwt_secret = jwt_secret
        self.timeout = timeout

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's current state, with every event since it began."""
        return self._call("GET", conversation_id, "tracker", {"include_events": "ALL"})

    def post_events(self, conversation_id: str, events: list[dict[str, Any]],
                    output_channel: str = "latest") -> dict[str, Any]:
        """Appends `events`; `bot` events among them are sent on `output_channel`."""
        return self._call("POST", conversation_id, "tracker/events",
                          {"output_channel": output_channel, "execute_side_effects": "true"},
                          json=events)

    def staff_message(self, conversation_id: str, text: str, staff_name: str,
                      pause: bool = False, output_channel: str = "latest") -> dict[str, Any]:
        """Sends `text` to the owner as `staff_name`; with `pause`, the assistant stops
        answering first, so it does not talk over a person."""
        events = [{"event": "pause"}] if pause else []
        events.append(staff_event(text, staff_name))
        return self.post_events(conversation_id, events, output_channel)

    def pause(self, conversation_id: str) -> dict[str, Any]:
        """The assistant stops answering this conversation (messages are still recorded)."""
        return self.post_events(conversation_id, [{"event": "pause"}])

    def resume(self, conversation_id: str, text: str | None = None,
               staff_name: str | None = None, output_channel: str = "latest") -> dict[str, Any]:
        """The assistant answers again; `text`, when given, tells the owner so."""
        events: list[dict[str, Any]] = [{"event": "resume"}]
        if text:
            events.append(staff_event(text, staff_name or "staff"))
        return self.post_events(conversation_id, events, output_channel)

    def _token(self) -> str:
        if not self.jwt_secret:
            raise RasaUnavailable("Rasa's HTTP API is not enabled (set RASA_JWT_SECRET)")
        return jwt.encode({"user": CLIENT, "exp": clock.real_now() + TOKEN_TTL},
                          self.jwt_secret, algorithm="HS256")

    def _call(self, method: str, conversation_id: str, path: str, params: dict[str, str],
              json: Any = None) -> dict[str, Any]:
        # Rasa's route takes the id as a raw path: "+" stays as it is (an SMS sender's number).
        url = f"{self.base_url}/conversations/{quote(conversation_id, safe='+@:')}/{path}"
        try:
            answer = requests.request(
                method, url, params=params, json=json, timeout=self.timeout,
                headers={"Authorization": f"Bearer {self._token()}"})
        except requests.RequestException as error:
            raise RasaUnavailable(f"Rasa did not answer at {self.base_url}") from error
        if answer.status_code != 200:
            raise RasaUnavailable(f"Rasa answered {answer.status_code} to {method} {path}")
        return answer.json()


def staff_event(text: str, staff_name: str) -> dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": {"staff": staff_name}}
