"""The on-call advisor is texted about urgent tickets at once and about tickets nobody picked up
within the delay during staffed hours: once each, through the real Twilio client."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.channels.oncall import alert_on_call
from bot.dealership.db import session_scope
from bot.dealership.handoff import open_ticket
from bot.dealership.models import Dealership, HandoffTicket

AUSTIN = ZoneInfo("America/Chicago")
ON_CALL = "+15125550160"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=AUSTIN)


def ticket(settings, created: datetime, urgency: str = "normal", conversation="+15125550142"):
    with session_scope(settings.database_url) as session:
        made = open_ticket(session, conversation_id=conversation, channel="sms", owner_id=None,
                           reason="brakes went out", urgency=urgency,
                           summary="Safety: brake failure, case R1")
        made.created_at = created
        return made.id


def test_an_urgent_ticket_texts_on_call_once(settings, standin):
    urgent = ticket(settings, at(23, 22), urgency="urgent")  # Monday night: desk closed
    assert alert_on_call(at(23, 22, 0), settings) == [urgent]
    assert alert_on_call(at(23, 22, 1), settings) == []
    (text,) = standin.sent
    assert text.to == ON_CALL and f"#{urgent}" in text.body and "URGENT" in text.body
    assert "brake failure" in text.body


def test_a_ticket_nobody_claims_is_escalated_after_ten_staffed_minutes(settings, standin):
    waiting = ticket(settings, at(23, 10))
    assert alert_on_call(at(23, 10, 9), settings) == []
    assert alert_on_call(at(23, 10, 10), settings) == [waiting]
    assert alert_on_call(at(23, 10, 30), settings) == []
    assert len(standin.sent) == 1 and "unclaimed" in standin.sent[0].body


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
