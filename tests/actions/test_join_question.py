"""The question whether new work joins the visit the car has already: said whole, or short when
the reply to the same text has just told of that visit (both must fit one text)."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.booking import ActionAskJoinVisit
from bot.dealership.db import get_engine
from bot.dealership.joining import visit_ahead
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.profile import local_now
from tests.demo import PRIYA


@pytest.mark.parametrize("told", [False, True])
def test_the_join_question_names_the_visit_unless_just_told(on_demo_db, told):
    with Session(get_engine(on_demo_db), future=True) as session:
        priya = find_owner_by_mobile(session, PRIYA)
        nx = priya.vehicles[0]
        ahead = visit_ahead(session, priya.id, nx.id, local_now(session))
        owner_id, vehicle_id = priya.id, nx.id
    message = {"text": "can u also do an oil change? and i still wait right?",
               "intent": {"name": "book_service", "confidence": 0.9}, "entities": []}
    events = [{"event": "user", "text": message["text"], "parse_data": message}]
    if told:
        events.append({"event": "bot", "text": f"You're booked tomorrow (code {ahead.code})."})
    tracker = Tracker(PRIYA, {"owner_id": owner_id, "vehicle_id": vehicle_id,
                              "services": ["oil_change"]}, message, events, False, None,
                      {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskJoinVisit().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_ask_join_visit_told" if told else "utter_ask_join_visit"]


@pytest.mark.parametrize("services", [["oil_change"], ["tire_rotation"]])
def test_the_join_question_asked_again_beside_a_long_answer_is_short(on_demo_db, services):
    with Session(get_engine(on_demo_db), future=True) as session:
        priya = find_owner_by_mobile(session, PRIYA)
        owner_id, vehicle_id = priya.id, priya.vehicles[0].id
    message = {"text": "ok thx. is it ok to drive on today?",
               "intent": {"name": "ownership", "confidence": 0.9}, "entities": []}
    answer = "Not flat? Add air ... " + "x" * 180  # the answer said first, in this reply
    events = [{"event": "user", "text": message["text"], "parse_data": message},
              {"event": "bot", "text": answer}]
    tracker = Tracker(PRIYA, {"owner_id": owner_id, "vehicle_id": vehicle_id,
                              "services": services}, message, events, False, None,
                      {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskJoinVisit().run(dispatcher, tracker, {}))
    # work of its own to add, or the rotation the visit has already: each asked short
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_ask_join_visit_brief" if services == ["oil_change"] else
        "utter_ask_keep_visit_brief"]


@pytest.mark.parametrize(("text", "intent", "joins"), [
    ("yes add it. i'll still wait, i'll bring my laptop", "nlu_fallback", True),
    ("fine ill wait. yes add it", "inform", True),
    ("oh right lol. can u just do the recall at the same time tmrw then?", "book_service", True),
    # a plain yes or no is the intent's; a question is answered first
    ("yes", "affirm", None),
    ("add it to a new visit", "inform", None),
    ("how long would that take?", "ownership", None),
])
def test_a_yes_to_joining_said_with_more_joins_the_visit(text, intent, joins):
    from actions.booking import ValidateBookingForm

    message = {"text": text, "intent": {"name": intent, "confidence": 0.6}, "entities": []}
    tracker = Tracker(PRIYA, {"requested_slot": "join_visit"}, message, [], False, None,
                      {"name": "booking_form"}, "action_listen")
    found = asyncio.run(ValidateBookingForm().extract_join_visit(CollectingDispatcher(),
                                                                tracker, {}))
    assert found == ({} if joins is None else {"join_visit": joins})


def test_a_day_ruled_out_as_the_time_is_asked_is_no_no_to_the_booking(on_demo_db):
    from rasa_sdk.events import FollowupAction

    from actions.booking import ActionStopBooking

    message = {"text": "not thurs obviously", "intent": {"name": "deny", "confidence": 0.9},
               "entities": [], "metadata": {
                   "whole_text": "can u fix it this week? not thurs obviously", "part": 2,
                   "parts": 2}}
    tracker = Tracker(PRIYA, {"requested_slot": "appointment_time",
                              "services": ["oil_change"]}, message, [], False, None,
                      {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionStopBooking().run(dispatcher, tracker, {}))
    assert "utter_booking_stopped" not in [m["response"] for m in dispatcher.messages]
    assert FollowupAction("booking_form") in events


def test_work_asked_for_at_the_visit_booked_joins_it_with_no_question(on_demo_db):
    from actions.booking import ValidateBookingForm

    with Session(get_engine(on_demo_db), future=True) as session:
        priya = find_owner_by_mobile(session, PRIYA)
        owner_id, vehicle_id = priya.id, priya.vehicles[0].id
        assert visit_ahead(session, owner_id, vehicle_id, local_now(session)) is not None
    slots = {"owner_id": owner_id, "vehicle_id": vehicle_id, "services": ["oil_change"]}
    for text, joins in (("since the nx is in anyway can u do an oil change too", True),
                        ("can u do an oil change on the nx", False)):
        message = {"text": text, "intent": {"name": "book_service", "confidence": 0.9},
                   "entities": []}
        tracker = Tracker(PRIYA, dict(slots), message, [], False, None,
                          {"name": "booking_form"}, "action_listen")
        found = asyncio.run(ValidateBookingForm().extract_join_visit(
            CollectingDispatcher(), tracker, {}))
        assert found == ({"join_visit": True} if joins else {})


def test_yes_to_the_join_with_another_cars_work_keeps_the_work_offered(on_demo_db):
    """"ok add it. and can u do an oil change on my es same time tmrw too?" to "add the detail
    to the LX visit?": the detail joins the LX visit, the oil change is the ES's own."""
    from actions.booking import ValidateBookingForm
    from tests.actions import forms

    with Session(get_engine(on_demo_db), future=True) as session:
        vikram = find_owner_by_mobile(session, "+17375550172")
        cars = {car.model_line: car for car in vikram.vehicles}
        owner, lx, es = float(vikram.id), cars["LX"], cars["ES"]
        lx_id, lx_label, es_id = lx.id, lx.label, es.id
    text = "ok add it. and can u do an oil change on my es same time tmrw too?"
    message = {"text": text, "intent": {"name": "book_service", "confidence": 0.9},
               "entities": [{"entity": "service", "value": "oil_change"},
                            {"entity": "vehicle", "value": "ES"},
                            {"entity": "when", "value": "tmrw"}]}
    slots = {"owner_id": owner, "vehicle": lx_label, "vehicle_id": float(lx_id),
             "services": ["detailing"], "requested_slot": "join_visit", "visit_to_join": 2}
    before = [{"event": "slot", "name": "services", "value": ["detailing"]},
              {"event": "slot", "name": "vehicle", "value": lx_label}]
    set_, _ = forms.run_form(ValidateBookingForm(), [
        "guest_name", "guest_mobile", "vehicle", "services", "join_visit", "appointment_time",
        "transport", "confirm_booking"], message, slots,
        {"vehicle": "ES", "services": ["oil_change"], "appointment_time": "tmrw"}, before)
    assert set_["join_visit"] is True
    assert set_["services"] == ["detailing"] and set_["vehicle"] == lx_label
    assert [car["vehicle_id"] for car in set_["cars_beside"]] == [es_id]
    assert set_["cars_beside"][0]["services"] == ["oil_change"]
