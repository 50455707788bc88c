"""The staff console on a real Sanic server, over a database with the demo dealership, in front
of a stand-in for Rasa's HTTP API; a `requests.Session` plays the browser."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import requests
from sanic import Sanic
from sqlalchemy.orm import Session

from bot import clock
from bot.channels.sms import SMSOutput
from bot.dealership.db import get_engine
from bot.dealership.models import HandoffTicket
from bot.settings import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, DEMO_NUMBER, load_settings
from bot.staff.app import create_app
from bot.staff.config import StaffSettings
from tests.demo import DANA as DANA  # re-exported: the console tests import it from here
from tests.demo import MONDAY
from tests.demo import PRIYA as PRIYA  # likewise
from tests.sanic_server import ThreadedServer
from tests.staff.rasa_standin import RasaStandIn
from tools.twilio_standin import TwilioStandIn

JWT_SECRET = "test-jwt-secret-for-the-stand-in"
MANAGER = ("morgan", "lakeshore-manager")
ADVISOR = ("alex", "lakeshore-advisor")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class ConsoleServer(ThreadedServer):
    """The console's app on a Sanic server of its own."""

    def __init__(self, settings: StaffSettings) -> None:
        # Sanic keeps one app per name unless in test mode, where servers may come and go.
        Sanic.test_mode = True
        super().__init__(create_app(settings))


class Browser(requests.Session):
    """A browser on the console: keeps cookies, fills in the forms' CSRF token."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def request(self, method: str, url: str, *args, **kwargs) -> requests.Response:
        kwargs["allow_redirects"] = False  # get() asks for True: tests look at each answer
        kwargs.setdefault("timeout", 20)
        return super().request(method, self.base + url if url.startswith("/") else url,
                               *args, **kwargs)

    def csrf(self, page: str = "/") -> str:
        answer = self.get(page)
        assert answer.status_code == 200, answer.text
        return CSRF.search(answer.text).group(1)

    def login(self, username: str, password: str) -> requests.Response:
        token = self.csrf("/login")
        return self.post("/login", data={"username": username, "password": password,
                                         "csrf_token": token, "next": "/"})

    def submit(self, path: str, data: dict | None = None, page: str = "/") -> requests.Response:
        """Posts a form as the page `page` would, with its CSRF token."""
        return self.post(path, data={**(data or {}), "csrf_token": self.csrf(page)})


@pytest.fixture
def rasa() -> Iterator[RasaStandIn]:
    with RasaStandIn(JWT_SECRET) as standin:
        yield standin


@pytest.fixture
def twilio() -> Iterator[TwilioStandIn]:
    with TwilioStandIn() as standin:
        yield standin


def sms_output(database_url: str, twilio: TwilioStandIn) -> Callable[[str, str], None]:
    """Rasa's "sms" output as Concierge registers it, texting through the Twilio stand-in."""
    output = SMSOutput(dataclasses.replace(
        load_settings(), database_url=database_url, twilio_account_sid=DEMO_ACCOUNT_SID,
        twilio_auth_token=DEMO_AUTH_TOKEN, twilio_number=DEMO_NUMBER,
        twilio_api_base=twilio.api_base))
    return lambda to, text: asyncio.run(output.send_text_message(to, text))


@pytest.fixture
def settings(demo_db: str, rasa: RasaStandIn, twilio: TwilioStandIn,
             monkeypatch) -> StaffSettings:
    # The demo's appointments are placed around Monday 2026-11-23: the console reads them then.
    monkeypatch.setenv("CONCIERGE_NOW", MONDAY)
    rasa.outputs["sms"] = sms_output(demo_db, twilio)
    rasa.outputs["webchat"] = lambda to, text: None  # its socket.io room; no receipt either way
    return StaffSettings(database_url=demo_db, rasa_url=rasa.url, rasa_jwt_secret=JWT_SECRET,
                         queue_refresh_seconds=15)


@pytest.fixture
def console(settings: StaffSettings) -> Iterator[ConsoleServer]:
    server = ConsoleServer(settings).start()
    yield server
    server.stop()


@pytest.fixture
def browser(console: ConsoleServer) -> Iterator[Browser]:
    with Browser(console.url) as browser:
        yield browser


@pytest.fixture
def new_browser(console: ConsoleServer) -> Iterator[Callable[[], Browser]]:
    opened: list[Browser] = []

    def make() -> Browser:
        opened.append(Browser(console.url))
        return opened[-1]

    yield make
    for browser in opened:
        browser.close()


@pytest.fixture
def advisor(browser: Browser) -> Browser:
    assert browser.login(*ADVISOR).status_code == 302
    return browser


@pytest.fixture
def manager(browser: Browser) -> Browser:
    assert browser.login(*MANAGER).status_code == 302
    return browser


@pytest.fixture
def db_session(demo_db: str) -> Iterator[Session]:
    with Session(get_engine(demo_db), future=True, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def add_ticket(db_session: Session) -> Callable[..., HandoffTicket]:
    """A ticket as the assistant writes one, waiting since `minutes_ago`."""
    def add(conversation_id: str, *, minutes_ago: int, urgency: str = "normal",
            owner_id: int | None = None, reason: str = "can i talk to someone",
            summary: str | None = None, channel: str = "sms",
            status: str = "open", assigned_to: str | None = None,
            department: str | None = None) -> HandoffTicket:
        ticket = HandoffTicket(
            conversation_id=conversation_id, channel=channel, owner_id=owner_id, reason=reason,
            summary=summary, urgency=urgency, status=status, assigned_to=assigned_to,
            department=department, created_at=clock.now() - timedelta(minutes=minutes_ago))
        db_session.add(ticket)
        db_session.commit()
        return ticket
    return add
