"""Sending through the real Twilio client, pointed at the stand-in."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from bot.channels import outbound
from bot.dealership import consent
from bot.dealership.db import session_scope
from bot.dealership.models import OutboundMessage
from tests.channels.conftest import DANA


def test_a_message_goes_through_twilio_and_is_recorded(settings, standin):
    (sent,) = outbound.send("(512) 555-0142", "Your RX is ready \u2014 see you soon \U0001f697",
                            purpose="staff", media_urls=["https://example.com/invoice.png"],
                            settings=settings)
    assert sent.status == "accepted" and sent.twilio_sid.startswith("SM")
    (message,) = standin.sent
    assert (message.to, message.from_, message.sid) == (DANA, settings.twilio_number,
                                                        sent.twilio_sid)
    assert message.body == "Your RX is ready - see you soon"
    assert message.media_urls == ["https://example.com/invoice.png"]
    with session_scope(settings.database_url) as session:
        record = session.execute(select(OutboundMessage)).scalar_one()
        assert (record.status, record.to_number, record.body) == ("accepted", DANA,
                                                                  message.body)
        assert record.sent_at is not None


def test_a_long_message_goes_as_several_of_at_most_1600(settings, standin):
    sent = outbound.send(DANA, "word " * 700, purpose="staff", settings=settings)
    assert [s.status for s in sent] == ["accepted", "accepted", "accepted"]
    assert all(len(m.body) <= 1600 for m in standin.sent)


def test_a_number_twilio_knows_as_unsubscribed_fails_and_is_opted_out(settings, standin):
    standin.unsubscribed.add(DANA)
    (sent,) = outbound.send(DANA, "Reminder: oil change tomorrow", purpose="reminder",
                            settings=settings)
    assert sent.status == "failed" and "21610" in sent.error
    with session_scope(settings.database_url) as session:
        assert consent.is_opted_out(session, DANA)
    assert outbound.send(DANA, "again", purpose="reminder", settings=settings)[0].status == \
        "blocked"


def test_wrong_credentials_or_no_twilio_fail_and_are_recorded(settings, standin):
    wrong = dataclasses.replace(settings, twilio_auth_token="not-the-token")
    assert outbound.send(DANA, "hi", purpose="staff", settings=wrong)[0].status == "failed"
    unreachable = dataclasses.replace(settings, twilio_api_base="http://127.0.0.1:9")
    (sent,) = outbound.send(DANA, "hi", purpose="staff", settings=unreachable)
    assert sent.status == "failed"
    with session_scope(settings.database_url) as session:
        statuses = session.execute(select(OutboundMessage.status)).scalars().all()
    assert statuses == ["failed", "failed"] and standin.sent == []
