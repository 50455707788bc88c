"""Texts a stopped server left `processing`: the owner gets one apology, staff a ticket, once,
however many servers look; a live server's turn is never taken."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from rasa.core.lock_store import InMemoryLockStore
from sqlalchemy import select

from bot import clock
from bot.channels import outbound, unanswered
from bot.dealership.db import session_scope
from bot.dealership.models import HandoffTicket, InboundMessage, OutboundMessage
from bot.dealership.owners import find_owner_by_mobile
from tests.channels.conftest import FakeAssistant, SmsServer
from tests.demo import DANA, MARCUS
from tools.sms_client import post, twilio_form


def left_processing(url: str, phone: str, seconds_ago: float) -> str:
    """A text a server claimed `seconds_ago` and never finished."""
    sid = "SM" + uuid.uuid4().hex
    with session_scope(url) as session:
        session.add(InboundMessage(
            message_sid=sid, phone=phone, status="processing",
            received_at=datetime.now(timezone.utc) - timedelta(seconds=seconds_ago)))
    return sid


def statuses(url: str) -> dict[str, str]:
    with session_scope(url) as session:
        return {sid: status for sid, status in session.execute(
            select(InboundMessage.message_sid, InboundMessage.status))}


def tickets(url: str) -> list[HandoffTicket]:
    with session_scope(url) as session:
        found = session.execute(select(HandoffTicket).order_by(HandoffTicket.id)).scalars().all()
        for ticket in found:
            ticket.note_texts = [note.text for note in ticket.notes]
        session.expunge_all()
        return found


def ten_minutes_ago() -> datetime:
    return clock.real_now() - timedelta(minutes=10)


def test_a_text_left_unanswered_gets_one_apology_and_staff_a_ticket(settings, standin):
    url = settings.database_url
    lost = left_processing(url, DANA, seconds_ago=20 * 60)
    live = left_processing(url, MARCUS, seconds_ago=5)  # a turn still running somewhere
    asyncio.run(unanswered.answer(settings, ten_minutes_ago()))

    (apology,) = standin.sent
    assert apology.to == DANA
    assert apology.body.startswith("Sorry, your text from ")
    assert "didn't get an answer" in apology.body and "(512) 555-0101" in apology.body
    assert len(apology.body) <= 320
    assert statuses(url) == {lost: "failed", live: "processing"}
    (ticket,) = tickets(url)
    with session_scope(url) as session:
        dana = find_owner_by_mobile(session, DANA).id
    assert (ticket.conversation_id, ticket.channel, ticket.owner_id, ticket.status) == (
        DANA, "sms", dana, "open")
    assert ticket.reason == unanswered.REASON
    (note,) = ticket.note_texts
    assert lost in note and "half done" in note
    with session_scope(url) as session:
        record = session.execute(select(OutboundMessage)).scalar_one()
        assert (record.purpose, record.status) == ("unanswered", "accepted")

    # Looking again finds nothing more to say.
    asyncio.run(unanswered.answer(settings, ten_minutes_ago()))
    assert len(standin.sent) == 1 and len(tickets(url)) == 1


def test_a_send_that_fails_leaves_the_other_owners_for_the_next_check(settings, standin,
                                                                     monkeypatch):
    url = settings.database_url
    dana = left_processing(url, DANA, seconds_ago=20 * 60)
    marcus = left_processing(url, MARCUS, seconds_ago=15 * 60)

    def down(*args, **kwargs):
        raise RuntimeError("the database went away mid-check")

    with monkeypatch.context() as patch:
        patch.setattr(outbound, "send", down)
        with pytest.raises(RuntimeError):
            asyncio.run(unanswered.answer(settings, ten_minutes_ago()))
    # Dana's text was claimed and staff have its ticket; Marcus's is still to take.
    assert statuses(url) == {dana: "failed", marcus: "processing"}
    assert [ticket.conversation_id for ticket in tickets(url)] == [DANA]

    (apology,) = asyncio.run(unanswered.answer(settings, ten_minutes_ago()))
    assert apology.phone == MARCUS and [m.to for m in standin.sent] == [MARCUS]
    assert set(statuses(url).values()) == {"failed"} and len(tickets(url)) == 2


def test_servers_looking_at_once_apologise_once_per_owner(settings, standin):
    url = settings.database_url
    lost = [left_processing(url, DANA, seconds_ago=30 * 60 - i) for i in range(3)]
    lost.append(left_processing(url, MARCUS, seconds_ago=15 * 60))

    def one_server(_: int) -> list[unanswered.Apology]:
        return asyncio.run(unanswered.answer(settings, ten_minutes_ago()))

    with ThreadPoolExecutor(4) as pool:
        taken = sum(pool.map(one_server, range(4)), [])
    assert sorted(sid for apology in taken for sid in apology.message_sids) == sorted(lost)
    assert sorted(message.to for message in standin.sent) == [DANA, MARCUS]
    dana = next(message for message in standin.sent if message.to == DANA)
    assert dana.body.startswith("Sorry, your texts since ")
    assert set(statuses(url).values()) == {"failed"}
    by_owner = {ticket.conversation_id: ticket for ticket in tickets(url)}
    assert sorted(by_owner) == [DANA, MARCUS]
    assert len(by_owner[DANA].note_texts) == 3


def test_an_opted_out_owner_gets_no_apology_but_staff_still_hear_of_it(settings, standin):
    url = settings.database_url
    post_stop = twilio_form("STOP", sender=DANA)
    server = SmsServer(settings, FakeAssistant()).start()
    try:
        assert post(server.webhook, post_stop).status == 200
    finally:
        server.stop()
    sent_before = len(standin.sent)
    left_processing(url, DANA, seconds_ago=20 * 60)
    asyncio.run(unanswered.answer(settings, ten_minutes_ago()))
    assert len(standin.sent) == sent_before
    (ticket,) = tickets(url)
    assert ticket.conversation_id == DANA


def test_the_only_server_answers_at_start_what_a_stopped_one_left(settings, assistant,
                                                                   standin):
    url = settings.database_url
    lost = left_processing(url, DANA, seconds_ago=3)  # well within a turn's time
    server = SmsServer(settings, assistant)
    server.app.ctx.agent = SimpleNamespace(lock_store=InMemoryLockStore())
    server.start()
    try:
        server.run_start_listeners()
        (apology,) = standin.wait_for_text_to(DANA)
        assert "didn't get an answer" in apology.body
        assert statuses(url) == {lost: "failed"}
    finally:
        server.stop()


def test_with_other_servers_a_text_is_taken_only_past_the_longest_turn(settings, assistant,
                                                                       standin):
    url = settings.database_url
    maybe_live = left_processing(url, DANA, seconds_ago=0)
    settings = dataclasses.replace(settings, sms_unanswered_after=1.5)
    server = SmsServer(settings, assistant)
    server.app.ctx.agent = SimpleNamespace(lock_store=object())  # shared: Redis, say
    server.start()
    try:
        server.run_start_listeners()
        time.sleep(0.5)
        assert standin.sent == [] and statuses(url) == {maybe_live: "processing"}
        # Checked again while the server runs, once the text is older than any turn.
        (apology,) = standin.wait_for_text_to(DANA, timeout=5)
        assert statuses(url) == {maybe_live: "failed"}
    finally:
        server.stop()


def test_a_turn_that_ends_after_its_text_was_taken_sends_nothing_more(settings, make_server,
                                                                      assistant, standin):
    server = make_server(dataclasses.replace(settings, sms_reply_deadline=0.3))
    assistant.delay = 2.0
    form = twilio_form("book me in for friday", sender=DANA)
    assert post(server.webhook, form).messages == []  # the reply was to follow by REST
    # Meanwhile the text is taken for lost (its turn seemed to run too long).
    asyncio.run(unanswered.answer(settings, clock.real_now()))
    server.wait_for_background()
    (apology,) = standin.sent
    assert "didn't get an answer" in apology.body
    assert statuses(settings.database_url) == {form["MessageSid"]: "failed"}
