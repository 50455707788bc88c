"""STOP, START and HELP as carriers require them, and opt-outs holding for every message."""

from __future__ import annotations

import pytest

from bot.channels import outbound
from bot.dealership import consent
from bot.dealership.db import session_scope
from bot.dealership.models import Owner
from tests.demo import DANA, MONDAY_10AM
from tools.sms_client import post, text, twilio_form

GUEST = "+17375550123"


@pytest.mark.parametrize("word", ["STOP", "Stop.", "stopall", " Unsubscribe ", "CANCEL", "end!",
                                  "Quit", "REVOKE", "revoke", "OPT OUT", "opt  out", "Optout",
                                  "opt-out"])
def test_an_opt_out_keyword_confirms_once_then_nothing_reaches_the_number(
        word, server, assistant, settings, standin):
    answer = text(server.webhook, word, sender=DANA)
    (confirmation,) = answer.messages
    assert "Lakeshore Lexus" in confirmation and "unsubscribed" in confirmation
    assert "START" in confirmation
    assert text(server.webhook, word, sender=DANA).messages == []  # no second confirmation
    assert text(server.webhook, "when is my appt", sender=DANA).messages == []
    # HELP is still answered: how to opt back in and where a person answers; still opted out.
    (help_answer,) = text(server.webhook, "help", sender=DANA).messages
    assert "unsubscribed" in help_answer and "START" in help_answer
    assert "(512) 555-0101" in help_answer and len(help_answer) <= 160
    assert text(server.webhook, "when is my appt", sender=DANA).messages == []
    assert assistant.received == []
    sent = outbound.send(DANA, "Your car is ready.", purpose="staff", settings=settings)
    assert [s.status for s in sent] == ["blocked"]
    assert standin.sent == []
    with session_scope(settings.database_url) as session:
        assert consent.is_opted_out(session, DANA)
        # The data file's consent to reminders goes too.
        assert session.query(Owner).filter_by(mobile=DANA).one().sms_consent is False


@pytest.mark.parametrize("word", ["START", "yes", "Unstop",
                                  "hmm actually opt me back in, i need the appt texts"])
def test_an_opt_in_keyword_resubscribes_with_a_confirmation(word, server, assistant,
                                                              settings, standin):
    text(server.webhook, "STOP", sender=GUEST)
    (confirmation,) = text(server.webhook, word, sender=GUEST).messages
    assert "resubscribed" in confirmation and "STOP" in confirmation
    assert text(server.webhook, "hi", sender=GUEST).messages == ["You said: hi"]
    assert outbound.send(GUEST, "hello", purpose="staff", settings=settings)[0].status == \
        "accepted"
    assert len(standin.sent) == 1


def test_yes_is_an_ordinary_answer_when_the_number_never_opted_out(server, assistant):
    text(server.webhook, "yes", sender=DANA)
    text(server.webhook, "Yes please", sender=DANA)
    assert assistant.texts == ["yes", "Yes please"]


@pytest.mark.parametrize("word", ["START", "start.", "Unstop"])
def test_start_from_a_number_that_gets_texts_says_it_is_subscribed_already(
        word, server, assistant, settings):
    (answer,) = text(server.webhook, word, sender=DANA).messages
    assert "Lakeshore Lexus" in answer and "already subscribed" in answer
    assert "STOP" in answer and len(answer) <= 160
    assert assistant.received == []
    with session_scope(settings.database_url) as session:
        assert not consent.is_opted_out(session, DANA)


@pytest.mark.parametrize("said", ["cancel my appointment", "stop sending me reminders?",
                                  "please end my visit", "help me book", "revoke my loaner",
                                  "opt out of reminders"])
def test_a_keyword_inside_a_sentence_is_an_ordinary_message(said, server, assistant):
    assert text(server.webhook, said, sender=DANA).messages == [f"You said: {said}"]
    assert assistant.texts == [said]


@pytest.mark.parametrize("word", ["HELP", "info", " Help "])
def test_help_says_who_we_are_how_to_reach_a_person_and_how_to_opt_out(
        word, server, assistant):
    (answer,) = text(server.webhook, word, sender=GUEST).messages
    assert "Lakeshore Lexus" in answer
    assert "(512) 555-0101" in answer  # the service desk
    assert "Reply STOP to opt out" in answer
    assert len(answer) <= 320 and answer.isascii()
    assert assistant.received == []


def test_twilio_own_opt_out_handling_is_recorded_without_a_second_confirmation(
        server, assistant, settings):
    form = twilio_form("stop", sender=DANA) | {"OptOutType": "STOP"}
    assert post(server.webhook, form).messages == []
    with session_scope(settings.database_url) as session:
        assert consent.is_opted_out(session, DANA)


def test_consent_rules_work_with_a_database_alone(settings):
    with session_scope(settings.database_url) as session:
        assert not consent.is_opted_out(session, "(737) 555-0123")
        assert consent.opt_in(session, GUEST, MONDAY_10AM) is False  # never opted out
        assert consent.opt_out(session, "737-555-0123", MONDAY_10AM, via="said in words")
        assert consent.opt_out(session, GUEST, MONDAY_10AM) is False  # already out
        assert consent.is_opted_out(session, GUEST)
        assert consent.opt_in(session, GUEST, MONDAY_10AM)
        assert not consent.is_opted_out(session, GUEST)


def test_asking_in_words_to_be_texted_again_is_ordinary_when_never_opted_out(
        server, assistant):
    text(server.webhook, "you can text me again about the visit", sender=DANA)
    assert assistant.texts == ["you can text me again about the visit"]


def test_the_words_for_texting_again_never_read_beside_a_stop():
    from bot.channels.keywords import keyword

    assert keyword("please opt me back in") == "opt_in"
    assert keyword("dont opt me back in") is None
