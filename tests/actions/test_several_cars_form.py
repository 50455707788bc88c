"""Several of the owner's cars in one booking, as the booking form reads them on the demo
database: both cars named at the start, "both" to which car, another car joined to the booking
under way, and a time asked as another car's visit's."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.booking import ActionAskTransport, ValidateBookingForm
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from tests.actions.forms import responses, run_form
from tests.demo import KENJI

FORM = ["vehicle", "services", "appointment_time", "transport", "confirm_booking"]


@pytest.fixture
def kenji(demo_db, monkeypatch) -> dict:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    with Session(get_engine(demo_db), future=True) as session:
        owner = find_owner_by_mobile(session, KENJI)
        cars = {car.model_line: (car.id, car.label) for car in owner.vehicles}
        return {"owner_id": owner.id, **cars}


def message(text: str, intent: str = "book_service", entities: list | None = None) -> dict:
    return {"text": text, "intent": {"name": intent, "confidence": 0.9},
            "entities": entities or []}


def test_both_cars_at_the_start_each_with_its_work(kenji):
    text = "can you take both my cars sat morning? ls needs an oil change, rz a tire rotation"
    slots, _ = run_form(ValidateBookingForm(), FORM, message(text),
                        {"owner_id": kenji["owner_id"], "requested_slot": None},
                        {"vehicle": "LS", "services": ["oil_change", "tire_rotation"]})
    assert (slots["vehicle"], slots["vehicle_id"]) == (kenji["LS"][1], kenji["LS"][0])
    assert slots["services"] == ["oil_change"]
    assert slots["cars_beside"] == [{"vehicle_id": kenji["RZ"][0], "car": kenji["RZ"][1],
                                     "services": ["tire_rotation"]}]


def test_one_of_several_requests_takes_each_cars_work_from_the_whole_text(kenji):
    whole = "can you take both my cars sat morning? ls needs an oil change and the rz a recall"
    part = {**message("can you take both my cars sat morning? ls needs an oil change"),
            "metadata": {"whole_text": whole, "parts": 2}}
    slots, _ = run_form(ValidateBookingForm(), FORM, part,
                        {"owner_id": kenji["owner_id"], "requested_slot": None},
                        {"vehicle": "LS", "services": ["oil_change"]})
    assert slots["services"] == ["oil_change"]
    assert slots["cars_beside"] == [{"vehicle_id": kenji["RZ"][0], "car": kenji["RZ"][1],
                                     "services": ["recall_repair"]}]


def test_both_to_which_car_takes_every_car_for_the_work_asked(kenji):
    slots, _ = run_form(ValidateBookingForm(), FORM, message("both", "inform"),
                        {"owner_id": kenji["owner_id"], "requested_slot": "vehicle",
                         "services": ["oil_change"]}, {"vehicle": "both"})
    assert slots["vehicle_id"] == kenji["LS"][0]
    assert [car["vehicle_id"] for car in slots["cars_beside"]] == [kenji["RZ"][0]]
    assert slots["cars_beside"][0]["services"] == ["oil_change"]


def test_another_car_joins_the_booking_under_way_which_keeps_its_own(kenji):
    ls_id, ls_label = kenji["LS"]
    before = [{"event": "slot", "name": "vehicle", "value": ls_label},
              {"event": "slot", "name": "vehicle_id", "value": ls_id},
              {"event": "slot", "name": "services", "value": ["oil_change"]}]
    text = "oh and the rz needs a tire rotation, same time as my oil change"
    slots, said = run_form(
        ValidateBookingForm(), FORM,
        message(text, entities=[{"entity": "vehicle", "value": "rz"},
                                {"entity": "service", "value": "tire_rotation"}]),
        {"owner_id": kenji["owner_id"], "vehicle_id": ls_id, "requested_slot": "transport",
         "appointment_time": "2026-11-24T10:00:00-06:00"},
        {"vehicle": "rz", "services": ["tire_rotation"]}, before)
    assert slots["vehicle"] == ls_label and slots["services"] == ["oil_change"]
    assert slots["cars_beside"][0]["vehicle_id"] == kenji["RZ"][0]
    assert slots["cars_beside"][0]["services"] == ["tire_rotation"]
    assert responses(said) == ["utter_car_added_same_time"]


def test_the_car_answered_is_said_back_with_the_time_agreed(kenji):
    ls_id, ls_label = kenji["LS"]
    start = "2026-11-27T12:00:00-06:00"
    events = [{"event": "slot", "name": "requested_slot", "value": "vehicle"},
              {"event": "user", "text": "the ls"},
              {"event": "slot", "name": "vehicle", "value": ls_label},
              {"event": "slot", "name": "vehicle_id", "value": ls_id},
              {"event": "slot", "name": "requested_slot", "value": "transport"}]
    t = Tracker("+15125550190", {"appointment_time": start, "vehicle": ls_label,
                                 "vehicle_id": ls_id}, {"text": "the ls"}, events, False,
                None, {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskTransport().run(dispatcher, t, {}))
    assert responses(dispatcher.messages) == ["utter_car_and_time_agreed",
                                              "utter_ask_transport"]
