"""Sending through the real Twilio client, pointed at the stand-in."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from bot import clock
from bot.channels import outbound
from bot.dealership import consent
from bot.dealership.consent_words import TextHours
from bot.dealership.db import session_scope
from bot.dealership.models import OutboundMessage
from tests.demo import DANA, MONDAY


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


def _hours(settings, hours) -> None:
    with session_scope(settings.database_url) as session:
        consent.set_text_hours(session, DANA, hours, "no texts before 9am", clock.now())


def test_a_reminder_inside_the_owners_quiet_hours_is_held_and_recorded(settings, standin,
                                                                          monkeypatch):
    # Monday 7:30 in the dealership's time zone; Dana asked for no texts before 9.
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T07:30:00-06:00")
    _hours(settings, TextHours(earliest=9))
    (sent,) = outbound.send(DANA, "Reminder: oil change tomorrow at 9", purpose="reminder",
                            settings=settings)
    assert sent.status == "held" and "after 9 AM" in sent.error
    assert standin.sent == []
    with session_scope(settings.database_url) as session:
        record = session.execute(select(OutboundMessage)).scalar_one()
        assert (record.status, record.purpose, record.sent_at) == ("held", "reminder", None)
        assert record.body == "Reminder: oil change tomorrow at 9"  # kept to send later
    # What the owner is waiting for right now goes whatever the hour.
    for purpose in ("late_reply", "staff", "code", "confirmation"):
        assert outbound.send(DANA, "hi", purpose=purpose, settings=settings)[0].status == \
            "accepted"


def test_a_reminder_inside_the_owners_hours_goes(settings, standin, monkeypatch):
    monkeypatch.setenv("CONCIERGE_NOW", MONDAY)
    _hours(settings, TextHours(earliest=9, latest=20))
    assert outbound.send(DANA, "Reminder", purpose="reminder", settings=settings)[0].status == \
        "accepted"
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-28T10:00:00-06:00")  # a Saturday
    _hours(settings, TextHours(weekdays_only=True))
    assert outbound.send(DANA, "Reminder", purpose="reminder", settings=settings)[0].status == \
        "held"
    assert len(standin.sent) == 1
