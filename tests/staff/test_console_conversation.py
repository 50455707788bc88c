"""A conversation in the console: the transcript from Rasa, the owner's facts from the
database, and what staff do with it, as Rasa's HTTP API (a stand-in) receives it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.dealership import appointments, consent
from bot.dealership.consent_words import TextHours
from bot.dealership.models import HandoffTicket, TicketNote
from bot.dealership.owners import find_owner_by_mobile
from bot.wording import say
from tests.staff.conftest import DANA, PRIYA, Browser
from tests.staff.rasa_standin import RasaStandIn

DANA_EVENTS = [
    {"event": "action", "name": "action_session_start", "timestamp": 1795440000.0},
    {"event": "user", "text": "hi, can I talk to a person?", "timestamp": 1795440001.0,
     "parse_data": {"intent": {"name": "human_handoff"}}},
    {"event": "bot", "text": "I've asked a service advisor to take over.",
     "timestamp": 1795440002.0, "data": {}, "metadata": {}},
    {"event": "pause", "timestamp": 1795440060.0},
    {"event": "bot", "text": "Hi Dana, Morgan here. How can I help?",
     "timestamp": 1795440061.0, "metadata": {"staff": "Morgan Lee"}},
    {"event": "user", "text": "my rx rattles <b>loudly</b>", "timestamp": 1795440100.0},
]


def tickets(db_session, conversation_id: str) -> list[HandoffTicket]:
    db_session.expire_all()
    return list(db_session.execute(select(HandoffTicket).where(
        HandoffTicket.conversation_id == conversation_id)
        .order_by(HandoffTicket.id)).scalars())


@pytest.fixture
def dana_ticket(rasa: RasaStandIn, add_ticket, db_session) -> HandoffTicket:
    dana = find_owner_by_mobile(db_session, DANA)
    rasa.script(DANA, DANA_EVENTS, channel="sms", owner_id=float(dana.id))
    return add_ticket(DANA, minutes_ago=10, owner_id=dana.id, reason="can I talk to a person?",
                      summary="Wants someone to look at a rattle")


def test_the_transcript_shows_owner_assistant_and_staff_turns(
        advisor: Browser, rasa: RasaStandIn, dana_ticket):
    page = advisor.get(f"/conversations/{DANA}")
    assert page.status_code == 200
    html = page.text
    turns = [html.index(text) for text in (
        "hi, can I talk to a person?", "I&#39;ve asked a service advisor to take over.",
        "The assistant was paused", "Hi Dana, Morgan here.", "my rx rattles")]
    assert turns == sorted(turns)
    assert 'class="turn owner"' in html and 'class="turn assistant"' in html
    assert 'class="turn staff"' in html and "Morgan Lee (staff)" in html
    assert "&lt;b&gt;loudly&lt;/b&gt;" in html and "<b>loudly</b>" not in html
    # Beside it: the ticket and the owner's cars.
    assert "Wants someone to look at a rattle" in html
    assert "2021 RX 350" in html and "JTJHZMDA1M2000142" in html
    # The id reaches Rasa as it is ("+", not "%2B"), with a JWT the stand-in accepted.
    assert [(c.method, c.conversation_id) for c in rasa.calls] == [("GET", DANA)]


def test_the_owners_appointments_are_shown(advisor: Browser, rasa: RasaStandIn, db_session):
    priya = find_owner_by_mobile(db_session, PRIYA)
    rasa.script(PRIYA, [{"event": "user", "text": "when is my appointment",
                         "timestamp": 1795440001.0}], owner_id=priya.id)
    html = advisor.get(f"/conversations/%2B{PRIYA[1:]}").text
    assert "Priya Raman" in html and "2023 NX 450h+" in html
    assert "Tue Nov 24, 9:00 AM: 2023 NX 450h+, Tire rotation" in html
    assert "No ticket" in html


def test_the_hours_the_owner_asked_to_be_texted_in_are_shown(advisor: Browser, rasa: RasaStandIn,
                                                             db_session):
    priya = find_owner_by_mobile(db_session, PRIYA)
    consent.set_text_hours(db_session, PRIYA, TextHours(9, 20), "only between 9 and 8 pls",
                           datetime.now(timezone.utc))
    db_session.commit()
    rasa.script(PRIYA, [{"event": "user", "text": "only between 9 and 8 pls",
                         "timestamp": 1795440001.0}], owner_id=priya.id)
    html = advisor.get(f"/conversations/%2B{PRIYA[1:]}").text
    assert "reminders and updates only between 9 AM and 8 PM" in html


def test_an_appointments_notes_are_shown(advisor: Browser, rasa: RasaStandIn, db_session):
    """"running late" texted to the assistant lands on the appointment the advisor sees."""
    priya = find_owner_by_mobile(db_session, PRIYA)
    monday = datetime.fromisoformat("2026-11-23T10:00:00-06:00")
    visit = appointments.upcoming(db_session, priya.id, monday)[0]
    visit.notes = "8:50 AM: running late: stuck in traffic, be there in 10"
    db_session.commit()
    rasa.script(PRIYA, [{"event": "user", "text": "stuck in traffic, be there in 10",
                         "timestamp": 1795440001.0}], owner_id=priya.id)
    html = advisor.get(f"/conversations/%2B{PRIYA[1:]}").text
    assert "notes: 8:50 AM: running late: stuck in traffic, be there in 10" in html


def test_a_reply_goes_to_rasa_as_a_staff_turn_on_the_owners_channel(
        advisor: Browser, rasa: RasaStandIn, dana_ticket, db_session):
    page = f"/conversations/{DANA}"
    answer = advisor.submit(f"{page}/reply", {"text": "We can see you at 3 today."}, page=page)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("?done=sent")
    [call] = rasa.posted(DANA)
    assert call.query["output_channel"] == "sms"
    assert call.query["execute_side_effects"] == "true"
    assert call.events == [
        {"event": "pause"},
        {"event": "bot", "text": "We can see you at 3 today.", "metadata": {"staff": "Alex Kim"}},
    ]
    assert call.jwt_payload["user"] == {"username": "staff-console", "role": "admin"}
    assert "exp" in call.jwt_payload
    # Replying to an unclaimed ticket claims it.
    [ticket] = tickets(db_session, DANA)
    assert (ticket.status, ticket.assigned_to) == ("claimed", "alex")
    assert ticket.claimed_at is not None
    html = advisor.get(page).text
    assert "We can see you at 3 today." in html and "Alex Kim (staff)" in html


def test_a_reply_leaves_a_ticket_someone_else_claimed_with_them(
        advisor: Browser, rasa: RasaStandIn, add_ticket, db_session):
    rasa.script(DANA, DANA_EVENTS)
    add_ticket(DANA, minutes_ago=3, status="claimed", assigned_to="morgan")
    page = f"/conversations/{DANA}"
    advisor.submit(f"{page}/reply", {"text": "Covering for Morgan."}, page=page)
    [ticket] = tickets(db_session, DANA)
    assert ticket.assigned_to == "morgan"
    assert rasa.posted_events(DANA)[-1]["text"] == "Covering for Morgan."


def test_taking_over_a_live_conversation_pauses_the_assistant_and_claims_it(
        advisor: Browser, rasa: RasaStandIn, db_session):
    priya = find_owner_by_mobile(db_session, PRIYA)
    rasa.script(PRIYA, [{"event": "user", "text": "book an oil change",
                         "timestamp": 1795440001.0}], channel="sms", owner_id=priya.id)
    page = f"/conversations/{PRIYA}"
    answer = advisor.submit(f"{page}/take-over", page=page)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("?done=taken")
    assert rasa.posted_events(PRIYA) == [{"event": "pause"}]
    [ticket] = tickets(db_session, PRIYA)
    assert (ticket.status, ticket.assigned_to, ticket.channel, ticket.owner_id) == (
        "claimed", "alex", "sms", priya.id)
    assert "Priya Raman" in advisor.get("/").text


def test_taking_over_a_ticket_someone_else_holds_makes_it_mine(
        advisor: Browser, rasa: RasaStandIn, add_ticket, db_session):
    rasa.script(DANA, DANA_EVENTS)
    add_ticket(DANA, minutes_ago=3, status="claimed", assigned_to="morgan")
    page = f"/conversations/{DANA}"
    advisor.submit(f"{page}/take-over", page=page)
    [ticket] = tickets(db_session, DANA)
    assert (ticket.status, ticket.assigned_to) == ("claimed", "alex")


def test_claiming_an_open_ticket_and_not_one_already_claimed(
        advisor: Browser, rasa: RasaStandIn, dana_ticket, add_ticket, db_session):
    page = f"/conversations/{DANA}"
    answer = advisor.submit(f"{page}/claim", page=page)
    assert answer.headers["Location"].endswith("?done=claimed")
    assert tickets(db_session, DANA)[0].assigned_to == "alex"
    add_ticket(PRIYA, minutes_ago=3, status="claimed", assigned_to="morgan")
    answer = advisor.submit(f"/conversations/{PRIYA}/claim", page=page)
    assert answer.headers["Location"].endswith("?problem=taken_by_other")
    assert tickets(db_session, PRIYA)[0].assigned_to == "morgan"
    assert rasa.posted() == []  # claiming is the team's business, not the owner's


def test_resolving_returns_the_owner_to_the_assistant(
        advisor: Browser, rasa: RasaStandIn, dana_ticket, db_session):
    page = f"/conversations/{DANA}"
    advisor.submit(f"{page}/take-over", page=page)
    answer = advisor.submit(f"{page}/resolve", page=page)
    assert answer.status_code == 302 and answer.headers["Location"] == "/?done=resolved"
    [_pause, resolve] = rasa.posted(DANA)
    assert resolve.query["output_channel"] == "sms"
    assert resolve.events[0] == {"event": "resume"}
    line = resolve.events[1]
    assert line["event"] == "bot" and line["metadata"] == {"staff": "Alex Kim"}
    assert line["text"] == say("utter_back_with_concierge_sms")
    [ticket] = tickets(db_session, DANA)
    assert ticket.status == "closed" and ticket.closed_at is not None
    assert "Dana Whitfield" not in advisor.get("/").text


def test_notes_are_kept_and_shown_but_never_sent(
        advisor: Browser, rasa: RasaStandIn, dana_ticket, db_session):
    page = f"/conversations/{DANA}"
    answer = advisor.submit(f"{page}/note", {"text": "Prefers a call after 5 <pm>"}, page=page)
    assert answer.headers["Location"].endswith("?done=noted")
    db_session.expire_all()
    [note] = db_session.execute(select(TicketNote)).scalars().all()
    assert (note.ticket_id, note.author, note.text) == (
        dana_ticket.id, "Alex Kim", "Prefers a call after 5 <pm>")
    assert "Prefers a call after 5 &lt;pm&gt;" in advisor.get(page).text
    assert rasa.posted() == []


def test_when_rasa_cannot_be_reached_nothing_is_claimed(
        advisor: Browser, rasa: RasaStandIn, dana_ticket, db_session):
    rasa.failing = True
    page = f"/conversations/{DANA}"
    view = advisor.get(page)
    assert view.status_code == 200 and "could not be reached" in view.text
    answer = advisor.submit(f"{page}/reply", {"text": "Hello?"}, page=page)
    assert answer.headers["Location"].endswith("?problem=rasa")
    assert tickets(db_session, DANA)[0].status == "open"
    answer = advisor.submit(f"{page}/resolve", page=page)
    assert answer.headers["Location"].endswith("?problem=rasa")
    assert tickets(db_session, DANA)[0].status == "open"


def test_an_empty_reply_is_not_sent(advisor: Browser, rasa: RasaStandIn, dana_ticket):
    page = f"/conversations/{DANA}"
    answer = advisor.submit(f"{page}/reply", {"text": "   "}, page=page)
    assert answer.headers["Location"].endswith("?problem=empty")
    assert rasa.posted() == []


def test_a_conversation_that_never_happened_is_not_found(advisor: Browser):
    assert advisor.get("/conversations/+15125550999").status_code == 404



# Replies that must reach the owner, or say plainly that they did not.

def test_a_reply_to_an_owner_opened_by_number_is_texted_to_them(
        advisor: Browser, rasa: RasaStandIn, twilio, db_session):
    """Opened by number, with no ticket and no channel on record (Rasa's "latest" is unknown):
    the reply goes by text all the same, and says so only once Twilio took it."""
    priya = find_owner_by_mobile(db_session, PRIYA)
    rasa.script(PRIYA, [{"event": "user", "text": "when is my appointment",
                         "timestamp": 1795440001.0}], channel=None, owner_id=priya.id)
    page = f"/conversations/{PRIYA}"
    view = advisor.get(page).text
    assert '<span class="channel">sms</span>' in view and '"channel">rest<' not in view
    answer = advisor.submit(f"{page}/reply", {"text": "Hi Priya, Alex here."}, page=page)
    assert answer.headers["Location"].endswith("?done=sent")
    assert [(m.to, m.body) for m in twilio.sent] == [(PRIYA, "Hi Priya, Alex here.")]
    assert "Twilio accepted it" in advisor.get(answer.headers["Location"]).text
    [ticket] = tickets(db_session, PRIYA)
    assert (ticket.channel, ticket.assigned_to) == ("sms", "alex")


def test_an_opted_out_number_is_refused_and_nothing_is_sent(
        advisor: Browser, rasa: RasaStandIn, twilio, db_session):
    rasa.script(PRIYA, [{"event": "user", "text": "STOP", "timestamp": 1795440001.0}])
    consent.opt_out(db_session, PRIYA, datetime.now(timezone.utc))
    db_session.commit()
    page = f"/conversations/{PRIYA}"
    answer = advisor.submit(f"{page}/reply", {"text": "Hi Priya?"}, page=page)
    assert answer.headers["Location"].endswith("?problem=opted_out")
    assert "opted out of texts" in advisor.get(answer.headers["Location"]).text
    assert rasa.posted() == [] and twilio.sent == []
    assert tickets(db_session, PRIYA) == []  # nothing written either


def test_a_text_twilio_refuses_is_never_reported_sent(
        advisor: Browser, rasa: RasaStandIn, twilio, dana_ticket, db_session):
    twilio.unsubscribed.add(DANA)  # Twilio answers 21610: the text does not go
    page = f"/conversations/{DANA}"
    answer = advisor.submit(f"{page}/reply", {"text": "Are you there?"}, page=page)
    assert answer.headers["Location"].endswith("?problem=not_delivered")
    assert "NOT delivered" in advisor.get(answer.headers["Location"]).text
    assert twilio.sent == []
    [note] = tickets(db_session, DANA)[0].notes
    assert "NOT delivered" in note.text and "21610" in note.text


def test_a_reply_in_a_web_chat_goes_to_the_web_chat(advisor: Browser, rasa: RasaStandIn,
                                                     twilio):
    chat = "web-4b8e0f2a"
    rasa.script(chat, [{"event": "user", "text": "hello?", "timestamp": 1795440001.0}],
                channel=None)
    page = f"/conversations/{chat}"
    answer = advisor.submit(f"{page}/reply", {"text": "Alex here."}, page=page)
    assert answer.headers["Location"].endswith("?done=sent_web")
    assert rasa.delivered == [("webchat", chat, "Alex here.")] and twilio.sent == []


def test_a_conversation_no_reply_can_reach_is_refused(advisor: Browser, rasa: RasaStandIn):
    rasa.script("tester-7", [{"event": "user", "text": "hi", "timestamp": 1795440001.0}],
                channel="rest")
    page = "/conversations/tester-7"
    assert "no channel" in advisor.get(page).text
    answer = advisor.submit(f"{page}/reply", {"text": "Hello"}, page=page)
    assert answer.headers["Location"].endswith("?problem=no_channel")
    assert rasa.posted() == []


def test_a_ticket_link_opens_its_conversation(advisor: Browser, dana_ticket):
    answer = advisor.get(f"/tickets/{dana_ticket.id}")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/conversations/%2B15125550142"
    assert advisor.get("/tickets/99999").status_code == 404
