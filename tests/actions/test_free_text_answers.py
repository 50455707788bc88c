"""Small decisions of the actions, on trackers as the action server receives them."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.cannot_help import answered_the_form
from actions.ownership import named_cars
from bot.dealership import models as m


def tracker(text: str, intent: str = "nlu_fallback", loop: str | None = "booking_form",
            **slots) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    return Tracker("+15125550174", slots, message, [], False, None,
                   {"name": loop} if loop else {}, "action_listen")


def test_a_name_the_form_took_is_an_answer():
    said = "Tsz Wai Ng"
    assert answered_the_form(tracker(said, requested_slot="guest_name", guest_name=said))


def test_a_message_the_form_did_not_take_is_not():
    assert not answered_the_form(tracker("zxqv", requested_slot="appointment_time"))
    assert not answered_the_form(tracker("zxqv", requested_slot="guest_name",
                                         guest_name="Ray Diaz"))
    assert not answered_the_form(tracker("zxqv", loop=None, guest_name="zxqv"))


def test_ownership_answers_for_the_car_the_message_points_at():
    es = m.Vehicle(model="ES 350", year=2024)
    lx = m.Vehicle(model="LX 600", year=2022)
    t = tracker("is my lx still under warranty", intent="ownership", loop=None)
    assert named_cars([es, lx], t) == [lx]
    assert named_cars([es, lx], tracker("is it still under warranty", "ownership", None)) == [
        es, lx]
