"""A loaner asked about, not asked for: of a visit booked ("does my appt tmrw come with a
loaner?"), answered from that visit (the ride it has, and the loaner it could have on a yes);
what it takes to get one ("what do i need to get a loaner?"), answered from the loaner policy.
Never a new booking. Run on a demo database, as the action server runs it."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.booking import ActionStartBooking
from actions.ownership import asked_topic
from actions.rides import SLOT, ActionChangeRide, ActionConfirmRideChange
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.rides import loaner_asked, wanted_ride

VIKRAM = "+17375550172"  # scheduled maintenance on his LX tomorrow at 1:30, with the shuttle


@pytest.mark.parametrize("text", ["does my appt tmrw come with a loaner?",
                                  "do i get a loaner tmrw or am i waiting there?",
                                  "is there a loaner with my visit?"])
def test_a_loaner_asked_of_a_visit(text):
    assert loaner_asked(text) and wanted_ride(text) == "loaner"


@pytest.mark.parametrize("text", ["do you give loaners", "need a loaner tmrw",
                                  "do i get a loaner with an oil change?",
                                  "can i get a loaner when i bring the es in tmrw?"])
def test_not_of_a_visit_booked(text):
    assert not loaner_asked(text)


@pytest.fixture
def vikram(demo_db, monkeypatch) -> float:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    with Session(get_engine(demo_db), future=True) as session:
        return float(find_owner_by_mobile(session, VIKRAM).id)


def run(action, text: str, intent: str, slots: dict) -> tuple[list[dict], list[dict]]:
    # (no intent ranking: a text read in parts carries none)
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    tracker = Tracker(VIKRAM, slots, message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def test_the_ride_booked_is_said_and_a_loaner_offered(vikram):
    said, events = run(ActionChangeRide(), "does my appt tmrw come with a loaner?",
                       "request_loaner", {"owner_id": vikram})
    assert [m["response"] for m in said] == ["utter_visit_ride_then_loaner"]
    assert "LX 600" in said[0]["appointment"] and said[0]["loaner"]
    offered = next(e["value"] for e in events if e.get("name") == SLOT)
    assert offered.endswith(":loaner")
    # a yes in other words ("can i get one instead?") adds it; asked again, it has one
    said, _ = run(ActionConfirmRideChange(), "can i get one instead? rather drive myself",
                  "reschedule_appointment", {"owner_id": vikram, SLOT: offered})
    assert [m["response"] for m in said] == ["utter_ride_changed_loaner"]
    said, events = run(ActionChangeRide(), "does my appt tmrw come with a loaner?",
                       "request_loaner", {"owner_id": vikram})
    assert [m["response"] for m in said] == ["utter_visit_has_loaner"]
    assert {"event": "slot", "timestamp": None, "name": SLOT, "value": None} in events


def selected(text: str, intent: str, topic: str, entities: list | None = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9},
               "entities": entities or [],
               "response_selector": {"ownership": {"response": {
                   "intent_response_key": f"ownership/{topic}"}}}}
    return Tracker(VIKRAM, {}, message, [], False, None, {}, "action_listen")


@pytest.mark.parametrize("text", ["what do i need to get a loaner?",
                                  "What must I bring in order to borrow a loaner car?",
                                  "any requirements for a loaner", "my son is 19, can he drive it"])
def test_what_it_takes_is_the_loaner_policy(text):
    tracker = selected(text, "request_loaner", "loaner_policy")
    assert asyncio.run(ActionStartBooking().run(CollectingDispatcher(), tracker, {})) == [
        FollowupAction("action_answer_ownership")]
    assert asked_topic(tracker) == "loaner_policy"


def test_a_loaner_asked_for_with_its_day_is_a_booking():
    tracker = selected("need a loaner fri, what do i need to bring", "request_loaner",
                       "loaner_policy", [{"entity": "when", "value": "fri"}])
    events = asyncio.run(ActionStartBooking().run(CollectingDispatcher(), tracker, {}))
    assert FollowupAction("action_answer_ownership") not in events


def test_a_ride_asked_about_with_nothing_booked_is_the_question_answered(demo_db, monkeypatch):
    from tests.demo import ALEJANDRO

    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    with Session(get_engine(demo_db), future=True) as session:
        owner = float(find_owner_by_mobile(session, ALEJANDRO).id)
    # the part read alone, the whole text as the routing read it
    message = {"text": "do u guys do pickup?", "intent": {"name": "ownership", "confidence": 1},
               "entities": [], "metadata": {
                   "whole_text": "do u guys do pickup? id rather not mess w a loaner",
                   "part": 1, "parts": 1}}
    tracker = Tracker(ALEJANDRO, {"owner_id": owner}, message, [], False, None, {},
                      "action_listen")
    events = asyncio.run(ActionChangeRide().run(CollectingDispatcher(), tracker, {}))
    assert FollowupAction("action_answer_ownership") in events


def test_a_loaner_asked_for_a_day_with_nothing_booked_books_that_visit(on_demo_db):
    from tests.demo import AISHA

    with Session(get_engine(on_demo_db), future=True) as session:
        owner = float(find_owner_by_mobile(session, AISHA).id)
    text = "can i drop my is off tmrw at 730 for its service and get a loaner"
    message = {"text": text, "intent": {"name": "request_loaner", "confidence": 0.99},
               "entities": [{"entity": "when", "value": "tmrw at 730"},
                            {"entity": "transport", "value": "loaner"}]}
    read = [{"event": "user", "text": text, "parse_data": message},
            {"event": "slot", "name": "appointment_time", "value": "tmrw at 730"},
            {"event": "slot", "name": "transport", "value": "loaner"}]
    tracker = Tracker(AISHA, {"owner_id": owner, "appointment_time": "tmrw at 730",
                              "transport": "loaner"}, message, read, False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionChangeRide().run(dispatcher, tracker, {}))
    assert dispatcher.messages == []  # not "nothing booked"
    assert events[-1] == FollowupAction("booking_form")
    # (what the text said stays for the booking to read)
    assert SlotSet("appointment_time", None) not in events
    # A ride asked of a visit, with nothing booked and no visit named, is still said so.
    message = {"text": "can i get a loaner", "intent": {"name": "request_loaner",
                                                        "confidence": 0.99}, "entities": []}
    tracker = Tracker(AISHA, {"owner_id": owner}, message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionChangeRide().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_nothing_booked"]


def topic_after(text: str, read_as: str, response: str) -> str | None:
    """The topic of `text` (read as the topic `read_as`) asked right after the reply
    `response`."""
    message = {"text": text, "intent": {"name": "ownership"}, "response_selector": {
        "ownership": {"response": {"intent_response_key": f"ownership/{read_as}"}}}}
    events = [{"event": "user", "text": "a question before"},
              {"event": "bot", "text": "...", "metadata": {"utter_action": response}},
              {"event": "user", "text": text, "parse_data": message}]
    return asked_topic(Tracker("+17375550124", {}, message, events, False, None, {},
                               "action_listen"))


def test_miles_asked_of_it_right_after_the_loaners_are_the_loaners():
    miles = "and how many miles can i drive it"
    assert topic_after(miles, "maintenance_schedule", "utter_loaner_for_car") == \
        "loaner_policy"
    assert topic_after(miles, "maintenance_schedule", "utter_hours") == "maintenance_schedule"


def test_the_kind_of_loaner_asked_is_the_fleet_not_the_policy(on_demo_db):
    from bot.dealership.ownership_questions import Fleet, Question, answer
    from bot.dealership.profile import local_now

    with Session(get_engine(on_demo_db), future=True) as session:
        grace = find_owner_by_mobile(session, "+17375550124").id
        found = answer(session, Question("loaner_fleet", grace, text="if i get a loaner can it "
                                         "be a hybrid like my rx 350h?"), local_now(session))
        rules = answer(session, Question("loaner_fleet", grace, text="if i get a loaner can my "
                                         "wife drive it?"), local_now(session))
    assert isinstance(found, Fleet) and found.for_cars[0][1] == "RX 350h"
    assert not isinstance(rules, Fleet)


def test_what_about_another_part_right_after_a_warranty_answer_is_the_warranty():
    engine = "what about the rest of the car, like the engine?"
    assert topic_after(engine, "pricing", "utter_coverage_asked_runs") == "warranty"
    assert topic_after(engine, "pricing", "utter_hours") == "pricing"
    assert topic_after("what about roadside, do i still have that?", "roadside_assistance",
                       "utter_warranty_runs") == "roadside_assistance"


@pytest.mark.parametrize(("text", "line"), [
    ("ok can i get an rx when the lx comes in for an oil change mon dec 7 at 8?", "RX"),
    # his own car, to bring in: no loaner
    ("can i get an es in for an oil change mon dec 7 at 8?", None),
    ("can i get an lx oil change mon", None),
])
def test_a_car_asked_to_have_that_the_owner_has_none_of_is_the_loaner(on_demo_db, text, line):
    from actions.booking import loaner_line_asked

    with Session(get_engine(on_demo_db), future=True) as session:
        vikram = find_owner_by_mobile(session, VIKRAM).id
    message = {"text": text, "intent": {"name": "book_service", "confidence": 0.9},
               "entities": []}
    tracker = Tracker(VIKRAM, {"owner_id": vikram}, message,
                      [{"event": "user", "text": text, "parse_data": message}], False, None,
                      {"name": "booking_form"}, "action_listen")
    assert asyncio.run(loaner_line_asked(tracker)) == line


@pytest.mark.parametrize(("asked_before", "line"), [
    # another loaner asked for, then the car's own line again: the loaner's line
    ("LS", "RX"),
    # no other loaner asked for: "rx" is the RX being booked
    (None, None),
])
def test_the_cars_own_line_said_after_another_loaner_is_the_loaners(on_demo_db, asked_before,
                                                                     line):
    from actions.booking import loaner_line_asked
    from tests.demo import DANA

    with Session(get_engine(on_demo_db), future=True) as session:
        dana = find_owner_by_mobile(session, DANA).id
    text = "fine rx works, book it"
    message = {"text": text, "intent": {"name": "affirm", "confidence": 0.9},
               "entities": [{"entity": "vehicle", "value": "rx"}]}
    events = [{"event": "slot", "name": "vehicle", "value": "2021 RX 350"},
              {"event": "user", "text": text, "parse_data": message}]
    tracker = Tracker(DANA, {"owner_id": dana, "vehicle": "2021 RX 350", "transport": "loaner",
                             "requested_slot": "confirm_booking", "loaner_line": asked_before},
                      message, events, False, None, {"name": "booking_form"}, "action_listen")
    assert asyncio.run(loaner_line_asked(tracker)) == line


def test_a_cost_asked_of_it_after_a_loaner_is_the_loaners():
    from actions.ownership import loaner_cost_asked

    def asked(text: str, entities: list | None = None) -> dict:
        return {"text": text, "entities": entities or []}

    after_loaner = ["utter_loaner_added"]
    assert loaner_cost_asked(asked("is it free? my husband would drive it mostly"), after_loaner)
    assert loaner_cost_asked(asked("what do i bring for the loaner, and does it cost anything"),
                             [])
    assert not loaner_cost_asked(asked("is it free?"), ["utter_offer_times"])
    assert not loaner_cost_asked(asked("how much is the oil change"), after_loaner)
    assert not loaner_cost_asked(asked("how much is that", [{"entity": "service"}]),
                                 after_loaner)


def test_is_it_free_after_the_maintenance_was_said_complimentary_is_of_that_visit():
    from actions.ownership import asked_topic

    def after(response: str, text: str = "ok lets do early dec then. is it free?") -> Tracker:
        message = {"text": text, "entities": [],
                   "intent": {"name": "ownership", "confidence": 0.9},
                   "response_selector": {"ownership": {"response": {
                       "intent_response_key": "ownership/pricing"}}}}
        events = [{"event": "user", "text": "do i need to bring it in yet?"},
                  {"event": "bot", "text": "...", "metadata": {"utter_action": response}},
                  {"event": "user", "text": text, "parse_data": message}]
        return Tracker("+15125550153", {}, message, events, False, None, {}, "action_listen")

    assert asked_topic(after("utter_maintenance_complimentary")) == "maintenance_schedule"
    assert asked_topic(after("utter_maintenance_due_next")) == "pricing"
    assert asked_topic(after("utter_maintenance_complimentary",
                             "how much is an oil change")) == "pricing"
