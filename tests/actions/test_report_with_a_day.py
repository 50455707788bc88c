"""Trouble told with a day ahead that the model read as a visit asked for ("need an alignment
on my nx, its pulling a lil to the right. thurs morning work?"): the case is noted and the visit
booked for that day; a day the trouble began on ("since tuesday") asks the report's questions."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.problems import ActionReportIssue
from scripts import situations


@pytest.fixture
def alejandro(demo_db, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", situations.MONDAY)


def reported(text: str, when: str, owner_id: int | None = None) -> tuple[list[str], dict]:
    """The responses said and the slots set when the report `text` has `when` read in it."""
    start = text.index(when)
    message = {"text": text, "intent": {"name": "report_issue", "confidence": 1.0},
               "entities": [{"entity": "when", "value": when, "start": start,
                             "end": start + len(when)}]}
    tracker = Tracker("+15125550115", {"owner_id": owner_id}, message,
                      [{"event": "user", "text": text, "parse_data": message}],
                      False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionReportIssue().run(dispatcher, tracker, {"responses": {}}))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    followed = [e["name"] for e in events if e.get("event") == "followup"]
    return [m["response"] for m in dispatcher.messages] + followed, slots


def test_a_day_ahead_beside_the_trouble_books_the_visit(alejandro):
    said, slots = reported("need an alignment on my nx, its pulling a lil to the right. "
                           "thurs morning work?", "thurs morning")
    assert said == ["utter_case_noted_for_visit", "booking_form"]
    assert slots["appointment_time"] == "thurs morning work?"


def test_the_day_the_trouble_began_is_not_a_visit(alejandro):
    said, slots = reported("my nx is pulling a lil to the right since thursday", "thursday")
    assert "booking_form" not in said and "appointment_time" not in slots
    assert "problem_form" in said


def test_trouble_an_open_recall_may_be_is_told_and_its_fix_booked(alejandro):
    said, slots = reported("the back seat in my gx slid forward when i braked, can u look at it "
                           "friday", "friday", situations.marcus())
    assert said == ["utter_trouble_may_be_recall", "utter_case_noted_for_visit", "booking_form"]
    assert slots["services"][0] == "recall_repair"


@pytest.mark.parametrize(("text", "asked"), [
    ("add an alignment to the LX tmrw? its pulling left", True),
    ("can u add a brake inspection to tomorrow's visit, they squeak", True),
    ("i had to add oil to the es yesterday, its burning some", False),
])
def test_work_added_to_the_cars_visit_on_a_day_is_a_visit_asked(text, asked):
    from actions.problems import visit_asked

    assert visit_asked(text) is asked


def test_words_taken_for_work_leave_the_work_the_report_named():
    from actions.booking import work_set_this_turn

    message = {"text": "ok can u look at it mon the 30th first thing? ill wait"}
    events = [{"event": "user", "text": message["text"]},
              {"event": "slot", "name": "services", "value": ["30th first"]},
              {"event": "action", "name": "action_book_for_problem"},
              {"event": "slot", "name": "services", "value": ["multi_point_inspection"]},
              {"event": "action", "name": "booking_form"},
              {"event": "slot", "name": "services", "value": ["30th first"]}]
    tracker = Tracker("+15125550115", {}, message, events, False, None, {"name": "booking_form"},
                      "booking_form")
    assert work_set_this_turn(tracker, ["30th first"]) == ["multi_point_inspection"]
    alone = Tracker("+15125550115", {}, message, [events[0], events[-1]], False, None,
                    {"name": "booking_form"}, "booking_form")
    assert work_set_this_turn(alone, ["30th first"]) is None


def test_a_part_of_a_text_reported_whole_already_is_not_reported_again():
    from actions.problems import whole_reported

    whole = ("red light on the lx dash shaped like a little battery, came on driving home last "
             "night. its coming in tmrw anyway right?")
    first = {"text": "its coming in tmrw anyway right?",
             "metadata": {"whole_text": whole, "part": 1, "parts": 2}}
    second = {"text": "red light on the lx dash shaped like a little battery, came on driving "
              "home last night.", "metadata": {"whole_text": whole, "part": 2, "parts": 2}}

    def after(said_first: dict) -> bool:
        events = [{"event": "user", **said_first},
                  {"event": "action", "name": "action_report_issue"},
                  {"event": "user", **second}]
        return whole_reported(Tracker("+17375550172", {}, second, events, False, None, {},
                                      "action_listen"))

    assert after(first)  # the question part was reported with the whole text
    # a part that told trouble of its own was reported with its own words: this is more
    assert not after({**first, "text": "my tire pressure light is on"})


def test_trouble_told_after_the_visit_for_it_began_keeps_that_visits_question(alejandro):
    """"...can u check the alignment at my appt tmrw? how much is that" began the visit's
    booking; "the lx has been pulling a bit to the left" (the next part) is noted for it, and the
    question the booking asked stays the one answered next."""
    from actions.problems import visit_for_it

    whole = ("the lx has been pulling a bit to the left. can u check the alignment at my appt "
             "tmrw? how much is that")
    part = {"text": "the lx has been pulling a bit to the left.",
            "metadata": {"whole_text": whole, "part": 2, "parts": 2}}
    events = [{"event": "user", "text": "can u check the alignment at my appt tmrw?",
               "metadata": {"whole_text": whole, "part": 1, "parts": 2}},
              {"event": "active_loop", "name": "booking_form"},
              {"event": "slot", "name": "requested_slot", "value": "join_visit"},
              {"event": "user", **part},
              {"event": "active_loop", "name": None},
              {"event": "slot", "name": "requested_slot", "value": None}]
    tracker = Tracker("+17375550172", {}, part, events, False, None, {}, "action_listen")
    found = asyncio.run(visit_for_it(tracker, None, part["text"], None))
    assert [(e["event"], e["name"], e.get("value")) for e in found] == [
        ("active_loop", "booking_form", None), ("slot", "requested_slot", "join_visit"),
        ("followup", "action_listen", None)]


def test_a_part_of_a_text_that_tells_no_trouble_files_nothing_and_the_form_goes_on(alejandro):
    whole = "is the loaner gonna be an rx too? i hate driving small cars"
    metadata = {"whole_text": whole, "part": 2, "parts": 2}
    message = {"text": "i hate driving small cars", "metadata": metadata,
               "intent": {"name": "report_issue", "confidence": 0.82}, "entities": []}
    events = [{"event": "active_loop", "name": "booking_form"},
              {"event": "slot", "name": "requested_slot", "value": "appointment_time"},
              {"event": "user", "text": "is the loaner gonna be an rx too?",
               "metadata": {**metadata, "part": 1}},
              {"event": "bot", "text": "For your RX we hold a loaner RX."},
              {"event": "user", "text": message["text"], "metadata": metadata,
               "parse_data": message},
              {"event": "active_loop", "name": None}]
    tracker = Tracker("+15125550115", {"owner_id": None}, message, events, False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    done = asyncio.run(ActionReportIssue().run(dispatcher, tracker, {"responses": {}}))
    assert dispatcher.messages == []  # no case: nothing was wrong with a car
    assert [(e["event"], e.get("name"), e.get("value")) for e in done] == [
        ("active_loop", "booking_form", None), ("slot", "requested_slot", "appointment_time"),
        ("followup", "action_listen", None)]


def test_a_visit_asked_a_text_or_two_after_trouble_is_for_that_trouble():
    from actions.common import trouble_just_told

    def after(category: str, texts: int) -> Tracker:
        events = [{"event": "user", "text": "my wipers just quit in the rain"},
                  {"event": "slot", "name": "situation", "value": category}]
        events += [{"event": "user", "text": "ok"}] * texts
        return Tracker("+15125550181", {}, {"text": "ok", "intent": {"name": "affirm"}},
                       events, False, None, {}, "action_listen")

    assert trouble_just_told(after("wipers_failed", 1)) == "multi_point_inspection"
    assert trouble_just_told(after("brakes", 2)) == "brake_inspection"
    assert trouble_just_told(after("brakes", 4)) is None  # long ago
    assert trouble_just_told(after("accident_after", 1)) is None  # the collision center's


def test_a_visit_asked_a_text_or_two_after_the_maintenance_due_is_that_visit():
    from actions.common import maintenance_just_told

    def after(said: str, texts: int) -> Tracker:
        events = [{"event": "user", "text": "do i need to bring it in yet?"},
                  {"event": "bot", "text": "...", "metadata": {"utter_action": said}}]
        events += [{"event": "user", "text": "ok"}] * texts
        return Tracker("+15125550153", {}, {"text": "dec 2 at 8 works",
                                            "intent": {"name": "inform"}},
                       events, False, None, {}, "action_listen")

    assert maintenance_just_told(after("utter_maintenance_due_next", 2)) == \
        "scheduled_maintenance"
    assert maintenance_just_told(after("utter_maintenance_due_next", 4)) is None  # long ago
    assert maintenance_just_told(after("utter_warranty", 1)) is None


def test_a_recall_asked_beside_urgent_trouble_is_answered_after_what_to_do(alejandro):
    text = "my wipers just quit in the rain, is this that wiper recall?"
    message = {"text": text, "intent": {"name": "check_recall", "confidence": 0.9},
               "entities": []}
    tracker = Tracker("+15125550115", {"owner_id": None}, message,
                      [{"event": "user", "text": text, "parse_data": message}],
                      False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionReportIssue().run(dispatcher, tracker, {"responses": {}}))
    assert dispatcher.messages[0]["response"] == "utter_situation_wipers_failed"
    assert {"event": "followup", "name": "action_check_recall"} in [
        {k: e[k] for k in ("event", "name")} for e in events if e["event"] == "followup"]


def test_a_text_that_tells_no_trouble_to_a_forms_question_is_the_forms_answer(alejandro):
    text = "sweet. 7 it is. my wife is following me over to drive me back so no ride needed"
    message = {"text": text, "intent": {"name": "report_issue", "confidence": 0.7},
               "entities": []}
    events = [{"event": "active_loop", "name": "booking_form"},
              {"event": "slot", "name": "requested_slot", "value": "confirm_booking"},
              {"event": "user", "text": text, "parse_data": message},
              {"event": "active_loop", "name": None}]
    tracker = Tracker("+15125550115", {"owner_id": None}, message, events, False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    done = asyncio.run(ActionReportIssue().run(dispatcher, tracker, {"responses": {}}))
    assert dispatcher.messages == []
    assert [(e["event"], e.get("name")) for e in done] == [("active_loop", "booking_form"),
                                                          ("followup", "booking_form")]


def answer_to_report(text: str, when: str, situation: str, car: str | None) -> bool:
    """Whether `text`, answering the report's questions, is read as the visit's day."""
    from actions.problems import visit_day_answered

    start = text.index(when) if when else 0
    entities = [{"entity": "when", "value": when, "start": start, "end": start + len(when)}] \
        if when else []
    message = {"text": text, "intent": {"name": "inform", "confidence": 1.0},
               "entities": entities}
    tracker = Tracker("+17375550133", {"situation": situation, "problem_case": "RB5YHF",
                                       "requested_slot": "problem_vehicle"}, message,
                      [{"event": "user", "text": text, "parse_data": message}],
                      False, None, {"name": "problem_form"}, "action_listen")
    events = [{"event": "slot", "name": "problem_vehicle", "value": car}]
    return asyncio.run(visit_day_answered(tracker, events))


@pytest.mark.parametrize(("text", "when", "situation", "car", "visit"), [
    # the car, and the day to bring it: the rest is the advisor's to ask
    ("the old es. tmrw after 4 if u can", "tmrw", "brakes", "2016 ES 350", True),
    # when it began, not when it comes in
    ("the es. started last tuesday", "tuesday", "brakes", "2016 ES 350", False),
    ("the es", "", "brakes", "2016 ES 350", False),
    # the car still to be told: asked first
    ("tmrw after 4 if u can", "tmrw", "brakes", None, False),
])
def test_a_day_ahead_in_answer_to_the_reports_questions_is_the_visits(
        alejandro, text, when, situation, car, visit):
    assert answer_to_report(text, when, situation, car) is visit


@pytest.mark.parametrize(("text", "beside"), [
    ("do an oil change while ur in there?", True),
    ("can u also rotate the tires", True),
    ("can i get it aligned fri", False),
])
def test_work_asked_beside_the_look_at_the_trouble(text, beside):
    from actions.problems import WHILE_THERE

    assert bool(WHILE_THERE.search(text)) is beside


@pytest.mark.parametrize(("text", "day"), [
    ("its supposed to rain tmrw, can i bring it in today?", "can i bring it in today"),
    ("can u check it fri? i can drop it at 730 but need a ride", "can u check it fri"),
])
def test_a_visit_asked_mid_report_is_booked_for_the_day_it_asks(alejandro, text, day):
    """The day of the visit asked for, not the story's ("...rain tmrw"), starts the booking."""
    import os

    from sqlalchemy.orm import Session

    from actions.problems import ActionBookForProblem
    from bot.dealership import reports
    from bot.dealership.db import get_engine
    from bot.dealership.owners import find_owner_by_mobile
    from bot.dealership.triage import triage

    url = os.environ["DATABASE_URL"]
    story = "my wipers just stopped working on the nx"
    with Session(get_engine(url), future=True) as session, session.begin():
        owner = find_owner_by_mobile(session, "+15125550115")
        case = reports.open_case(session, description=story, finding=triage(story),
                                 owner_id=owner.id, vehicle_id=owner.vehicles[0].id,
                                 conversation_id="+15125550115").reference
        owner_id = float(owner.id)
    message = {"text": text, "intent": {"name": "book_service", "confidence": 1.0},
               "entities": []}
    tracker = Tracker("+15125550115", {"owner_id": owner_id, "problem_case": case}, message,
                      [{"event": "user", "text": text, "parse_data": message}],
                      False, None, {"name": "problem_form"}, "action_listen")
    events = asyncio.run(ActionBookForProblem().run(CollectingDispatcher(), tracker, {}))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert day in str(slots.get("appointment_time")), slots
    assert "rain" not in str(slots.get("appointment_time"))
