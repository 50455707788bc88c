"""A car of another make named as the answer to "which car?" ("its for my tesla model 3") is
read by the models as outside the dealership's work; the owner hears it is not on the account,
with their cars, and is asked again. Run on a demo database, as the action server runs it."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.cannot_help import ActionCannotHelp
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.vehicles import other_car, other_make

VIKRAM = "+17375550172"  # an LX 600 and an ES 350


@pytest.mark.parametrize(("text", "car"), [
    ("its for my tesla model 3", "tesla model 3"),
    ("for my tesla", "tesla"),
    ("my 2015 honda civic", "2015 honda civic"),
    ("it's the ford f150.", "ford f150"),
])
def test_a_car_named_in_a_short_answer(text, car):
    assert other_car(text) == car


@pytest.mark.parametrize("text", ["for my wife", "my bad", "a good question",
                                  "what is the weather like today",
                                  "can you tell me a joke about my dog please"])
def test_not_a_car(text):
    assert other_car(text) is None


def cannot_help(database_url: str, text: str, *, slot: str = "vehicle",
                guest: bool = False, form: str = "booking_form") -> list[dict]:
    with Session(get_engine(database_url), future=True) as session:
        owner_id = find_owner_by_mobile(session, VIKRAM).id
    message = {"text": text, "intent": {"name": "out_of_scope", "confidence": 0.8},
               "entities": []}
    slots = {"requested_slot": slot, **({} if guest else {"owner_id": float(owner_id)})}
    tracker = Tracker(VIKRAM, slots, message, [], False, None, {"name": form},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionCannotHelp().run(dispatcher, tracker, {}))
    return dispatcher.messages


def test_another_make_is_not_on_the_account(on_demo_db):
    said = cannot_help(on_demo_db, "its for my tesla model 3")
    assert [m["response"] for m in said] == ["utter_car_not_on_account"]
    assert said[0]["car"] == "Tesla Model 3"
    assert "LX 600" in said[0]["cars"] and "ES 350" in said[0]["cars"]


def test_a_guest_is_asked_the_model(on_demo_db):
    said = cannot_help(on_demo_db, "its for my tesla model 3", guest=True)
    assert [m["response"] for m in said] == ["utter_which_model"]


def test_outside_the_car_question_it_is_out_of_scope(on_demo_db):
    said = cannot_help(on_demo_db, "its for my tesla model 3", slot="appointment_time")
    assert [m["response"] for m in said] == ["utter_out_of_scope"]


def test_the_car_of_a_report_is_not_on_the_account(on_demo_db):
    said = cannot_help(on_demo_db, "its for my tesla model 3", slot="problem_vehicle",
                       form="problem_form")
    assert [m["response"] for m in said] == ["utter_car_not_on_account"]


@pytest.mark.parametrize(("text", "car"), [
    ("its for my ferrari, tire rotation tmrw", "ferrari"),
    ("oil change on my 2019 honda civic friday", "2019 honda civic"),
    ("can u rotate the tires on my tesla model 3", "tesla model 3"),
    ("oil change for my rx tmrw", None),
    ("my wife drives a ford but this is for my es", "ford"),
    ("its for my ferrari actually", "ferrari"),
    ("my ferrari needs a rotation", "ferrari"),
    ("my honda civic has a flat", "honda civic"),
])
def test_a_car_of_another_make_named_anywhere(text, car):
    assert other_make(text) == car


def test_a_booking_for_a_car_of_another_make_says_so_and_leaves_the_car_open(on_demo_db):
    from actions.common import car_not_theirs

    with Session(get_engine(on_demo_db), future=True) as session:
        owner_id = find_owner_by_mobile(session, VIKRAM).id
    started = [{"event": "slot", "name": "vehicle", "value": "2022 LX 600"},
               {"event": "slot", "name": "services", "value": ["tire_rotation"]}]

    def said(text: str) -> tuple[list[dict], list[dict]]:
        message = {"text": text, "intent": {"name": "book_service", "confidence": 0.9},
                   "entities": []}
        tracker = Tracker(VIKRAM, {"owner_id": float(owner_id)}, message, [], False, None, {},
                          "action_listen")
        dispatcher = CollectingDispatcher()
        events = asyncio.run(car_not_theirs(dispatcher, tracker, started))
        return dispatcher.messages, events

    messages, events = said("its for my ferrari, tire rotation tmrw")
    assert [m["response"] for m in messages] == ["utter_car_not_on_account"]
    assert [e["name"] for e in events] == ["services"]
    # a car of theirs named beside it: nothing to say
    assert said("my wife drives a ford but this is for my lx") == ([], started)


def test_a_car_of_another_make_said_mid_booking_keeps_the_car_being_booked(on_demo_db):
    from actions.booking import ValidateBookingForm

    with Session(get_engine(on_demo_db), future=True) as session:
        owner_id = find_owner_by_mobile(session, VIKRAM).id
    message = {"text": "its for my ferrari actually", "entities": [],
               "intent": {"name": "inform", "confidence": 0.6}}
    tracker = Tracker(VIKRAM, {"owner_id": float(owner_id), "vehicle": "2022 LX 600",
                               "requested_slot": "appointment_time"}, message, [], False, None,
                      {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    found = asyncio.run(ValidateBookingForm().extract_vehicle(dispatcher, tracker, {}))
    assert found == {"vehicle": "2022 LX 600"}
    assert [m["response"] for m in dispatcher.messages] == ["utter_car_not_on_account"]
    assert dispatcher.messages[0]["car"] == "Ferrari"
