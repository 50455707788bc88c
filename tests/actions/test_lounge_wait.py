"""Short work is offered as a wait in the lounge in the summary the owner says yes to, instead
of a question of its own about the ride; longer work, or a ride already asked about, still
asks how the owner will get around."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.booking import ActionAskConfirmBooking, ValidateBookingForm
from bot.dealership.booking import lounge_wait
from bot.dealership.db import get_engine
from bot.dealership.models import Dealership

FORM = ["guest_name", "guest_mobile", "vehicle", "services", "join_visit", "appointment_time",
        "transport", "confirm_booking"]
FRIDAY = "2026-11-27T08:30:00-06:00"


@pytest.fixture
def shop(demo_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_db)
    return demo_db


def tracker(slots: dict, events: list | None = None, text: str = "fri 8:30",
            intent: str = "inform") -> Tracker:
    base = {"owner_id": 1, "vehicle": "2021 RX 350", "vehicle_id": 1,
            "appointment_time": FRIDAY, "requested_slot": "appointment_time"}
    message = {"text": text, "intent": {"name": intent}, "entities": []}
    return Tracker("+15125550164", {**base, **slots}, message,
                   [{"event": "action", "name": "action_start_booking"}, *(events or [])],
                   False, None, {"name": "booking_form"}, "action_listen")


def required(found: Tracker) -> list[str]:
    return asyncio.run(ValidateBookingForm().required_slots(
        list(FORM), CollectingDispatcher(), found, {}))


def test_short_work_is_offered_as_a_wait_longer_work_is_not(shop):
    with Session(get_engine(shop), future=True) as session:
        assert lounge_wait(session, ["oil_change"]) == 45
        assert lounge_wait(session, ["oil_change", "tire_rotation"]) == 75
        assert lounge_wait(session, ["detailing"]) is None
        assert lounge_wait(session, ["oil_change", "alignment"]) is None  # 135 minutes
        session.get(Dealership, 1).wait_up_to_minutes = 30
        assert lounge_wait(session, ["oil_change"]) is None  # the dealership's own limit


def test_the_summary_comes_before_the_ride_for_short_work(shop):
    slots = required(tracker({"services": ["oil_change"]}))
    assert slots.index("confirm_booking") < slots.index("transport")
    # a "no" that stops: nothing more is asked
    assert "transport" not in required(tracker({"services": ["oil_change"],
                                                "confirm_booking": False}))


def test_the_ride_is_asked_for_long_work_or_once_asked_about(shop):
    slots = required(tracker({"services": ["detailing"]}))
    assert slots.index("transport") < slots.index("confirm_booking")
    # no loaner was free: the owner chooses among the others, asked
    asked = [{"event": "bot", "text": "...", "metadata": {"utter_action": "utter_no_loaner_free"}}]
    slots = required(tracker({"services": ["oil_change"]}, asked))
    assert slots.index("transport") < slots.index("confirm_booking")
    # before this booking began, it does not count
    slots = required(tracker({"services": ["oil_change"]}, asked[:0]))
    assert slots.index("confirm_booking") < slots.index("transport")
    # a ride chosen already: the usual order
    slots = required(tracker({"services": ["oil_change"], "transport": "shuttle"}))
    assert slots.index("transport") < slots.index("confirm_booking")


def test_the_summary_offers_the_wait_and_its_yes_books_it(shop):
    found = tracker({"services": ["oil_change"], "requested_slot": "confirm_booking"})
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskConfirmBooking().run(dispatcher, found, {}))
    [said] = dispatcher.messages
    assert said["response"] == "utter_confirm_booking_wait"
    assert said["minutes"] == 45 and "Fri Nov 27" in said["when"]
    yes = tracker({"services": ["oil_change"], "requested_slot": "confirm_booking"},
                  text="perfect yes", intent="affirm")
    assert asyncio.run(ValidateBookingForm().validate_confirm_booking(
        True, CollectingDispatcher(), yes, {})) == {"confirm_booking": True, "transport": "wait"}
    # a ride chosen at the summary stays: the yes agrees to it
    chosen = tracker({"services": ["oil_change"], "requested_slot": "confirm_booking",
                      "transport": "shuttle"},
                     [{"event": "slot", "name": "transport", "value": "shuttle"},
                      {"event": "user", "text": "yes"}], text="yes", intent="affirm")
    assert asyncio.run(ValidateBookingForm().validate_confirm_booking(
        True, CollectingDispatcher(), chosen, {})) == {"confirm_booking": True}


def test_a_ride_named_in_answer_to_the_offer_is_read(shop):
    found = tracker({"services": ["oil_change"], "requested_slot": "confirm_booking"},
                    text="shuttle pls")
    assert asyncio.run(ValidateBookingForm().extract_transport(
        CollectingDispatcher(), found, {})) == {"transport": "shuttle"}


def test_a_yes_that_names_another_ride_says_the_summary_again(shop):
    events = [{"event": "slot", "name": "transport", "value": None},
              {"event": "user", "text": "yes, with a loaner"},
              {"event": "slot", "name": "transport", "value": "loaner"}]
    found = tracker({"services": ["oil_change"], "requested_slot": "confirm_booking",
                     "transport": "loaner"}, events, text="yes, with a loaner", intent="affirm")
    assert asyncio.run(ValidateBookingForm().validate_confirm_booking(
        True, CollectingDispatcher(), found, {})) == {"confirm_booking": None}
    # "loaner pls. yes book it": booked, in so many words (its confirmation names the loaner)
    found = tracker({"services": ["oil_change"], "requested_slot": "confirm_booking",
                     "transport": "loaner"}, events, text="perfect, loaner pls. yes book it",
                    intent="affirm")
    assert asyncio.run(ValidateBookingForm().validate_confirm_booking(
        True, CollectingDispatcher(), found, {})) == {"confirm_booking": True}
    # "yes ill wait" to the wait offered: booked
    events[-1]["value"] = "wait"
    found = tracker({"services": ["oil_change"], "requested_slot": "confirm_booking",
                     "transport": "wait"}, events, text="yes ill wait", intent="affirm")
    assert asyncio.run(ValidateBookingForm().validate_confirm_booking(
        True, CollectingDispatcher(), found, {})) == {"confirm_booking": True}


def test_a_ride_talked_about_before_is_asked_not_assumed(shop):
    talked = [{"event": "user", "text": "if i book an oil change w a loaner what car would i get?"},
              {"event": "user", "text": "ok an es is fine. tues dec 1st at 7am?"}]
    slots = required(tracker({"services": ["oil_change"]}, talked))
    assert slots.index("transport") < slots.index("confirm_booking")


def test_waiting_asked_for_while_times_are_offered_is_the_ride(shop):
    found = tracker({"services": ["oil_change"], "appointment_time": None},
                    text="can i just wait there", intent="nlu_fallback")
    said = asyncio.run(ValidateBookingForm().extract_transport(CollectingDispatcher(), found, {}))
    assert said == {"transport": "wait"}


@pytest.mark.parametrize(("text", "confirmed"), [
    ("never mind", False), ("nah forget it", False),
    ("stop, forget the appointment, i changed my mind. maybe next month", False),
    # a bare no asks what to change, everything kept
    ("no", None),
])
def test_never_mind_to_the_summary_stops_a_no_asks_what_to_change(shop, text, confirmed):
    found = tracker({"services": ["oil_change"], "requested_slot": "confirm_booking",
                     "transport": "wait"}, text=text, intent="deny")
    assert asyncio.run(ValidateBookingForm().validate_confirm_booking(
        False, CollectingDispatcher(), found, {})) == {"confirm_booking": confirmed}


def test_a_mind_changed_at_the_summary_is_no_whatever_else_it_says(shop):
    text = "stop, forget the appointment, i changed my mind. maybe next month"
    found = tracker({"services": ["oil_change"], "requested_slot": "confirm_booking",
                     "transport": "wait"}, text=text, intent="inform")
    assert asyncio.run(ValidateBookingForm().extract_confirm_booking(
        CollectingDispatcher(), found, {})) == {"confirm_booking": False}


def test_a_time_the_form_has_not_read_is_read_as_the_summary_is_said(shop, monkeypatch):
    # "10am." beside a question, to the times offered for Saturday: the summary reads it
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    found = tracker({"services": ["oil_change"], "requested_slot": "confirm_booking",
                     "appointment_time": "10am",
                     "offered_slots": ["2026-11-28T08:00:00-06:00",
                                       "2026-11-28T08:30:00-06:00"]}, text="10am.")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAskConfirmBooking().run(dispatcher, found, {}))
    assert dispatcher.messages[-1]["response"] == "utter_confirm_booking_wait"
    assert dispatcher.messages[-1]["when"] == "Sat Nov 28 at 10:00 AM"
    assert {"event": "slot", "timestamp": None, "name": "appointment_time",
            "value": "2026-11-28T10:00:00-06:00"} in events
    # one that cannot be had is said, and the time asked again
    found = tracker({"services": ["oil_change"], "requested_slot": "confirm_booking",
                     "appointment_time": "thursday at 10"}, text="thursday at 10")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAskConfirmBooking().run(dispatcher, found, {}))
    assert all(not m["response"].startswith("utter_confirm_booking") for m in dispatcher.messages)
    assert {"event": "slot", "timestamp": None, "name": "requested_slot",
            "value": "appointment_time"} in events
