"""A summary said after an answer in the same reply is said short when the whole would not fit
a text; alone, it is said in full."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.common import short_if_long, told_length
from bot.wording import A_TEXT, say, texted_length

WORDS = {"services": "scheduled maintenance (every 5,000 mi)", "car": "2021 IS 350",
         "when": "Wed Nov 25 at 1:00 PM", "minutes": 90, "estimate": "$99-649"}


def replied(*texts: str) -> Tracker:
    events = [{"event": "user", "text": "1pm works. how long does it take?"}]
    events += [{"event": "bot", "text": text} for text in texts]
    return Tracker("+15125550142", {}, {"text": "1pm works. how long does it take?"}, events,
                   False, None, {}, "action_listen")


def test_the_reply_so_far_is_measured_as_texted():
    assert told_length(replied()) == 0
    assert told_length(replied("About an hour and a half.")) == len("About an hour and a half.") + 1


def test_a_summary_alone_is_said_in_full():
    response = "utter_confirm_booking_wait"
    assert texted_length(response, **WORDS) <= A_TEXT
    assert short_if_long(replied(), response, **WORDS) == response


def test_a_summary_after_an_answer_is_said_short_when_the_whole_would_not_fit():
    answer = "About an hour and a half for scheduled maintenance (every 5,000 mi)."
    response = short_if_long(replied(answer), "utter_confirm_booking_wait", **WORDS)
    assert response == "utter_confirm_booking_wait_brief"
    assert len(answer) + 1 + texted_length(response, **WORDS) <= A_TEXT
    assert "1:00 PM" in say(response, **WORDS) and "$99-649" in say(response, **WORDS)
    # what the action says first counts too
    assert short_if_long(replied(), "utter_confirm_booking_wait", 200, **WORDS) == \
        "utter_confirm_booking_wait_brief"


def test_a_response_with_no_short_form_is_said_as_it_is():
    assert short_if_long(replied("x" * 300), "utter_booked_already", code="AB12CD") == \
        "utter_booked_already"
