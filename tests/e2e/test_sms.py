"""Texting Concierge as Twilio delivers texts: signed forms in, TwiML out, through the running
servers (the REST channel's tests cover what is said; these cover how it travels)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership import models as m
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from tests.demo import AUSTIN, EMILY


def test_a_whole_booking_by_sms(concierge):
    sender = "+15125550190"  # a guest
    first = concierge.text(sender, "Hi! can I get my RX 350 in for a tire rotation thurs?")
    assert first.status == 200 and first.messages, first.xml
    talk = "\n".join(first.messages)
    assert "Thanksgiving" in talk and "1)" in talk, talk  # closed Thursday: numbered choices
    said = [concierge.text(sender, body).messages for body in ("2", "Jo Reyes", "i'll wait")]
    talk = "\n".join(sum(said, []))
    assert "Shall I book it" in talk and "RX 350" in talk, talk
    assert all(len(message) <= 1600 for message in sum(said, [])), said
    done = concierge.text(sender, "1")  # "1) Yes, book it": the numbered button's payload
    assert "You're booked" in " ".join(done.messages), done.xml
    with Session(get_engine(concierge.database_url), future=True) as session:
        owner = find_owner_by_mobile(session, sender)
        (visit,) = session.execute(select(m.Appointment).where(
            m.Appointment.owner_id == owner.id)).scalars().all()
        assert owner.name == "Jo Reyes" and visit.transport == "wait"
        assert visit.starts_at.astimezone(AUSTIN).date() == datetime(2026, 11, 27).date()


def test_a_retried_text_is_answered_once(concierge):
    sender = "+15125550191"
    first = concierge.text(sender, "hello", message_sid="SM" + "7" * 32)
    again = concierge.text(sender, "hello", message_sid="SM" + "7" * 32)
    assert first.messages and again.xml == first.xml


def test_a_photo_lands_on_the_problem_report(concierge):
    photo = "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1"
    talk = concierge.text(EMILY, "my tire pressure light came on this morning, driving fine",
                          media=[(photo, "image/jpeg")])
    assert "case R" in " ".join(talk.messages), talk.xml
    later = "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM2/Media/ME2"
    concierge.text(EMILY, "not now")
    added = concierge.text(EMILY, "", media=[(later, "image/jpeg")])
    assert "added that to case" in " ".join(added.messages), added.xml
    with Session(get_engine(concierge.database_url), future=True) as session:
        owner = find_owner_by_mobile(session, EMILY)
        (case,) = session.execute(select(m.IssueReport).where(
            m.IssueReport.owner_id == owner.id)).scalars().all()
        assert case.media_urls == [photo, later] and case.warning_light == "tire pressure light"


def test_stop_in_words_is_honoured_until_start(concierge, twilio):
    sender = "+15125550192"
    bye = concierge.text(sender, "please stop texting me")
    assert "START" in " ".join(bye.messages), bye.xml
    assert concierge.text(sender, "hello?").messages == []  # nothing while opted out
    back = concierge.text(sender, "START")
    assert back.messages, back.xml
    assert concierge.text(sender, "hi").messages


def test_an_opt_out_that_is_not_unmistakable_is_asked_about_first(concierge):
    sender = "+15125550193"
    asked = concierge.text(sender, "stop the reminders")
    assert asked.messages == ["Do you want us to stop texting this number? Reply STOP to "
                              "confirm."], asked.xml
    kept = concierge.text(sender, "no")
    assert "nothing changes" in " ".join(kept.messages), kept.xml
    assert concierge.text(sender, "hi").messages  # still texted
    concierge.text(sender, "stop the reminders")
    bye = concierge.text(sender, "yes")
    assert "START" in " ".join(bye.messages), bye.xml
    assert concierge.text(sender, "hello?").messages == []


def test_a_timing_wish_is_kept_and_the_number_still_texted(concierge):
    sender = "+15125550194"
    said = concierge.text(sender, "no texts after 8pm please")
    assert "only before 8 PM" in " ".join(said.messages), said.xml
    assert concierge.text(sender, "hi").messages
    with Session(get_engine(concierge.database_url), future=True) as session:
        hours = session.get(m.TextHours, sender)
        assert (hours.earliest_hour, hours.latest_hour) == (None, 20)


def test_a_no_to_the_opt_out_question_goes_back_to_the_booking(concierge):
    sender = "+15125550195"  # a guest
    concierge.chat(sender, "hi can i book an oil change", "Lee Park")
    talk = concierge.chat(sender, "stop the reminders", "no")
    assert talk.splitlines()[1:] == [
        "< Do you want us to stop texting this number? Reply STOP to confirm.", "> no",
        "< Okay, nothing changes: you'll still get our reminders and texts.",
        "< What car are we seeing? For example a 2021 RX 350."], talk  # the booking again
    talk = concierge.chat(sender, "its a 2021 rx 350")
    assert "when would you like to come in?" in talk.lower(), talk
