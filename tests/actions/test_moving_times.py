"""Moving an appointment to a time said without a day keeps the appointment's day: the action
runs here on a demo database with a booking in it, as the action server runs it."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.changes import ActionAskReschedule
from bot.dealership import appointments
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile

AUSTIN = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AUSTIN)
FRI_9 = datetime(2026, 11, 27, 9, 0, tzinfo=AUSTIN)


def book_dana(demo_db: str, monkeypatch, start: datetime) -> tuple[int, str]:
    """Dana's owner id and the code of her oil change at `start`, booked on Monday at 10."""
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", NOW.isoformat())
    with Session(get_engine(demo_db), future=True) as session, session.begin():
        dana = find_owner_by_mobile(session, "+15125550142")
        booked = appointments.make_booking(
            session, owner_id=dana.id, vehicle_id=dana.vehicles[0].id,
            service_codes=["oil_change"], start=start, transport="wait", now=NOW)
        return dana.id, booked.appointment.code


@pytest.fixture
def dana_on_friday(demo_db, monkeypatch) -> tuple[int, str]:
    return book_dana(demo_db, monkeypatch, FRI_9)


@pytest.fixture
def dana_at_eleven(demo_db, monkeypatch) -> tuple[int, str]:
    return book_dana(demo_db, monkeypatch, NOW.replace(hour=11))


def ask_to_move(owner: tuple[int, str], text: str, when: str | None, **slots) -> dict:
    """The last thing the action said: its response name and variables."""
    entities = [{"entity": "when", "value": when}] if when else []
    message = {"text": text, "intent": {"name": "reschedule_appointment", "confidence": 0.99},
               "entities": entities}
    t = Tracker("+15125550142", {"owner_id": owner[0], "appointment_time": when, **slots},
                message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskReschedule().run(dispatcher, t, {}))
    return dispatcher.messages[-1]


@pytest.mark.parametrize(("text", "when", "to"), [
    ("actually can we do 2pm instead", "2pm", "Fri Nov 27 at 2:00 PM"),
    ("can i come at 11 instead", "at 11", "Fri Nov 27 at 11:00 AM"),
    # a day said: that day
    ("move it to tuesday at 2", "tuesday at 2", "tomorrow (Tue) at 2:00 PM"),
    # the visit's day (misremembered), then the new one: the new one
    ("need to move my oil change on thursday to monday, same time please", "thursday",
     "Mon Nov 30 at 9:00 AM"),
])
def test_a_time_alone_keeps_the_appointments_day(dana_on_friday, text, when, to):
    said = ask_to_move(dana_on_friday, text, when)
    assert said["response"] == "utter_confirm_move" and said["when"] == to
    assert said["appointment"].startswith("synthetic oil change")


def notes(database_url: str, owner: tuple[int, str]) -> str | None:
    with Session(get_engine(database_url), future=True) as session:
        return appointments.by_code(session, owner[0], owner[1]).notes


@pytest.mark.parametrize("text", ["running 15 min late for my appt",
                                  "stuck in traffic, be there in 10", "omw but running behind"])
def test_running_late_is_noted_on_todays_appointment(dana_at_eleven, demo_db, text):
    said = ask_to_move(dana_at_eleven, text, None)
    assert said["response"] == "utter_running_late_noted" and said["at"] == "11:00 AM"
    assert notes(demo_db, dana_at_eleven) == f"10:00 AM: running late: {text}"


def test_running_late_and_asking_to_move_is_a_move(dana_at_eleven, demo_db):
    said = ask_to_move(dana_at_eleven, "running late can we push it 30 min", None)
    # pushed against its own time: half an hour after 11
    assert said["response"] == "utter_confirm_move"
    assert said["appointment"].startswith("synthetic oil change") and "11:30" in said["when"]
    assert notes(demo_db, dana_at_eleven) is None


def test_running_late_without_a_visit_by_tomorrow_is_not_noted(dana_on_friday, demo_db):
    said = ask_to_move(dana_on_friday, "running 15 min late", None)
    assert said["response"] != "utter_running_late_noted"
    assert notes(demo_db, dana_on_friday) is None


def test_late_told_ahead_for_tomorrows_visit_is_noted_on_it(demo_db, monkeypatch):
    tomorrow = book_dana(demo_db, monkeypatch, NOW.replace(day=24, hour=13, minute=30))
    text = "k i might be 15-20 min late, school pickup. is that ok or should i move it"
    said = ask_to_move(tomorrow, text, None)
    assert said["response"] == "utter_running_late_noted" and said["at"] == "Tue 1:30 PM"
    assert notes(demo_db, tomorrow) == f"10:00 AM: running late: {text}"


def test_a_move_to_the_time_it_has_asks_the_time_again(dana_on_friday):
    # "fri at 9" for a visit on Friday at 9: nothing to confirm, the openings come instead
    t = Tracker("+15125550142", {"owner_id": dana_on_friday[0], "appointment_time": "fri at 9"},
                {"text": "can we do fri at 9", "intent": {"name": "reschedule_appointment",
                                                          "confidence": 0.99},
                 "entities": [{"entity": "when", "value": "fri at 9"}]},
                [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskReschedule().run(dispatcher, t, {}))
    said = [m.get("response") for m in dispatcher.messages]
    assert said[0] == "utter_move_same_time" and "utter_confirm_move" not in said
    assert said[-1] == "utter_when_to_move_again"


def test_the_time_booked_named_as_the_one_the_owner_cannot_make_only_asks_the_new_one(
        dana_on_friday):
    t = Tracker("+15125550142", {"owner_id": dana_on_friday[0], "appointment_time": "fri at 9"},
                {"text": "hey cant make fri at 9 anymore",
                 "intent": {"name": "reschedule_appointment", "confidence": 0.99},
                 "entities": [{"entity": "when", "value": "fri at 9"}]},
                [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskReschedule().run(dispatcher, t, {}))
    said = [m.get("response") for m in dispatcher.messages]
    assert "utter_move_same_time" not in said and said[-1] == "utter_when_to_move_again"


def test_a_week_later_at_the_same_time(dana_on_friday):
    said = ask_to_move(dana_on_friday, "can we just do same time next wk instead", None)
    assert said["response"] == "utter_confirm_move" and "Dec 4" in said["when"] and \
        "9:00 AM" in said["when"]


def test_the_day_that_names_the_visit_is_not_the_day_to_move_it_to(dana_on_friday):
    said = ask_to_move(dana_on_friday, "Can I move Friday's appointment to Saturday?", "friday")
    assert said["response"] in ("utter_offer_times", "utter_offer_any_times")
    assert "Sat Nov 28" in said["options"]



def test_the_time_it_has_said_to_the_times_offered_keeps_it_as_it_is(dana_on_friday):
    # "hmm actually nvm, keep it fri at 9" once other times were offered for the move
    offered = [datetime(2026, 11, 25, h, tzinfo=AUSTIN).isoformat() for h in (12, 13)]
    t = Tracker("+15125550142", {"owner_id": dana_on_friday[0], "appointment_time": "fri at 9",
                                 "change_code": dana_on_friday[1], "offered_slots": offered},
                {"text": "hmm actually nvm, keep it fri at 9",
                 "intent": {"name": "nlu_fallback", "confidence": 0.5},
                 "entities": [{"entity": "when", "value": "fri at 9"}]},
                [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAskReschedule().run(dispatcher, t, {}))
    said = [m.get("response") for m in dispatcher.messages]
    assert said == ["utter_kept_as_booked"]
    assert dispatcher.messages[0]["appointment"].startswith("synthetic oil change")
    assert {e["name"]: e["value"] for e in events if e.get("event") == "slot"} == {
        "change_code": None, "offered_appointments": None, "appointment_time": None,
        "offered_slots": None}


def test_a_day_said_to_move_to_without_a_time_offers_that_days_times(dana_on_friday):
    # "move my appt to mon" (the extractor found no day): Monday's times, not the next openings
    said = ask_to_move(dana_on_friday, "move my appt to mon", None)
    assert said["response"] != "utter_when_to_move"
    assert "Mon Nov 30" in str(said)


def test_a_time_alone_after_a_move_proposed_is_on_the_day_proposed(dana_on_friday):
    # "Move it to Wed Nov 25 at 9:00 AM?" then "actually make it 8 instead of 9"
    proposed = datetime(2026, 11, 25, 9, tzinfo=AUSTIN).isoformat()
    message = {"text": "actually make it 8 instead of 9 if thats open",
               "intent": {"name": "reschedule_appointment", "confidence": 0.86},
               "entities": [{"entity": "when", "value": "8"}, {"entity": "when", "value": "9"}]}
    events = [{"event": "slot", "name": "appointment_time", "value": proposed},
              {"event": "user", "text": message["text"], "parse_data": message},
              {"event": "slot", "name": "appointment_time", "value": "8"}]
    t = Tracker("+15125550142", {"owner_id": dana_on_friday[0], "change_code":
                                 dana_on_friday[1], "appointment_time": "8"},
                message, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskReschedule().run(dispatcher, t, {}))
    said = dispatcher.messages[-1]
    assert said["response"] == "utter_confirm_move" and said["when"] == "Wed Nov 25 at 8:00 AM"


def test_a_time_the_extractor_missed_after_a_move_proposed_is_on_the_day_proposed(
        dana_on_friday):
    # "Move it to Wed Nov 25 at 9:00 AM?" then "afternoon, like 3?" (read as a greeting)
    proposed = datetime(2026, 11, 25, 9, tzinfo=AUSTIN).isoformat()
    message = {"text": "afternoon, like 3?", "intent": {"name": "greet", "confidence": 0.73},
               "entities": []}
    events = [{"event": "slot", "name": "appointment_time", "value": proposed},
              {"event": "user", "text": message["text"], "parse_data": message}]
    t = Tracker("+15125550142", {"owner_id": dana_on_friday[0], "change_code":
                                 dana_on_friday[1], "appointment_time": proposed},
                message, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskReschedule().run(dispatcher, t, {}))
    said = dispatcher.messages[-1]
    assert said["response"] == "utter_confirm_move" and said["when"] == "Wed Nov 25 at 3:00 PM"


def test_same_time_to_the_times_offered_on_another_day_is_that_day_at_its_time(dana_on_friday):
    offered = [datetime(2026, 11, 25, h, tzinfo=AUSTIN).isoformat() for h in (7, 8)]
    message = {"text": "same time is fine", "intent": {"name": "reschedule_appointment",
                                                       "confidence": 0.99}, "entities": []}
    t = Tracker("+15125550142", {"owner_id": dana_on_friday[0], "appointment_time": None,
                                 "offered_slots": offered, "change_code": dana_on_friday[1]},
                message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskReschedule().run(dispatcher, t, {}))
    # a time given plainly to the times offered: moved with no other question
    assert dispatcher.messages[-1]["response"] == "utter_moved"
    assert "Wed Nov 25 at 9:00 AM" in dispatcher.messages[-1]["appointment"]


@pytest.mark.parametrize("text", ["tues is perfect", "tuesday works"])
def test_the_day_proposed_named_back_agrees_to_it(dana_on_friday, text):
    # "Move it to Tue Dec 1 at 9:00 AM?" then "tues is perfect": not this week's Tuesday
    proposed = datetime(2026, 12, 1, 9, tzinfo=AUSTIN).isoformat()
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.8},
               "entities": [{"entity": "when", "value": "tues"}]}
    events = [{"event": "slot", "name": "appointment_time", "value": proposed},
              {"event": "user", "text": text, "parse_data": message},
              {"event": "slot", "name": "appointment_time", "value": "tues"}]
    t = Tracker("+15125550142", {"owner_id": dana_on_friday[0], "change_code":
                                 dana_on_friday[1], "appointment_time": "tues"},
                message, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskReschedule().run(dispatcher, t, {}))
    said = dispatcher.messages[-1]
    assert said["response"] == "utter_confirm_move" and said["when"] == "Tue Dec 1 at 9:00 AM"


@pytest.mark.parametrize(("text", "when", "asked"), [
    ("i cant make it friday anymore :(", "friday", "utter_move_or_cancel"),
    ("something came up, wont be able to come in", None, "utter_move_or_cancel"),
    # a move or a time asked for outright: the move's own question
    ("cant make it friday, can we do monday instead", "monday", "utter_offer_any_times"),
    ("i cant make 9 on friday, 2pm?", "2pm", "utter_confirm_move"),
])
def test_a_visit_the_owner_cannot_make_asks_whether_to_move_or_cancel_it(dana_on_friday, text,
                                                                       when, asked):
    assert ask_to_move(dana_on_friday, text, when)["response"] == asked


def test_the_answer_to_move_or_cancel_is_of_the_visit_it_named(dana_on_friday):
    from actions.changes import fresh

    asked = [{"event": "user", "text": "i cant make it friday"},
             {"event": "bot", "text": "No problem. Should I move your ...?",
              "metadata": {"utter_action": "utter_move_or_cancel"}},
             {"event": "user", "text": "/cancel_appointment"}]
    for intent in ("cancel_appointment", "reschedule_appointment"):
        message = {"text": "/" + intent, "intent": {"name": intent}, "entities": []}
        t = Tracker("+15125550142", {"owner_id": dana_on_friday[0],
                                     "change_code": dana_on_friday[1]}, message, asked, False,
                    None, {}, "action_listen")
        assert not fresh(t)
        assert fresh(Tracker("+15125550142", {"owner_id": dana_on_friday[0]}, message, [],
                             False, None, {}, "action_listen"))


def test_a_visit_the_owner_cannot_make_with_nothing_booked_says_so(demo_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", NOW.isoformat())
    with Session(get_engine(demo_db), future=True) as session:
        dana = find_owner_by_mobile(session, "+15125550142").id  # nothing booked
    said = ask_to_move((dana, ""), "i cant make it fri", "fri")
    assert said["response"] == "utter_nothing_to_move"


def test_a_day_and_hour_the_extractor_missed_in_a_move_are_read_from_the_words(dana_on_friday):
    # to the times offered, with no time read by the extractor
    said = ask_to_move(dana_on_friday, "ugh right. mon then, 9 again?", None,
                       change_code=dana_on_friday[1])
    assert said["response"] == "utter_confirm_move" and said["when"] == "Mon Nov 30 at 9:00 AM"
