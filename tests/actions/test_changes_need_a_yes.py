"""A message misread as a cancel or a move ("can you move money", "cancel my card") never
changes an appointment: the actions only ask, on both database engines, and the rules reach the
actions that write only by a yes to that question (a move is also made when the owner picks one
of the times offered for it: test_done_as_asked; a cancel, when the owner who asked for it picks
the visit to cancel and says cancel again)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.changes import (
    ActionAskCancel,
    ActionAskReschedule,
    ActionCancelAppointment,
    ActionRescheduleAppointment,
)
from bot.dealership import appointments
from bot.dealership.db import get_engine
from tests.actions.test_moving_times import FRI_9, book_dana

ROOT = Path(__file__).resolve().parents[2]
WRITERS = {"action_cancel_appointment": "action_ask_cancel",
           "action_reschedule_appointment": "action_ask_reschedule"}
# The replies that only ask: which one, when, or a yes to the change.
QUESTIONS = {"utter_which_to_cancel", "utter_which_to_move", "utter_confirm_cancel",
             "utter_confirm_move", "utter_confirm_move_without_loaner", "utter_when_to_move",
             "utter_offer_times", "utter_offer_any_times"}


@pytest.mark.parametrize(("action", "intent", "text", "when"), [
    (ActionAskReschedule, "reschedule_appointment", "can you move money", None),
    (ActionAskReschedule, "reschedule_appointment", "move my meeting to friday at 10",
     "friday at 10"),
    (ActionAskReschedule, "reschedule_appointment", "push my flight to tomorrow", "tomorrow"),
    (ActionAskCancel, "cancel_appointment", "cancel my card", None),
    (ActionAskCancel, "cancel_appointment", "cancel my netflix", None),
])
def test_a_misread_cancel_or_move_only_asks(demo_db, monkeypatch, action, intent, text, when):
    owner_id, code = book_dana(demo_db, monkeypatch, FRI_9)
    message = {"text": text, "intent": {"name": intent, "confidence": 0.97},
               "entities": [{"entity": "when", "value": when}] if when else []}
    tracker = Tracker("+15125550142", {"owner_id": owner_id, "appointment_time": when}, message,
                      [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(action().run(dispatcher, tracker, {}))
    assert dispatcher.messages[-1]["response"] in QUESTIONS
    with Session(get_engine(demo_db), future=True) as session:
        appointment = appointments.by_code(session, owner_id, code)
        assert (appointment.status, appointment.starts_at) == ("scheduled", FRI_9)
        assert appointment.notes is None


@pytest.mark.parametrize(("text", "cancelled"), [
    ("oh right the rx one, my bad. yeah cancel it", True),
    ("oh right the rx one, my bad", False),  # picked: the cancel is asked to be confirmed
    ("the rx one but dont cancel it yet", False)])
def test_the_visit_picked_to_cancel_with_cancel_said_again_is_cancelled(
        demo_db, monkeypatch, text, cancelled):
    owner_id, code = book_dana(demo_db, monkeypatch, FRI_9)
    message = {"text": text, "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}
    tracker = Tracker("+15125550142", {"owner_id": owner_id, "offered_appointments": [code]},
                      message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionCancelAppointment().run(dispatcher, tracker, {}))
    said = dispatcher.messages[-1]["response"]
    assert said == ("utter_cancelled" if cancelled else "utter_confirm_cancel")
    with Session(get_engine(demo_db), future=True) as session:
        status = appointments.by_code(session, owner_id, code).status
    assert (status == "cancelled") == cancelled


def test_only_a_yes_to_the_question_reaches_the_actions_that_write():
    steps = []
    for path in sorted((ROOT / "data").rglob("*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        for flow in document.get("rules", []) + document.get("stories", []):
            steps.append(flow["steps"])
    reached = 0
    for flow in steps:
        for i, step in enumerate(flow):
            asked = WRITERS.get(step.get("action"))
            if asked:
                reached += 1
                assert flow[i - 1].get("intent") == "affirm", flow
                assert flow[i - 2].get("action") == asked, flow
    assert reached >= 2


def ask_with_nothing_booked(demo_db, monkeypatch, text: str, intent: str, entities: list,
                            before: list[dict] = ()) -> tuple[list[str], list[dict]]:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9},
               "entities": entities}
    events = [*before, {"event": "user", "text": text, "parse_data": message}]
    tracker = Tracker("+15125550142", {"owner_id": 1.0}, message, events, False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    done = asyncio.run(ActionAskReschedule().run(dispatcher, tracker, {}))
    return [m.get("response") for m in dispatcher.messages], done


def test_with_nothing_booked_work_asked_for_is_a_booking(demo_db, monkeypatch):
    said, done = ask_with_nothing_booked(
        demo_db, monkeypatch, "can i get a brake chek tmrw after 4?? kids have practice til 330 "
        "so cant do earlier", "reschedule_appointment",
        [{"entity": "service", "value": "brake chek"}, {"entity": "when", "value": "tmrw"}])
    assert said == [] and {"event": "followup", "name": "booking_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in done]
    # nothing named: said so, and asked
    said, done = ask_with_nothing_booked(demo_db, monkeypatch, "move my appointment",
                                         "reschedule_appointment", [])
    assert said == ["utter_nothing_to_move"]
    # the yes to "Want me to book a visit?"
    said, done = ask_with_nothing_booked(
        demo_db, monkeypatch, "yes", "affirm", [],
        before=[{"event": "user", "text": "move my appointment"},
                {"event": "bot", "text": "",
                 "metadata": {"utter_action": "utter_nothing_to_move"}}])
    assert said == [] and "booking_form" in [e.get("name") for e in done]
    # a time said to it: the visit, at that time
    said, done = ask_with_nothing_booked(
        demo_db, monkeypatch, "ok sat at 9 then", "reschedule_appointment",
        [{"entity": "when", "value": "sat at 9"}],
        before=[{"event": "user", "text": "can i come in feb 30 at 10"},
                {"event": "bot", "text": "",
                 "metadata": {"utter_action": "utter_nothing_to_move"}}])
    assert "booking_form" in [e.get("name") for e in done]
    # a day asked for with nothing booked, the extractor reading no day in it: that visit
    said, done = ask_with_nothing_booked(demo_db, monkeypatch, "can i come fri",
                                         "reschedule_appointment", [])
    assert said == [] and "booking_form" in [e.get("name") for e in done]
    # a change of day said in so many words: nothing to move, said
    said, done = ask_with_nothing_booked(demo_db, monkeypatch, "can we push it to fri instead",
                                         "reschedule_appointment", [])
    assert said == ["utter_nothing_to_move"]


def test_a_move_of_work_never_booked_says_so_and_books_it(demo_db, monkeypatch):
    said, done = ask_with_nothing_booked(
        demo_db, monkeypatch, "can u push my oil change to fri", "reschedule_appointment",
        [{"entity": "service", "value": "oil change"}, {"entity": "when", "value": "fri"}])
    assert said == ["utter_nothing_booked_new_visit"]
    assert "booking_form" in [e.get("name") for e in done]


def test_work_asked_for_beside_a_visit_booked_is_a_booking_not_its_move(demo_db, monkeypatch):
    book_dana(demo_db, monkeypatch, FRI_9)
    said, done = ask_with_nothing_booked(
        demo_db, monkeypatch, "can i get a brake chek tmrw after 4?? kids have practice til 330 "
        "so cant do earlier", "reschedule_appointment",
        [{"entity": "service", "value": "brake chek"}, {"entity": "when", "value": "tmrw"}])
    assert said == [] and "booking_form" in [e.get("name") for e in done]


def test_cancel_and_book_instead_is_still_the_move(demo_db, monkeypatch):
    book_dana(demo_db, monkeypatch, FRI_9)
    said, done = ask_with_nothing_booked(
        demo_db, monkeypatch, "cancel friday and book an oil change monday instead",
        "reschedule_appointment", [{"entity": "service", "value": "oil change"},
                                   {"entity": "when", "value": "monday"}])
    assert "booking_form" not in [e.get("name") for e in done] and said


@pytest.mark.parametrize(("action", "slots", "text"), [
    (ActionCancelAppointment, {}, "ok never mind, keep it. ill make it work"),
    (ActionCancelAppointment, {}, "ok nvm dont cancel"),
    (ActionRescheduleAppointment, {"appointment_time": "2026-11-25T09:00:00-06:00"},
     "ok actually never mind, leave it"),
])
def test_a_yes_that_keeps_the_visit_changes_nothing(demo_db, monkeypatch, action, slots, text):
    # read as a yes ("ok ..."), the words keep the visit as it is
    owner_id, code = book_dana(demo_db, monkeypatch, FRI_9)
    message = {"text": text, "intent": {"name": "affirm", "confidence": 0.69}, "entities": []}
    tracker = Tracker("+15125550142", {"owner_id": owner_id, "change_code": code, **slots},
                      message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(action().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_kept"]
    with Session(get_engine(demo_db), future=True) as session:
        appointment = appointments.by_code(session, owner_id, code)
        assert (appointment.status, appointment.starts_at) == ("scheduled", FRI_9)
