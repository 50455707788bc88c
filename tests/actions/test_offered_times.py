"""Answers to the times the booking form offered, and answers to its other questions that say
a time instead: the form runs here on a demo database, as the action server runs it."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ValidateBookingForm

DOMAIN = {"forms": {"booking_form": {"required_slots": [
    "guest_name", "guest_mobile", "vehicle", "services", "appointment_time", "transport",
    "confirm_booking"]}}, "slots": {}}
# Saturday after Thanksgiving: what the form offered for "saturday?".
SATURDAY = [f"2026-11-28T{t}:00-06:00" for t in ("08:00", "08:30", "09:00")]


@pytest.fixture(autouse=True)
def on_demo_db(demo_db, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")  # a Monday
    return demo_db


def run_form(text: str, intent: str, read: dict, entities: list | None = None,
             **slots) -> tuple[dict, str]:
    """The slots the form sets for `text`, whose slot mappings read `read`, and what it said."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.95},
               "entities": entities or []}
    slots = {"requested_slot": None, "vehicle": "RX 350", "vehicle_id": 1, **slots}
    events = [{"event": "user", "text": text, "parse_data": message}] + [
        {"event": "slot", "name": name, "value": value} for name, value in read.items()]
    t = Tracker("+15125550142", {**slots, **read}, message, events, False, None,
                {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateBookingForm().run(dispatcher, t, DOMAIN))
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, said


def answer_offers(text: str, intent: str = "inform", offered=SATURDAY) -> tuple[dict, str]:
    return run_form(text, intent, {"appointment_time": text}, services=["tire_rotation"],
                    offered_slots=offered, requested_slot="appointment_time")


@pytest.mark.parametrize(("text", "hour"), [("10am", 10), ("9 is fine", 9), ("can u do 11", 11),
                                            ("what about 2pm", 14)])
def test_a_time_alone_is_on_the_day_offered_not_tomorrow(text, hour):
    slots, said = answer_offers(text)
    assert slots["appointment_time"] == f"2026-11-28T{hour:02d}:00:00-06:00", said


def test_a_pick_from_the_offers():
    slots, _ = answer_offers("2 works")
    assert slots["appointment_time"] == SATURDAY[1]


def test_yes_to_several_times_asks_which_and_keeps_them():
    slots, said = answer_offers("yes", intent="affirm")
    assert slots.get("appointment_time") is None
    assert "offered_slots" not in slots  # still the three offered
    assert said.startswith("Which one works?") and "Sat Nov 28 at 8:30 AM" in said


def test_yes_to_one_time_takes_it():
    slots, _ = answer_offers("yep", intent="affirm", offered=SATURDAY[2:])
    assert slots["appointment_time"] == SATURDAY[2]


def test_a_time_said_to_what_to_do_is_kept_and_the_question_comes_again():
    """"asap please" to "What would you like done?": no menu of services, no lost time."""
    slots, said = run_form("ASAP please", "inform", {"services": ["ASAP please"]},
                           requested_slot="services")
    assert slots["services"] is None
    assert slots["appointment_time"] is None and len(slots["offered_slots"]) == 3
    assert slots["requested_slot"] == "appointment_time"  # the earliest times, then the work
    assert said.startswith("I can do: 1) today at")


def test_a_ride_said_to_what_to_do_is_kept_and_the_question_comes_again():
    found = [{"entity": "transport", "value": "loaner", "start": 9, "end": 15}]
    slots, said = run_form("I'll take a loaner if you have one", "inform",
                           {"services": ["I'll take a loaner if you have one"],
                            "transport": "loaner"}, entities=found, requested_slot="services")
    assert slots["services"] is None and slots["transport"] == "loaner"
    assert "service menu" not in said


def test_an_answer_that_is_no_service_gets_the_menu():
    slots, said = run_form("the blue one", "inform", {"services": ["the blue one"]},
                           requested_slot="services")
    assert slots["services"] is None
    assert "service menu" in said
