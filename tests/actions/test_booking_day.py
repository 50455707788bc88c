"""The booking form reads the day from the message that started it when the entity extractor
missed it, and only then: the actions run here on a demo database, as the action server runs
them."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ValidateBookingForm


def tracker(text: str, intent: str = "book_service", entities: list | None = None,
            **slots) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9},
               "entities": entities or []}
    return Tracker("+15125550190", {"requested_slot": None, **slots}, message, [], False, None,
                   {"name": "booking_form"}, "action_listen")


def extract(t: Tracker) -> dict:
    return asyncio.run(ValidateBookingForm().extract_appointment_time(
        CollectingDispatcher(), t, {}))


@pytest.mark.parametrize("text", [
    "Hi! can I get my RX 350 in for a tire rotation thurs?",
    "oil change next tue after 2 pls",
    "can u fit me in asap for brakes",
    "need service on 12/3",
])
def test_a_day_the_extractor_missed_is_read_from_the_whole_message(on_demo_db, text):
    assert extract(tracker(text)) == {"appointment_time": text}


@pytest.mark.parametrize("text", [
    "can i get an oil change for my es 350",
    "need a tire rotation on the nx 450h+",
    "i have 2 cars, the 2019 gx needs brakes",
])
def test_no_day_no_time(on_demo_db, text):
    assert extract(tracker(text)) == {}


def test_only_the_message_that_starts_the_booking(on_demo_db):
    text = "my check engine light came on yesterday"
    assert extract(tracker(text, intent="report_issue")) == {}
    assert extract(tracker("friday", requested_slot="transport")) == {}
    assert extract(tracker("tmrw at 9", appointment_time="2026-11-24T09:00:00-06:00")) == {}
    found = [{"entity": "when", "value": "thurs", "start": 0, "end": 5}]
    assert extract(tracker("thurs", entities=found)) == {}  # the entity fills it already


def test_the_day_read_is_then_checked_like_any_other(on_demo_db):
    """Thursday is Thanksgiving: the reply says so and offers the nearest open times."""
    text = "Hi! can I get my RX 350 in for a tire rotation thurs?"
    dispatcher = CollectingDispatcher()
    form = ValidateBookingForm()
    slots = asyncio.run(form.validate_appointment_time(
        text, dispatcher, tracker(text, services=["tire_rotation"]), {}))
    [said] = dispatcher.messages
    assert slots["appointment_time"] is None and len(slots["offered_slots"]) >= 1
    assert said["response"] == "utter_offer_times" and "Thanksgiving" in said["reason"]


def test_a_day_read_from_the_message_is_checked_before_the_loaner_asked_with_it(on_demo_db):
    """The entity extractor found the loaner but not the day: the day, read from the whole
    message after the loaner, is checked first, since whether a loaner is free depends on it."""
    text = "oil change on 12/9 at 9am, i need a loaner"
    found = [{"entity": "service", "value": "oil_change", "start": 0, "end": 10},
             {"entity": "transport", "value": "loaner", "start": 35, "end": 41}]
    message = {"text": text, "intent": {"name": "request_loaner", "confidence": 0.98},
               "entities": found}
    slots = {"requested_slot": None, "transport": "loaner", "services": ["oil_change"],
             "vehicle": "RX 350"}
    events = [{"event": "user", "text": text, "parse_data": message},
              {"event": "slot", "name": "transport", "value": "loaner"},
              {"event": "slot", "name": "services", "value": ["oil_change"]}]
    domain = {"forms": {"booking_form": {"required_slots": [
        "guest_name", "guest_mobile", "vehicle", "services", "appointment_time", "transport",
        "confirm_booking"]}}, "slots": {}}
    t = Tracker("+15125550190", slots, message, events, False, None, {"name": "booking_form"},
                "action_listen")
    events = asyncio.run(ValidateBookingForm().run(CollectingDispatcher(), t, domain))
    values = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert values["appointment_time"] == "2026-12-09T09:00:00-06:00"
    assert values["transport"] == "loaner"


def test_what_was_said_in_the_booking_is_from_the_text_it_began_with():
    from actions.common import said_in_booking

    def user(text: str) -> dict:
        return {"event": "user", "text": text}

    def action(name: str) -> dict:
        return {"event": "action", "name": name}

    events = [user("what time do you close"), action("action_answer_ownership"),
              user("rotation tmrw after 3"), action("action_start_booking"),
              action("booking_form"), user("dont text me before 9am"), action("booking_form"),
              user("wait actually thurs"), action("booking_form"),
              user("ugh ok fri then")]
    t = Tracker("+15125550142", {}, {"text": "ugh ok fri then"}, events, False, None,
                {"name": "booking_form"}, "action_listen")
    assert said_in_booking(t) == ("rotation tmrw after 3", "wait actually thurs")
    began = Tracker("+15125550142", {}, {}, [user("hi"), user("rotation fri"),
                                              action("action_start_booking")],
                    False, None, {"name": "booking_form"}, "action_listen")
    assert said_in_booking(began) == ()


def test_the_time_the_booking_began_with_holds_over_the_extractors_shorter_words():
    from actions.booking import fuller_this_turn

    events = [{"event": "user", "text": "can u rebook it for sat same time"},
              {"event": "slot", "name": "appointment_time", "value": "sat"},
              {"event": "action", "name": "action_start_booking"},
              {"event": "slot", "name": "appointment_time", "value": "Sat Nov 28 at 9:00 AM"},
              {"event": "slot", "name": "appointment_time", "value": "sat"}]
    t = Tracker("+15125550142", {}, {}, events, False, None, {"name": "booking_form"},
                "action_listen")
    assert fuller_this_turn(t, "sat") == "Sat Nov 28 at 9:00 AM"
    assert fuller_this_turn(t, "sun") == "sun"


def test_a_time_said_again_for_a_day_agreed_asks_no_visit_to_join(on_demo_db):
    """Saturday at 8 at the summary, then "8 works.": not "add it to tomorrow's visit?"."""
    from sqlalchemy.orm import Session

    from bot.dealership.db import get_engine
    from bot.dealership.owners import find_owner_by_mobile
    from tests.demo import VIKRAM

    with Session(get_engine(on_demo_db), future=True) as session:
        owner = find_owner_by_mobile(session, VIKRAM)
        lx = next(v.id for v in owner.vehicles if v.model.startswith("LX"))
    saturday = "2026-11-28T08:00:00-06:00"
    message = {"text": "8 works.", "intent": {"name": "inform", "confidence": 0.9},
               "entities": []}
    events = [{"event": "slot", "name": "appointment_time", "value": saturday},
              {"event": "user", "text": "8 works.", "parse_data": message},
              {"event": "slot", "name": "appointment_time", "value": "8"}]
    t = Tracker(VIKRAM, {"requested_slot": "confirm_booking", "owner_id": float(owner.id),
                         "vehicle_id": float(lx), "services": ["detailing"],
                         "appointment_time": "8"}, message, events, False, None,
                {"name": "booking_form"}, "action_listen")
    slots = asyncio.run(ValidateBookingForm().validate_appointment_time(
        "8", CollectingDispatcher(), t, {}))
    assert slots["appointment_time"] == saturday  # read on its day, not held for the join
