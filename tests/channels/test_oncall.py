"""The on-call advisor is texted about urgent tickets at once and about tickets nobody picked up
within the delay during staffed hours: once each, through the real Twilio client."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import clock
from bot.channels import oncall
from bot.dealership.db import session_scope
from bot.dealership.handoff import open_ticket
from bot.dealership.models import Dealership, HandoffTicket, OutboundMessage, Owner

AUSTIN = ZoneInfo("America/Chicago")
ON_CALL = "+15125550160"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=AUSTIN)


@contextmanager
def pinned(moment: datetime) -> Iterator[None]:
    """The clock pinned at `moment`, as CONCIERGE_NOW pins it in a demo."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONCIERGE_NOW", moment.isoformat())
        yield


def alert_on_call(now: datetime, settings) -> list[int]:
    """One check of the console's background task, run to its end."""
    return asyncio.run(oncall.alert_on_call(now, settings))


def ticket(settings, created: datetime, urgency: str = "normal", conversation="+15125550142"):
    """A ticket opened at `created`: stamped by the database's default, on the pinned clock."""
    with pinned(created), session_scope(settings.database_url) as session:
        made = open_ticket(session, conversation_id=conversation, channel="sms", owner_id=None,
                           reason="brakes went out", urgency=urgency,
                           summary="Safety: brake failure, case R1")
        return made.id


def test_an_urgent_ticket_texts_on_call_once(settings, standin):
    urgent = ticket(settings, at(23, 22), urgency="urgent")  # Monday night: desk closed
    assert alert_on_call(at(23, 22, 0), settings) == [urgent]
    assert alert_on_call(at(23, 22, 1), settings) == []
    (text,) = standin.sent
    assert text.to == ON_CALL and f"#{urgent}" in text.body and "URGENT" in text.body
    assert "Safety report" in text.body and "a texter by text" in text.body
    assert f"http://localhost:5006/tickets/{urgent}" in text.body


def test_a_ticket_nobody_claims_is_escalated_after_ten_staffed_minutes(settings, standin):
    waiting = ticket(settings, at(23, 10))
    assert alert_on_call(at(23, 10, 9), settings) == []
    assert alert_on_call(at(23, 10, 10), settings) == [waiting]
    assert alert_on_call(at(23, 10, 30), settings) == []
    assert len(standin.sent) == 1 and "unclaimed" in standin.sent[0].body


def test_with_the_clock_pinned_an_unclaimed_ticket_is_escalated(settings, standin):
    with pinned(at(23, 10)):
        waiting = ticket(settings, clock.now())
        with session_scope(settings.database_url) as session:
            assert session.get(HandoffTicket, waiting).created_at == at(23, 10)
    with pinned(at(23, 10, 10)):
        assert alert_on_call(clock.now(), settings) == [waiting]
    assert "Waiting 10 min, unclaimed" in standin.sent[0].body


def test_a_claimed_ticket_or_an_after_hours_one_waits(settings, standin):
    claimed = ticket(settings, at(23, 10), conversation="+15125550131")
    with session_scope(settings.database_url) as session:
        session.get(HandoffTicket, claimed).status = "claimed"
    night = ticket(settings, at(23, 21))  # after hours: the clock starts when the desk opens
    assert alert_on_call(at(23, 23), settings) == []
    assert alert_on_call(at(24, 7, 9), settings) == []
    assert alert_on_call(at(24, 7, 10), settings) == [night]


def test_no_on_call_number_means_no_texts_and_the_delay_is_data(settings, standin):
    with session_scope(settings.database_url) as session:
        session.get(Dealership, 1).escalate_after_minutes = 5
    waiting = ticket(settings, at(23, 10))
    assert alert_on_call(at(23, 10, 5), settings) == [waiting]
    with session_scope(settings.database_url) as session:
        session.get(Dealership, 1).on_call_mobile = None
    ticket(settings, at(23, 10), urgency="urgent", conversation="+15125550131")
    assert alert_on_call(at(23, 10, 6) + timedelta(minutes=1), settings) == []


PHISH = "http://lakeshore-lexus.example.evil/login"


def raised(settings, conversation: str, created: datetime, *, owner_id: int | None = None,
           channel: str = "webchat") -> int:
    """An urgent ticket as a visitor can make one: their own words in the reason and summary."""
    with pinned(created), session_scope(settings.database_url) as session:
        made = HandoffTicket(conversation_id=conversation, channel=channel, owner_id=owner_id,
                             urgency="urgent",
                             reason=f"SAFETY (brakes_failing), case R9: verify at {PHISH}",
                             summary=f"Safety: brakes failing: Lakeshore says log in at {PHISH}")
        session.add(made)
        session.flush()
        return made.id


def outbound_bodies(settings) -> list[str]:
    with session_scope(settings.database_url) as session:
        return list(session.execute(select(OutboundMessage.body)).scalars())


def test_an_alert_is_in_concierges_words_never_the_visitors(settings, standin):
    web = raised(settings, "web-3f9a1c", at(23, 22))
    with session_scope(settings.database_url) as session:
        # A guest names themselves: the name is theirs to choose, so a link is not shown.
        guest = Owner(name=f"Visit {PHISH}", mobile="+15125550177")
        session.add(guest)
        session.flush()
        guest_id = guest.id
    named = raised(settings, "+15125550177", at(23, 22), owner_id=guest_id, channel="sms")
    assert alert_on_call(at(23, 22), settings) == [web, named]
    first, second = (m.body for m in standin.sent)
    assert first == (f"URGENT: Safety report (brakes failing), ticket #{web} from a web guest "
                     "on the web chat. Open it in the staff console: "
                     f"http://localhost:5006/tickets/{web}")
    assert "from an owner on file by text" in second
    assert all("evil" not in body and "log in" not in body for body in outbound_bodies(settings))


def test_ten_urgent_tickets_from_one_chat_text_once(settings, standin):
    chat = "web-5e77aa"
    tickets = [raised(settings, chat, at(23, 22)) for _ in range(10)]
    assert alert_on_call(at(23, 22), settings) == tickets[:1]
    later = raised(settings, chat, at(23, 22, 40))  # within the hour: it waits in the queue
    assert alert_on_call(at(23, 22, 40), settings) == []
    assert len(standin.sent) == 1
    with session_scope(settings.database_url) as session:
        queued = session.execute(select(HandoffTicket.id).where(
            HandoffTicket.status == "open", HandoffTicket.conversation_id == chat)).scalars()
        assert set(queued) == {*tickets, later}  # all still in the staff queue


def test_many_chats_are_capped_with_one_roll_up_an_hour(settings, standin):
    settings = dataclasses.replace(settings, staff_public_url="https://console.example.com/")
    first = [raised(settings, f"web-flood{i:02d}", at(23, 22)) for i in range(12)]
    assert alert_on_call(at(23, 22), settings) == first[:5]
    more = [raised(settings, f"web-more{i:02d}", at(23, 22, 5)) for i in range(3)]
    assert alert_on_call(at(23, 22, 5), settings) == []
    bodies = [m.body for m in standin.sent]
    assert len(bodies) == 6 and all(m.to == ON_CALL for m in standin.sent)
    assert bodies[5] == ("URGENT: 7 more tickets (7 urgent) need a person. No more alerts this "
                         "hour: open the staff console: https://console.example.com/")
    assert more and all("evil" not in body for body in outbound_bodies(settings))
