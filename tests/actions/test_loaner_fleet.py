"""Which loaners there are, and which one an owner's car is held: from the demo fleet."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.ownership import ActionAnswerOwnership
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from tests.demo import DANA, EMILY, MARCUS

pytestmark = pytest.mark.usefixtures("on_demo_db")  # every test here: the demo database


def ask(database_url: str, mobile: str, text: str) -> list[dict]:
    with Session(get_engine(database_url), future=True) as session:
        owner_id = find_owner_by_mobile(session, mobile).id
    message = {"text": text, "entities": [], "intent": {"name": "ownership", "confidence": 0.9},
               "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/loaner_fleet"}}}}
    t = Tracker(mobile, {"owner_id": owner_id}, message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerOwnership().run(dispatcher, t, {}))
    return dispatcher.messages


def test_the_fleet_and_the_loaner_of_the_owners_own_line(on_demo_db):
    fleet, car = ask(on_demo_db, DANA, "what loaners do you have")
    assert fleet["response"] == "utter_loaner_fleet"
    assert fleet["models"] == "ES 350, NX 350, RX 350 and LS 500"
    assert (car["response"], car["car"], car["loaner"]) == (
        "utter_loaner_for_car", "2021 RX 350", "RX 350h")


def test_a_car_with_no_loaner_of_its_line_or_the_next_is_offered_a_smaller_one(on_demo_db):
    said = ask(on_demo_db, MARCUS, "which loaner would i get for my gx")
    assert [(m["response"], m["car"], m["loaner"]) for m in said[1:]] == [
        ("utter_loaner_for_car_smaller", "2019 GX 460", "RX 350h")]


def test_a_car_with_nothing_of_its_class_is_told_of_the_other_rides(on_demo_db):
    said = ask(on_demo_db, EMILY, "what loaner would i get")
    assert [(m["response"], m["car"]) for m in said[1:]] == [
        ("utter_no_loaner_for_car", "2020 UX 250h")]


def test_once_a_loaner_is_reserved_it_is_that_car(on_demo_db):
    from datetime import datetime

    from bot.dealership import appointments
    from tests.demo import AUSTIN

    with Session(get_engine(on_demo_db), future=True) as session:
        dana = find_owner_by_mobile(session, DANA)
        booked = appointments.make_booking(
            session, owner_id=dana.id, vehicle_id=dana.vehicles[0].id,
            service_codes=["oil_change"], start=datetime(2026, 11, 27, 16, 30, tzinfo=AUSTIN),
            transport="loaner", now=datetime(2026, 11, 23, 10, tzinfo=AUSTIN))
        loaner = booked.loaner.loaner
        session.commit()
        label, color = f"{loaner.year} {loaner.model}", loaner.color.lower()
    [said] = ask(on_demo_db, DANA, "what car is my loaner and what color")
    assert said["response"] == "utter_loaner_held"
    assert (said["loaner"], said["color"]) == (label, color)
    assert "Fri" in said["when"] and "4:30" in said["when"]


def test_the_smaller_loaner_named_after_a_question_is_the_loaner_not_the_car(on_demo_db):
    from actions.booking import ValidateBookingForm
    from tests.actions import forms

    with Session(get_engine(on_demo_db), future=True) as session:
        nathan = find_owner_by_mobile(session, "+15125550153")
        owner_id, tx = nathan.id, nathan.vehicles[0]
        tx_label, tx_id = tx.label, tx.id
    told = [{"event": "user", "text": "need a loaner while the tx is in fri morning"},
            {"event": "slot", "name": "vehicle", "value": tx_label},
            {"event": "slot", "name": "vehicle_id", "value": tx_id},
            {"event": "bot", "text": "...", "metadata": {
                "utter_action": "utter_no_loaner_of_line_told_smaller"}},
            {"event": "user", "text": "is the service free?"},
            {"event": "bot", "text": "...", "metadata": {
                "utter_action": "utter_service_prices_brief"}}]
    text = "ok the rx is fine then. 8am"
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.9},
               "entities": [{"entity": "vehicle", "value": "rx", "start": 7, "end": 9}]}
    slots, said = forms.run_form(
        ValidateBookingForm(), ["vehicle", "transport"], message,
        {"owner_id": owner_id, "vehicle": tx_label, "vehicle_id": tx_id,
         "requested_slot": "appointment_time", "services": ["scheduled_maintenance"]},
        {"vehicle": "rx"}, before=told)
    assert (slots.get("transport"), slots.get("loaner_line")) == ("loaner", "RX"), said
    assert slots["vehicle"] == tx_label, (slots, said)
    assert not [m for m in said if m.get("response") == "utter_car_not_on_account"]
