"""A ride changed at the booking's summary ("can i swap that for a loaner instead of
waiting?") replaces the one said before; a question about a ride is not a choice of it."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ValidateBookingForm, wait_interjected


def extract(text: str, transport: str, requested: str, entities: list | None = None) -> dict:
    message = {"text": text, "intent": {"name": "request_loaner"}, "entities": entities or []}
    tracker = Tracker("+15125550164", {"transport": transport, "requested_slot": requested},
                      message, [], False, None, {"name": "booking_form"}, "action_listen")
    return asyncio.run(ValidateBookingForm().extract_transport(CollectingDispatcher(), tracker,
                                                               {}))


def test_a_swap_at_the_summary_replaces_the_ride():
    both = [{"entity": "transport", "value": "loaner"}, {"entity": "transport", "value": "wait"}]
    assert extract("oh and can i swap that for a loaner instead of waiting?", "wait",
                   "confirm_booking", both) == {"transport": "loaner"}


def test_a_question_about_the_shuttle_is_not_a_choice():
    assert extract("how far does your shuttle go?", None, "transport") == {}
    assert extract("shuttle please", None, "transport") == {"transport": "shuttle"}


def validate(text: str, requested: str | None, entities: list, agreed: str | None = None,
             line: str | None = None) -> tuple[dict, list[str]]:
    message = {"text": text, "intent": {"name": "request_loaner"}, "entities": entities}
    tracker = Tracker("+15125550164", {"requested_slot": requested, "loaner_line": line,
                                       "appointment_time": agreed}, message, [], False, None,
                      {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    slots = asyncio.run(ValidateBookingForm().validate_transport("loaner", dispatcher, tracker,
                                                                 {}))
    return slots, [m.get("response") for m in dispatcher.messages]


def test_a_loaner_asked_for_while_the_time_is_asked_is_heard_and_held():
    loaner = [{"entity": "transport", "value": "loaner"}]
    assert validate("is there a loaner i could use?", "appointment_time", loaner) == (
        {"transport": "loaner"}, ["utter_loaner_noted"])
    # asked for with a day, before any time is agreed: heard, before the times offered
    with_day = loaner + [{"entity": "when", "value": "friday morning"}]
    assert validate("need a loaner friday morning", None, with_day) == (
        {"transport": "loaner"}, ["utter_loaner_noted"])
    # a model or kind asked for with it is said back
    assert validate("need the 40k service wed, can i get an suv loaner?", None, with_day,
                    line="NX") == ({"transport": "loaner"}, ["utter_loaner_line_noted"])
    # said with the time, the summary that follows shows it: nothing to say on its own
    with_time = loaner + [{"entity": "when", "value": "wed 7:30am"}]
    assert validate("wed 7:30am with a loaner", "appointment_time", with_time,
                    agreed="2026-11-25T07:30:00-06:00") == ({"transport": "loaner"}, [])


def test_a_loaner_model_said_at_the_summary_is_asked_for_and_the_summary_comes_again(
        demo_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_db)
    message = {"text": "an rx is fine", "intent": {"name": "affirm"},
               "entities": [{"entity": "vehicle", "value": "rx"}]}
    events = [{"event": "slot", "name": "vehicle", "value": "2019 GX 460"},
              {"event": "user", "text": "an rx is fine"},
              {"event": "slot", "name": "vehicle", "value": "rx"}]
    slots = {"transport": "loaner", "requested_slot": "confirm_booking", "vehicle": "rx"}
    tracker = Tracker("+15125550199", slots, message, events, False, None,
                      {"name": "booking_form"}, "action_listen")
    form = ValidateBookingForm()
    assert asyncio.run(form.extract_transport(CollectingDispatcher(), tracker, {})) == {
        "transport": "loaner", "loaner_line": "RX"}
    # "the rx is fine" said of an rx being booked is no loaner's model
    events[0]["value"] = "2021 RX 350"
    assert asyncio.run(form.extract_transport(CollectingDispatcher(), tracker, {})) == {}


def test_a_change_of_time_while_a_guests_name_is_asked_is_no_name():
    message = {"text": "no make it 2pm, forgot i have a mtg", "intent": {"name": "nlu_fallback"},
               "entities": []}
    events = [{"event": "user", "text": message["text"]},
              {"event": "slot", "name": "appointment_time", "value": message["text"]}]
    tracker = Tracker("web-guest", {"requested_slot": "guest_name"}, message, events, False,
                      None, {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    assert asyncio.run(ValidateBookingForm().validate_guest_name(
        message["text"], dispatcher, tracker, {})) == {"guest_name": None}
    assert dispatcher.messages == []  # the time is read; the name is asked once, after it


def test_waiting_asked_about_beside_a_ride_asked_for_is_the_ride():
    text = "do i have to wait there or can someone drive me to work"
    message = {"text": text, "intent": {"name": "ownership"},
               "entities": [{"entity": "transport", "value": "wait"}]}
    tracker = Tracker("+15125550164", {"requested_slot": "transport"}, message, [], False, None,
                      {"name": "booking_form"}, "action_listen")
    slots = asyncio.run(ValidateBookingForm().validate_transport(
        "wait", CollectingDispatcher(), tracker, {}))
    assert slots == {"transport": "shuttle"}


def test_wait_said_as_a_pause_is_no_ride():
    message = {"text": "stop, wait, i meant the es not the gx", "intent": {"name": "inform"},
               "entities": [{"entity": "transport", "value": "wait"}]}
    tracker = Tracker("+15125550164", {"requested_slot": "confirm_booking"}, message, [], False,
                      None, {"name": "booking_form"}, "action_listen")
    assert asyncio.run(ValidateBookingForm().validate_transport(
        "wait", CollectingDispatcher(), tracker, {})) == {"transport": None}
    for said in ("wait no make it 3", "oh wait the es"):
        assert wait_interjected(said), said
    for said in ("i'll wait", "waiting is fine", "wait in the lounge", "ill wait, thanks", "wait"):
        assert not wait_interjected(said), said


def test_a_question_after_wait_is_no_ride():
    # "wait do u guys have wifi in the lounge" to the ride asked: the question, no wait chosen
    for text, intent, ride in (("wait do u guys have wifi in the lounge", "ownership", None),
                               ("wait, can i hang out in the lounge?", "inform", "wait")):
        message = {"text": text, "intent": {"name": intent},
                   "entities": [{"entity": "transport", "value": "wait"}]}
        tracker = Tracker("+15125550164", {"requested_slot": "transport"}, message, [], False,
                          None, {"name": "booking_form"}, "action_listen")
        slots = asyncio.run(ValidateBookingForm().validate_transport(
            "wait", CollectingDispatcher(), tracker, {}))
        assert slots.get("transport") == ride, text


def test_pickup_asked_for_before_the_time_is_heard():
    message = {"text": "can u guys pick up my rx from my office wed for an oil change?",
               "intent": {"name": "book_service"}, "entities": []}
    tracker = Tracker("+15125550164", {"requested_slot": None}, message, [], False, None,
                      {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    assert asyncio.run(ValidateBookingForm().validate_transport(
        "pickup_delivery", dispatcher, tracker, {})) == {"transport": "pickup_delivery"}
    assert [m.get("response") for m in dispatcher.messages] == ["utter_pickup_delivery_noted"]


def test_a_model_said_to_the_loaners_told_is_the_loaner_asked_for(demo_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_db)
    text = "ok an es is fine. tues dec 1st at 7am?"
    message = {"text": text, "intent": {"name": "book_service"},
               "entities": [{"entity": "vehicle", "value": "es"}]}
    events = [{"event": "user", "text": "if i book an oil change w a loaner what car would i get"},
              {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_loaner_fleet"}},
              {"event": "slot", "name": "vehicle", "value": "2021 IS 350"},
              {"event": "user", "text": text}]
    tracker = Tracker("+15125550158", {"requested_slot": None, "vehicle": "es"}, message, events,
                      False, None, {"name": "booking_form"}, "action_listen")
    assert asyncio.run(ValidateBookingForm().extract_transport(
        CollectingDispatcher(), tracker, {})) == {"transport": "loaner", "loaner_line": "ES"}


@pytest.mark.parametrize(("text", "routed"), [
    ("something came up and i cant wait there anymore, can i get a loaner instead", True),
    ("Then I would prefer a loaner tomorrow, please.", True),
    # new work named: a booking of its own
    ("can i get an oil change with a loaner instead", False),
])
def test_a_ride_wanted_instead_with_a_visit_booked_changes_its_ride(on_demo_db, text, routed):
    from rasa_sdk.events import FollowupAction
    from sqlalchemy.orm import Session

    from actions.booking import ActionStartBooking
    from bot.dealership.db import get_engine
    from bot.dealership.owners import find_owner_by_mobile
    from tests.demo import PRIYA

    with Session(get_engine(on_demo_db), future=True) as session:
        owner_id = find_owner_by_mobile(session, PRIYA).id
    entities = [{"entity": "service", "value": "oil_change"}] if "oil" in text else []
    message = {"text": text, "intent": {"name": "request_loaner", "confidence": 0.9},
               "entities": entities}
    t = Tracker(PRIYA, {"owner_id": owner_id}, message, [], False, None, {}, "action_listen")
    events = asyncio.run(ActionStartBooking().run(CollectingDispatcher(), t, {}))
    assert (FollowupAction("action_change_ride") in events) == routed
