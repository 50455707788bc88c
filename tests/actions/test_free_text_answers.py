"""Small decisions of the actions, on trackers as the action server receives them."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ASK_AGAIN, ActionStopBooking
from actions.cannot_help import ActionCannotHelp, answered_the_form
from actions.common import cars_said
from bot.dealership import models as m
from bot.dealership.vehicles import named_or_all


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
    said = cars_said(tracker("is my lx still under warranty", intent="ownership", loop=None))
    assert said == ["lx"] and named_or_all([es, lx], said) == [lx]
    said = cars_said(tracker("is it still under warranty", "ownership", None))
    assert said == [] and named_or_all([es, lx], said) == [es, lx]


def stop_booking(text: str, asked: str | None, intent: str = "deny",
                 said_before: list[str] = ()) -> tuple[list[str], list[dict]]:
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    events = [{"event": "user", "text": "earlier"}] + [
        {"event": "bot", "text": "...", "metadata": {"utter_action": r}} for r in said_before
    ] + [{"event": "user", "text": text}]
    t = Tracker("+15125550174", {"requested_slot": asked}, message, events, False, None,
                {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ActionStopBooking().run(dispatcher, t, {}))
    return [m.get("response") for m in dispatcher.messages], result


@pytest.mark.parametrize("text", ["no", "Nope.", "nah i'm good", "no thanks"])
def test_a_bare_no_to_an_open_question_asks_it_again(text):
    said, events = stop_booking(text, "transport")
    assert said == [ASK_AGAIN] and events == [FollowupAction("booking_form")]


@pytest.mark.parametrize(("text", "asked", "before"), [
    ("never mind", "transport", []),          # calling it off
    ("no dont book it", "services", []),
    ("no", "confirm_booking", []),            # a yes-or-no question
    ("no", "transport", [ASK_AGAIN, "utter_ask_transport"]),  # twice
])
def test_otherwise_a_no_stops_the_booking(text, asked, before):
    said, events = stop_booking(text, asked, said_before=before)
    assert said == ["utter_booking_stopped"]
    assert {"event": "slot", "timestamp": None, "name": "transport", "value": None} in events


def cannot_help(entities: list[str]) -> tuple[list, list[dict]]:
    message = {"text": "a long text read as nothing in particular",
               "intent": {"name": "nlu_fallback", "confidence": 0.4},
               "entities": [{"entity": e, "value": "x"} for e in entities]}
    t = Tracker("+15125550174", {}, message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCannotHelp().run(dispatcher, t, {}))
    return [m.get("response") for m in dispatcher.messages], events


def test_a_text_not_understood_that_names_the_work_and_the_day_starts_a_booking():
    said, events = cannot_help(["service", "when", "vehicle"])
    assert said == [] and events[-1] == FollowupAction("booking_form")


@pytest.mark.parametrize("entities", [[], ["when"], ["vehicle", "service"]])
def test_otherwise_it_is_not_understood(entities):
    said, events = cannot_help(entities)
    assert said == ["utter_default"] and FollowupAction("booking_form") not in events
