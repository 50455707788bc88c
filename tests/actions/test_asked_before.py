"""A booking that follows a question about the visit takes the car, the work and the day the
question said, with the time and the loaner pointed at in its own text."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.asked_before import books_the_visit_asked_about, day_lent, from_question

QUESTION = "if i bring the ls in wed for an oil change what loaner do i get"


def tracker(text: str, answered: str = "action_answer_ownership") -> Tracker:
    events = [{"event": "user", "text": QUESTION},
              {"event": "action", "name": answered},
              {"event": "bot", "text": "For your 2018 LS 500 we hold a loaner LS 500."},
              {"event": "action", "name": "action_listen"},
              {"event": "user", "text": text}]
    return Tracker("+15125550127", {}, {"text": text, "intent": {"name": "nlu_fallback"},
                                        "entities": []}, events, False, None, None,
                   "action_listen")


def test_the_visit_asked_about_is_booked_at_the_time_said(demo_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    text = "great, 9am then with that loaner"
    assert asyncio.run(books_the_visit_asked_about(tracker(text)))
    assert asyncio.run(from_question(tracker(text), set())) == [
        SlotSet("services", ["oil_change"]), SlotSet("vehicle", "ls"),
        SlotSet("appointment_time", f"Wed Nov 25 {text}"), SlotSet("transport", "loaner")]
    # what the booking's own text says stays its own
    assert SlotSet("services", ["oil_change"]) not in asyncio.run(
        from_question(tracker(text), {"services"}))


def test_the_work_of_questions_asked_together_is_the_visits(demo_db, monkeypatch):
    # "do u guys do detailing? how long does it take and how much", answered part by part
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    whole = "do u guys do detailing? how long does it take and how much"
    text = "ok sat at 10 then. ill need a loaner since its so long"
    events = [{"event": "user", "text": "how much", "metadata": {"whole_text": whole}},
              {"event": "action", "name": "action_answer_ownership"},
              {"event": "bot", "text": "Estimates: interior & exterior detailing $199-349."},
              {"event": "action", "name": "action_listen"},
              {"event": "user", "text": text}]
    t = Tracker("+17375550124", {}, {"text": text, "intent": {"name": "request_loaner"},
                                     "entities": []}, events, False, None, None,
                "action_listen")
    assert SlotSet("services", ["detailing"]) in asyncio.run(from_question(t, set()))


def test_nothing_is_taken_from_a_message_that_was_no_question_answered(demo_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_db)
    later = tracker("great, 9am then with that loaner", answered="action_start_booking")
    assert not asyncio.run(books_the_visit_asked_about(later))
    assert asyncio.run(from_question(later, set())) == []
    # no time and nothing pointed at: not a booking
    assert not asyncio.run(books_the_visit_asked_about(tracker("cool thanks")))



def test_an_hour_alone_as_the_booking_starts_is_on_the_day_the_question_named(demo_db,
                                                                              monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    # the slot's mapping reads "around noon" alone again once the booking starts
    assert asyncio.run(day_lent(tracker("sweet. around noon?"), "around noon")) == \
        "Wed Nov 25 around noon"
    assert asyncio.run(day_lent(tracker("fri at noon"), "fri at noon")) == "fri at noon"
    asked = tracker("ok 2pm then")
    asked.slots["requested_slot"] = "appointment_time"  # the form asked: its own answer
    assert asyncio.run(day_lent(asked, "2pm")) == "2pm"


@pytest.mark.parametrize("text", [
    "can u rebook it when im back, tue dec 8 same time? shuttle again",
    "can u rebook it for tue dec 8 same time"])
def test_a_visit_cancelled_a_moment_ago_is_booked_again_as_it_was(demo_db, monkeypatch, text):
    from sqlalchemy.orm import Session

    from actions.asked_before import from_cancelled, rebooks
    from bot.dealership import appointments
    from bot.dealership.db import get_engine
    from bot.dealership.owners import find_owner_by_mobile
    from bot.dealership.profile import local_now
    from tests.demo import VIKRAM

    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    with Session(get_engine(demo_db), future=True) as session:
        vikram = find_owner_by_mobile(session, VIKRAM)
        (visit,) = appointments.upcoming(session, vikram.id, local_now(session))
        appointments.cancel(session, vikram.id, visit.id)
        session.commit()
        owner_id, car_id = vikram.id, visit.vehicle_id
    t = Tracker("+17375550172", {"owner_id": owner_id},
                {"text": text, "intent": {"name": "nlu_fallback"}, "entities": []},
                [{"event": "user", "text": text}], False, None, None, "action_listen")
    assert asyncio.run(rebooks(t))
    found = {e["name"]: e["value"] for e in asyncio.run(from_cancelled(t, set()))}
    assert found["vehicle_id"] == car_id and found["services"] == ["scheduled_maintenance"]
    assert found["appointment_time"] == "Tue Dec 8 at 1:30 PM"
    assert found["transport"] == "shuttle"
    # the work booked again in other words, on a day and time of its own
    again = "actually can u put me down for sat at 9 instead? same thing, ill wait"
    t = Tracker("+17375550172", {"owner_id": owner_id},
                {"text": again, "intent": {"name": "reschedule_appointment"}, "entities": []},
                [{"event": "user", "text": again}], False, None, None, "action_listen")
    assert asyncio.run(rebooks(t))
    found = {e["name"]: e["value"] for e in asyncio.run(from_cancelled(t, {"appointment_time"}))}
    assert found["vehicle_id"] == car_id and found["services"] == ["scheduled_maintenance"]
