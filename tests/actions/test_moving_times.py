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
    ("move it to tuesday at 2", "tuesday at 2", "tomorrow at 2:00 PM"),  # a day said: that day
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


def test_running_late_without_a_visit_today_is_not_noted(dana_on_friday, demo_db):
    said = ask_to_move(dana_on_friday, "running 15 min late", None)
    assert said["response"] != "utter_running_late_noted"
    assert notes(demo_db, dana_on_friday) is None


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


def test_a_week_later_at_the_same_time(dana_on_friday):
    said = ask_to_move(dana_on_friday, "can we just do same time next wk instead", None)
    assert said["response"] == "utter_confirm_move" and "Dec 4" in said["when"] and \
        "9:00 AM" in said["when"]


def test_the_day_that_names_the_visit_is_not_the_day_to_move_it_to(dana_on_friday):
    said = ask_to_move(dana_on_friday, "Can I move Friday's appointment to Saturday?", "friday")
    assert said["response"] in ("utter_offer_times", "utter_offer_any_times")
    assert "Sat Nov 28" in said["options"]

