"""An SMS webhook on a real Sanic server, in front of a scripted stand-in for the assistant,
over a database with the demo dealership, sending through a Twilio stand-in."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Callable, Iterator

import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.sms import SMSInput
from bot.settings import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, DEMO_NUMBER, Settings, load_settings
from tests.sanic_server import ThreadedServer
from tools.twilio_standin import TwilioStandIn


@pytest.fixture
def standin() -> Iterator[TwilioStandIn]:
    with TwilioStandIn() as standin:
        yield standin


@pytest.fixture
def settings(demo_db: str, standin: TwilioStandIn) -> Settings:
    return dataclasses.replace(
        load_settings(), database_url=demo_db, twilio_account_sid=DEMO_ACCOUNT_SID,
        twilio_auth_token=DEMO_AUTH_TOKEN, twilio_number=DEMO_NUMBER, public_base_url=None,
        sms_reply_deadline=3.0, twilio_api_base=standin.api_base)


Script = Callable[[UserMessage], list[dict]]


class FakeAssistant:
    """Stands in for Rasa's agent: records each message, answers by `script` after `delay`."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []
        self.script: Script = lambda message: [{"text": f"You said: {message.text}"}]
        self.delay = 0.0

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        await asyncio.sleep(self.delay)
        for reply in self.script(message):
            if reply.get("buttons"):
                await message.output_channel.send_text_with_buttons(
                    message.sender_id, reply.get("text", ""), reply["buttons"])
            elif reply.get("image"):
                await message.output_channel.send_image_url(message.sender_id, reply["image"])
            else:
                await message.output_channel.send_text_message(message.sender_id, reply["text"])

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.received]


class SmsServer(ThreadedServer):
    """The channel's blueprint on a Sanic server of its own."""

    def __init__(self, settings: Settings, assistant: FakeAssistant) -> None:
        self.channel = SMSInput(settings)
        app = Sanic(f"sms_test_{uuid.uuid4().hex[:8]}")
        app.blueprint(self.channel.blueprint(assistant), url_prefix="/webhooks/sms")
        super().__init__(app)

    @property
    def webhook(self) -> str:
        return f"{self.url}/webhooks/sms/webhook"

    def run_start_listeners(self) -> None:
        """What a server does once it has started (ThreadedServer runs only its set-up)."""
        asyncio.run_coroutine_threadsafe(self.server.after_start(), self.loop).result(10)

    def wait_for_background(self, timeout: float = 10) -> None:
        """Until every turn still running after its webhook answered has finished."""
        async def settle() -> None:
            while self.channel._background:
                await asyncio.gather(*self.channel._background, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(settle(), self.loop).result(timeout)


@pytest.fixture
def assistant() -> FakeAssistant:
    return FakeAssistant()


@pytest.fixture
def server(settings: Settings, assistant: FakeAssistant) -> Iterator[SmsServer]:
    server = SmsServer(settings, assistant).start()
    yield server
    server.stop()


@pytest.fixture
def make_server(assistant: FakeAssistant) -> Iterator[Callable[[Settings], SmsServer]]:
    """A server with other settings than the default ones (PUBLIC_BASE_URL, a deadline)."""
    started: list[SmsServer] = []

    def make(settings: Settings) -> SmsServer:
        started.append(SmsServer(settings, assistant).start())
        return started[-1]

    yield make
    for server in started:
        server.stop()
