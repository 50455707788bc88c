"""What the owner said in earlier texts of the same booking or move, read again later."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.booking import time_said_in_booking
from actions.common import said_in_move
from actions.phrases import duration_text


def tracker(events: list[dict]) -> Tracker:
    return Tracker("+15125550142", {}, events[-1], events, False, None, {}, "action_listen")


def test_the_texts_of_a_move_are_read_back_while_it_asks():
    events = [{"event": "user", "text": "whats ur address"},
              {"event": "action", "name": "action_answer_ownership"},
              {"event": "user", "text": "can i move tmrws rotation to next week? i get off at 5"},
              {"event": "action", "name": "action_ask_reschedule"},
              {"event": "user", "text": "thurs"},
              {"event": "action", "name": "action_ask_reschedule"}]
    assert said_in_move(tracker(events[:5])) == (
        "can i move tmrws rotation to next week? i get off at 5",)


def test_the_time_said_in_the_text_a_booking_began_with_is_kept():
    events = [{"event": "user", "text": "oil change pls, fri around noon"},
              {"event": "slot", "name": "appointment_time", "value": "fri around noon"},
              {"event": "action", "name": "action_start_booking"},
              {"event": "active_loop", "name": "booking_form"},
              {"event": "user", "text": "the es"}]
    assert time_said_in_booking(tracker(events)) == "fri around noon"
    # said in an earlier text, not this one
    now = [*events, {"event": "slot", "name": "appointment_time", "value": "8:30"}]
    assert time_said_in_booking(tracker(now)) == "8:30"
    assert time_said_in_booking(tracker(now), before_this_text=True) == "fri around noon"


def test_durations_as_people_say_them():
    assert duration_text(90) == "an hour and a half"
    assert duration_text(150) == "2 and a half hours"
    assert duration_text(45) == "45 minutes"
