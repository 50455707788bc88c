"""Language understanding in a process of its own, when endpoints.yml names an `nlu` endpoint.

When DIET read texts, reading one was about 40% of a turn in the Rasa server, and a Rasa server
runs its turns on one core, so `scripts/run.sh` started a second Rasa server on the same model, on
loopback, that only parsed. The linear models read a text in a few milliseconds, less than the call
costs: `scripts/run.sh` no longer starts it (docs/benchmarks.md, eighth record). The client stays
for a model that reads slowly again.

The Rasa server reaches it through the `nlu` endpoint (Rasa's own `RasaNLUHttpInterpreter`, here
signing its calls with RASA_JWT_SECRET, since that server's API is never open without a JWT). When
it does not answer, the text is parsed in the Rasa server itself, which has the same model
loaded: slower, never a wrong reading.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import os
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import jwt
from rasa.core.channels.channel import UserMessage
from rasa.core.http_interpreter import RasaNLUHttpInterpreter
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import clock

logger = logging.getLogger(__name__)

# Longer than any parse takes under load; a server that is down refuses at once.
TIMEOUT = aiohttp.ClientTimeout(total=10)
TOKEN_TTL = timedelta(minutes=5)


class NLUServerUnavailable(Exception):
    pass


class NLUServer(RasaNLUHttpInterpreter):
    """Parses texts on the NLU server; raises NLUServerUnavailable instead of Rasa's "no intent"
    reading when that server does not answer."""

    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        # The session is made on first use, inside the server's event loop.
        self.endpoint_config = endpoint_config
        self.session: aiohttp.ClientSession | None = None  # type: ignore[assignment]
        self.secret = os.environ.get("RASA_JWT_SECRET") or None
        self._token: tuple[str, datetime] | None = None

    @property
    def url(self) -> str:
        assert self.endpoint_config is not None and self.endpoint_config.url
        return self.endpoint_config.url.rstrip("/") + "/model/parse"

    def _headers(self) -> dict[str, str]:
        if not self.secret:
            return {}
        now = clock.real_now()
        if self._token is None or self._token[1] - now < TOKEN_TTL / 2:
            expires = now + TOKEN_TTL
            self._token = (jwt.encode({"user": {"username": "concierge", "role": "admin"},
                                       "exp": expires}, self.secret, algorithm="HS256"), expires)
        return {"Authorization": f"Bearer {self._token[0]}"}

    async def parse(self, message: UserMessage) -> dict[str, Any]:
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(timeout=TIMEOUT)
        try:
            async with self.session.post(self.url, json={"text": message.text},
                                         headers=self._headers()) as answer:
                if answer.status == 200:
                    return await answer.json()
                raise NLUServerUnavailable(f"the NLU server answered {answer.status}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise NLUServerUnavailable(f"the NLU server did not answer ({error!r})") from error


_rasa_parse_message = MessageProcessor.parse_message


async def parse_message(self: MessageProcessor, message: UserMessage,
                        tracker: DialogueStateTracker | None = None,
                        only_output_properties: bool = True) -> dict[str, Any]:
    """`MessageProcessor.parse_message`, falling back to this server's own model."""
    try:
        return await _rasa_parse_message(self, message, tracker, only_output_properties)
    except NLUServerUnavailable as error:
        logger.warning("Parsing a text here: %s", error)
        local = copy.copy(self)
        local.http_interpreter = None
        return await _rasa_parse_message(local, message, tracker, only_output_properties)


def install() -> None:
    """Rasa's agent makes its NLU client by this name when endpoints name an `nlu` server."""
    import rasa.core.agent

    rasa.core.agent.RasaNLUHttpInterpreter = NLUServer  # type: ignore[misc]
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]
