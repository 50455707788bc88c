"""What an owner in trouble is told of who has their case: the service team while the desk is
staffed; after hours the on-call advisor only when one was texted, else when the desk opens.
The report runs here on the demo dealership's database, as the action server runs it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.dealership.db import get_engine
from bot.dealership.models import Dealership
from scripts import situations

FIRE = "smoke coming out from under the hood, im pulled over on mopac"
SINCE_MONDAY = "my brakes squeal a bit, since monday"


@pytest.fixture
def owner(demo_db, monkeypatch) -> int:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    return situations.marcus()


def at(monkeypatch, when: str) -> None:
    monkeypatch.setenv("CONCIERGE_NOW", when)


def test_in_service_hours_the_service_team_has_it(owner, monkeypatch):
    at(monkeypatch, "2026-11-23T10:00:00-06:00")
    reply = situations.first_reply(FIRE, owner)
    assert "alerted our service team as urgent" in reply and "on-call" not in reply


def test_after_hours_the_owner_hears_the_on_call_advisor_was_texted(owner, monkeypatch):
    at(monkeypatch, "2026-11-23T21:30:00-06:00")
    reply = situations.first_reply(FIRE, owner)
    assert "texted our on-call advisor" in reply and "don't open the hood" in reply
    assert len(reply) <= 320


def test_after_hours_with_nobody_on_call_the_owner_hears_when_the_desk_opens(
        owner, monkeypatch, demo_db):
    with Session(get_engine(demo_db), future=True) as session, session.begin():
        session.get(Dealership, 1).on_call_mobile = None
    at(monkeypatch, "2026-11-23T21:30:00-06:00")
    reply = situations.first_reply(FIRE, owner)
    assert "when it opens tomorrow (Tue) at 7:00 AM" in reply and "on call now" in reply
    assert "texted" not in reply and "alerted our service team" not in reply
    assert "(800) 555-0199" in reply  # what to do meanwhile: roadside, 24/7
    assert len(reply) <= 320
