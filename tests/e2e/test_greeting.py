"""The first conversation, through a real Rasa server and action server."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.demo import DANA

SERVICE_PHONE = "(512) 555-0101"


def guest() -> str:
    """A fresh conversation that is no owner's (as a web visitor's session id would be)."""
    return f"guest-{uuid.uuid4().hex}"


def test_a_known_number_is_greeted_by_name(concierge):
    (reply,) = concierge.say(DANA, "hi")
    assert "Dana" in reply


def test_the_number_is_recognised_in_any_notation(concierge):
    (reply,) = concierge.say("(512) 555-0199", "hello there")
    assert "Marcus" in reply


def test_anyone_else_is_welcomed_as_a_guest(concierge):
    for sender in ("+15125550000", guest()):
        (reply,) = concierge.say(sender, "hey")
        assert "welcome to Lakeshore Lexus" in reply
        assert not any(name in reply for name in ("Dana", "Marcus", "Priya"))


def test_the_bot_says_it_is_a_bot(concierge):
    (reply,) = concierge.say(DANA, "wait am i talking to a real person?")
    assert "not a person" in reply
    assert SERVICE_PHONE in reply


def test_out_of_scope_is_declined_politely(concierge):
    (reply,) = concierge.say(guest(), "who won the world series last year")
    assert "outside what I can help with" in reply


def test_never_the_same_apology_twice_in_a_row(concierge):
    sender = guest()
    first = concierge.say(sender, "zxqv blorft wibble")
    second = concierge.say(sender, "qwpo zzkx vlurm")
    assert first and second and first != second
    assert SERVICE_PHONE in second[0]


def test_a_message_not_understood_gets_examples_then_a_person(concierge):
    # "/nlu_fallback" is what the NLU says of a message it is unsure of.
    sender = guest()
    (first,) = concierge.say(sender, "/nlu_fallback")
    assert "didn't quite get that" in first
    (second,) = concierge.say(sender, "/nlu_fallback")
    # Twice in a row: a person takes it, with a ticket in the staff queue.
    assert "service advisor" in second and "Ref #" in second and SERVICE_PHONE in second


def test_a_very_long_text_gets_a_polite_reply(concierge):
    replies = concierge.say(guest(), "hello " + "la " * 660)
    assert replies and all(replies)


def test_ctrl_c_stops_everything_and_conversations_survive_a_restart(concierge):
    sender = guest()
    concierge.say(sender, "/nlu_fallback")
    assert concierge.interrupt() == 0
    for port in (concierge.rasa_port, concierge.actions_port, concierge.staff_port):
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)
    concierge.start()
    (reply,) = concierge.say(sender, "/nlu_fallback")
    assert SERVICE_PHONE in reply  # it remembers it apologised once already
